"""An interview's life: proposed by the consulate, confirmed by the préfecture or the CRA, changed
(confirmation asked again), held or not with the officer's notes; the consulate's week calendar."""

import datetime as dt

import pytest
from django.urls import reverse

from gmmp.cases.actions import TransitionRefused
from gmmp.cases.enums import CaseState
from gmmp.collab import actions
from gmmp.collab.enums import InterviewStatus
from gmmp.collab.selectors import interview_calendar
from gmmp.core import clock
from gmmp.notifications.enums import NotificationKind as N
from gmmp.notifications.models import Notification
from gmmp.organisations.models import Organisation
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def told(kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def case(personas):
    return make_case(
        CaseState.ROUTED,
        prefecture_user=personas["pref75_agent"],
        detention_place=Organisation.objects.get(code="CRA-VINCENNES"),
    )


def slot(days=2, hour=10):
    return dt.datetime.combine(clock.today() + dt.timedelta(days=days), dt.time(hour, 0), tzinfo=dt.UTC)


def test_an_interview_from_proposal_to_outcome(personas, case, django_capture_on_commit_callbacks):
    consul, cra = personas["cg_paris_agent"], personas["cra_vincennes"]
    with django_capture_on_commit_callbacks(execute=True):
        interview = actions.interview_schedule(
            case=case,
            user=consul,
            slot=actions.Slot(
                starts_at=slot(),
                mode="video",
                video_link="https://visio.example/abc",
                interpreter_language="tamazight",
            ),
        )
    case.refresh_from_db()
    assert case.state == CaseState.INTERVIEW_SCHEDULED and case.interview_at == slot()
    assert interview.status == InterviewStatus.PROPOSED and interview.interpreter_needed
    assert told(N.INTERVIEW_SCHEDULED) == {"pref75_agent", "pref75_supervisor", "cra_vincennes"}

    with django_capture_on_commit_callbacks(execute=True):
        actions.interview_confirm(interview=interview, user=cra)
    assert told(N.INTERVIEW_CONFIRMED) == {"cg_paris_agent", "cg_paris_supervisor"}

    with django_capture_on_commit_callbacks(execute=True):
        interview = actions.interview_change(
            interview=interview, user=consul, slot=actions.Slot(starts_at=slot(3), mode="cra", room="Salle 2")
        )
    assert interview.status == InterviewStatus.PROPOSED and interview.confirmed_by is None
    assert told(N.INTERVIEW_CHANGED) == {"pref75_agent", "pref75_supervisor", "cra_vincennes"}

    actions.interview_confirm(interview=interview, user=personas["pref75_agent"])
    interview = actions.interview_record_outcome(
        interview=interview, user=consul, held=True, notes="Parle le tarifit."
    )
    assert interview.status == InterviewStatus.HELD and interview.notes == "Parle le tarifit."
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count("schedule_interview") == 2 and "interview_outcome" in kinds
    assert "tarifit" not in str(list(case.events.values_list("details", "comment")))


def test_an_interview_not_held_needs_a_reason(personas, case):
    interview = actions.interview_schedule(
        case=case, user=personas["cg_paris_agent"], slot=actions.Slot(starts_at=slot(), mode="consulate")
    )
    with pytest.raises(TransitionRefused):
        actions.interview_record_outcome(interview=interview, user=personas["cg_paris_agent"], held=False)
    interview = actions.interview_record_outcome(
        interview=interview, user=personas["cg_paris_agent"], held=False, not_held_reason="no_interpreter"
    )
    assert interview.status == InterviewStatus.NOT_HELD


def test_who_may_do_what_with_an_interview(personas, case):
    with pytest.raises(TransitionRefused):
        actions.interview_schedule(
            case=case, user=personas["pref75_agent"], slot=actions.Slot(starts_at=slot(), mode="consulate")
        )
    with pytest.raises(TransitionRefused):
        actions.interview_schedule(
            case=case, user=personas["cg_lyon_agent"], slot=actions.Slot(starts_at=slot(), mode="consulate")
        )
    interview = actions.interview_schedule(
        case=case, user=personas["cg_paris_agent"], slot=actions.Slot(starts_at=slot(), mode="consulate")
    )
    for outsider in ("cg_paris_agent", "pref92_agent", "dgef_central"):
        with pytest.raises(TransitionRefused):
            actions.interview_confirm(interview=interview, user=personas[outsider])
    with pytest.raises(TransitionRefused):
        actions.interview_schedule(
            case=case, user=personas["cg_paris_agent"], slot=actions.Slot(starts_at=slot(4), mode="consulate")
        )


def test_a_video_interview_needs_its_link(personas, case):
    with pytest.raises(TransitionRefused) as refused:
        actions.interview_schedule(
            case=case, user=personas["cg_paris_agent"], slot=actions.Slot(starts_at=slot(), mode="video")
        )
    assert refused.value.code == "video_link_required"


def test_a_cancelled_interview_leaves_the_calendar(personas, case, django_capture_on_commit_callbacks):
    consulate = Organisation.objects.get(code="CG-PARIS")
    monday = clock.today() - dt.timedelta(days=clock.today().weekday())
    interview = actions.interview_schedule(
        case=case, user=personas["cg_paris_agent"], slot=actions.Slot(starts_at=slot(1), mode="consulate")
    )
    assert list(interview_calendar(consulate=consulate, week_start=monday)) == [interview]
    with django_capture_on_commit_callbacks(execute=True):
        actions.interview_cancel(interview=interview, user=personas["cg_paris_agent"])
    assert list(interview_calendar(consulate=consulate, week_start=monday)) == []
    assert told(N.INTERVIEW_CANCELLED) == {"pref75_agent", "pref75_supervisor", "cra_vincennes"}


def test_changing_an_interview_that_is_no_longer_planned_answers_400_not_an_error(client, personas, case):
    # A stale page: the interview was cancelled meanwhile, then its "change" form is sent.
    consul = personas["cg_paris_agent"]
    interview = actions.interview_schedule(
        case=case, user=consul, slot=actions.Slot(starts_at=slot(), mode="cra")
    )
    actions.interview_cancel(interview=interview, user=consul)
    client.force_login(consul)
    response = client.post(
        reverse("collab:interviews", args=[case.reference]),
        {
            "op": "change",
            "starts_at": slot(days=3).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 45,
            "mode": "cra",
        },
    )
    assert response.status_code == 400
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
