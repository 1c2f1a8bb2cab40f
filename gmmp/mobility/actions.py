"""Every change in legal mobility and irregular migration: keyword-only functions taking the acting user,
atomic, with a row lock where a row changes, and one `ProgrammeEvent` each.

Aggregate figures are versioned: recording a different figure for the same key supersedes the row in force
(kept, with the instant it stopped being in force) and links the new row to it; recording the same figure
again changes nothing (imports are idempotent)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gmmp.core import clock
from gmmp.core.workflow import Step

from . import perms
from .enums import (
    ComplaintOutcome,
    ComplaintStatus,
    ContractStatus,
    IrregularMeasure,
    Origin,
    StudyLevel,
    VisaPost,
)
from .errors import MobilityRefused
from .models import (
    Complaint,
    Employer,
    IrregularFigure,
    ProgrammeEvent,
    RightsCheck,
    SeasonalContract,
    StudentVisaFigure,
    Worker,
)
from .workflow import CONTRACT_WORKFLOW

CREATED, CORRECTED, UNCHANGED = "created", "corrected", "unchanged"


def _event(user, kind: str, *, contract=None, at=None, **details) -> ProgrammeEvent:
    return ProgrammeEvent.append(subject=contract, user=user, kind=kind, at=at, details=details)


def _require(result: tuple[bool, str]) -> None:
    ok, why = result
    if not ok:
        raise MobilityRefused(why)


def _record_versioned(model, *, user, key: dict, values: dict, note: str, origin: str, batch, event: str):
    now = clock.now()
    current = model.objects.select_for_update().filter(superseded_at__isnull=True, **key).first()
    if current is not None and all(getattr(current, k) == v for k, v in values.items()):
        return current, UNCHANGED
    if current is not None:
        current.superseded_at = now
        current.save(update_fields=["superseded_at"])
    row = model.objects.create(
        **key,
        **values,
        note=note,
        origin=origin,
        batch=batch,
        recorded_at=now,
        recorded_by=user,
        previous=current,
    )
    outcome = CORRECTED if current is not None else CREATED
    _event(
        user,
        f"{event}_{outcome}",
        at=now,
        **{k: str(v) for k, v in key.items()},
        **{k: str(v) for k, v in values.items()},
        **({"previous": {k: str(getattr(current, k)) for k in values}} if current is not None else {}),
    )
    return row, outcome


@transaction.atomic
def visa_figure_record(
    *,
    user,
    month: dt.date,
    post: str,
    level: str,
    applications: int,
    issued: int,
    refused: int,
    note: str = "",
    origin: str = Origin.FORM,
    batch=None,
) -> tuple[StudentVisaFigure, str]:
    """Record (or correct) the figures of one month × post × level. Returns the row in force and what happened."""
    _require(perms.may_record_visas(user))
    if post not in VisaPost.values:
        raise MobilityRefused(_("Poste inconnu : %(v)s.") % {"v": post}, code="invalid")
    if level not in StudyLevel.values:
        raise MobilityRefused(_("Niveau d'études inconnu : %(v)s.") % {"v": level}, code="invalid")
    if month.day != 1:
        month = month.replace(day=1)
    if month > clock.today():
        raise MobilityRefused(
            _("Le mois %(m)s n'a pas encore commencé.") % {"m": f"{month:%Y-%m}"}, code="date_in_future"
        )
    for value in (applications, issued, refused):
        if value is None or value < 0:
            raise MobilityRefused(_("Les nombres doivent être positifs ou nuls."), code="invalid")
    return _record_versioned(
        StudentVisaFigure,
        user=user,
        key={"month": month, "post": post, "level": level},
        values={"applications": applications, "issued": issued, "refused": refused},
        note=note,
        origin=origin,
        batch=batch,
        event="visa_figure",
    )


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@transaction.atomic
def irregular_figure_record(
    *,
    user,
    quarter: dt.date,
    side: str,
    measure: str,
    value: int,
    source: str,
    note: str = "",
    origin: str = Origin.FORM,
    batch=None,
) -> tuple[IrregularFigure, str]:
    """Record (or correct) one side's figure for a quarter. A correction keeps the previous figure."""
    if side not in ("FR", "MA"):
        raise MobilityRefused(_("Partie inconnue : %(v)s (FR ou MA).") % {"v": side}, code="invalid")
    _require(perms.may_record_irregular(user, side))
    if measure not in IrregularMeasure.values:
        raise MobilityRefused(_("Mesure inconnue : %(v)s.") % {"v": measure}, code="invalid")
    if value is None or value < 0:
        raise MobilityRefused(_("Les nombres doivent être positifs ou nuls."), code="invalid")
    source = (source or "").strip()
    if not source:
        raise MobilityRefused(_("Indiquez la source du chiffre."), code="invalid")
    quarter = quarter_start(quarter)
    if quarter > clock.today():
        raise MobilityRefused(_("Ce trimestre n'a pas encore commencé."), code="date_in_future")
    return _record_versioned(
        IrregularFigure,
        user=user,
        key={"quarter": quarter, "side": side, "measure": measure},
        values={"value": value, "source": source},
        note=note,
        origin=origin,
        batch=batch,
        event="irregular_figure",
    )


