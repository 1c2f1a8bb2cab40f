"""Configurable rules stored as data with an effective date (DOMAIN.md: never constants in code)."""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyValue(models.Model):
    """One configurable value (a deadline, a validity) effective from a date until the next one."""

    key = models.CharField(_("clé"), max_length=80)
    effective_from = models.DateField(_("en vigueur depuis"))
    value = models.JSONField(_("valeur"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("règle paramétrable")
        verbose_name_plural = _("règles paramétrables")
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="policy_key_date_unique")
        ]
        ordering = ["key", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.key} @ {self.effective_from}: {self.value}"


class PolicyKeys:
    DETENTION_STAGES = "detention.stages_days"
    REPLY_DEADLINE = "consulate.reply_deadline_days"
    DUE_SOON_DAYS = "queue.due_soon_days"
    LPC_VALIDITY = "lpc.validity_days"
    RETENTION_FULL_DAYS = "retention.full_data_days"
    RETENTION_CORE_DAYS = "retention.core_data_days"
    MAJORITY_AGE = "person.majority_age"
    REPLY_DEADLINE_EXTENDED = "consulate.reply_deadline_extended_days"
    RETENTION_ACCESS_LOG_DAYS = "retention.access_log_days"
    RETENTION_WORKER_DAYS = "retention.worker_data_days"
    RETENTION_MINOR_DAYS = "retention.minor_data_days"
    LPC_AFTER_IDENTIFICATION = "alerts.lpc_after_identification_days"
    RELEASE_CLOSE = "alerts.release_close_days"
    REPLY_DUE_SOON = "alerts.reply_due_soon_days"
    LPC_EXPIRING = "alerts.lpc_expiring_days"
    GOVERNANCE_ACTION_DUE = "alerts.governance_action_due_days"


# Used only when the table holds nothing for a key yet (fresh database before `gmmp load_reference`).
POLICY_DEFAULTS = {
    PolicyKeys.DETENTION_STAGES: [4, 30, 60, 75, 90],
    PolicyKeys.REPLY_DEADLINE: 25,
    PolicyKeys.DUE_SOON_DAYS: 7,
    PolicyKeys.LPC_VALIDITY: 30,
    PolicyKeys.RETENTION_FULL_DAYS: 90,
    PolicyKeys.RETENTION_CORE_DAYS: 1095,
    PolicyKeys.MAJORITY_AGE: 18,
    PolicyKeys.REPLY_DEADLINE_EXTENDED: 60,
    PolicyKeys.RETENTION_ACCESS_LOG_DAYS: 365,
    PolicyKeys.RETENTION_WORKER_DAYS: 1095,
    PolicyKeys.RETENTION_MINOR_DAYS: 1095,
    PolicyKeys.LPC_AFTER_IDENTIFICATION: 3,
    PolicyKeys.RELEASE_CLOSE: 7,
    PolicyKeys.REPLY_DUE_SOON: 7,
    PolicyKeys.LPC_EXPIRING: 3,
    PolicyKeys.GOVERNANCE_ACTION_DUE: 7,
}


# The rules as read once for the request being answered (`rules_read_once`, core.middleware): a filing
# read them key by key six times (bench/RESULTS.md, "Load, fifth pass"). Outside a request (commands,
# the worker, tests calling actions) every read goes to the database, as before; a rule saved during the
# request is read again.
_request_rules: ContextVar[dict | None] = ContextVar("gmmp_request_rules", default=None)


@contextmanager
def rules_read_once() -> Iterator[None]:
    token = _request_rules.set({})
    try:
        yield
    finally:
        _request_rules.reset(token)


def _forget_request_rules(**_kwargs) -> None:
    kept = _request_rules.get()
    if kept is not None:
        kept.clear()


models.signals.post_save.connect(_forget_request_rules, sender=PolicyValue)
models.signals.post_delete.connect(_forget_request_rules, sender=PolicyValue)


def _rules() -> dict[str, list]:
    """Every rule, newest first per key: from the request's copy when there is one."""
    kept = _request_rules.get()
    if kept is not None and "rows" in kept:
        return kept["rows"]
    rows: dict[str, list] = {}
    for key, since, value in PolicyValue.objects.order_by("key", "-effective_from").values_list(
        "key", "effective_from", "value"
    ):
        rows.setdefault(key, []).append((since, value))
    if kept is not None:
        kept["rows"] = rows
    return rows


def policy_value(key: str, on: dt.date | None = None):
    from gmmp.core import clock

    on = on or clock.today()  # the platform's day, so that a frozen clock replays the rules of its time
    if _request_rules.get() is not None:
        return policy_reader()(key, on)
    row = PolicyValue.objects.filter(key=key, effective_from__lte=on).order_by("-effective_from").first()
    if row is not None:
        return row.value
    return POLICY_DEFAULTS[key]


def policy_reader() -> Callable[..., Any]:
    """`policy_value` for many look-ups (a page of cases): every rule read in one query (or the request's
    copy), then each (key, date) answered in memory with the same rule — the value effective on that
    date, else the default."""
    from gmmp.core import clock

    rows = _rules()

    def read(key: str, on: dt.date | None = None):
        on = on or clock.today()
        for since, value in rows.get(key, ()):
            if since <= on:
                return value
        return POLICY_DEFAULTS[key]

    return read


class ChainLink(models.Model):
    """One link of the keyed chain over every ledger event of every ledger table, in global order.

    `mac` = HMAC(key, previous mac | seq | ledger | row id | row digest), with a key held outside the
    database (core/ledger_chain.py). Append-only, like the ledgers it covers."""

    seq = models.BigIntegerField(unique=True)
    ledger = models.CharField(max_length=60)  # the ledger table's model label, e.g. "cases.caseevent"
    row_id = models.BigIntegerField()
    row_digest = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["ledger", "row_id"], name="chain_link_one_per_row")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.ledger}:{self.row_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("The ledger chain is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The ledger chain is append-only.")


class ChainHead(models.Model):
    """The chain's current end (one row): locked by every append, so that links take one global order."""

    seq = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"head #{self.seq}"
