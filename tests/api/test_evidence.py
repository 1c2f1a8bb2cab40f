"""Attaching evidence (multipart) and downloading it: type by content, size, access, logging."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gmmp.audit.models import AccessLog
from gmmp.cases.actions import evidence_refusal
from gmmp.cases.enums import CaseState as S
from gmmp.cases.models import CaseEvent, Evidence
from tests.factories import make_case

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf_file(name="passeport.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def case(lpc_ready):
    return make_case(S.ROUTED, **lpc_ready)


def test_it_attaches_a_pdf_and_lists_it_on_the_case(api, case):
    response = api("pref75_agent").upload(
        case.reference, pdf_file(), category="proof", kind="passport_expired"
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["content_type"] == "application/pdf" and item["size"] == len(PDF)
    assert item["category"] == "proof" and item["kind"] == "passport_expired"
    listed = api("cg_paris_agent").get(case.reference).json()["evidence"]
    assert [e["id"] for e in listed] == [item["id"]]
    assert "content" not in listed[0] and listed[0]["download_url"].endswith(f"/evidence/{item['id']}")
    assert CaseEvent.objects.filter(case=case, kind="evidence_added").count() == 1


def test_the_consulate_may_attach_too_and_the_type_comes_from_the_content(api, case):
    # A PNG named .pdf and declared as a PDF is stored as what it is.
    fake = pdf_file("photo.pdf", PNG, "application/pdf")
    response = api("cg_paris_agent").upload(case.reference, fake, category="photo", kind="photo")
    assert response.status_code == 201
    assert response.json()["content_type"] == "image/png"


def test_a_download_gives_back_the_same_bytes_and_is_logged(api, case):
    item = api("pref75_agent").upload(case.reference, pdf_file(), category="proof", kind="cnie").json()
    response = api("cg_paris_agent").get(item["download_url"])
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    log = AccessLog.objects.get(action="download", object_type="evidence", object_id=str(item["id"]))
    assert (
        log.channel == "api"
        and log.organisation_code == "CG-PARIS"
        and log.detail == {"case": case.reference}
    )


def test_the_file_is_not_stored_in_clear(api, case, settings):
    from pathlib import Path

    item = api("pref75_agent").upload(case.reference, pdf_file(), category="proof", kind="cnie").json()
    stored = Evidence.objects.get(pk=item["id"])
    raw = (Path(settings.MEDIA_ROOT) / "evidence" / stored.storage_name).read_bytes()
    assert b"%PDF" not in raw


@pytest.mark.parametrize(
    ("upload", "fields", "status", "field", "error_type"),
    [
        (lambda: pdf_file("a.exe", b"MZ\x90\x00binary", "application/pdf"), {}, 422, "file", "bad_type"),
        (lambda: pdf_file("a.txt", b"hello", "text/plain"), {}, 422, "file", "bad_type"),
        (lambda: pdf_file("empty.pdf", b""), {}, 422, "file", "empty"),
        (lambda: pdf_file(), {"category": "gossip"}, 422, "category", "enum"),
        (lambda: pdf_file(), {"kind": "rumour"}, 422, "kind", "enum"),
        (lambda: pdf_file(), {"category": "proof", "kind": "statement"}, 422, "kind", "category_mismatch"),
        (lambda: pdf_file(), {"category": "prima_facie", "kind": "photo"}, 422, "kind", "category_mismatch"),
        (None, {}, 422, "file", "missing"),
    ],
)
def test_it_refuses_bad_uploads_with_reasons_and_stores_nothing(
    api, case, upload, fields, status, field, error_type
):
    data = {"category": "prima_facie", "kind": "statement", **fields}
    caller = api("pref75_agent")
    if upload is None:
        response = caller.client.post(f"/api/v1/cases/{case.reference}/evidence", data=data)
    else:
        response = caller.upload(case.reference, upload(), **data)
    assert response.status_code == status, response.content
    details = response.json()["details"]
    assert any(d["loc"][-1] == field and d["type"] == error_type for d in details), details
    assert not Evidence.objects.filter(case=case).exists()


def test_it_refuses_a_file_over_the_size_limit_with_413(api, case, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = api("pref75_agent").upload(
        case.reference, pdf_file(content=PDF + b"0" * 2000), category="proof", kind="passport"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "Mo" in response.json()["message"]
    assert not Evidence.objects.filter(case=case).exists()


@pytest.mark.parametrize("who", ["dgef_central", "dmsf_central", "cg_paris_supervisor"])
def test_only_the_two_offices_in_charge_may_attach(api, case, who):
    response = api(who).upload(case.reference, pdf_file(), category="proof", kind="passport")
    if who == "cg_paris_supervisor":
        assert response.status_code == 201
    else:
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
        # The action's own words, as the web page would say them: the API has no rule of its own.
        assert response.json()["message"] == evidence_refusal(case=case, user=api(who).user).message
        assert not Evidence.objects.filter(case=case).exists()


def test_it_refuses_evidence_on_a_finished_case(api, lpc_ready):
    case = make_case(S.WITHDRAWN, **lpc_ready)
    response = api("pref75_agent").upload(case.reference, pdf_file(), category="proof", kind="passport")
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"


@pytest.mark.parametrize("who", ["pref92_agent", "cg_lyon_agent", "gmmp_secretariat"])
def test_evidence_of_a_case_that_is_not_yours_answers_like_a_missing_one(api, case, who):
    item = api("pref75_agent").upload(case.reference, pdf_file(), category="proof", kind="cnie").json()
    caller = api(who)
    got = caller.get(item["download_url"])
    missing = caller.get(f"/api/v1/cases/DI-2026-999999/evidence/{item['id']}")
    assert got.status_code == missing.status_code == 404 and got.json() == missing.json()
    posted = caller.upload(case.reference, pdf_file(), category="proof", kind="cnie")
    assert posted.status_code == 404 and posted.json() == missing.json()
    assert not AccessLog.objects.filter(action="download").exists()


def test_evidence_is_only_reachable_through_its_own_case(api, lpc_ready, case):
    other = make_case(S.ROUTED, **lpc_ready)
    item = api("pref75_agent").upload(case.reference, pdf_file(), category="proof", kind="cnie").json()
    response = api("pref75_agent").get(f"{other.reference}/evidence/{item['id']}")
    assert response.status_code == 404


def test_a_bad_evidence_id_is_a_422(api, case):
    response = api("pref75_agent").get(f"{case.reference}/evidence/abc")
    assert response.status_code == 422 and response.json()["details"][0]["loc"][-1] == "evidence_id"
