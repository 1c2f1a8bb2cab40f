"""The API of the shared pages: the thread, interviews and escalations as a calling system sees them —
the same rules as the pages, {code, message} refusals, what is not the caller's answers 404 like what
does not exist, every read of personal data logged with channel "api"."""

import base64
import datetime as dt

import pytest

from gmmp.audit.models import AccessLog
from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.collab.models import CaseMessage, Escalation, Interview
from gmmp.core import clock
from gmmp.notifications.models import Notification
from gmmp.organisations.models import Organisation
from tests.factories import make_case
from tests.security.conftest import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "messages"


@pytest.fixture
def case(personas):
    return make_case(
        CaseState.ROUTED,
        prefecture_user=personas["pref75_agent"],
        detention_place=Organisation.objects.get(code="CRA-VINCENNES"),
    )


@pytest.fixture
def overdue(case):
    Case.objects.filter(pk=case.pk).update(reply_due=clock.today() - dt.timedelta(days=4))
    case.refresh_from_db()
    return case


def _slot(days=2):
    moment = dt.datetime.combine(clock.today() + dt.timedelta(days=days), dt.time(10, 0), tzinfo=dt.UTC)
    return moment.isoformat()


def _logged(user, object_type) -> bool:
    return AccessLog.objects.filter(user=user, object_type=object_type, channel="api").exists()


# ------------------------------------------------------------------------------------------- the thread


def test_the_consulate_asks_in_the_thread_and_the_prefecture_reads_and_answers(api, case, personas):
    consulate, prefecture = api("cg_paris_agent"), api("pref75_agent")
    attachment = {"name": "scan.png", "content_base64": base64.b64encode(PNG).decode()}
    posted = consulate.post(
        f"{case.reference}/messages", {"body": "Avez-vous son passeport ?", "attachments": [attachment]}
    )
    assert posted.status_code == 201, posted.content
    assert posted.json()["side"] == "consulate" and posted.json()["attachments"][0]["size"] == len(PNG)

    thread = prefecture.get(f"{case.reference}/messages")
    assert thread.status_code == 200
    body = thread.json()
    assert body["unread"] == 1 and body["may_write"] is True
    assert body["messages"][0]["body"] == "Avez-vous son passeport ?" and body["messages"][0]["unread"]
    assert _logged(personas["pref75_agent"], "case_thread")
    download = prefecture.client.get(body["messages"][0]["attachments"][0]["download_url"])
    assert download.status_code == 200 and download.content == PNG
    assert _logged(personas["pref75_agent"], "case_message_attachment")

    assert prefecture.post(f"{case.reference}/messages/read").status_code == 200
    assert prefecture.get(f"{case.reference}/messages").json()["unread"] == 0
    answered = prefecture.post(f"{case.reference}/messages", {"body": "Oui, copie jointe demain."})
    assert answered.status_code == 201 and answered.json()["side"] == "prefecture"
    assert CaseMessage.objects.filter(case=case).count() == 2


