"""Every change to the GMMP's follow-up: keyword-only functions taking the acting user, atomic."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from gmmp.core import clock
from gmmp.core.errors import Refused
from gmmp.indicators import definitions
from gmmp.indicators.access import may_read_indicators
from gmmp.organisations.enums import OrganisationKind, Role

from .models import ActionItem, ActionStatus, ActionUpdate, AgendaItem, Meeting, Outcome, Participant


class GovernanceRefused(Refused):
    """The platform's refusal type (core.errors.Refused) for the follow-up; "forbidden" unless said."""

    def __init__(self, message: str, code: str = "forbidden"):
        super().__init__(message, code)


# The follow-up is read by the same people as the shared indicators it is built on.
may_read_governance = may_read_indicators


def may_manage_governance(user) -> tuple[bool, str]:
    """The secretariat keeps the follow-up; central directorates may update the actions they carry."""
    if not may_read_governance(user):
        return False, _("Le suivi du GMMP est réservé aux administrations centrales et à son secrétariat.")
    if user.organisation.kind == OrganisationKind.SECRETARIAT or user.role in {Role.CENTRAL, Role.SUPERVISOR}:
        return True, ""
    return False, _("Votre rôle ne permet pas de modifier le suivi du GMMP.")


def _require(user) -> None:
    ok, why = may_manage_governance(user)
    if not ok:
        raise GovernanceRefused(why)


@transaction.atomic
def meeting_create(*, user, key: str, kind: str, title: str, date: dt.date, place: str, **fields) -> Meeting:
    _require(user)
    return Meeting.objects.create(
        key=key, kind=kind, title=title, date=date, place=place, created_by=user, **fields
    )


@transaction.atomic
def participant_add(
    *,
    user,
    meeting: Meeting,
    side: str,
    name: str,
    function: str = "",
    organisation=None,
    is_co_chair: bool = False,
) -> Participant:
    _require(user)
    order = meeting.participants.filter(side=side).count()
    return Participant.objects.create(
        meeting=meeting,
        side=side,
        name=name,
        function=function,
        organisation=organisation,
        is_co_chair=is_co_chair,
        order=order,
    )


@transaction.atomic
def agenda_item_add(*, user, meeting: Meeting, title: str, **translations) -> AgendaItem:
    _require(user)
    return AgendaItem.objects.create(
        meeting=meeting, order=meeting.agenda.count() + 1, title=title, **translations
    )


@transaction.atomic
def outcome_add(*, user, meeting: Meeting, key: str, kind: str, text: str, **translations) -> Outcome:
    _require(user)
    return Outcome.objects.create(
        meeting=meeting, key=key, kind=kind, text=text, order=meeting.outcomes.count() + 1, **translations
    )


def _check_indicator(indicator_id: str) -> None:
    if indicator_id and indicator_id not in definitions.REGISTRY:
        raise GovernanceRefused(
            _("Indicateur inconnu : %(id)s.") % {"id": indicator_id}, code="unknown_indicator"
        )


@transaction.atomic
def action_item_create(
    *,
    user,
    meeting: Meeting,
    key: str,
    title: str,
    owner,
    due_date: dt.date | None = None,
    indicator_id: str = "",
    outcome: Outcome | None = None,
    status: str = ActionStatus.PLANNED,
    **translations,
) -> ActionItem:
    _require(user)
    _check_indicator(indicator_id)
    now = clock.now()
    action = ActionItem.objects.create(
        meeting=meeting,
        key=key,
        title=title,
        owner=owner,
        due_date=due_date,
        indicator_id=indicator_id,
        outcome=outcome,
        status=status,
        created_at=now,
        updated_at=now,
        **translations,
    )
    ActionUpdate.objects.create(action=action, at=now, status=status, by=user)
    return action


def _locked_for_status(model, pk: int, statuses, *, status: str, note: str):
    """The row of a tracked item (action, recommendation), locked for a status change: two people updating
    the same item are ordered by the lock, so its history reads in the right order. Refused: a status
    unknown to the item, or neither a new status nor a comment."""
    if status not in statuses:
        raise GovernanceRefused(_("État inconnu."), code="invalid_status")
    locked = model.objects.select_for_update().get(pk=pk)
    if locked.status == status and not note.strip():
        raise GovernanceRefused(_("Indiquez un nouvel état ou un commentaire."), code="no_change")
    return locked


@transaction.atomic
def action_item_update_status(*, user, action: ActionItem, status: str, note: str = "") -> ActionItem:
    _require(user)
    locked = _locked_for_status(ActionItem, action.pk, ActionStatus.values, status=status, note=note)
    now = clock.now()
    locked.status, locked.updated_at = status, now
    locked.save(update_fields=["status", "updated_at"])
    ActionUpdate.objects.create(action=locked, at=now, status=status, note=note, by=user)
    action.status, action.updated_at = locked.status, locked.updated_at
    return action


# ---------------------------------------------------------------- editing meetings (#14)

