"""Strict input rules, the same in the web forms and the API: no NUL or control character, no bidi
control, no invisible-only name, sane dates; a proof of nationality is never of kind "other"; an
RTL-spoofed file name is neutralised; a multipart body without a boundary is the API's JSON 400."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.core.text import filename_neutralise
from gmmp.organisations.tokens import api_token_create
from tests.api.test_create import request_body
from tests.factories import filing_form, make_case

from .conftest import PNG

BAD_VALUES = [
    ("last_name", "EL\x00AMRANI"),
    ("last_name", "\u202eINARMA LE"),  # right-to-left override
    ("first_names", "\u200b\u200b"),  # only invisible characters
    ("first_names", "\u2066Youssef\u2069"),  # isolates
    ("last_name", "1234"),  # a name without a letter
    ("birth_place", "Oujda\x07"),
    ("removal_order_date", "0001-01-01"),
    ("detention_start", "1900-01-02"),
]


@pytest.fixture
def api(personas):
    _t, raw = api_token_create(user=personas["pref75_agent"], name="t", scopes=["cases:read", "cases:write"])
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _web_form(**overrides) -> dict:
    data = filing_form(**{"removal_order_reference": "OQTF-RULES", **overrides})
    del data["submit"]  # saved as a draft
    return data


@pytest.mark.parametrize(("field", "value"), BAD_VALUES)
def test_the_api_refuses_bad_text_and_dates(api, field, value):
    response = api.post(
        "/api/v1/cases/", json.dumps(request_body(**{field: value})), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["details"][0]["loc"][-1] == field
    assert not Case.objects.exists()


@pytest.mark.parametrize(("field", "value"), BAD_VALUES)
def test_the_web_form_refuses_the_same(client, personas, field, value):
    client.force_login(personas["pref75_agent"])
    response = client.post("/cases/new/", _web_form(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Case.objects.exists()


def test_an_alias_made_of_invisible_characters_is_refused_in_both(api, client, personas):
    assert (
        api.post(
            "/api/v1/cases/", json.dumps(request_body(aliases=["\u200d"])), content_type="application/json"
        ).status_code
        == 422
    )
    client.force_login(personas["pref75_agent"])
    assert client.post("/cases/new/", _web_form(aliases="Ahmed\n\u200b")).status_code == 400


def test_the_web_form_refuses_a_proof_of_kind_other_like_the_api(client, personas):
    client.force_login(personas["pref75_agent"])
    data = _web_form(**{"evidence-kind": "other", "evidence-file": SimpleUploadedFile("p.png", PNG)})
    response = client.post("/cases/new/", data)
    assert response.status_code == 400 and "kind" in response.context["evidence_form"].errors
    assert not Case.objects.exists()


def test_an_rtl_spoofed_file_name_is_neutralised_when_stored_and_sent_back(api, lpc_ready):
    case = make_case(CaseState.DRAFT, **lpc_ready)
    spoofed = "photo\u202egnp.exe"
    upload = SimpleUploadedFile(spoofed, PNG)
    response = api.post(
        f"/api/v1/cases/{case.reference}/evidence", {"file": upload, "category": "photo", "kind": "photo"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["original_name"] == "photognp.exe"
    download = api.get(f"/api/v1/cases/{case.reference}/evidence/{response.json()['id']}")
    assert (
        "\u202e" not in download["Content-Disposition"] and "%E2%80%AE" not in download["Content-Disposition"]
    )


def test_filename_neutralise_keeps_the_base_name_only():
    assert filename_neutralise("../../etc/passwd") == "passwd"
    assert filename_neutralise("C:\\x\\a.pdf") == "a.pdf"
    assert filename_neutralise("\u200b") == "file"


def test_a_multipart_body_without_boundary_is_a_json_400(api, lpc_ready):
    case = make_case(CaseState.DRAFT, **lpc_ready)
    response = api.post(
        f"/api/v1/cases/{case.reference}/evidence", data=b"--x\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400 and response.json()["code"] == "bad_request"


def test_the_api_never_stores_a_nul_byte_in_a_comment(api, lpc_ready):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    response = api.post(
        f"/api/v1/cases/{case.reference}/transitions/withdraw",
        json.dumps({"reason": "released", "comment": "a\x00b"}),
        content_type="application/json",
    )
    assert response.status_code == 422
