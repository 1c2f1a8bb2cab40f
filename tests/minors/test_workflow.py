"""A child's case from referral to the 12-month follow-up, and every skipped step refused."""

import datetime as dt

import pytest

from gmmp.core import clock
from gmmp.core.ledger import AppendOnlyError
from gmmp.minors import actions
from gmmp.minors.actions import MinorRefused, add_months
from gmmp.minors.enums import MinorState as S
from gmmp.minors.models import MinorCase, MinorDocument, MinorEvent
from gmmp.minors.selectors import minor_ledger_verify
from gmmp.minors.workflow import TRANSITIONS

from .conftest import ACTOR_OF, CHILD, PATH, step_kwargs, take, walk


def test_a_child_is_walked_from_referral_to_the_12_month_follow_up(minor_personas):
    case = walk(minor_personas, S.FOLLOWED_12M)
    kinds = list(MinorEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["referred", *[name for name, _state in PATH]]
    assert minor_ledger_verify(case)
    case.refresh_from_db()
    assert case.handover_person == "Naima Demo-Tahiri"
    assert case.followup_3m_due == add_months(clock.today(), 3)
    assert case.followup_12m_due == add_months(clock.today(), 12)
    assert MinorDocument.objects.filter(case=case).count() == 1


def test_referral_names_the_people_of_the_organisations_competent_for_the_departement(minor_personas):
    case = actions.minor_refer(user=minor_personas["ase75_officer"], data=CHILD)
    assert case.reference.startswith("MNA-")
    assert (case.consulate.code, case.consulate_officer.username) == ("CG-PARIS", "cg_paris_cp")
    assert (case.court.code, case.judge.username) == ("TJ-PARIS-JE", "judge_paris")
    assert case.child_services_officer.username == "ma_enfance_officer"
    assert case.justice_contact.username == "ma_justice_contact"
    assert case.state == S.REFERRED


def test_the_juge_des_enfants_may_refer_a_child(minor_personas):
    case = actions.minor_refer(user=minor_personas["judge_paris"], data=CHILD)
    assert case.judge == minor_personas["judge_paris"]
    assert case.ase_officer == minor_personas["ase75_officer"]
    assert MinorEvent.objects.get(case=case).reason == "court"


@pytest.mark.parametrize("who", ["cg_paris_cp", "ma_enfance_officer", "clerk_paris", "ma_justice_contact"])
def test_only_child_welfare_and_the_judge_refer(minor_personas, who):
    with pytest.raises(MinorRefused) as refused:
        actions.minor_refer(user=minor_personas[who], data=CHILD)
    assert refused.value.code == "forbidden"


def test_adult_track_roles_cannot_refer(personas, minor_personas):
    for user in personas.values():
        with pytest.raises(MinorRefused):
            actions.minor_refer(user=user, data=CHILD)
    assert not MinorCase.objects.exists()


def test_referral_is_refused_when_nobody_is_designated_at_the_consulate(minor_personas):
    minor_personas["cg_paris_cp"].is_active = False
    minor_personas["cg_paris_cp"].save()
    with pytest.raises(MinorRefused) as refused:
        actions.minor_refer(user=minor_personas["ase75_officer"], data=CHILD)
    assert refused.value.code == "no_officer"


# Every state of the happy path, and every step that does not start from it: refused, nothing written.
STATES = [S.REFERRED, *[state for _name, state in PATH]]


@pytest.mark.parametrize("state", STATES)
def test_every_step_that_would_skip_or_repeat_one_is_refused(minor_personas, state):
    case = walk(minor_personas, state)
    events = MinorEvent.objects.filter(case=case).count()
    for name, transition in TRANSITIONS.items():
        if state in transition.sources:
            continue
        with pytest.raises(MinorRefused) as refused:
            take(case, name, minor_personas)
        assert refused.value.code == "invalid_state", name
        case.refresh_from_db()
        assert case.state == state
    assert MinorEvent.objects.filter(case=case).count() == events


def test_no_travel_document_before_the_judge_orders_the_return(minor_personas):
    case = walk(minor_personas, S.ASSESSED)
    with pytest.raises(MinorRefused):
        take(case, "issue_travel_document", minor_personas)
    take(case, "decide", minor_personas, outcome="stay")
    assert case.state == S.STAY_ORDERED
    with pytest.raises(MinorRefused):
        take(case, "issue_travel_document", minor_personas)
    case.refresh_from_db()
    assert case.travel_document_number == ""


def test_no_travel_without_a_receiving_person_confirmed_by_the_moroccan_side(minor_personas):
    case = walk(minor_personas, S.RETURN_ORDERED)
    with pytest.raises(MinorRefused) as refused:
        take(case, "issue_travel_document", minor_personas)
    assert refused.value.code == "invalid_state"
    with pytest.raises(MinorRefused) as refused:
        take(case, "confirm_reception", minor_personas, receiving_person="")
    assert refused.value.code == "missing"


def test_the_database_refuses_a_travel_document_without_a_return_order_and_a_receiving_person(minor_personas):
    from django.db import IntegrityError, transaction

    case = walk(minor_personas, S.ASSESSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        MinorCase.objects.filter(pk=case.pk).update(travel_document_number="X-1")
    take(case, "decide", minor_personas)
    with pytest.raises(IntegrityError), transaction.atomic():
        MinorCase.objects.filter(pk=case.pk).update(travel_document_number="X-1")


def test_a_further_inquiry_goes_back_to_the_judge(minor_personas):
    case = walk(minor_personas, S.ASSESSED)
    take(case, "decide", minor_personas, outcome="inquiry")
    assert case.state == S.INQUIRY
    take(case, "decide", minor_personas, outcome="return", decision_reference="JE-75-2026-0043")
    assert case.state == S.RETURN_ORDERED
    assert MinorDocument.objects.filter(case=case).count() == 2


def test_a_negative_screening_and_a_stay_recommendation_are_on_the_ledger(minor_personas):
    case = walk(minor_personas, S.AGE_ASSESSED)
    take(case, "screen", minor_personas)
    take(case, "assess_best_interests", minor_personas, recommendation="stay")
    reasons = dict(MinorEvent.objects.filter(case=case).values_list("kind", "reason"))
    assert reasons["screen"] == "negative"
    assert reasons["assess_best_interests"] == "stay"


def test_a_positive_screening_names_the_service_it_was_referred_to(minor_personas):
    case = walk(minor_personas, S.AGE_ASSESSED)
    with pytest.raises(MinorRefused) as refused:
        take(case, "screen", minor_personas, result="positive")
    assert refused.value.code == "missing"
    with pytest.raises(MinorRefused) as refused:
        take(case, "screen", minor_personas, trafficking_indicators=["debt"])
    assert refused.value.code == "screening_inconsistent"
    take(
        case,
        "screen",
        minor_personas,
        result="positive",
        trafficking_indicators=["debt", "forced_crime"],
        referral_service="Cellule traite des êtres humains (fictive)",
        referral_date=clock.today(),
    )
    event = MinorEvent.objects.get(case=case, kind="screen")
    assert event.reason == "positive"
    assert event.details["trafficking_indicators"] == ["debt", "forced_crime"]


def test_the_best_interests_assessment_needs_the_childs_own_words_and_language(minor_personas):
    case = walk(minor_personas, S.SCREENED)
    for missing in ("child_view", "child_view_language"):
        with pytest.raises(MinorRefused):
            take(case, "assess_best_interests", minor_personas, **{missing: ""})
    take(case, "assess_best_interests", minor_personas)
    case.refresh_from_db()
    assert case.child_view == "بغيت نرجع عند مي"


def test_the_judges_decision_needs_its_document(minor_personas):
    case = walk(minor_personas, S.ASSESSED)
    with pytest.raises(MinorRefused):
        take(case, "decide", minor_personas, document_data=b"")
    assert case.state == S.ASSESSED


def test_a_clerk_of_the_judges_court_acts_for_the_judge_but_not_another_court(minor_personas):
    case = walk(minor_personas, S.ASSESSED)
    with pytest.raises(MinorRefused) as refused:
        actions.minor_decide(case=case, user=minor_personas["judge_bobigny"], **_decide())
    assert refused.value.code == "forbidden"
    actions.minor_decide(case=case, user=minor_personas["clerk_paris"], **_decide())
    assert case.state == S.RETURN_ORDERED


def _decide():
    return step_kwargs("decide")


@pytest.mark.parametrize("name,state", PATH)
def test_each_step_belongs_to_its_named_actor_only(minor_personas, personas, name, state):
    index = [n for n, _s in PATH].index(name)
    before = S.REFERRED if index == 0 else PATH[index - 1][1]
    case = walk(minor_personas, before)
    allowed = {ACTOR_OF[name]} | ({"clerk_paris"} if name == "decide" else set())
    for username, user in {**personas, **minor_personas}.items():
        if username in allowed:
            continue
        with pytest.raises(MinorRefused) as refused:
            actions.STEP_ACTIONS[name](case=case, user=user, **step_kwargs(name))
        assert refused.value.code == "forbidden", (name, username)


def test_a_late_follow_up_is_recorded_late_and_reminded_once(minor_personas):
    case = walk(minor_personas, S.HANDED_OVER)
    later = clock.now() + dt.timedelta(days=120)
    with clock.frozen(later):
        assert actions.minor_followups_remind() == 1
        assert actions.minor_followups_remind() == 0
        take(case, "record_followup_3m", minor_personas, received_on=clock.today())
    event = MinorEvent.objects.get(case=case, kind="record_followup_3m")
    assert event.reason == "late"
    assert MinorEvent.objects.filter(case=case, kind="followup_reminder", reason="3m").count() == 1


def test_closing_after_the_hand_over_is_refused(minor_personas):
    case = walk(minor_personas, S.HANDED_OVER)
    with pytest.raises(MinorRefused):
        take(case, "close", minor_personas)


def test_the_ledger_is_append_only(minor_personas):
    case = walk(minor_personas, S.IDENTIFIED)
    event = MinorEvent.objects.filter(case=case).first()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        MinorEvent.objects.filter(case=case).update(reason="x")
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_the_ledger_holds_no_personal_data(minor_personas):
    case = walk(minor_personas, S.FOLLOWED_12M)
    text = str(list(MinorEvent.objects.filter(case=case).values()))
    for value in (CHILD["last_name"], CHILD["first_names"], "Naima", "بغيت", "Tanger"):
        assert value not in text


def test_no_detention_clock_and_no_removal_order_anywhere_in_the_track():
    fields = {f.name for f in MinorCase._meta.get_fields()}
    assert not {f for f in fields if "detention" in f or "removal" in f}


def test_the_reminders_command_records_overdue_follow_ups(minor_personas):
    import io

    from django.core.management import call_command

    walk(minor_personas, S.HANDED_OVER)
    out = io.StringIO()
    with clock.frozen(clock.now() + dt.timedelta(days=100)):
        call_command("minors", "reminders", stdout=out)
    assert out.getvalue().startswith("1 follow-up reminder")