# What the secretariat edits on a meeting, in the order of its form; `meeting_update` also takes the two
# that the seeded history carries (a note on an uncertain date, the source).
MEETING_DETAILS = (
    "kind",
    "number",
    "title",
    "title_ar",
    "title_en",
    "date",
    "date_precision",
    "place",
    "co_chair_ma",
    "co_chair_fr",
    "summary",
)
MEETING_FIELDS = frozenset({*MEETING_DETAILS, "date_note", "source"})


@transaction.atomic
def meeting_update(*, user, meeting: Meeting, **fields) -> Meeting:
    _require(user)
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise GovernanceRefused(
            _("Champ inconnu : %(f)s.") % {"f": ", ".join(sorted(unknown))}, code="invalid"
        )
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(fields))
    meeting.refresh_from_db()
    return meeting


# ---------------------------------------------------------------- tracked recommendations (#14)


@transaction.atomic
def recommendation_update_status(*, user, recommendation, status: str, note: str = ""):
    from .models import Recommendation, RecommendationStatus, RecommendationUpdate

    _require(user)
    locked = _locked_for_status(
        Recommendation, recommendation.pk, RecommendationStatus.values, status=status, note=note
    )
    locked.status = status
    locked.save(update_fields=["status"])
    RecommendationUpdate.objects.create(
        recommendation=locked, at=clock.now(), status=status, note=note, by=user
    )
    recommendation.status = status
    return recommendation


# ---------------------------------------------------------------- quarterly cooperation assessment (#14)


def may_write_reading(user, side: str) -> tuple[bool, str]:
    """Each side's central administration writes its side's reading and signs it for its co-chair."""
    if not may_read_governance(user):
        return False, _("Le suivi du GMMP est réservé aux administrations centrales et à son secrétariat.")
    org = user.organisation
    if (
        org.kind == OrganisationKind.CENTRAL
        and org.side == side
        and user.role in {Role.CENTRAL, Role.SUPERVISOR}
    ):
        return True, ""
    return False, _("Seule l'administration centrale de cette partie écrit et signe sa lecture.")


def _quarter_first(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@transaction.atomic
def assessment_open(*, user, quarter: dt.date):
    from .models import CooperationAssessment

    _require(user)
    quarter = _quarter_first(quarter)
    end = dt.date(quarter.year + (quarter.month + 2) // 12, (quarter.month + 2) % 12 + 1, 1)
    if end > clock.today():
        raise GovernanceRefused(_("Ce trimestre n'est pas encore terminé."), code="invalid")
    assessment, created = CooperationAssessment.objects.get_or_create(
        quarter=quarter, defaults={"opened_by": user, "opened_at": clock.now()}
    )
    if not created:
        raise GovernanceRefused(_("L'évaluation de ce trimestre existe déjà."), code="exists")
    return assessment


def _locked_assessment(assessment):
    from .models import CooperationAssessment

    return CooperationAssessment.objects.select_for_update().get(pk=assessment.pk)


@transaction.atomic
def assessment_reading_write(*, user, assessment, side: str, text: str):
    from .models import AssessmentReading

    ok, why = may_write_reading(user, side)
    if not ok:
        raise GovernanceRefused(why)
    if not text.strip():
        raise GovernanceRefused(_("Écrivez la lecture de votre partie."), code="invalid")
    locked = _locked_assessment(assessment)
    if locked.readings.filter(signed_at__isnull=False).exists():
        raise GovernanceRefused(
            _("L'évaluation a déjà été signée : les lectures ne peuvent plus changer."), code="signed"
        )
    reading, _created = AssessmentReading.objects.update_or_create(
        assessment=locked,
        side=side,
        defaults={"text": text.strip(), "written_by": user, "written_at": clock.now()},
    )
    return reading


@transaction.atomic
def assessment_sign(*, user, assessment, side: str, signed_as: str = ""):
    """A co-chair's sign-off. Both readings must be written; the first signature freezes the figures."""
    from gmmp.indicators import engine

    ok, why = may_write_reading(user, side)
    if not ok:
        raise GovernanceRefused(why)
    locked = _locked_assessment(assessment)
    readings = {r.side: r for r in locked.readings.select_for_update()}
    if set(readings) != {"FR", "MA"}:
        raise GovernanceRefused(
            _("Les deux parties doivent avoir écrit leur lecture avant la signature."), code="incomplete"
        )
    if readings[side].signed_at is not None:
        raise GovernanceRefused(_("Cette partie a déjà signé."), code="signed")
    now = clock.now()
    if locked.figures_as_of is None:
        locked.ledger_high_water, locked.figures_as_of = engine.ledger_high_water(), now
        locked.save(update_fields=["ledger_high_water", "figures_as_of"])
    reading = readings[side]
    reading.signed_by, reading.signed_at, reading.signed_as = user, now, signed_as
    reading.save(update_fields=["signed_by", "signed_at", "signed_as"])
    assessment.refresh_from_db()
    return reading