@pytest.mark.parametrize("persona", ["pref92_agent", "cg_lyon_agent", "cra_vincennes", "gmmp_secretariat"])
def test_a_thread_that_is_not_yours_answers_404_like_a_missing_case(api, case, persona):
    caller = api(persona)
    for response in (
        caller.get(f"{case.reference}/messages"),
        caller.post(f"{case.reference}/messages", {"body": "Bonjour"}),
        caller.get("NOPE-0000/messages"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found" and response.json()["message"]
    assert not CaseMessage.objects.exists()


def test_a_central_reader_reads_the_thread_but_may_not_write(api, case):
    api("cg_paris_agent").post(f"{case.reference}/messages", {"body": "Question"})
    dgef = api("dgef_central")
    thread = dgef.get(f"{case.reference}/messages").json()
    assert thread["may_write"] is False and len(thread["messages"]) == 1
    refused = dgef.post(f"{case.reference}/messages", {"body": "Moi aussi"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_bad_messages_are_refused_with_a_code(api, case):
    caller = api("cg_paris_agent")
    empty = caller.post(f"{case.reference}/messages", {"body": "   "})
    assert empty.status_code == 422 and empty.json()["code"] == "invalid_input"
    text = {"name": "a.txt", "content_base64": base64.b64encode(b"hello").decode()}
    wrong_type = caller.post(f"{case.reference}/messages", {"body": "Voir pièce", "attachments": [text]})
    assert wrong_type.status_code == 422 and wrong_type.json()["code"] == "bad_type"
    bidi = caller.post(f"{case.reference}/messages", {"body": "abc\u202edef"})
    assert bidi.status_code == 422
    assert not CaseMessage.objects.exists()


def test_a_read_only_token_reads_but_does_not_write(api, case):
    caller = api("cg_paris_agent", scopes=("cases:read",))
    assert caller.get(f"{case.reference}/messages").status_code == 200
    refused = caller.post(f"{case.reference}/messages", {"body": "Bonjour"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


# ------------------------------------------------------------------------------------------- interviews


def test_an_interview_through_the_api(api, case, personas):
    consulate, cra = api("cg_paris_agent"), api("cra_vincennes")
    proposed = consulate.post(
        f"{case.reference}/interviews",
        {"starts_at": _slot(), "mode": "video", "video_link": "https://visio.example/a", "room": ""},
    )
    assert proposed.status_code == 201, proposed.content
    interview = proposed.json()
    assert interview["status"] == "proposed"
    base = f"{case.reference}/interviews/{interview['id']}"

    confirmed = cra.post(f"{base}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    again = cra.post(f"{base}/confirm")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"

    moved = consulate.post(f"{base}/change", {"starts_at": _slot(3), "mode": "consulate", "room": "B2"})
    assert moved.status_code == 200 and moved.json()["status"] == "proposed"

    not_held = consulate.post(f"{base}/outcome", {"held": False})
    assert not_held.status_code == 422 and not_held.json()["code"] == "reason_required"
    done = consulate.post(
        f"{base}/outcome", {"held": False, "not_held_reason": "no_interpreter", "notes": "-"}
    )
    assert done.status_code == 200 and done.json()["status"] == "not_held"

    listed = api("pref75_agent").get(f"{case.reference}/interviews")
    assert listed.status_code == 200 and [i["status"] for i in listed.json()] == ["not_held"]
    assert _logged(personas["pref75_agent"], "case_interviews")


def test_interview_refusals(api, case):
    video_without_link = api("cg_paris_agent").post(
        f"{case.reference}/interviews", {"starts_at": _slot(), "mode": "video"}
    )
    assert video_without_link.status_code == 422
    assert video_without_link.json()["code"] == "video_link_required"
    by_the_prefecture = api("pref75_agent").post(
        f"{case.reference}/interviews", {"starts_at": _slot(), "mode": "cra"}
    )
    assert by_the_prefecture.status_code == 403 and by_the_prefecture.json()["code"] == "forbidden"
    assert not Interview.objects.exists()


def test_an_interview_that_is_not_yours_answers_404(api, case):
    created = api("cg_paris_agent").post(
        f"{case.reference}/interviews", {"starts_at": _slot(), "mode": "cra"}
    )
    interview_id = created.json()["id"]
    other = make_case(CaseState.ROUTED, prefecture_user=api("pref75_agent").user)
    lyon = api("cg_lyon_agent")
    assert lyon.get(f"{case.reference}/interviews").status_code == 404
    assert lyon.post(f"{case.reference}/interviews/{interview_id}/cancel").status_code == 404
    # An interview reached through another case's reference is not found either.
    consulate = api("cg_paris_agent")
    assert consulate.post(f"{other.reference}/interviews/{interview_id}/cancel").status_code == 404
    assert Interview.objects.get(pk=interview_id).status == "proposed"


# ------------------------------------------------------------------------------------------- escalations


def test_an_escalation_through_the_api(api, overdue, personas, django_capture_on_commit_callbacks):
    prefecture, dmsf = api("pref75_agent"), api("dmsf_central")
    grounds = prefecture.get(f"{overdue.reference}/escalations").json()["grounds"]
    assert "reply_overdue" in grounds
    with django_capture_on_commit_callbacks(execute=True):
        raised = prefecture.post(
            f"{overdue.reference}/escalations", {"reason": "reply_overdue", "comment": "Sans réponse"}
        )
    assert raised.status_code == 201, raised.content
    escalation = raised.json()
    assert escalation["state"] == "open" and escalation["raised_by"] == "PREF-75"
    assert Notification.objects.filter(kind="escalation_raised", recipient=personas["dmsf_central"]).exists()

    opened = dmsf.get("/api/v1/escalations", {"open_only": "true"})
    assert [e["id"] for e in opened.json()] == [escalation["id"]]
    assert _logged(personas["dmsf_central"], "escalation")
    twice = prefecture.post(f"{overdue.reference}/escalations", {"reason": "reply_overdue"})
    assert twice.status_code == 409 and twice.json()["code"] == "already_open"

    not_theirs = prefecture.post(f"/api/v1/escalations/{escalation['id']}/answer", {"answer": "Moi"})
    assert not_theirs.status_code == 403 and not_theirs.json()["code"] == "forbidden"
    answered = dmsf.post(f"/api/v1/escalations/{escalation['id']}/answer", {"answer": "Relance faite."})
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    again = dmsf.post(f"/api/v1/escalations/{escalation['id']}/answer", {"answer": "Encore"})
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"


def test_an_escalation_needs_a_ground_that_holds(api, case):
    refused = api("pref75_agent").post(f"{case.reference}/escalations", {"reason": "reply_overdue"})
    assert refused.status_code == 409 and refused.json()["code"] == "not_stalled"
    assert not Escalation.objects.exists()


@pytest.mark.parametrize("persona", ["pref92_agent", "cg_lyon_agent", "gmmp_secretariat"])
def test_an_escalation_that_is_not_yours_answers_404(api, overdue, persona):
    raised = api("pref75_agent").post(f"{overdue.reference}/escalations", {"reason": "reply_overdue"})
    escalation_id = raised.json()["id"]
    caller = api(persona)
    assert caller.get(f"{overdue.reference}/escalations").status_code == 404
    assert caller.post(f"{overdue.reference}/escalations", {"reason": "reply_overdue"}).status_code == 404
    assert caller.post(f"/api/v1/escalations/{escalation_id}/answer", {"answer": "x"}).status_code == 404
    listed = caller.get("/api/v1/escalations")  # the secretariat reads no escalation at all: refused
    assert (listed.status_code == 403) if persona == "gmmp_secretariat" else (listed.json() == [])


# ------------------------------------------------------------------------------------------- protection


def test_the_consulate_keeps_the_protection_record_through_the_api(api, case, personas):
    consulate = api("cg_paris_agent")
    recorded = consulate.post(
        f"{case.reference}/protection",
        {"kind": "visit", "on": clock.today().isoformat(), "notes": "Visite au CRA"},
    )
    assert recorded.status_code == 201, recorded.content
    future = consulate.post(
        f"{case.reference}/protection",
        {"kind": "visit", "on": (clock.today() + dt.timedelta(days=1)).isoformat()},
    )
    assert future.status_code == 422 and future.json()["code"] == "invalid_date"
    read = api("dmsf_central").get(f"{case.reference}/protection")
    assert read.status_code == 200 and [e["kind"] for e in read.json()] == ["visit"]
    assert _logged(personas["dmsf_central"], "case_protection")


@pytest.mark.parametrize("persona", ["pref75_agent", "cg_lyon_agent", "dgef_central", "gmmp_secretariat"])
def test_a_protection_record_that_is_not_yours_answers_404(api, case, persona):
    caller = api(persona)
    assert caller.get(f"{case.reference}/protection").status_code == 404
    written = caller.post(f"{case.reference}/protection", {"kind": "visit", "on": clock.today().isoformat()})
    assert written.status_code == 404 and written.json()["code"] == "not_found"
