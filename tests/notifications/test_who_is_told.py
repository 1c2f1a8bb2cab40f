"""Who is notified of what, and who is not (another préfecture, another consulate, the secretariat)."""

import datetime as dt

import pytest

from gmmp.cases import actions
from gmmp.cases.enums import CaseState, Decision, DepartureOutcome
from gmmp.core import clock
from gmmp.notifications.enums import NotificationKind as N
from gmmp.notifications.models import Notification
from tests.factories import make_case, sample_photo

pytestmark = pytest.mark.django_db


def told(kind, case=None) -> set[str]:
    qs = Notification.objects.filter(kind=kind)
    if case is not None:
        qs = qs.filter(case=case)
    return set(qs.values_list("recipient__username", flat=True))


OUTSIDERS = {"pref92_agent", "pref78_agent", "cg_lyon_agent", "cg_colombes_agent", "gmmp_secretariat"}


def test_a_routed_request_tells_the_consulate_and_nobody_else(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    assert told(N.CASE_ROUTED, case) == {"cg_paris_agent", "cg_paris_supervisor"}
    assert not told(N.CASE_ROUTED, case) & OUTSIDERS


def test_the_actor_is_not_told_of_their_own_act(personas, django_capture_on_commit_callbacks):
    case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    with django_capture_on_commit_callbacks(execute=True):
        actions.case_request_information(case=case, user=personas["cg_paris_agent"], question="Passeport ?")
    assert told(N.INFORMATION_REQUESTED, case) == {"pref75_agent", "pref75_supervisor"}
    with django_capture_on_commit_callbacks(execute=True):
        actions.case_answer_information(case=case, user=personas["pref75_agent"], answer="Joint.")
    assert told(N.INFORMATION_ANSWERED, case) == {"cg_paris_agent", "cg_paris_supervisor"}


def test_the_walk_to_readmission_tells_each_party_its_part(personas, django_capture_on_commit_callbacks):
    pref, consul, border = personas["pref75_agent"], personas["cg_paris_agent"], personas["border_casa"]
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(CaseState.ROUTED, prefecture_user=pref, detention_start=None)
        actions.case_decide(case=case, user=consul, decision=Decision.IDENTIFIED)
        actions.case_issue_laissez_passer(case=case, user=consul, photo=sample_photo())
        actions.case_schedule_departure(
            case=case,
            user=pref,
            departure_date=clock.today(),
            carrier="RAM",
            transport_number="AT701",
            departure_port="Orly",
            arrival_port="Casablanca",
        )
        actions.case_record_departure(
            case=case, user=pref, outcome=DepartureOutcome.DEPARTED, departed_at=clock.now()
        )
        actions.case_confirm_readmission(case=case, user=border)
    assert told(N.DECISION, case) == {"pref75_agent", "pref75_supervisor"}
    assert told(N.LPC_ISSUED, case) == {"pref75_agent", "pref75_supervisor"}
    assert told(N.DEPARTURE_SCHEDULED, case) == {"cg_paris_agent", "cg_paris_supervisor", "border_casa"}
    assert told(N.READMITTED, case) == {
        "pref75_agent",
        "pref75_supervisor",
        "cg_paris_agent",
        "cg_paris_supervisor",
    }
    everyone = set(Notification.objects.filter(case=case).values_list("recipient__username", flat=True))
    assert not everyone & OUTSIDERS
    assert not everyone & {"dgef_central", "dmsf_central", "maece_central"}
    decision = Notification.objects.get(kind=N.DECISION, recipient=personas["pref75_supervisor"])
    assert decision.params == {"decision": "identified"}


def test_a_failed_departure_tells_the_consulate(personas, django_capture_on_commit_callbacks):
    case = make_case(
        CaseState.DEPARTURE_SCHEDULED,
        prefecture_user=personas["pref75_agent"],
        consulate_user=personas["cg_paris_agent"],
    )
    moment = dt.datetime.combine(case.departure_date, dt.time(12), tzinfo=dt.UTC)
    with clock.frozen(moment), django_capture_on_commit_callbacks(execute=True):
        actions.case_record_departure(
            case=case,
            user=personas["pref75_agent"],
            outcome="failed",
            failure_reason="refused_to_board",
            departed_at=moment,
        )
    assert told(N.DEPARTURE_FAILED, case) == {"cg_paris_agent", "cg_paris_supervisor"}


def test_a_request_without_competent_consulate_goes_to_moroccan_central(
    personas, django_capture_on_commit_callbacks
):
    from gmmp.organisations.models import Jurisdiction

    Jurisdiction.objects.filter(departement__code="75").delete()
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(CaseState.DRAFT, prefecture_user=personas["pref75_agent"])
        actions.case_submit(case=case, user=personas["pref75_agent"])
    assert told(N.CASE_TO_ROUTE, case) == {"dmsf_central", "maece_central"}


def test_a_reused_laissez_passer_is_reported_in_words(personas, django_capture_on_commit_callbacks):
    from gmmp.documents.actions import lpc_use
    from gmmp.documents.models import LaissezPasser
    from gmmp.notifications.messages import sentence

    case = make_case(
        CaseState.DEPARTED,
        prefecture_user=personas["pref75_agent"],
        consulate_user=personas["cg_paris_agent"],
    )
    seal = LaissezPasser.objects.get(case=case).seal
    lpc_use(seal=seal, user=personas["border_casa"])
    # Presented again later (an immediate second scan of the same arrival is idempotent, not a reuse).
    with clock.frozen(clock.now() + dt.timedelta(days=2)), django_capture_on_commit_callbacks(execute=True):
        lpc_use(seal=seal, user=personas["border_casa"])
    assert told(N.LPC_REPRESENTED, case) == {
        "pref75_agent",
        "pref75_supervisor",
        "cg_paris_agent",
        "cg_paris_supervisor",
    }
    note = Notification.objects.filter(kind=N.LPC_REPRESENTED).first()
    assert "lpc_reuse" not in sentence(note.kind, note.params)
    assert "présenté de nouveau" in sentence(note.kind, note.params)
