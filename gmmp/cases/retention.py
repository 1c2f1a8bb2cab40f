"""Storage limitation: personal data of finished cases is erased in two steps, on rules kept as data.

- `retention.full_data_days` after a case ends (readmitted, decided negatively, withdrawn, closed):
  everything but the core identity is erased (filiation, aliases, description, evidence files…).
- `retention.core_data_days` after it ends: the remaining identity is erased; the case keeps only what
  the indicators need (organisations, states, dates), which names nobody.

`gmmp retention` applies the rules; run it daily (cron or a systemd timer, see README). The ledger is
never edited: the personal text it holds (comments, and the personal values of an event's details: a
corrected name, a decision's reference) is sealed with the case's key, destroyed at anonymisation
(cases/comments.py). The access log has its own rule (audit/retention.py).
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from gmmp.core import clock
from gmmp.core.files import orphans_sweep
from gmmp.core.models import PolicyKeys, policy_value
from gmmp.core.retention import retention_sweeps_run

from . import hooks
from .comments import case_key_destroy
from .enums import EventKind
from .evidence import EVIDENCE_FILES
from .models import Case, CaseEvent, LegalEvent
from .workflow import TERMINAL

FULL_DATA_FIELDS = [
    "earlier_names",
    "father_first_name",
    "mother_first_name",
    "mother_last_name",
    "languages",
    "civil_status",
    "spouse_name",
    "physical_description",
]
CORE_DATA_FIELDS = [
    "last_name",
    "first_names",
    "birth_date",
    "birth_place",
    "nationality_claimed",
    "removal_order_reference",
    "established_last_name",
    "established_first_names",
    "established_birth_date",
    "established_birth_place",
    "register_national_id",
    "age_reference",
]
# The legal timeline's own rows (cases.LegalEvent): the person's language and their counsel's name go with
# the full data, the decisions' references with the core identity; kinds and dates stay for the figures.
LEGAL_FULL_DATA_FIELDS = ["language", "counsel"]
LEGAL_CORE_DATA_FIELDS = ["reference"]


@dataclass
class RetentionReport:
    full_erased: int = 0
    core_erased: int = 0
    orphan_files: int = 0
    # What the other apps' sweeps erased (core.retention): {"access_log": n, "workers": n, ...}
    swept: dict[str, int] = dataclasses.field(default_factory=dict)

    @property
    def access_log_deleted(self) -> int:
        return self.swept.get("access_log", 0)


def cases_due_for_retention(*, today: dt.date, stage: int):
    """Finished cases whose end is older than the rule for `stage` (1: full data, 2: core data)."""
    key = PolicyKeys.RETENTION_FULL_DAYS if stage == Case.Retention.CORE else PolicyKeys.RETENTION_CORE_DAYS
    limit = today - dt.timedelta(days=policy_value(key, today))
    # The end is when the case entered a final state (later events that keep the state do not move it).
    return (
        Case.objects.filter(state__in=TERMINAL, retention_stage__lt=stage)
        .annotate(ended_at=CaseEvent.last_entry_into(TERMINAL))
        .filter(ended_at__date__lt=limit)
    )


@transaction.atomic
def case_erase_personal_data(*, case: Case, stage: int) -> Case:
    """Erase what `stage` requires (system action, recorded in the ledger without personal data)."""
    from .actions import event_record

    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    fields = FULL_DATA_FIELDS + (CORE_DATA_FIELDS if stage >= Case.Retention.ANONYMOUS else [])
    for field in fields:
        setattr(locked, field, "")
    locked.aliases = []
    legal = LEGAL_FULL_DATA_FIELDS + (LEGAL_CORE_DATA_FIELDS if stage >= Case.Retention.ANONYMOUS else [])
    LegalEvent.objects.filter(case=locked).update(**dict.fromkeys(legal, ""))
    # The files go after the commit: a rollback keeps the rows, and then their files.
    EVIDENCE_FILES.delete_on_commit(locked.evidence.values_list("storage_name", flat=True))
    locked.evidence.all().delete()
    hooks.personal_data_erase(case=locked, stage=stage)
    if stage >= Case.Retention.ANONYMOUS:
        # The ledger's free text becomes unreadable (its key is destroyed), the ledger itself intact.
        case_key_destroy(case_id=locked.pk)
    locked.retention_stage = stage
    locked.retention_changed_at = clock.now()
    locked.save()
    event_record(
        case=locked,
        user=None,
        kind=EventKind.RETENTION_APPLIED,
        details={"stage": stage, "fields": len(fields)},
    )
    return locked


def evidence_orphans(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> list:
    """Encrypted evidence files no row points to (see core.files: written by a transaction that then
    rolled back)."""
    return EVIDENCE_FILES.orphans(older_than_seconds=older_than.total_seconds())


def retention_apply(*, today: dt.date | None = None, dry_run: bool = False) -> RetentionReport:
    today = today or clock.today()
    report = RetentionReport()
    # Anonymise first so a very old case goes straight to the last stage in one run. A case counted
    # there is not counted again in the first stage (which a real run would no longer find): the dry
    # run counts what the run would do.
    counted: set[int] = set()
    for stage, attr in ((Case.Retention.ANONYMOUS, "core_erased"), (Case.Retention.CORE, "full_erased")):
        due = [
            pk
            for pk in cases_due_for_retention(today=today, stage=stage).values_list("pk", flat=True)
            if pk not in counted
        ]
        counted.update(due)
        setattr(report, attr, len(due))
        if not dry_run:
            for pk in due:
                case_erase_personal_data(case=Case(pk=pk), stage=stage)
    report.swept = retention_sweeps_run(today=today, dry_run=dry_run)
    # Files of every store (evidence, laissez-passer photos) that no row names any more.
    report.orphan_files = orphans_sweep(dry_run=dry_run)
    return report
