import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from gmmp.audit.models import AccessLog
from gmmp.cases.actions import case_issue_laissez_passer
from gmmp.cases.enums import CaseState
from gmmp.cases.models import CaseEvent
from gmmp.core import clock
from gmmp.documents.actions import lpc_revoke
from gmmp.documents.models import LaissezPasser, LpcStatus
from gmmp.documents.selectors import lpc_current
from tests.factories import make_case

from .conftest import photo_bytes

VERIFY = "/lpc/verify/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()  # the shared cache is a database table


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def _issued(lpc_ready, state=CaseState.LPC_ISSUED):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    case_issue_laissez_passer(case=case, user=lpc_ready["consulate_user"], photo=photo_bytes())
    if state != CaseState.LPC_ISSUED:
        raise ValueError(state)
    return case, lpc_current(case)


# The public verification page


def test_the_verification_page_needs_no_login(reference):
    response = Client().get(VERIFY)
    assert response.status_code == 200
    assert "Vérifier un laissez-passer" in response.content.decode()


def test_a_valid_lpc_shows_valid_with_the_name_and_photo_only(lpc_ready):
    case, lpc = _issued(lpc_ready)
    response = Client().post(VERIFY, {"payload": lpc.seal})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="valid"' in body
    assert "EL IDRISSI Mohamed" in body and "data:image/jpeg;base64," in body
    # Nothing more than the name and the photo: no case, no birth data, no removal order.
    assert case.reference not in body and "1994" not in body and case.removal_order_reference not in body


def test_the_qr_content_can_come_in_the_url(lpc_ready):
    _case, lpc = _issued(lpc_ready)
    body = Client().get(VERIFY, {"p": lpc.seal}).content.decode()
    assert 'data-status="valid"' in body


def test_number_and_check_code_typed_by_hand(lpc_ready):
    _case, lpc = _issued(lpc_ready)
    ok = Client().post(VERIFY, {"number": lpc.number.lower(), "check_code": lpc.check_code}).content.decode()
    assert 'data-status="valid"' in ok
    bad = Client().post(VERIFY, {"number": lpc.number, "check_code": "AAAA2222"}).content.decode()
    # A typing slip is the likely cause: nothing matches, check what was typed (not "FAUX").
    assert 'data-status="no_match"' in bad and "EL IDRISSI" not in bad
    assert "AUCUNE CORRESPONDANCE" in bad and "Vérifiez ce qui a été saisi" in bad and "FAUX" not in bad


def test_a_tampered_payload_is_forged_and_shows_no_identity(lpc_ready):
    _case, lpc = _issued(lpc_ready)
    tampered = lpc.seal[:60] + ("A" if lpc.seal[60] != "A" else "B") + lpc.seal[61:]
    body = Client().post(VERIFY, {"payload": tampered}).content.decode()
    assert 'data-status="forged"' in body and "EL IDRISSI" not in body and "data:image" not in body


def test_revoked_and_expired_answers(lpc_ready):
    _case, lpc = _issued(lpc_ready)
    with clock.frozen(clock.now() + dt.timedelta(days=45)):
        assert 'data-status="expired"' in Client().post(VERIFY, {"payload": lpc.seal}).content.decode()
    lpc_revoke(lpc=lpc, user=lpc_ready["consulate_user"], reason="lost")
    assert 'data-status="revoked"' in Client().post(VERIFY, {"payload": lpc.seal}).content.decode()


def test_an_empty_form_is_a_clear_error(reference):
    response = Client().post(VERIFY, {})
    assert response.status_code == 400
    assert "saisissez le numéro et le code de contrôle" in response.content.decode()


def test_every_verification_is_logged_without_personal_data(lpc_ready):
    _case, lpc = _issued(lpc_ready)
    Client().post(VERIFY, {"payload": lpc.seal})
    Client().post(VERIFY, {"payload": "LPC1-GARBAGE"})
    logs = list(AccessLog.objects.filter(action="verify").order_by("at", "pk"))
    assert [(log.object_id, log.detail["status"]) for log in logs] == [(lpc.number, "valid"), ("", "forged")]
    assert logs[0].user is None and "IDRISSI" not in str(logs[0].detail)