# ---------------------------------------------------------------- seasonal workers' programme


@transaction.atomic
def worker_create(
    *,
    user,
    anapec_ref: str,
    last_name: str,
    first_name: str,
    birth_date: dt.date,
    cin: str = "",
    phone: str = "",
) -> Worker:
    _require(perms.may_act_on_programme(user))
    if Worker.objects.filter(anapec_ref=anapec_ref).exists():
        raise MobilityRefused(_("Cette référence ANAPEC existe déjà."), code="invalid")
    worker = Worker.objects.create(
        anapec_ref=anapec_ref,
        last_name=last_name,
        first_name=first_name,
        birth_date=birth_date,
        cin=cin,
        phone=phone,
    )
    # The key, not the ANAPEC reference: retention replaces the reference, the history stays.
    _event(user, "worker_create", worker=worker.pk)
    return worker


@transaction.atomic
def contract_create(
    *,
    user,
    worker: Worker,
    employer: Employer,
    start_date: dt.date,
    end_date: dt.date,
    monthly_wage: Decimal,
    housing: str,
    sector: str = "",
    departement=None,
) -> SeasonalContract:
    _require(perms.may_act_on_programme(user))
    if end_date <= start_date:
        raise MobilityRefused(_("La fin du contrat doit suivre son début."), code="invalid")
    if Decimal(monthly_wage) <= 0:
        raise MobilityRefused(_("Le salaire doit être positif."), code="invalid")
    overlapping = worker.contracts.exclude(status=ContractStatus.CANCELLED).filter(
        start_date__lt=end_date, end_date__gt=start_date
    )
    if overlapping.exists():
        raise MobilityRefused(_("Ce travailleur a déjà un contrat sur ces dates."), code="invalid")
    contract = SeasonalContract.objects.create(
        worker=worker,
        employer=employer,
        sector=sector or employer.sector,
        departement=departement or employer.departement,
        season=start_date.year,
        start_date=start_date,
        end_date=end_date,
        monthly_wage=monthly_wage,
        housing=housing,
        created_by=user,
        created_at=clock.now(),
    )
    _event(user, "contract_create", contract=contract)
    return contract


@transaction.atomic
def seasonal_contract_register(
    *,
    user,
    anapec_ref: str,
    employer: Employer,
    start_date: dt.date,
    end_date: dt.date,
    monthly_wage: Decimal,
    housing: str,
    last_name: str = "",
    first_name: str = "",
    birth_date: dt.date | None = None,
    cin: str = "",
    phone: str = "",
) -> SeasonalContract:
    """A season's contract for the worker with this ANAPEC reference, recorded with the worker when the
    reference is new (all or nothing). A returning worker is found by the reference; a name typed with it
    must be theirs, so that a mistyped reference never attaches a contract to someone else."""
    _require(perms.may_act_on_programme(user))
    anapec_ref = (anapec_ref or "").strip().upper()
    if not anapec_ref:
        raise MobilityRefused(_("Indiquez la référence ANAPEC du travailleur."), code="missing")
    worker = Worker.objects.filter(anapec_ref=anapec_ref, anonymised_at__isnull=True).first()
    if worker is None:
        if not (last_name.strip() and first_name.strip() and birth_date):
            raise MobilityRefused(
                _(
                    "Cette référence ANAPEC est nouvelle : indiquez le nom, le prénom et la date de naissance "
                    "du travailleur."
                ),
                code="missing",
            )
        worker = worker_create(
            user=user,
            anapec_ref=anapec_ref,
            last_name=last_name.strip(),
            first_name=first_name.strip(),
            birth_date=birth_date,
            cin=cin.strip(),
            phone=phone.strip(),
        )
    elif (last_name.strip() and last_name.strip().casefold() != worker.last_name.casefold()) or (
        birth_date and birth_date != worker.birth_date
    ):
        raise MobilityRefused(
            _(
                "La référence ANAPEC %(ref)s désigne un autre travailleur : vérifiez la référence, ou "
                "laissez le nom vide pour un travailleur déjà connu."
            )
            % {"ref": anapec_ref},
            code="worker_mismatch",
        )
    return contract_create(
        user=user,
        worker=worker,
        employer=employer,
        start_date=start_date,
        end_date=end_date,
        monthly_wage=monthly_wage,
        housing=housing,
    )


