"""One case from filing to readmission, through the real pages, in French and in Arabic."""

import base64
import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from gmmp.cases.models import Case
from gmmp.core import clock
from tests.browser_support import choose_language, login

from .pages import CasePage, NewRequestPage

# A 1×1 PNG: the smallest real image, enough for the type check by content.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def walk_one_case(new_page, tmp_path, lang: str) -> Case:
    today = clock.today()
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)

    # The préfecture files the request.
    pref = new_page()
    login(pref, "pref75_agent")
    if lang != "fr":
        choose_language(pref, lang)
    assert pref.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    case_page = (
        NewRequestPage(pref)
        .open()
        .fill_identity(
            last_name="EL OUAZZANI",
            first_names="Youssef",
            birth_date="1992",
            birth_place="Fès",
            father_first_name="Abdelkader",
            mother_first_name="Fatima",
            mother_last_name="Tazi",
            removal_order_reference="OQTF-TEST-1",
            removal_order_date=str(today - dt.timedelta(days=10)),
            detention_start=str(today - dt.timedelta(days=3)),
            sex="M",
        )
        .attach("photo", "photo", str(photo))
        .submit()
    )
    reference = case_page.reference
    case = Case.objects.get(reference=reference)
    assert case.state == "routed" and case.consulate.code == "CG-PARIS"

    # The consulate schedules an interview and identifies the person.
    consul = new_page()
    login(consul, "cg_paris_agent")
    if lang != "fr":
        choose_language(consul, lang)
    page = CasePage(consul).open(reference)
    assert "decide" in page.available_actions()
    page.act("schedule_interview", at=f"{today + dt.timedelta(days=1)}T10:00", mode="video")
    page.act(
        "decide",
        decision="identified",
        established_last_name="EL OUAZZANI",
        established_first_names="Youssef",
        established_birth_date="1992-03-14",
    )
    case.refresh_from_db()
    assert case.state == "identified"
    issue_laissez_passer(consul, reference, photo)
    case.refresh_from_db()
    assert case.state == "lpc_issued"

    # The préfecture records the judge's extension of the detention, books the departure and records it
    # at its actual time.
    page = CasePage(pref).open(reference)
    page.act(
        "record_legal_event",
        kind="extension_granted",
        on=str(today),
        reference="JLD Paris 26/1",
        extended_to=str(today + dt.timedelta(days=20)),
    )
    case.refresh_from_db()
    assert case.detention_end == today + dt.timedelta(days=20)
    page.act(
        "schedule_departure",
        departure_date=str(today),
        carrier="Royal Air Maroc",
        transport_number="AT701",
        departure_port="Paris-Orly",
        arrival_port="Casablanca Mohammed V",
        escort=True,
    )
    departed_at = timezone.localtime(clock.now() - dt.timedelta(minutes=5), zoneinfo.ZoneInfo("Europe/Paris"))
    page.act("record_departure", outcome="departed", departed_at=departed_at.strftime("%Y-%m-%dT%H:%M"))
    case.refresh_from_db()
    assert case.state == "departed"

    # Moroccan border police confirm the arrival.
    border = new_page()
    login(border, "border_casa")
    if lang != "fr":
        choose_language(border, lang)
    confirm_readmission(border, reference)
    case.refresh_from_db()
    assert case.state == "readmitted"
    assert list(case.events.values_list("kind", flat=True)).count("confirm_readmission") == 1
    return case


def issue_laissez_passer(page, reference, photo):
    """Through the documents feature's own page, reached from the case page."""
    CasePage(page).open(reference)
    link = page.locator("[data-action-link=issue_laissez_passer]")
    with page.expect_navigation():
        link.click()
    form = page.locator("form[method=post]").filter(has=page.locator("button[type=submit]")).last
    if form.locator("input[type=file]").count():
        form.locator("input[type=file]").first.set_input_files(str(photo))
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def confirm_readmission(page, reference):
    """The border officer scans the QR code of the document the person carries (its content, typed here)."""
    from gmmp.documents.models import LaissezPasser

    seal = LaissezPasser.objects.get(case__reference=reference, status="issued").seal
    CasePage(page).open(reference)
    with page.expect_navigation():
        page.click("[data-action-link=confirm_readmission]")
    page.fill("textarea[name=payload]", seal)
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    # The photo, the name and the validity first; then the officer confirms the arrival.
    assert page.locator("[data-testid=holder-name]").is_visible()
    with page.expect_navigation():
        page.click("[data-testid=confirm-arrival] button[type=submit]")


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_case_walks_from_filing_to_readmission_in_the_browser(new_page, tmp_path, lang):
    case = walk_one_case(new_page, tmp_path, lang)
    assert [e.kind for e in case.events.order_by("sequence")][:3] == ["created", "evidence_added", "submit"]
