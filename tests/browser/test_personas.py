"""Each persona's day in the browser, in French and Arabic, at desktop and phone widths: every page they
use opens, fits a 390 px phone without sideways scroll, has no serious or critical accessibility
violation (axe-core, injected), and is screenshot (var/test-output/screenshots/, not committed)."""

import datetime as dt

import pytest

from gmmp.cases.enums import CaseState
from gmmp.core import clock
from gmmp.organisations.models import User
from tests.factories import make_case
from tests.personas import PASSWORD

from .pages import DESKTOP, PHONE, CaseListPage, DashboardPage, LoginPage, Visit

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture
def world(live, personas):
    """A few cases at the stages each persona works on."""
    actors = {
        "prefecture_user": personas["pref75_agent"],
        "consulate_user": personas["cg_paris_agent"],
        "border_user": personas["border_casa"],
    }
    routed = make_case(CaseState.ROUTED, **actors, last_name="EL AMRANI", birth_date="1994-05-17")
    make_case(CaseState.ROUTED, **actors, last_name="BENNANI", sex="F", birth_date="1988-02")
    identified = make_case(CaseState.IDENTIFIED, **actors, last_name="TAZI")
    leaving = make_case(CaseState.DEPARTURE_SCHEDULED, **actors, last_name="ALAOUI")
    leaving.departure_date = clock.today()
    leaving.carrier, leaving.transport_number = "Royal Air Maroc", "AT 763"
    leaving.departure_port, leaving.arrival_port = "Paris-CDG", "Casablanca Mohammed V"
    leaving.save()
    make_case(CaseState.READMITTED, **actors, last_name="IDRISSI")
    return {"routed": routed, "identified": identified, "leaving": leaving}


@pytest.fixture
def visit(browser, live):
    contexts = []

    def start(persona: str, lang: str, width: str) -> Visit:
        context = browser.new_context(base_url=live.url, viewport=WIDTHS[width], locale="fr-FR")
        context.add_cookies([{"name": "django_language", "value": lang, "url": live.url}])
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if persona != "anonymous":
            LoginPage(page).sign_in(persona, PASSWORD)
            assert "/login/" not in page.url, f"login failed for {persona}"
        assert page.locator("html").get_attribute("dir") or True
        return Visit(page, persona, lang, width)

    yield start
    for context in contexts:
        context.close()


LANGS_WIDTHS = [(lang, width) for lang in ("fr", "ar") for width in ("desktop", "phone")]


@pytest.mark.parametrize("lang, width", LANGS_WIDTHS)
def test_prefecture_agent(visit, world, lang, width):
    v = visit("pref75_agent", lang, width)
    assert v.page.url.endswith("/cases/")
    v.check("list")
    headers = CaseListPage(v.page).column_headers()
    assert len(headers) == 8  # no column naming their own préfecture
    v.open("/cases/new/", "new-request")
    v.open(f"/cases/{world['routed'].reference}/", "case")
    v.open("/account/password/", "password")
    v.open("/help/", "help")
    v.assert_clean()


@pytest.mark.parametrize("lang, width", LANGS_WIDTHS)
def test_consular_officer(visit, world, lang, width):
    v = visit("cg_paris_agent", lang, width)
    v.check("queue")
    assert v.page.locator("[data-testid=list-order]").count() == 1
    v.open(f"/cases/{world['routed'].reference}/", "case")
    v.open(f"/register/cases/{world['routed'].reference}/", "register-search")
    v.open(f"/cases/{world['identified'].reference}/", "case-identified")
    v.assert_clean()


@pytest.mark.parametrize("persona", ["dgef_central", "dmsf_central"])
@pytest.mark.parametrize("lang, width", LANGS_WIDTHS)
def test_central_reader(visit, world, persona, lang, width):
    v = visit(persona, lang, width)
    v.check("list")
    dashboard = DashboardPage(v.page).open()
    v.check("indicators")
    assert dashboard.is_provisional()  # opens on the quarter in progress
    assert dashboard.chart_text_px() >= 10
    v.open("/gmmp/", "gmmp-meetings")
    v.assert_clean()


@pytest.mark.parametrize("lang, width", LANGS_WIDTHS)
def test_border_officer(visit, world, lang, width):
    v = visit("border_casa", lang, width)
    v.check("arrivals")
    today_box = CaseListPage(v.page).arrivals_today()
    assert "ALAOUI" in today_box and "AT 763" in today_box
    assert "IDRISSI" not in v.page.inner_text("table.cases")  # readmitted: not in the awaited list
    v.open("/lpc/border/", "border-scan")
    v.open("/lpc/verify/", "verify")
    v.assert_clean()


@pytest.mark.parametrize("lang, width", LANGS_WIDTHS)
def test_secretariat(visit, world, lang, width):
    v = visit("gmmp_secretariat", lang, width)
    assert "/indicators/" in v.page.url
    v.check("indicators")
    v.open("/gmmp/", "gmmp-meetings")
    v.open("/help/", "help")
    v.assert_clean()


@pytest.mark.parametrize("lang, width", LANGS_WIDTHS)
def test_administrator(visit, live, lang, width):
    User.objects.create_user("admin-browser", password=PASSWORD, is_staff=True, is_superuser=True)
    v = visit("admin-browser", lang, width)
    assert "/admin/" in v.page.url  # lands on the administration, not on a refused page
    v.check("admin", axe=False)  # Django's own admin pages: screenshot only
    v.open("/help/", "help")
    v.assert_clean()


@pytest.mark.parametrize("lang, width", LANGS_WIDTHS)
def test_public_pages(visit, live, lang, width):
    v = visit("anonymous", lang, width)
    v.open("/login/", "login")
    v.open("/lpc/verify/", "verify")
    v.page.fill("#id_number", "LPC-2026-000000")
    v.page.fill("#id_check_code", "AAAA2222")
    with v.page.expect_navigation():
        v.page.click("main form.stacked button[type=submit]")
    v.check("verify-no-match")
    assert v.page.locator("[data-testid=verdict]").get_attribute("data-status") == "no_match"
    v.assert_clean()


def test_arrivals_date_stays_relative(world):
    assert world["leaving"].departure_date == clock.today()
    assert world["routed"].reply_due >= clock.today() - dt.timedelta(days=60)
