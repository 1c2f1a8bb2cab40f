"""The register inside the platform: commands, the consulate's search page, the API."""

import csv
import html
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from gmmp.audit.models import AccessLog
from gmmp.cases.enums import CaseState
from gmmp.identification import services, texts
from gmmp.identification.engine import Query, RegisterStore, describe, generate_register
from gmmp.organisations.tokens import api_token_create
from tests.factories import make_case


@pytest.fixture
def register(tmp_path, settings):
    """A fictitious register of 3,000 people, imported into a register directory of this test."""
    settings.REGISTER_DIR = tmp_path / "register"
    services._engine = None
    path = generate_register(3000, 11, tmp_path / "register.csv")
    RegisterStore(settings.REGISTER_DIR).import_csv(path)
    with path.open(encoding="utf-8") as fh:
        people = list(csv.DictReader(fh))
    yield people
    services._engine = None


def _person_case(person, **actors):
    return make_case(
        CaseState.ROUTED,
        **actors,
        last_name=person["last_name"],
        first_names=person["first_name"],
        birth_date=person["birth_date"][:4],
        birth_place=person["birth_place"],
        aliases=[],
        father_first_name=person["father_first_name"],
        mother_first_name=person["mother_first_name"],
        mother_last_name=person["mother_last_name"],
        sex=person["sex"] or "X",
    )


def test_register_import_command_reports_counts_and_writes_rejects(tmp_path, settings, reference, capsys):
    settings.REGISTER_DIR = tmp_path / "register"
    src = tmp_path / "in.csv"
    src.write_text(
        "national_id,first_name,last_name,sex,birth_date,birth_place,father_first_name,mother_first_name,mother_last_name\n"
        "1234567890,Youssef,Alaoui,M,1990-05-12,Fès,Ahmed,Fatima,Bennani\n"
        ",Nobody,Without,M,1990,Fès,,,\n"
        "1234567891,Amina,Tazi,F,1990-13-40,Rabat,Said,Khadija,Fassi\n",
        encoding="utf-8",
    )
    call_command("register", "import", str(src), "--no-progress", "--rejects", str(tmp_path / "rejects.csv"))
    out = capsys.readouterr().out
    assert "1 imported" in out and "2 rejected" in out
    assert RegisterStore(settings.REGISTER_DIR).get("1234567890")["first_name"] == "Youssef"
    assert len((tmp_path / "rejects.csv").read_text(encoding="utf-8").strip().splitlines()) == 3  # header + 2


def test_register_import_command_fails_clearly_on_a_missing_file(tmp_path, settings, reference):
    settings.REGISTER_DIR = tmp_path / "register"
    with pytest.raises(CommandError, match="not found"):
        call_command("register", "import", str(tmp_path / "nope.csv"), "--no-progress")


