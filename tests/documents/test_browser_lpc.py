"""In the browser: the consulate issues an LPC from the case page, downloads its PDF, and anyone checks
it on the public page (by its number and check code, and by the QR content)."""

import io

import pytest
from pypdf import PdfReader

from gmmp.cases.enums import CaseState
from gmmp.documents.selectors import lpc_current
from tests.browser_support import login
from tests.documents.conftest import photo_bytes
from tests.factories import make_case

pytestmark = pytest.mark.browser


def test_issue_download_and_verify_an_lpc_in_the_browser(new_page, personas, tmp_path):
    case = make_case(
        CaseState.IDENTIFIED,
        prefecture_user=personas["pref75_agent"],
        consulate_user=personas["cg_paris_agent"],
    )
    photo = tmp_path / "portrait.jpg"
    photo.write_bytes(photo_bytes())

    consul = new_page()
    login(consul, "cg_paris_agent")
    consul.goto(f"/cases/{case.reference}/")
    with consul.expect_navigation():
        consul.click("[data-testid=lpc-issue]")
    assert consul.input_value("#id_holder_last_name") == "EL IDRISSI"  # the established identity, pre-filled
    consul.set_input_files("#id_photo", str(photo))
    with consul.expect_navigation():
        consul.click("form.stacked button[type=submit]")
    assert consul.url.rstrip("/").endswith(case.reference)
    number = consul.inner_text("[data-testid=lpc-number]")
    assert consul.inner_text("[data-testid=lpc-status]") == "Valable"

    # The PDF, with the session of the officer (the link is access-checked).
    href = consul.get_attribute("[data-testid=lpc-pdf]", "href")
    response = consul.context.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert number in text
    lpc = lpc_current(case)
    assert lpc.check_code in text

    # Anyone, without an account: the number and check code read on the paper.
    public = new_page()
    public.goto("/lpc/verify/")
    public.fill("#id_number", number)
    public.fill("#id_check_code", lpc.check_code)
    with public.expect_navigation():
        public.click("form.stacked button[type=submit]")
    verdict = public.locator("[data-testid=verdict]")
    assert verdict.get_attribute("data-status") == "valid"
    assert public.inner_text("[data-testid=holder-name]") == "EL IDRISSI Mohamed"
    assert public.locator(".verdict img.holder").count() == 1

    # A scanner typing the QR content; then the same content altered by one character.
    public.fill("#id_payload", lpc.seal)
    with public.expect_navigation():
        public.click("form.stacked button[type=submit]")
    assert public.locator("[data-testid=verdict]").get_attribute("data-status") == "valid"
    altered = lpc.seal[:-3] + ("AAA" if not lpc.seal.endswith("AAA") else "BBB")
    public.fill("#id_payload", altered)
    with public.expect_navigation():
        public.click("form.stacked button[type=submit]")
    assert public.locator("[data-testid=verdict]").get_attribute("data-status") == "forged"
    assert public.locator("[data-testid=holder-name]").count() == 0