def _moved(status: str, **fields) -> Step:
    """A contract's move to `status`, setting `fields`, which its event records as text."""
    return Step(status, update=fields, details={k: str(v) for k, v in fields.items()})


@CONTRACT_WORKFLOW.action("contract_arrival")
def contract_record_arrival(contract: SeasonalContract, *, on: dt.date) -> Step:
    if on > clock.today():
        raise MobilityRefused(_("Une arrivée ne peut pas être datée dans le futur."), code="invalid")
    return _moved(ContractStatus.IN_FRANCE, arrived_on=on)


@CONTRACT_WORKFLOW.action("contract_return")
def contract_record_return(contract: SeasonalContract, *, on: dt.date) -> Step:
    """Return to Morocco; also after the contract was marked as not returned (a late return)."""
    if on > clock.today():
        raise MobilityRefused(_("Un retour ne peut pas être daté dans le futur."), code="invalid")
    if contract.arrived_on and on < contract.arrived_on:
        raise MobilityRefused(_("Le retour ne peut précéder l'arrivée."), code="invalid")
    return _moved(ContractStatus.RETURNED, returned_on=on)


@CONTRACT_WORKFLOW.action("contract_no_return")
def contract_record_no_return(contract: SeasonalContract) -> Step:
    if contract.end_date >= clock.today():
        raise MobilityRefused(_("Le contrat n'est pas encore terminé."), code="wrong_state")
    return _moved(ContractStatus.NOT_RETURNED)


@CONTRACT_WORKFLOW.action("contract_cancel")
def contract_cancel(contract: SeasonalContract, *, reason: str = "") -> Step:
    return _moved(ContractStatus.CANCELLED)


@transaction.atomic
def rights_check_record(
    *, user, contract: SeasonalContract, kind: str, checked_on: dt.date, compliant: bool, note: str = ""
) -> RightsCheck:
    _require(perms.may_act_on_programme(user))
    if checked_on > clock.today():
        raise MobilityRefused(_("Un contrôle ne peut pas être daté dans le futur."), code="invalid")
    check = RightsCheck.objects.create(
        contract=contract,
        kind=kind,
        checked_on=checked_on,
        compliant=compliant,
        note=note,
        by=user,
        organisation=user.organisation,
    )
    _event(user, "rights_check", contract=contract, check=kind, compliant=compliant)
    return check


@transaction.atomic
def complaint_file(
    *, user, contract: SeasonalContract, subject: str, filed_on: dt.date, summary: str
) -> Complaint:
    _require(perms.may_act_on_programme(user))
    if not summary.strip():
        raise MobilityRefused(_("Résumez la plainte."), code="invalid")
    complaint = Complaint.objects.create(
        contract=contract,
        subject=subject,
        filed_on=filed_on,
        summary=summary,
        filed_by=user,
        filed_by_organisation=user.organisation,
    )
    _event(user, "complaint_file", contract=contract, complaint=complaint.pk, subject=subject)
    return complaint


@transaction.atomic
def complaint_close(
    *, user, complaint: Complaint, outcome: str, closed_on: dt.date, note: str = ""
) -> Complaint:
    """Either side closes a complaint with its outcome."""
    _require(perms.may_act_on_programme(user))
    if outcome not in ComplaintOutcome.values:
        raise MobilityRefused(_("Issue inconnue."), code="invalid")
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status != ComplaintStatus.OPEN:
        raise MobilityRefused(_("Cette plainte est déjà close."), code="wrong_state")
    if closed_on < locked.filed_on:
        raise MobilityRefused(_("Une plainte ne peut être close avant d'avoir été déposée."), code="invalid")
    locked.status, locked.outcome, locked.outcome_note = ComplaintStatus.CLOSED, outcome, note
    locked.closed_on, locked.closed_by = closed_on, user
    locked.save(update_fields=["status", "outcome", "outcome_note", "closed_on", "closed_by"])
    _event(user, "complaint_close", contract=locked.contract, complaint=locked.pk, outcome=outcome)
    complaint.refresh_from_db()
    return complaint


@transaction.atomic
def employer_create(*, user, name: str, siret: str, departement, sector: str) -> Employer:
    _require(perms.may_act_on_programme(user))
    if not (siret.isdigit() and len(siret) == 14):
        raise MobilityRefused(_("Un SIRET compte 14 chiffres."), code="invalid")
    employer, created = Employer.objects.get_or_create(
        siret=siret, defaults={"name": name, "departement": departement, "sector": sector}
    )
    if created:
        _event(user, "employer_create", siret=siret)
    return employer
