"""The case pages: who sees what, what each form refuses, and that nothing is saved half-way."""

import base64
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gmmp.audit.models import AccessLog
from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case, CaseEvent
from gmmp.core import clock
from tests.factories import filing_form, make_case
from tests.www.test_error_pages import same_page_but_the_address

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


_form = filing_form


@pytest.fixture
def paris_cases(lpc_ready, personas):
    routed = make_case(CaseState.ROUTED, **lpc_ready)
    other = make_case(
        CaseState.ROUTED,
        prefecture_user=personas["pref92_agent"],
        consulate_user=personas["cg_colombes_agent"],
    )
    return routed, other


def test_a_prefecture_files_a_request_that_goes_to_the_competent_consulate(client, personas):
    client.force_login(personas["pref75_agent"])
    response = client.post("/cases/new/", _form(**{"evidence-file": SimpleUploadedFile("p.png", PNG)}))
    case = Case.objects.get(removal_order_reference="OQTF-1")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.reference}/"
    assert case.state == CaseState.ROUTED and case.consulate.code == "CG-PARIS"
    assert case.evidence.get().category == "proof"


def test_a_draft_stays_a_draft_until_submitted(client, personas):
    client.force_login(personas["pref75_agent"])
    data = _form()
    del data["submit"]
    client.post("/cases/new/", {**data, "draft": "1"})
    assert Case.objects.get().state == CaseState.DRAFT


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"last_name": ""}, "Ce champ est obligatoire"),
        ({"birth_date": "1995-02-30"}, "n&#x27;existe pas dans le calendrier"),
        ({"birth_date": "vers 1990"}, "Date attendue : AAAA, AAAA-MM ou AAAA-MM-JJ"),
        ({"birth_date": "2999"}, "hors des limites plausibles"),
        ({"removal_order_date": "2999-01-01"}, "ne peut pas être dans le futur"),
        ({"detention_start": "2000-01-01"}, "ne peut pas précéder"),
        ({"detention_place": "999999"}, "Sélectionnez un choix valide"),
        ({"evidence-category": "nonsense"}, "Sélectionnez un choix valide"),
    ],
)
def test_the_request_form_refuses_bad_input_and_saves_nothing(client, personas, overrides, field_message):
    client.force_login(personas["pref75_agent"])
    response = client.post("/cases/new/", _form(**overrides))
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_the_request_form_refuses_a_file_that_is_not_a_pdf_or_image(client, personas):
    client.force_login(personas["pref75_agent"])
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post("/cases/new/", _form(**{"evidence-file": bad}))
    assert response.status_code == 400 and "Type de fichier refusé" in response.content.decode()
    assert not Case.objects.exists()


