"""An escalation's life: a stalled request raised by the préfecture (or DGEF) to the Moroccan central
level, answered there; seen with its age on both central dashboards."""

import datetime as dt

import pytest
from django.urls import reverse

from gmmp.cases.actions import TransitionRefused
from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.collab import actions
from gmmp.collab.enums import EscalationReason, EscalationState
from gmmp.core import clock
from gmmp.notifications.enums import NotificationKind as N
from gmmp.notifications.models import Notification
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def told(kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def overdue(personas):
    case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    Case.objects.filter(pk=case.pk).update(reply_due=clock.today() - dt.timedelta(days=4))
    case.refresh_from_db()
    return case


def test_an_escalation_from_raise_to_answer(client, personas, overdue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        escalation = actions.escalation_raise(
            case=overdue,
            user=personas["pref75_agent"],
            reason=EscalationReason.REPLY_OVERDUE,
            comment="Relance",
        )
    assert told(N.ESCALATION_RAISED) == {
        "dmsf_central",
        "maece_central",
        "cg_paris_agent",
        "cg_paris_supervisor",
    }

    for persona in ("dgef_central", "dmsf_central"):
        client.force_login(personas[persona])
        page = client.get(reverse("collab:escalations")).content.decode()
        assert overdue.reference in page and 'data-age="0"' in page

    with clock.frozen(clock.now() + dt.timedelta(days=2)):
        with django_capture_on_commit_callbacks(execute=True):
            escalation = actions.escalation_answer(
                escalation=escalation,
                user=personas["dmsf_central"],
                answer="Consulat relancé, réponse sous 48 h.",
            )
    assert escalation.state == EscalationState.ANSWERED
    assert told(N.ESCALATION_ANSWERED) == {
        "pref75_agent",
        "pref75_supervisor",
        "dgef_central",
        "cg_paris_agent",
        "cg_paris_supervisor",
    }
    assert overdue.events.get(kind="escalation_answered").details["days_open"] == 2


def test_only_a_stalled_request_can_be_escalated(personas):
    fresh = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    with pytest.raises(TransitionRefused) as refused:
        actions.escalation_raise(
            case=fresh, user=personas["pref75_agent"], reason=EscalationReason.REPLY_OVERDUE
        )
    assert refused.value.code == "not_stalled"


def test_no_lpc_days_after_identification_can_be_escalated_by_dgef(personas):
    with clock.frozen(clock.now() - dt.timedelta(days=5)):
        case = make_case(
            CaseState.IDENTIFIED,
            prefecture_user=personas["pref75_agent"],
            consulate_user=personas["cg_paris_agent"],
        )
    escalation = actions.escalation_raise(
        case=case, user=personas["dgef_central"], reason=EscalationReason.NO_LPC_AFTER_IDENTIFICATION
    )
    assert escalation.raised_by_organisation.code == "DGEF"


def test_the_days_without_lpc_after_identification_are_policy_data(personas):
    from gmmp.core.models import PolicyKeys, PolicyValue

    with clock.frozen(clock.now() - dt.timedelta(days=4)):
        case = make_case(
            CaseState.IDENTIFIED,
            prefecture_user=personas["pref75_agent"],
            consulate_user=personas["cg_paris_agent"],
        )
    assert EscalationReason.NO_LPC_AFTER_IDENTIFICATION in actions.escalation_grounds(case)
    PolicyValue.objects.create(
        key=PolicyKeys.LPC_AFTER_IDENTIFICATION,
        effective_from=clock.today() - dt.timedelta(days=1),
        value=6,
        source="test: six days",
    )
    assert EscalationReason.NO_LPC_AFTER_IDENTIFICATION not in actions.escalation_grounds(case)
    later = clock.today() + dt.timedelta(days=2)
    assert EscalationReason.NO_LPC_AFTER_IDENTIFICATION in actions.escalation_grounds(case, later)


def test_who_raises_and_who_answers(personas, overdue):
    for outsider in ("pref92_agent", "cg_paris_agent", "dmsf_central", "gmmp_secretariat"):
        with pytest.raises(TransitionRefused):
            actions.escalation_raise(
                case=overdue, user=personas[outsider], reason=EscalationReason.REPLY_OVERDUE
            )
    escalation = actions.escalation_raise(
        case=overdue, user=personas["pref75_agent"], reason=EscalationReason.REPLY_OVERDUE
    )
    with pytest.raises(TransitionRefused) as refused:
        actions.escalation_raise(
            case=overdue, user=personas["pref75_agent"], reason=EscalationReason.REPLY_OVERDUE
        )
    assert refused.value.code == "already_open"
    for outsider in ("dgef_central", "cg_paris_supervisor", "pref75_agent"):
        with pytest.raises(TransitionRefused):
            actions.escalation_answer(escalation=escalation, user=personas[outsider], answer="Non")
    actions.escalation_answer(escalation=escalation, user=personas["maece_central"], answer="Traité")


def test_the_secretariat_and_other_prefectures_do_not_see_escalations(client, personas, overdue):
    actions.escalation_raise(
        case=overdue, user=personas["pref75_agent"], reason=EscalationReason.REPLY_OVERDUE
    )
    for persona in ("pref92_agent", "gmmp_secretariat", "border_casa"):
        client.force_login(personas[persona])
        response = client.get(reverse("collab:escalations"))
        assert overdue.reference not in response.content.decode()
