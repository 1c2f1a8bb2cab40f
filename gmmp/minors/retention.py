"""The children's share of storage limitation (a sweep of `core.retention`, run by `gmmp retention`).

`retention.minor_data_days` after a child's case ends on the platform (the 12-month follow-up received,
closed, stay in France ordered, not identified, found to be an adult), everything that is about the child
is erased from the case: names, filiation, birth, languages, placement, circumstances, register ids, the
assessments and the child's own words, the receiving family, travel and hand-over details, the follow-up
reports, the vulnerability and trafficking screening, and the judge's decision file. What stays is the
case's reference, state, organisations and named officers (who acted remains auditable) and the procedural
outcomes; the ledger (`MinorEvent`) names nobody and is not touched, so the indicators do not move.
"""

import datetime as dt

from django.db import models, transaction

from gmmp.cases.evidence import EVIDENCE_FILES
from gmmp.core import clock
from gmmp.core.models import PolicyKeys, policy_value
from gmmp.core.retention import erase_sweep

from .models import MinorCase, MinorEvent
from .workflow import MINORS_WORKFLOW, TERMINAL

# Kept: what identifies the case, not the child. Coded fields are kept (procedural outcomes) except
# those listed as sensitive, which are reset like the rest.
KEPT = {"reference", "state", "created_at", "updated_at", "anonymised_at"}
SENSITIVE_CODES = {"sex", "screening_result", "age_basis"}


def _erasable_fields():
    for f in MinorCase._meta.concrete_fields:
        if f.primary_key or f.is_relation or f.name in KEPT:
            continue
        if f.choices and f.name not in SENSITIVE_CODES:
            continue
        yield f


def _blank(f: models.Field):
    if f.has_default():
        return f.get_default()
    if f.null:
        return None
    return ""


def minor_cases_due_for_retention(*, today: dt.date):
    limit = today - dt.timedelta(days=policy_value(PolicyKeys.RETENTION_MINOR_DAYS, today))
    return (
        MinorCase.objects.filter(state__in=TERMINAL, anonymised_at__isnull=True)
        .annotate(ended_at=MinorEvent.last_entry_into(TERMINAL))
        .filter(ended_at__date__lt=limit)
    )


@transaction.atomic
def minor_case_erase_personal_data(*, case: MinorCase) -> MinorCase:
    """System action: erase the child's personal data; one ledger event that names nobody. The decision
    files are deleted once the erasure has committed (a rollback keeps both rows and files)."""
    locked = MINORS_WORKFLOW.lock(case)
    if locked.anonymised_at is not None:
        return locked
    erased = 0
    for f in _erasable_fields():
        setattr(locked, f.attname, _blank(f))
        erased += 1
    names = list(locked.documents.values_list("storage_name", flat=True))
    locked.documents.all().delete()
    EVIDENCE_FILES.delete_on_commit(names)
    locked.anonymised_at = clock.now()
    locked.save()
    MINORS_WORKFLOW.note(
        subject=locked,
        user=None,
        kind="retention_applied",
        details={"fields": erased, "documents": len(names)},
    )
    return locked


minors_retention_apply = erase_sweep(
    minor_cases_due_for_retention, lambda pk: minor_case_erase_personal_data(case=MinorCase(pk=pk))
)
