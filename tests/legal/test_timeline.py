"""The legal timeline decides whether a departure may happen: refused after the release date, while a
suspensive appeal or an asylum claim is pending, and before the scheduled date without a correction;
through the actions, the web pages and the API."""

import datetime as dt

import pytest

from gmmp.cases import actions
from gmmp.cases.comments import comments_open
from gmmp.cases.enums import CaseState
from gmmp.cases.selectors import case_deadlines, case_timeline
from gmmp.core import clock
from tests.api.conftest import api  # noqa: F401 - the API caller fixture
from tests.factories import DEPARTURE_PLAN, extension_kwargs, make_case


def d(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


@pytest.fixture
def lpc_case(lpc_ready):
    # Placed two days ago: the first stage (4 days) ends on d(2), the release date without an extension.
    return make_case(CaseState.LPC_ISSUED, **lpc_ready)


def schedule(case, user, on):
    return actions.case_schedule_departure(case=case, user=user, departure_date=on, **DEPARTURE_PLAN)


def legal(case, user, **kwargs):
    return actions.case_record_legal_event(case=case, user=user, **kwargs)


APPEAL = {"kind": "appeal_lodged", "reference": "TA Paris 2600001", "suspensive": True}
ASYLUM = {"kind": "asylum_claimed", "reference": "OFPRA 26-1234"}


# ---------------------------------------------------------------------------------------------- actions


def test_a_departure_on_or_after_the_release_date_is_refused_after_release(lpc_case, lpc_ready):
    assert lpc_case.detention_end == d(2)
    with pytest.raises(actions.TransitionRefused) as exc:
        schedule(lpc_case, lpc_ready["prefecture_user"], d(2))
    assert exc.value.code == "after_release"
    schedule(lpc_case, lpc_ready["prefecture_user"], d(1))


def test_an_extension_granted_moves_the_release_date_and_allows_a_later_departure(lpc_case, lpc_ready):
    user = lpc_ready["prefecture_user"]
    legal(lpc_case, user, **extension_kwargs(lpc_case))
    lpc_case.refresh_from_db()
    assert lpc_case.detention_end == lpc_case.detention_start + dt.timedelta(days=30)
    schedule(lpc_case, user, d(10))
    event = lpc_case.events.get(kind="record_legal_event")
    assert event.reason == "extension_granted" and event.detention_end == lpc_case.detention_end


def test_an_extension_beyond_the_cap_or_without_a_reference_is_refused(lpc_case, lpc_ready):
    user = lpc_ready["prefecture_user"]
    with pytest.raises(actions.TransitionRefused) as exc:
        legal(lpc_case, user, kind="extension_granted", on=d(0), reference="JLD", extended_to=d(120))
    assert exc.value.code == "beyond_cap"
    with pytest.raises(actions.TransitionRefused) as exc:
        legal(lpc_case, user, kind="extension_granted", on=d(0), reference=" ", extended_to=d(20))
    assert exc.value.code == "reference_required"


@pytest.mark.parametrize(
    ("lodged", "code"), [(APPEAL, "suspensive_appeal_pending"), (ASYLUM, "asylum_claim_pending")]
)
def test_no_departure_while_a_suspensive_procedure_is_pending(lpc_case, lpc_ready, lodged, code):
    user = lpc_ready["prefecture_user"]
    legal(lpc_case, user, on=d(0), **lodged)
    with pytest.raises(actions.TransitionRefused) as exc:
        schedule(lpc_case, user, d(1))
    assert exc.value.code == code
    decided = "appeal_decided" if lodged is APPEAL else "asylum_decided"
    legal(lpc_case, user, kind=decided, on=d(0), reference="Jugement", outcome="rejected")
    schedule(lpc_case, user, d(1))


def test_a_non_suspensive_appeal_does_not_stop_the_departure(lpc_case, lpc_ready):
    user = lpc_ready["prefecture_user"]
    legal(lpc_case, user, on=d(0), **{**APPEAL, "suspensive": False})
    schedule(lpc_case, user, d(1))


def test_recording_a_departure_during_an_asylum_claim_is_refused(lpc_case, lpc_ready):
    user = lpc_ready["prefecture_user"]
    schedule(lpc_case, user, d(0))
    legal(lpc_case, user, on=d(0), **ASYLUM)
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_record_departure(case=lpc_case, user=user, outcome="departed", departed_at=clock.now())
    assert exc.value.code == "asylum_claim_pending"


def test_the_outcome_asks_for_the_actual_time_and_refuses_one_before_the_scheduled_date(lpc_case, lpc_ready):
    user = lpc_ready["prefecture_user"]
    schedule(lpc_case, user, d(1))
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_record_departure(case=lpc_case, user=user, outcome="departed")
    assert exc.value.code == "departed_at_required"
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_record_departure(case=lpc_case, user=user, outcome="departed", departed_at=clock.now())
    assert exc.value.code == "before_scheduled_date"
    actions.case_record_departure(
        case=lpc_case,
        user=user,
        outcome="departed",
        departed_at=clock.now(),
        correction_reason="Vol avancé d'un jour par la compagnie",
    )
    lpc_case.refresh_from_db()
    [event] = comments_open(lpc_case.events.filter(kind="record_departure"))
    assert lpc_case.state == CaseState.DEPARTED and lpc_case.departed_at is not None
    assert event.details["date_corrected"] and "Vol avancé" in event.comment_text


def test_a_release_moves_the_case_to_released_then_it_may_resume_or_be_withdrawn(lpc_case, lpc_ready):
    user = lpc_ready["prefecture_user"]
    actions.case_release(case=lpc_case, user=user, on=d(-1), reference="JLD 26/77", kind="release_ordered")
    lpc_case.refresh_from_db()
    assert lpc_case.state == CaseState.RELEASED and lpc_case.detention_end == d(-1)
    event = lpc_case.events.get(kind="release")
    assert (event.reason, event.detention_end, event.details["legal_kind"]) == (
        "judge",
        d(-1),
        "release_ordered",
    )
    clock_ = case_deadlines(lpc_case).clock
    assert clock_.released_on == d(-1) and clock_.ended
    with pytest.raises(actions.TransitionRefused) as exc:
        schedule(lpc_case, user, d(1))
    assert exc.value.code == "invalid_state"
    actions.case_resume(case=lpc_case, user=user, detention_start=d(0), comment="Nouveau placement")
    lpc_case.refresh_from_db()
    assert lpc_case.state == CaseState.LPC_ISSUED and lpc_case.detention_end == d(4)
    actions.case_release(case=lpc_case, user=user, on=d(0), reference="Fin", cause="cap_reached")
    actions.case_withdraw(case=lpc_case, user=user, reason="released")
    assert lpc_case.state == CaseState.WITHDRAWN


def test_a_release_needs_its_cause(lpc_case, lpc_ready):
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_release(case=lpc_case, user=lpc_ready["prefecture_user"], on=d(0), reference="x")
    assert exc.value.code == "invalid_field"


# ---------------------------------------------------------------------------------------------- reply deadline


def test_the_consulate_extends_its_reply_deadline_once_and_overdue_counts_from_the_new_date(lpc_ready):
    case = make_case(CaseState.ROUTED, **lpc_ready, detention_start=None)
    routed_on = clock.local_date(case.routed_at)
    assert case.reply_due == routed_on + dt.timedelta(days=25)
    actions.case_extend_reply_deadline(
        case=case, user=lpc_ready["consulate_user"], reason="Registre consulté"
    )
    assert case.reply_due == routed_on + dt.timedelta(days=60)
    assert not case_deadlines(case, today=routed_on + dt.timedelta(days=30)).urgency.overdue
    event = case.events.get(kind="extend_reply_deadline")
    assert event.details["to"] == case.reply_due.isoformat()
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_extend_reply_deadline(case=case, user=lpc_ready["consulate_user"], reason="Encore")
    assert exc.value.code == "already_extended"
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_extend_reply_deadline(case=case, user=lpc_ready["prefecture_user"], reason="x")
    assert exc.value.code == "forbidden"


# ---------------------------------------------------------------------------------------------- correction


def test_the_filing_prefecture_corrects_identity_and_the_consulate_sees_what_changed(client, lpc_ready):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    actions.case_correct_identity(
        case=case,
        user=lpc_ready["prefecture_user"],
        changes={"first_names": "Mohammed", "birth_place": "Rabat"},
        reason="Faute de frappe",
    )
    event = case.events.get(kind="correct_identity")
    # The ledger keeps the values sealed with the case key (crypto-shredded at anonymisation).
    assert "Mohammed" not in str(event.details) and set(event.details["changes"]) == {
        "first_names",
        "birth_place",
    }
    opened = next(e for e in case_timeline(case) if e.kind == "correct_identity").details_open
    assert opened["changes"]["first_names"] == {"old": "Mohamed", "new": "Mohammed"}
    client.force_login(lpc_ready["consulate_user"])
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'data-testid="changes"' in page and "Mohammed" in page and "Casablanca" in page


def test_a_correction_that_makes_the_person_a_possible_minor_is_refused(lpc_ready):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_correct_identity(
            case=case,
            user=lpc_ready["prefecture_user"],
            changes={"birth_date": str(clock.today().year - 17)},
            reason="Acte de naissance",
        )
    assert exc.value.code == "minor_in_adult_track"


def test_a_correction_needs_a_reason_and_a_change(lpc_ready):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    user = lpc_ready["prefecture_user"]
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_correct_identity(case=case, user=user, changes={"birth_place": "Fès"}, reason="")
    assert exc.value.code == "reason_required"
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_correct_identity(case=case, user=user, changes={"birth_place": "Casablanca"}, reason="x")
    assert exc.value.code == "nothing_changed"


# ---------------------------------------------------------------------------------------------- web


def _post(client, case, name, data):
    return client.post(
        f"/cases/{case.reference}/actions/{name}/", {f"{name}-{k}": v for k, v in data.items()}
    )


def _plan(on: dt.date) -> dict:
    return {"departure_date": on.isoformat(), **DEPARTURE_PLAN}


def test_the_web_refuses_a_departure_after_release_and_says_why(client, lpc_case, lpc_ready):
    client.force_login(lpc_ready["prefecture_user"])
    response = _post(client, lpc_case, "schedule_departure", _plan(d(3)))
    assert response.status_code == 400 and "est libérée le" in response.content.decode()
    lpc_case.refresh_from_db()
    assert lpc_case.state == CaseState.LPC_ISSUED


def test_the_web_refuses_a_departure_during_a_suspensive_appeal(client, lpc_case, lpc_ready):
    client.force_login(lpc_ready["prefecture_user"])
    response = _post(
        client,
        lpc_case,
        "record_legal_event",
        {"kind": "appeal_lodged", "on": d(0).isoformat(), "reference": "TA 1", "suspensive": "yes"},
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{lpc_case.reference}/").content.decode()
    assert 'data-testid="pending-appeal"' in page and 'data-testid="legal-timeline"' in page
    response = _post(client, lpc_case, "schedule_departure", _plan(d(1)))
    assert response.status_code == 400 and "recours suspensif" in response.content.decode()


def test_the_web_asks_for_the_actual_departure_time_and_refuses_one_before_the_plan(
    client, lpc_case, lpc_ready
):
    schedule(lpc_case, lpc_ready["prefecture_user"], d(1))
    client.force_login(lpc_ready["prefecture_user"])
    response = _post(client, lpc_case, "record_departure", {"outcome": "departed"})
    assert response.status_code == 400 and "Ce champ est obligatoire" in response.content.decode()
    now = clock.now().astimezone().strftime("%Y-%m-%dT%H:%M")
    response = _post(client, lpc_case, "record_departure", {"outcome": "departed", "departed_at": now})
    assert response.status_code == 400 and "motif de la correction" in response.content.decode()


def test_the_case_page_shows_the_rights_log(client, lpc_case, lpc_ready):
    user = lpc_ready["prefecture_user"]
    legal(lpc_case, user, kind="rights_informed", on=d(-2), language="arabe")
    legal(lpc_case, user, kind="interpreter", on=d(-2), language="tamazight")
    legal(lpc_case, user, kind="counsel_contacted", on=d(-1), counsel="Cimade")
    legal(lpc_case, user, kind="consulate_notified", on=d(-1))
    client.force_login(lpc_ready["consulate_user"])
    page = client.get(f"/cases/{lpc_case.reference}/").content.decode()
    assert 'data-testid="rights-log"' in page
    for text in ("arabe", "tamazight", "Cimade", "Consulat informé"):
        assert text in page, text


# ---------------------------------------------------------------------------------------------- API


def test_the_api_refuses_a_departure_after_release_with_its_code(api, lpc_case):  # noqa: F811
    body = {"departure_date": d(5).isoformat(), **DEPARTURE_PLAN}
    response = api("pref75_agent").transition(lpc_case.reference, "schedule_departure", body)
    assert response.status_code == 409 and response.json()["code"] == "after_release"


def test_the_api_refuses_a_departure_while_an_asylum_claim_is_pending(api, lpc_case):  # noqa: F811
    caller = api("pref75_agent")
    response = caller.transition(lpc_case.reference, "record_legal_event", {"on": d(0).isoformat(), **ASYLUM})
    assert response.status_code == 200, response.content
    body = {"departure_date": d(1).isoformat(), **DEPARTURE_PLAN}
    response = caller.transition(lpc_case.reference, "schedule_departure", body)
    assert response.status_code == 409 and response.json()["code"] == "asylum_claim_pending"


def test_the_api_records_the_departure_outcome_with_its_actual_time(api, lpc_case, lpc_ready):  # noqa: F811
    schedule(lpc_case, lpc_ready["prefecture_user"], d(1))
    caller = api("pref75_agent")
    response = caller.transition(lpc_case.reference, "record_departure", {"outcome": "departed"})
    assert response.status_code == 422
    now = clock.now().isoformat()
    response = caller.transition(
        lpc_case.reference, "record_departure", {"outcome": "departed", "departed_at": now}
    )
    assert response.status_code == 409 and response.json()["code"] == "before_scheduled_date"
    response = caller.transition(
        lpc_case.reference,
        "record_departure",
        {"outcome": "departed", "departed_at": now, "correction_reason": "Vol avancé"},
    )
    assert response.status_code == 200 and response.json()["state"] == "departed"


def test_the_api_records_a_release_and_a_resumption(api, lpc_case):  # noqa: F811
    caller = api("pref75_agent")
    response = caller.transition(
        lpc_case.reference,
        "release",
        {"kind": "released", "on": d(0).isoformat(), "reference": "Levée", "cause": "asylum"},
    )
    assert response.status_code == 200 and response.json()["state"] == "released"
    response = caller.transition(lpc_case.reference, "resume", {})
    assert response.status_code == 200 and response.json()["state"] == "lpc_issued"


def test_the_api_lets_the_consulate_extend_its_reply_deadline(api, lpc_ready):  # noqa: F811
    case = make_case(CaseState.ROUTED, **lpc_ready)
    response = api("cg_paris_agent").transition(
        case.reference, "extend_reply_deadline", {"reason": "Registre"}
    )
    assert response.status_code == 200
    assert (
        response.json()["case"]["deadlines"]["reply_due"]
        == (clock.local_date(case.routed_at) + dt.timedelta(days=60)).isoformat()
    )


def test_the_api_corrects_identity_with_a_reason(api, lpc_ready):  # noqa: F811
    case = make_case(CaseState.ROUTED, **lpc_ready)
    caller = api("pref75_agent")
    response = caller.transition(
        case.reference, "correct_identity", {"birth_place": "Rabat", "reason": "Typo"}
    )
    assert response.status_code == 200
    assert response.json()["case"]["identity"]["birth_place"] == "Rabat"
    response = caller.transition(case.reference, "correct_identity", {"birth_place": "Fès"})
    assert response.status_code == 422


def test_the_history_names_a_legal_event_in_words_not_by_its_code(client, lpc_case, lpc_ready):
    legal(lpc_case, lpc_ready["prefecture_user"], on=d(0), **APPEAL)
    client.force_login(lpc_ready["consulate_user"])
    page = client.get(f"/cases/{lpc_case.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    history = page[page.index('id="h-timeline"') :]
    assert "appeal_lodged" not in history
    assert "Appeal against the removal order" in history