def test_identify_batch_follows_the_contract(register, tmp_path, reference):
    person = register[0]
    queries = tmp_path / "q.csv"
    with queries.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "request_id",
                "first_name",
                "last_name",
                "aliases",
                "sex",
                "birth_date",
                "birth_place",
                "father_first_name",
                "mother_first_name",
                "mother_last_name",
            ]
        )
        w.writerow(
            [
                "r1",
                person["first_name"],
                person["last_name"],
                "",
                person["sex"],
                person["birth_date"],
                person["birth_place"],
                person["father_first_name"],
                person["mother_first_name"],
                person["mother_last_name"],
            ]
        )
        w.writerow(["r2", "Zzyzx", "Qwertyuiop", "", "", "", "", "", "", ""])
    out = tmp_path / "r.csv"
    call_command("identify-batch", str(queries), "--out", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {"request_id", "rank", "national_id", "score", "band"} <= set(rows[0])
    r1 = [r for r in rows if r["request_id"] == "r1"]
    assert 1 <= len(r1) <= 5 and r1[0]["rank"] == "1" and r1[0]["national_id"] == person["national_id"]
    assert [float(r["score"]) for r in r1] == sorted((float(r["score"]) for r in r1), reverse=True)
    assert not [r for r in rows if r["request_id"] == "r2"]


def test_identify_batch_refuses_an_empty_register(tmp_path, settings, reference):
    settings.REGISTER_DIR = tmp_path / "empty"
    services._engine = None
    (tmp_path / "q.csv").write_text("request_id,first_name,last_name\nr1,A,B\n", encoding="utf-8")
    with pytest.raises(CommandError, match="register is empty"):
        call_command("identify-batch", str(tmp_path / "q.csv"), "--out", str(tmp_path / "r.csv"))


def test_the_consulate_finds_the_person_from_the_request_and_confirms(client, register, lpc_ready, personas):
    person = register[5]
    case = _person_case(person, **lpc_ready)
    client.force_login(personas["cg_paris_agent"])
    page = client.get(f"/register/cases/{case.reference}/")
    assert page.status_code == 200
    assert f'data-national-id="{person["national_id"]}"'.encode() in page.content
    # First step: "this is the person" pre-fills the decision form and decides nothing.
    form = client.get(f"/register/cases/{case.reference}/confirm/", {"national_id": person["national_id"]})
    assert form.status_code == 200
    assert f'value="{person["national_id"]}"'.encode() in form.content
    assert f'value="{person["last_name"]}"'.encode() in form.content
    case.refresh_from_db()
    assert case.state == CaseState.ROUTED
    # Second step: the officer chooses the decision and records it.
    response = client.post(
        f"/cases/{case.reference}/actions/decide/",
        {
            "decide-decision": "identified",
            "decide-established_last_name": person["last_name"],
            "decide-established_first_names": person["first_name"],
            "decide-established_birth_date": person["birth_date"],
            "decide-established_birth_place": person["birth_place"],
            "decide-register_national_id": person["national_id"],
            "decide-register_model_version": services.register_engine().model_version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED
    assert case.register_national_id == person["national_id"]
    assert case.register_model_version == services.register_engine().model_version
    assert case.established_last_name == person["last_name"]
    # The band recorded for the guard against the wrong person is the engine's, computed by the platform.
    proposals = services.register_engine().search(services.query_from_case(case), limit=10)
    band = next(c.band for c in proposals if c.national_id == person["national_id"])
    assert case.events.get(kind="decide").details["register_band"] == band
    assert AccessLog.objects.filter(
        action="search", object_type="register", object_id=case.reference
    ).exists()


def test_the_consulate_can_conclude_not_found_without_deciding(client, register, lpc_ready, personas):
    case = make_case(CaseState.ROUTED, **lpc_ready, last_name="QWERTYUIOP", first_names="Zzyzx", aliases=[])
    client.force_login(personas["cg_paris_agent"])
    client.post(f"/register/cases/{case.reference}/not-found/", {"candidates": "0"})
    case.refresh_from_db()
    assert case.state == CaseState.ROUTED
    event = case.events.get(kind="register_searched")
    assert event.details["outcome"] == "not_found" and "QWERTYUIOP" not in json.dumps(event.details)


def test_the_french_side_never_reaches_the_register(client, register, lpc_ready, personas):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    for who in ("pref75_agent", "dgef_central", "gmmp_secretariat"):
        client.force_login(personas[who])
        assert client.get("/register/?last_name=Alaoui").status_code == 404
        assert client.get(f"/register/cases/{case.reference}/").status_code == 404


def test_another_consulate_cannot_search_for_a_case_it_does_not_hold(client, register, lpc_ready, personas):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    client.force_login(personas["cg_lyon_agent"])
    assert client.get(f"/register/cases/{case.reference}/").status_code == 404
    assert (
        client.get(
            f"/register/cases/{case.reference}/confirm/", {"national_id": register[0]["national_id"]}
        ).status_code
        == 404
    )


def test_confirming_an_unknown_register_record_decides_nothing(client, register, lpc_ready, personas):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    client.force_login(personas["cg_paris_agent"])
    client.get(f"/register/cases/{case.reference}/confirm/", {"national_id": "0000000000"})
    case.refresh_from_db()
    assert case.state == CaseState.ROUTED


def test_the_confirm_button_no_longer_decides_in_one_click(client, register, lpc_ready, personas):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    client.force_login(personas["cg_paris_agent"])
    response = client.post(
        f"/register/cases/{case.reference}/confirm/", {"national_id": register[0]["national_id"]}
    )
    assert response.status_code == 405
    case.refresh_from_db()
    assert case.state == CaseState.ROUTED


def test_the_search_form_asks_for_a_name(client, register, personas):
    client.force_login(personas["cg_paris_agent"])
    response = client.get("/register/?birth_date=1990")
    assert b"au moins un nom" in response.content


def test_the_api_search_needs_the_scope_and_the_moroccan_side(client, register, personas):
    person = register[9]
    _t, good = api_token_create(user=personas["cg_paris_agent"], name="t", scopes=["register:search"])
    _t, no_scope = api_token_create(user=personas["cg_paris_agent"], name="t", scopes=["cases:read"])
    _t, french = api_token_create(user=personas["pref75_agent"], name="t", scopes=["register:search"])
    body = json.dumps(
        {
            "first_name": person["first_name"],
            "last_name": person["last_name"],
            "birth_date": person["birth_date"],
            "father_first_name": person["father_first_name"],
        }
    )

    def post(token, data=body):
        return client.post(
            "/api/v1/register/search",
            data,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    ok = post(good)
    assert ok.status_code == 200
    assert ok.json()["candidates"][0]["national_id"] == person["national_id"]
    assert ok.json()["candidates"][0]["explanation"]
    assert post(no_scope).status_code == 403
    assert post(french).status_code == 403
    bad = post(good, json.dumps({"first_name": "A", "birth_date": "1990-02-30"}))
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"


ENGLISH = sorted(
    {text.split("{")[0].strip() for text in (*describe.NOTES.values(), *describe.REASONS.values()) if text}
    | {"bits", "agrees", "disagree", "read as", "swapped", "strong", "weak", "very likely"}
    | {code for code in (*describe.NOTES, *describe.REASONS) if "_" in code}  # a code shown raw
)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_search_page_shows_no_english_in_french_or_arabic(client, register, personas, lang):
    person = next(p for p in register if p["birth_date"].count("-") == 2 and int(p["birth_date"][-2:]) <= 12)
    y, m, d = person["birth_date"].split("-")
    client.force_login(personas["cg_paris_agent"])
    client.cookies["django_language"] = lang
    # Names swapped, day and month swapped: the explanation carries notes and a band reason.
    response = client.get(
        "/register/",
        {
            "first_name": person["last_name"],
            "last_name": person["first_name"],
            "birth_date": f"{y}-{d}-{m}",
            "birth_place": person["birth_place"],
            "father_first_name": person["father_first_name"],
        },
    )
    page = html.unescape(response.content.decode())
    assert f'data-national-id="{person["national_id"]}"' in page
    candidates = services.register_search(
        user=personas["cg_paris_agent"],
        query=Query(
            first_name=person["last_name"], last_name=person["first_name"], birth_date=f"{y}-{d}-{m}"
        ),
    )
    assert any(e.note for c in candidates for e in c.explanation)  # there were notes to render
    with translation.override(lang):
        assert texts.plain_reading(candidates[0].band) in page
    body = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[-1])  # the visible text, not class names
    found = [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", body, re.IGNORECASE)]
    assert not found, f"English on the {lang} search page: {found}"