def test_verification_is_rate_limited_per_client_with_a_clear_429(settings, lpc_ready):
    settings.LPC_VERIFY_RATE = (3, 60)
    _case, lpc = _issued(lpc_ready)
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert client.post(VERIFY, {"payload": lpc.seal}).status_code == 200
    blocked = client.post(VERIFY, {"payload": lpc.seal})
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    assert "Trop de vérifications" in blocked.content.decode()
    # Another client is not affected; loading the empty page is not a verification.
    assert Client(REMOTE_ADDR="203.0.113.8").post(VERIFY, {"payload": lpc.seal}).status_code == 200
    assert client.get(VERIFY).status_code == 200
    assert AccessLog.objects.filter(action="verify").count() == 4


def test_public_keys_are_published_without_login(lpc_ready):
    _issued(lpc_ready)
    response = Client().get("/lpc/keys.json")
    assert response.status_code == 200
    document = response.json()
    assert document["current"] and document["keys"][0]["crv"] == "P-256"
    assert "d" not in document["keys"][0]  # never the private part


# Issuance and management pages


def test_the_consulate_issues_through_the_form_with_a_photo(lpc_ready):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    client = _as(lpc_ready["consulate_user"])
    url = reverse("documents:issue", kwargs={"reference": case.reference})
    page = client.get(url)
    assert page.status_code == 200 and 'value="EL IDRISSI"' in page.content.decode()
    today = clock.today()
    data = {
        "holder_last_name": "EL IDRISSI",
        "holder_first_names": "Mohamed",
        "holder_birth_date": "1994",
        "holder_birth_place": "Casablanca",
        "holder_sex": "M",
        "valid_from": today.isoformat(),
        "valid_to": (today + dt.timedelta(days=29)).isoformat(),
        "destination": "Maroc",
        "photo": io.BytesIO(photo_bytes()),
    }
    data["photo"].name = "portrait.jpg"
    response = client.post(url, data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.LPC_ISSUED
    assert lpc_current(case).photo_storage_name


def test_the_issue_form_requires_a_photo_and_keeps_the_case_unchanged(lpc_ready):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    client = _as(lpc_ready["consulate_user"])
    today = clock.today()
    response = client.post(
        reverse("documents:issue", kwargs={"reference": case.reference}),
        {
            "holder_last_name": "EL IDRISSI",
            "holder_first_names": "Mohamed",
            "valid_from": today.isoformat(),
            "valid_to": (today + dt.timedelta(days=29)).isoformat(),
            "destination": "Maroc",
        },
    )
    assert response.status_code == 400
    assert "photo" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED


def test_another_prefecture_gets_404_for_the_issue_page_and_the_pdf(lpc_ready, personas):
    case, lpc = _issued(lpc_ready)
    other = _as(personas["pref92_agent"])
    assert other.get(reverse("documents:issue", kwargs={"reference": case.reference})).status_code == 404
    assert other.get(reverse("documents:pdf", kwargs={"number": lpc.number})).status_code == 404
    assert other.get(reverse("documents:pdf", kwargs={"number": "CG-PARIS-1999-99999"})).status_code == 404


def test_the_prefecture_downloads_the_pdf_and_it_is_logged(lpc_ready):
    case, lpc = _issued(lpc_ready)
    response = _as(lpc_ready["prefecture_user"]).get(reverse("documents:pdf", kwargs={"number": lpc.number}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    assert lpc.number in text and "EL IDRISSI" in text and lpc.check_code in text
    assert "Laissez-passer" in text and "consulaire" in text
    assert "المملكة المغربية" in text  # the Arabic column, as text (shaped glyphs map back to letters)
    log = AccessLog.objects.get(action="download", object_id=lpc.number)
    assert log.detail["case"] == case.reference and log.user == lpc_ready["prefecture_user"]


def test_the_pdf_embeds_an_arabic_font_for_the_arabic_column(lpc_ready):
    _case, lpc = _issued(lpc_ready)
    response = _as(lpc_ready["consulate_user"]).get(reverse("documents:pdf", kwargs={"number": lpc.number}))
    reader = PdfReader(io.BytesIO(response.content))
    fonts = {
        str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values() for f in [f.get_object()]
    }
    assert any("Arabic" in name for name in fonts), fonts


def test_the_consulate_extends_and_revokes_through_the_pages(lpc_ready):
    case, lpc = _issued(lpc_ready)
    client = _as(lpc_ready["consulate_user"])
    new_end = lpc.valid_to + dt.timedelta(days=10)
    response = client.post(
        reverse("documents:extend", kwargs={"number": lpc.number}),
        {"valid_to": new_end.isoformat(), "comment": "vol reporté"},
    )
    assert response.status_code == 302
    lpc.refresh_from_db()
    assert lpc.valid_to == new_end
    bad = client.post(
        reverse("documents:revoke", kwargs={"number": lpc.number}), {"reason": "other", "comment": ""}
    )
    assert bad.status_code == 400
    client.post(reverse("documents:revoke", kwargs={"number": lpc.number}), {"reason": "lost"})
    lpc.refresh_from_db()
    assert lpc.status == LpcStatus.REVOKED
    assert CaseEvent.objects.filter(case=case, kind__in=["lpc_extended", "lpc_revoked"]).count() == 2


def test_the_consulate_reissues_through_the_page(lpc_ready):
    case, lpc = _issued(lpc_ready)
    today = clock.today()
    response = _as(lpc_ready["consulate_user"]).post(
        reverse("documents:reissue", kwargs={"number": lpc.number}),
        {
            "holder_last_name": "EL IDRISSI",
            "holder_first_names": "Mohammed",
            "valid_from": today.isoformat(),
            "valid_to": (today + dt.timedelta(days=20)).isoformat(),
            "destination": "Maroc",
            "comment": "prénom",
        },
    )
    assert response.status_code == 302
    new = lpc_current(case)
    assert new.number != lpc.number and new.holder_first_names == "Mohammed"


def test_the_prefecture_cannot_reach_the_management_pages(lpc_ready):
    _case, lpc = _issued(lpc_ready)
    client = _as(lpc_ready["prefecture_user"])
    for name in ("extend", "reissue", "revoke"):
        assert client.get(reverse(f"documents:{name}", kwargs={"number": lpc.number})).status_code == 404


def test_the_case_page_shows_the_lpc_panel_with_actions_for_the_consulate_only(lpc_ready):
    case, lpc = _issued(lpc_ready)
    consulate_page = _as(lpc_ready["consulate_user"]).get(
        reverse("cases:detail", kwargs={"reference": case.reference})
    )
    body = consulate_page.content.decode()
    assert lpc.number in body and reverse("documents:extend", kwargs={"number": lpc.number}) in body
    prefecture_page = _as(lpc_ready["prefecture_user"]).get(
        reverse("cases:detail", kwargs={"reference": case.reference})
    )
    body = prefecture_page.content.decode()
    assert reverse("documents:pdf", kwargs={"number": lpc.number}) in body
    assert reverse("documents:extend", kwargs={"number": lpc.number}) not in body


def test_the_case_page_offers_issuance_to_the_consulate_of_an_identified_case(lpc_ready):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    body = (
        _as(lpc_ready["consulate_user"])
        .get(reverse("cases:detail", kwargs={"reference": case.reference}))
        .content.decode()
    )
    assert reverse("documents:issue", kwargs={"reference": case.reference}) in body


# The border scan


def test_the_border_scan_page_confirms_readmission_then_flags_a_second_scan(lpc_ready):
    case = make_case(CaseState.DEPARTED, **lpc_ready)
    lpc = lpc_current(case)
    client = _as(lpc_ready["border_user"])
    # First the photo, name and validity; nothing confirmed yet.
    shown = client.post(reverse("documents:border_scan"), {"payload": lpc.seal}).content.decode()
    assert 'data-testid="holder-name"' in shown and 'data-testid="validity"' in shown
    assert 'data-testid="confirm-arrival"' in shown and 'data-testid="refuse-arrival"' in shown
    case.refresh_from_db()
    assert case.state == CaseState.DEPARTED
    first = client.post(
        reverse("documents:border_scan"), {"payload": lpc.seal, "op": "confirm"}
    ).content.decode()
    assert "Réadmission confirmée" in first and 'data-status="valid"' in first
    case.refresh_from_db()
    assert case.state == CaseState.READMITTED
    # Presented again later (a scan repeated within minutes is idempotent: tests/security).
    with clock.frozen(clock.now() + dt.timedelta(hours=1)):
        second = client.post(reverse("documents:border_scan"), {"payload": lpc.seal}).content.decode()
    assert 'data-status="used"' in second and "DÉJÀ UTILISÉ" in second
    assert LaissezPasser.objects.get(pk=lpc.pk).status == LpcStatus.USED
    assert CaseEvent.objects.filter(case=case, kind="lpc_reuse_flagged").count() == 1


def test_the_border_officer_refuses_an_arrival_with_a_recorded_reason(
    lpc_ready, django_capture_on_commit_callbacks
):
    from gmmp.notifications.models import Notification

    case = make_case(CaseState.DEPARTED, **lpc_ready)
    lpc = lpc_current(case)
    client = _as(lpc_ready["border_user"])
    url = reverse("documents:border_scan")
    without_reason = client.post(url, {"payload": lpc.seal, "op": "refuse"})
    assert not CaseEvent.objects.filter(case=case, kind="arrival_refused").exists()
    assert 'data-testid="refuse-arrival"' in without_reason.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            url, {"payload": lpc.seal, "op": "refuse", "reason": "photo_mismatch"}
        ).content.decode()
    assert "Arrivée refusée" in page
    event = CaseEvent.objects.get(case=case, kind="arrival_refused")
    assert event.reason == "photo_mismatch"
    case.refresh_from_db()
    assert (
        case.state == CaseState.DEPARTED and LaissezPasser.objects.get(pk=lpc.pk).status == LpcStatus.ISSUED
    )
    told = set(
        Notification.objects.filter(case=case, kind="arrival_refused").values_list(
            "recipient__username", flat=True
        )
    )
    assert "cg_paris_agent" in told and "pref75_agent" in told


def test_the_border_scan_page_is_for_border_police_only(lpc_ready, personas):
    assert _as(personas["cg_paris_agent"]).get(reverse("documents:border_scan")).status_code == 404
    assert _as(personas["border_casa"]).get(reverse("documents:border_scan")).status_code == 200


def test_the_case_page_sends_border_police_to_the_scan_for_a_departed_case(lpc_ready):
    case = make_case(CaseState.DEPARTED, **lpc_ready)
    body = (
        _as(lpc_ready["border_user"])
        .get(reverse("cases:detail", kwargs={"reference": case.reference}))
        .content.decode()
    )
    assert reverse("documents:border_scan") in body


def test_after_a_document_that_is_not_valid_the_officer_scans_the_next_one_from_the_same_page(lpc_ready):
    case = make_case(CaseState.DEPARTED, **lpc_ready)
    client = _as(lpc_ready["border_user"])
    forged = client.post(reverse("documents:border_scan"), {"payload": "GMMP1.not-a-seal"}).content.decode()
    assert 'data-status="valid"' not in forged and 'data-testid="scan"' in forged
    valid = client.post(
        reverse("documents:border_scan"), {"payload": lpc_current(case).seal}
    ).content.decode()
    assert 'data-testid="confirm-arrival"' in valid and 'data-testid="scan"' not in valid
