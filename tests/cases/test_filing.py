"""Filing a request (`cases.actions.case_file`): create, attach the evidence, submit, all or nothing; the web
form and the API file through it and only translate its refusals."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gmmp.cases import actions
from gmmp.cases.enums import CaseState, EventKind
from gmmp.cases.evidence import EVIDENCE_FILES, evidence_read
from gmmp.cases.models import Case, CaseEvent, Evidence
from gmmp.core.errors import Refused
from tests.factories import case_data, filing_form

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture(autouse=True)
def _own_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def evidence(**overrides) -> dict:
    given = {
        "category": "proof",
        "kind": "passport",
        "original_name": "passeport.png",
        "data": PNG,
        "content_type": "image/png",
    }
    given.update(overrides)
    return given


def stored_files() -> list[str]:
    return sorted(p.name for p in EVIDENCE_FILES.directory().iterdir())


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), CaseEvent.objects.count(), Evidence.objects.count()


def refuse_routing(monkeypatch) -> None:
    def refuse(**_):
        raise Refused("Carte des compétences indisponible.", code="routing_unavailable")

    monkeypatch.setattr("gmmp.cases.actions.consulate_competent_for", refuse)


def test_evidence_and_submission_in_one_call(personas):
    case = actions.case_file(
        user=personas["pref75_agent"], data=case_data(), evidence=evidence(), submit=True
    )
    case.refresh_from_db()
    assert case.state == CaseState.ROUTED and case.consulate.code == "CG-PARIS"
    kinds = list(case.events.order_by("sequence").values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.EVIDENCE_ADDED, "submit"]
    item = case.evidence.get()
    assert evidence_read(item.storage_name) == PNG and stored_files() == [item.storage_name]


def test_without_submit_it_leaves_a_draft(personas):
    case = actions.case_file(user=personas["pref75_agent"], data=case_data(), evidence=evidence())
    assert case.state == CaseState.DRAFT and case.evidence.count() == 1


def test_a_refused_submission_leaves_no_draft_no_event_and_no_evidence_file(personas, monkeypatch):
    refuse_routing(monkeypatch)
    before = counts()
    with pytest.raises(Refused) as refused:
        actions.case_file(user=personas["pref75_agent"], data=case_data(), evidence=evidence(), submit=True)
    assert refused.value.code == "routing_unavailable"
    assert counts() == before
    assert stored_files() == []  # removed at once, not left for the orphan sweep


def test_a_refused_creation_writes_nothing(personas):
    before = counts()
    with pytest.raises(Refused) as refused:
        actions.case_file(user=personas["cg_paris_agent"], data=case_data(), evidence=evidence(), submit=True)
    assert refused.value.code == "forbidden"
    assert counts() == before and stored_files() == []


def test_a_failing_file_store_keeps_no_draft(personas, monkeypatch):
    def full(name, data):
        raise OSError("No space left on device")

    monkeypatch.setattr("gmmp.cases.actions.evidence_write", full)
    before = counts()
    with pytest.raises(OSError):
        actions.case_file(user=personas["pref75_agent"], data=case_data(), evidence=evidence())
    assert counts() == before


def _spy(monkeypatch) -> list[dict]:
    calls: list[dict] = []
    real = actions.case_file

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(actions, "case_file", spy)
    return calls


def test_the_web_form_files_through_the_service(client, personas, monkeypatch):
    calls = _spy(monkeypatch)
    client.force_login(personas["pref75_agent"])
    response = client.post(
        "/cases/new/", filing_form(**{"evidence-file": SimpleUploadedFile("scan.png", PNG)})
    )
    assert response.status_code == 302
    assert len(calls) == 1 and calls[0]["submit"] is True
    assert calls[0]["evidence"]["original_name"] == "scan.png"
    case = Case.objects.get()
    assert case.state == CaseState.ROUTED and evidence_read(case.evidence.get().storage_name) == PNG


def test_the_web_form_shows_a_refused_submission_and_keeps_nothing(client, personas, monkeypatch):
    refuse_routing(monkeypatch)
    before = counts()
    client.force_login(personas["pref75_agent"])
    response = client.post(
        "/cases/new/", filing_form(**{"evidence-file": SimpleUploadedFile("scan.png", PNG)})
    )
    assert response.status_code == 400
    assert "Carte des compétences indisponible." in response.content.decode()
    assert counts() == before
    assert [name for name in stored_files() if not name.startswith("pending-")] == []
