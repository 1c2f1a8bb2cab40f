"""Keyboard-only paths (filing, deciding, scanning) and the accessibility check itself."""

import base64
import datetime as dt

import pytest

from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.core import clock
from gmmp.documents.models import LaissezPasser
from tests.factories import make_case
from tests.personas import PASSWORD

from .pages import DESKTOP, LoginPage, axe_violations, tab_to

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def signed_in(browser, live):
    contexts = []

    def start(username: str, lang: str = "fr"):
        context = browser.new_context(base_url=live.url, viewport=DESKTOP, locale="fr-FR")
        context.add_cookies([{"name": "django_language", "value": lang, "url": live.url}])
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        LoginPage(page).sign_in(username, PASSWORD)
        return page

    yield start
    for context in contexts:
        context.close()


def test_the_accessibility_check_finds_a_real_violation(signed_in):
    """The check can fail: an image without text and an unlabelled field are reported."""
    page = signed_in("pref75_agent")
    page.goto("/help/")
    assert axe_violations(page) == []
    page.evaluate(
        """() => { const m = document.querySelector('main');
                   m.insertAdjacentHTML('beforeend', '<img src="/static/gmmp/favicon.svg"><input type="text">'); }"""
    )
    found = {v["id"] for v in axe_violations(page)}
    assert "image-alt" in found


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_filing_with_the_keyboard_only(signed_in, tmp_path, lang):
    page = signed_in("pref75_agent", lang)
    page.goto("/cases/new/")
    # A first try with the name missing: the error summary takes the focus, its link leads to the field.
    tab_to(page, "#id_first_names").type("Hamza")
    tab_to(page, "button[name=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    tab_to(page, "#error-summary a[href='#id_last_name']")
    page.keyboard.press("Enter")
    tab_to(page, "#id_last_name").type("EL AMRANI")
    tab_to(page, "#id_removal_order_reference")
    page.keyboard.type("OQTF-KBD-1")
    tab_to(page, "#id_removal_order_date")
    order_date = clock.today() - dt.timedelta(days=3)
    page.keyboard.type(f"{order_date:%m%d%Y}")  # Chromium's date field: month, day, year segments
    tab_to(page, "#id_sex")
    page.keyboard.press("ArrowUp")  # a choice in a list, with the arrows
    tab_to(page, "button[name=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    case = Case.objects.get(removal_order_reference="OQTF-KBD-1")
    assert case.state == "routed" and case.first_names == "Hamza"
    assert case.removal_order_date == order_date and case.sex != "X"


def test_deciding_with_the_keyboard_only(signed_in, lpc_ready):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    page = signed_in("cg_paris_agent")
    page.goto(f"/cases/{case.reference}/")
    tab_to(page, "details[data-action=decide] summary")
    page.keyboard.press("Enter")  # opens the decision form
    tab_to(page, "input[name=decide-decision][value=identified]")
    page.keyboard.press("Space")
    tab_to(page, "details[data-action=decide] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    case.refresh_from_db()
    assert case.state == "identified"


def test_scanning_at_the_border_with_the_keyboard_only(signed_in, lpc_ready):
    case = make_case(CaseState.DEPARTED, **lpc_ready)
    seal = LaissezPasser.objects.get(case=case, status="issued").seal
    page = signed_in("border_casa")
    page.goto("/lpc/border/")
    tab_to(page, "textarea[name=payload]")
    page.keyboard.insert_text(seal)  # what a scanner types
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # First step: photo, name and validity shown, nothing recorded yet; then confirm the arrival.
    case.refresh_from_db()
    assert case.state == "departed"
    tab_to(page, "[data-testid=confirm-arrival] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    case.refresh_from_db()
    assert case.state == "readmitted"
    assert page.locator("[data-testid=verdict]").get_attribute("data-status") == "valid"
