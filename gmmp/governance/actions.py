"""Every change to the GMMP's follow-up: keyword-only functions taking the acting user, atomic."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from gmmp.core import clock
from gmmp.indicators import definitions
from gmmp.organisations.enums import OrganisationKind, Role

from .models import ActionItem, ActionStatus, ActionUpdate, AgendaItem, Meeting, Outcome, Participant


class GovernanceRefused(Exception):
    def __init__(self, message: str, code: str = "forbidden"):
        super().__init__(message)
        self.message = message
        self.code = code


def may_read_governance(user) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and bool(user.organisation_id)
        and user.organisation.kind in {OrganisationKind.CENTRAL, OrganisationKind.SECRETARIAT}
    )


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


@transaction.atomic
def action_item_update_status(*, user, action: ActionItem, status: str, note: str = "") -> ActionItem:
    _require(user)
    if status not in ActionStatus.values:
        raise GovernanceRefused(_("État inconnu."), code="invalid_status")
    # Two people updating the same action: the lock orders them so the history reads in the right order.
    locked = ActionItem.objects.select_for_update().get(pk=action.pk)
    if locked.status == status and not note.strip():
        raise GovernanceRefused(_("Indiquez un nouvel état ou un commentaire."), code="no_change")
    now = clock.now()
    locked.status, locked.updated_at = status, now
    locked.save(update_fields=["status", "updated_at"])
    ActionUpdate.objects.create(action=locked, at=now, status=status, note=note, by=user)
    action.status, action.updated_at = locked.status, locked.updated_at
    return action
