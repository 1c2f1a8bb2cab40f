"""Append-only tables and the hash-chained event ledger every workflow writes.

`AppendOnlyModel` refuses updates and deletes from Python (`save()` of an existing row, `delete()`,
queryset `update()`/`delete()`); the database refuses them too where a migration installs the trigger
(`append_only_trigger`, in the ledgers' migrations). `HashChainedEvent` is the abstract ledger row of a
workflow: one concrete model per workflow (`cases.CaseEvent`, …) names its subject (`subject_field`) and adds the
snapshots its readers need.
"""

import datetime as dt
import hashlib
import json
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import migrations, models

from gmmp.core import clock
from gmmp.core.ledger_chain import chain_append


class AppendOnlyError(Exception):
    """An attempt to change or remove a row of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only.")

    def retention_delete(self) -> int:
        """The one deletion a table's own retention rule allows (the access log past its retention);
        the caller opens the database's trigger for its transaction (see audit/retention.py)."""
        deleted, _ = super().delete()
        return deleted


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} is append-only.")


class HashChainedEvent(AppendOnlyModel):
    """One event of one subject's ledger: numbered from 1, each row carrying the hash of the previous one,
    so that a changed or removed row breaks the chain (`verify`)."""

    subject_field: ClassVar[str]  # the foreign key to the object whose ledger this is ("case")

    sequence = models.PositiveIntegerField()
    at = models.DateTimeField(default=clock.now, db_index=True)
    kind = models.CharField(max_length=40, db_index=True)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.CharField(max_length=40, blank=True)
    comment = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        abstract = True

    @classmethod
    def last_entry_into(cls, states):
        """A subquery: when the subject (the outer query's row) last entered one of `states`. Events that
        leave the state unchanged (retention's own, a new piece of evidence…) do not count as entering."""
        return models.Subquery(
            cls.objects.filter(**{cls.subject_field: models.OuterRef("pk"), "to_state__in": states})
            .exclude(from_state=models.F("to_state"))
            .values(cls.subject_field)
            .annotate(last=models.Max("at"))
            .values("last")
        )

    @classmethod
    def snapshot(cls, subject, user) -> dict[str, Any]:
        """Extra columns filled at the time of the event (who for which organisation, routing…)."""
        return {}

    def payload(self) -> dict[str, Any]:
        """What the hash covers. A concrete ledger adds its snapshot columns (and must then never change
        this list for rows already written)."""
        return {
            self.subject_field: getattr(self, f"{self.subject_field}_id"),
            "sequence": self.sequence,
            # In UTC: clock.now() may carry another zone, and the database hands the value back in UTC.
            "at": self.at.astimezone(dt.UTC).isoformat(),
            "kind": self.kind,
            "from": self.from_state,
            "to": self.to_state,
            "actor": self.actor_id,
            "reason": self.reason,
            "comment": self.comment,
            "details": self.details,
        }

    def compute_hash(self) -> str:
        body = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256((self.prev_hash + body).encode()).hexdigest()

    @classmethod
    def append(
        cls,
        *,
        subject,
        user,
        kind: str,
        from_state: str = "",
        to_state: str = "",
        reason: str = "",
        comment: str = "",
        details: dict | None = None,
    ) -> Self:
        """Append one event to `subject`'s ledger. Call it inside the transaction that changes the subject,
        with the subject's row locked (or just created): the lock is what keeps sequences from colliding."""
        last = (
            cls.objects.filter(**{cls.subject_field: subject})
            .order_by("-sequence")
            .values("sequence", "hash")
            .first()
        )
        event = cls(
            **{cls.subject_field: subject},
            sequence=(last["sequence"] + 1) if last else 1,
            at=clock.now(),
            kind=kind,
            from_state=from_state,
            to_state=to_state,
            actor=user,
            reason=reason,
            comment=cls.seal_comment(subject, comment),
            details=details or {},
            prev_hash=last["hash"] if last else "",
            **cls.snapshot(subject, user),
        )
        event.hash = event.compute_hash()
        event.save()
        # Tamper evidence across every ledger: the keyed chain (core/ledger_chain.py).
        chain_append(event)
        return event

    @classmethod
    def seal_comment(cls, subject, comment: str) -> str:
        """What the row stores for the free text: a ledger whose text may name people encrypts it
        with a key of the subject that retention destroys (cases: cases/comments.py)."""
        return comment

    @classmethod
    def verify(cls, subject) -> tuple[bool, int | None]:
        """Recompute the chain of one subject: (True, None) or (False, the first broken sequence)."""
        prev = ""
        for event in cls.objects.filter(**{cls.subject_field: subject}).order_by("sequence"):
            if event.prev_hash != prev or event.compute_hash() != event.hash:
                return False, event.sequence
            prev = event.hash
        return True, None


class ActorEvent(HashChainedEvent):
    """A ledger event that also records the organisation the actor acted for and its side (FR/MA), at the
    time of the event: what every workflow between the two administrations keeps (`cases.CaseEvent`,
    `minors.MinorEvent`). A concrete ledger adds its own snapshots by extending `snapshot` and `payload`."""

    actor_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_side = models.CharField(max_length=4, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, f'{self.subject_field}_id')}#{self.sequence} {self.kind}"

    @classmethod
    def snapshot(cls, subject, user) -> dict[str, Any]:
        org = user.organisation if user is not None and user.organisation_id else None
        return {"actor_organisation": org, "actor_side": org.side if org else ""}

    def payload(self) -> dict[str, Any]:
        return {
            **super().payload(),
            "actor_organisation": self.actor_organisation_id,
            "actor_side": self.actor_side,
        }


_REFUSE_CHANGE_FUNCTION = """
CREATE OR REPLACE FUNCTION gmmp_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def append_only_trigger(table: str, *, sqlite: bool = False) -> migrations.RunPython:
    """A migration operation: on PostgreSQL the database itself refuses UPDATE and DELETE on `table`,
    whatever the client (TRUNCATE stays possible for test flushes). Put it in the migration that creates
    a new ledger: `operations = [..., append_only_trigger("myapp_myevent")]`.

    With `sqlite=True`, SQLite triggers refuse them too. SQLite has no TRUNCATE: a test database's flush
    deletes rows, so these triggers hold while the one-row table gmmp_ledger_guard says so (1, set here);
    the test suite sets it to 0 for its flushes, and an operator's deliberate maintenance would have to
    do the same, in plain sight."""

    def forwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            # No parameters: the driver must not read the % of RAISE as placeholders.
            schema_editor.execute(_REFUSE_CHANGE_FUNCTION, params=None)
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION gmmp_refuse_change();"
            )
        elif vendor == "sqlite" and sqlite:
            schema_editor.execute("CREATE TABLE IF NOT EXISTS gmmp_ledger_guard (enabled integer NOT NULL)")
            schema_editor.execute(
                "INSERT INTO gmmp_ledger_guard (enabled) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM gmmp_ledger_guard)"
            )
            for op in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_refuse_{op.lower()} BEFORE {op} ON {table} "
                    f"WHEN (SELECT enabled FROM gmmp_ledger_guard LIMIT 1) = 1 "
                    f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: {op} refused'); END;"
                )

    def backwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        elif vendor == "sqlite" and sqlite:
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_refuse_{op}")

    return migrations.RunPython(forwards, backwards)
