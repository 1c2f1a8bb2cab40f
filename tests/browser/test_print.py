"""Printing a case: no buttons or forms on paper, the facts and history on as few pages as possible."""

import io

import pypdf

from gmmp.cases.enums import CaseState
from tests.factories import make_case
from tests.personas import PASSWORD

from .pages import DESKTOP, LoginPage


def test_a_printed_case_has_no_buttons_and_fits_two_pages(browser, live, lpc_ready):
    case = make_case(CaseState.READMITTED, **lpc_ready)  # a long history: every step to readmission
    context = browser.new_context(base_url=live.url, viewport=DESKTOP)
    context.add_cookies([{"name": "django_language", "value": "fr", "url": live.url}])
    try:
        page = context.new_page()
        LoginPage(page).sign_in("pref75_agent", PASSWORD)
        page.goto(f"/cases/{case.reference}/")
        screen_buttons = page.locator("button:visible, a.button:visible").count()
        assert screen_buttons > 0  # on screen there are actions to take
        page.emulate_media(media="print")
        assert (
            page.locator("button:visible, a.button:visible, form:visible, details.action:visible").count()
            == 0
        )
        pdf = page.pdf(format="A4", print_background=False)
    finally:
        context.close()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert case.reference in text and "Historique" in text
    assert "Se déconnecter" not in text and "Actions possibles" not in text
    assert len(reader.pages) <= 2, len(reader.pages)
    # No page carries a lone line: every page after the first has a real share of the content.
    if len(reader.pages) == 2:
        assert len(reader.pages[1].extract_text().splitlines()) >= 3
