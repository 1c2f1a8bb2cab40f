"""The seasonal workers' share of storage limitation (a sweep of `core.retention`, run by `gmmp retention`).

`retention.worker_data_days` after the end of a worker's last season (the return, or the contract's end
when the return was not recorded), or after the record was made when no contract followed, the worker's
identity is erased: names, birth date, CIN, telephone, and the ANAPEC reference replaced by a neutral
one. The free text written about the worker's contracts (rights-check findings, complaint summaries and
outcomes) goes with it, because it may name people. The contracts stay, anonymous, for the indicators
(seasons, sectors, returns, checks, complaints are counted from them). A worker with a contract still to
come or in progress is never erased.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce

from gmmp.core import clock
from gmmp.core.models import PolicyKeys, policy_value
from gmmp.core.retention import erase_sweep

from .actions import _event
from .enums import ContractStatus
from .models import Complaint, RightsCheck, SeasonalContract, Worker

ONGOING = (ContractStatus.SIGNED, ContractStatus.IN_FRANCE)


def workers_due_for_retention(*, today: dt.date):
    limit = today - dt.timedelta(days=policy_value(PolicyKeys.RETENTION_WORKER_DAYS, today))
    ongoing = SeasonalContract.objects.filter(worker=OuterRef("pk"), status__in=ONGOING)
    return (
        Worker.objects.filter(anonymised_at__isnull=True)
        .exclude(Exists(ongoing))
        .annotate(last_end=Max(Coalesce("contracts__returned_on", "contracts__end_date")))
        .filter(Q(last_end__lt=limit) | Q(last_end__isnull=True, created_at__date__lt=limit))
    )


@transaction.atomic
def worker_erase_personal_data(*, worker: Worker) -> Worker:
    """System action: erase the worker's identity and the free text about their contracts; one event
    in the programme's history, which names nobody."""
    locked = Worker.objects.select_for_update().get(pk=worker.pk)
    if locked.anonymised_at is not None:
        return locked
    locked.last_name = locked.first_name = locked.cin = locked.phone = ""
    locked.birth_date = None
    locked.anapec_ref = f"ANON-{locked.pk}"
    locked.anonymised_at = clock.now()
    locked.save()
    RightsCheck.objects.filter(contract__worker=locked).update(note="")
    Complaint.objects.filter(contract__worker=locked).update(summary="", outcome_note="")
    _event(None, "worker_anonymised", worker=locked.pk)  # the system's, naming nobody
    return locked


workers_retention_apply = erase_sweep(
    workers_due_for_retention, lambda pk: worker_erase_personal_data(worker=Worker(pk=pk))
)