def test_the_request_form_refuses_a_file_too_large(client, personas, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    client.force_login(personas["pref75_agent"])
    big = SimpleUploadedFile("big.png", PNG + b"\0" * 200)
    response = client.post("/cases/new/", _form(**{"evidence-file": big}))
    assert response.status_code == 400 and "taille maximale" in response.content.decode()
    assert not Case.objects.exists()


def test_only_a_prefecture_has_the_new_request_page(client, personas):
    for who in ("cg_paris_agent", "dgef_central", "dmsf_central", "gmmp_secretariat"):
        client.force_login(personas[who])
        assert client.get("/cases/new/").status_code == 404


def test_lists_show_only_what_each_organisation_may_see(client, paris_cases, personas):
    paris, colombes = paris_cases
    expectations = {
        "pref75_agent": {paris.reference},
        "pref92_agent": {colombes.reference},
        "cg_paris_agent": {paris.reference},
        "cg_colombes_agent": {colombes.reference},
        "cg_lyon_agent": set(),
        "dgef_central": {paris.reference, colombes.reference},
        "dmsf_central": {paris.reference, colombes.reference},
    }
    for who, expected in expectations.items():
        client.force_login(personas[who])
        page = client.get("/cases/").content.decode()
        shown = {ref for ref in (paris.reference, colombes.reference) if ref in page}
        assert shown == expected, who


def test_the_secretariat_has_no_case_list(client, paris_cases, personas):
    client.force_login(personas["gmmp_secretariat"])
    assert client.get("/cases/").status_code == 404


@pytest.mark.parametrize("suffix", ["", "edit/", "evidence/1/"])
def test_a_case_that_is_not_yours_answers_like_a_missing_one(client, paris_cases, personas, suffix):
    _paris, colombes = paris_cases
    client.force_login(personas["pref75_agent"])
    not_yours = client.get(f"/cases/{colombes.reference}/{suffix}")
    missing = client.get(f"/cases/DI-1999-999999/{suffix}")
    assert not_yours.status_code == missing.status_code == 404
    assert same_page_but_the_address(not_yours, colombes.reference, missing, "DI-1999-999999")


def test_a_transition_on_a_case_that_is_not_yours_is_404_and_changes_nothing(client, paris_cases, personas):
    paris, _colombes = paris_cases
    client.force_login(personas["cg_lyon_agent"])
    response = client.post(f"/cases/{paris.reference}/actions/decide/", {"decide-decision": "not_national"})
    assert response.status_code == 404
    paris.refresh_from_db()
    assert paris.state == CaseState.ROUTED


def test_the_consulate_decides_from_the_case_page(client, paris_cases, personas):
    paris, _ = paris_cases
    client.force_login(personas["cg_paris_agent"])
    response = client.post(
        f"/cases/{paris.reference}/actions/decide/",
        {
            "decide-decision": "identified",
            "decide-established_last_name": "EL IDRISSI",
            "decide-established_first_names": "Mohamed",
            "decide-established_birth_date": "1994-03-02",
        },
    )
    assert response.status_code == 302
    paris.refresh_from_db()
    assert paris.state == CaseState.IDENTIFIED and paris.established_birth_date == "1994-03-02"


def test_a_decision_without_the_established_identity_is_refused_with_a_reason(client, paris_cases, personas):
    paris, _ = paris_cases
    client.force_login(personas["cg_paris_agent"])
    response = client.post(
        f"/cases/{paris.reference}/actions/decide/",
        {
            "decide-decision": "identified",
            "decide-established_last_name": "",
            "decide-established_first_names": "",
        },
    )
    assert response.status_code == 400
    assert "Indiquez l&#x27;identité établie" in response.content.decode()
    paris.refresh_from_db()
    assert paris.state == CaseState.ROUTED


def test_a_transition_in_the_wrong_state_is_refused_with_a_readable_reason(client, paris_cases, personas):
    paris, _ = paris_cases
    client.force_login(personas["pref75_agent"])
    response = client.post(
        f"/cases/{paris.reference}/actions/record_departure/",
        {"record_departure-outcome": "departed", "record_departure-departed_at": "2026-11-20T09:00"},
    )
    assert response.status_code == 400
    assert "n&#x27;est pas possible quand la demande est à l&#x27;état" in response.content.decode()


def test_a_failed_departure_needs_its_reason(client, lpc_ready, personas):
    case = make_case(CaseState.DEPARTURE_SCHEDULED, **lpc_ready)
    client.force_login(personas["pref75_agent"])
    response = client.post(
        f"/cases/{case.reference}/actions/record_departure/", {"record_departure-outcome": "failed"}
    )
    assert response.status_code == 400 and "raison de l&#x27;échec" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.DEPARTURE_SCHEDULED


def test_the_case_page_offers_only_the_actions_the_user_may_take(client, paris_cases, personas):
    paris, _ = paris_cases
    client.force_login(personas["cg_paris_agent"])
    page = client.get(f"/cases/{paris.reference}/").content.decode()
    assert 'data-action="decide"' in page and 'data-action="withdraw"' not in page
    client.force_login(personas["pref75_agent"])
    page = client.get(f"/cases/{paris.reference}/").content.decode()
    assert 'data-action="withdraw"' in page and 'data-action="decide"' not in page


def test_every_view_of_a_case_and_of_evidence_is_logged(client, lpc_ready, personas):
    client.force_login(personas["pref75_agent"])
    client.post("/cases/new/", _form(**{"evidence-file": SimpleUploadedFile("p.png", PNG)}))
    case = Case.objects.get()
    client.get(f"/cases/{case.reference}/")
    evidence = case.evidence.get()
    download = client.get(f"/cases/{case.reference}/evidence/{evidence.pk}/")
    assert download.status_code == 200 and download.content == PNG
    assert AccessLog.objects.filter(action="view", object_id=case.reference).count() == 1
    assert (
        AccessLog.objects.filter(
            action="download", object_type="evidence", object_id=str(evidence.pk)
        ).count()
        == 1
    )


def test_evidence_is_stored_encrypted(client, personas, settings):
    client.force_login(personas["pref75_agent"])
    client.post("/cases/new/", _form(**{"evidence-file": SimpleUploadedFile("p.png", PNG)}))
    evidence = Case.objects.get().evidence.get()
    stored = (settings.MEDIA_ROOT / "evidence" / evidence.storage_name).read_bytes()
    assert PNG not in stored and not stored.startswith(b"\x89PNG")


def test_the_consulate_queue_lists_the_most_urgent_first(client, lpc_ready, personas):
    today = clock.today()
    later = make_case(
        CaseState.ROUTED,
        **lpc_ready,
        detention_start=today - dt.timedelta(days=1),
        removal_order_date=today - dt.timedelta(days=3),
    )
    sooner = make_case(
        CaseState.ROUTED,
        **lpc_ready,
        detention_start=today - dt.timedelta(days=85),
        removal_order_date=today - dt.timedelta(days=90),
    )
    client.force_login(personas["cg_paris_agent"])
    page = client.get("/cases/").content.decode()
    assert page.index(sooner.reference) < page.index(later.reference)
    assert "Libération proche" in page  # released within 7 days → due soon, said in words


def _queries_for(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("dgef_central", "/cases/"),  # national list
        ("cg_paris_agent", "/cases/"),  # the consulate's queue
        ("cg_paris_agent", "/cases/?open_only=1"),
        ("pref75_agent", "/cases/"),  # the préfecture's own requests
        ("dmsf_central", "/cases/"),
    ],
)
def test_a_list_page_costs_the_same_queries_for_one_case_or_many(client, lpc_ready, personas, persona, url):
    make_case(CaseState.ROUTED, **lpc_ready)
    client.force_login(personas[persona])
    one = _queries_for(client, url)
    states = (CaseState.ROUTED, CaseState.IDENTIFIED, CaseState.LPC_ISSUED, CaseState.READMITTED) * 3
    for i, state in enumerate(states):
        # Different detention starts: the rules in force are read once a page, not once a date.
        make_case(state, **lpc_ready, detention_start=clock.today() - dt.timedelta(days=1 + i % 3))
    assert _queries_for(client, url) == one


def test_pages_are_right_to_left_in_arabic(client, paris_cases, personas):
    client.force_login(personas["cg_paris_agent"])
    client.cookies["django_language"] = "ar"
    page = client.get("/cases/").content.decode()
    assert 'dir="rtl"' in page and 'lang="ar"' in page


def test_anonymous_visitors_are_sent_to_the_login_page(client, paris_cases):
    paris, _ = paris_cases
    for url in ("/", "/cases/", f"/cases/{paris.reference}/", "/cases/new/", "/register/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


@pytest.mark.parametrize(
    "lang, written, not_written",
    [
        ("en", "Surname: ", "Surname : "),
        ("ar", "الاسم العائلي: ", "الاسم العائلي : "),
        ("fr", "Nom : ", "Nom: "),
    ],
)
def test_the_error_summary_writes_the_colon_as_the_language_does(
    client, personas, lang, written, not_written
):
    client.force_login(personas["pref75_agent"])
    page = client.post("/cases/new/", {"submit": "1"}, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    summary = page[page.index("<ul>", page.index("error-summary")) :][:3000]
    assert written in summary and not_written not in summary
