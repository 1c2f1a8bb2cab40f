"""A child's case through the real pages, from the referral to the 12-month follow-up, in French and Arabic."""

import pytest

from gmmp.core import clock
from gmmp.minors.models import MinorCase, MinorEvent
from tests.browser_support import choose_language, login

from .conftest import PDF
from .pages import MinorCasePage, ReferralPage

pytestmark = pytest.mark.browser


def _as(new_page, username, lang):
    page = new_page()
    login(page, username)
    if lang != "fr":
        choose_language(page, lang)
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    return page


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_child_walks_the_protected_track_in_the_browser(new_page, minor_personas, tmp_path, lang):
    today = clock.today().isoformat()
    decision = tmp_path / "decision.pdf"
    decision.write_bytes(PDF)

    ase = _as(new_page, "ase75_officer", lang)
    case_page = (
        ReferralPage(ase)
        .open()
        .refer(
            last_name="Demo-Benjelloun",
            first_names="Adam",
            sex="M",
            birth_date="2010",
            birth_place="Tanger",
            father_first_name="Hassan",
            mother_first_name="Saadia",
            mother_last_name="Demo-Idrissi",
            languages="arabe dialectal",
        )
    )
    reference = case_page.reference
    case = MinorCase.objects.get(reference=reference)
    assert case.consulate.code == "CG-PARIS"

    consul = _as(new_page, "cg_paris_cp", lang)
    page = MinorCasePage(consul).open(reference)
    assert page.steps_offered() == ["identify"]
    page.take("identify", identified="yes", register_national_id="1234567890")
    page.take("trace_family", outcome="found", contacts="Appel à la mère")

    page = MinorCasePage(ase).open(reference)
    page.take("assess_age", basis="consular", conclusion="minor", assessment="Acte vérifié au registre")
    page.take("screen", result="negative", vulnerabilities=["street"])
    page.take(
        "assess_best_interests",
        child_view="بغيت نرجع عند مي",
        child_view_language="arabe dialectal",
        recommendation="return",
        reasons="Famille retrouvée",
    )
    assert "بغيت نرجع عند مي" in page.text()

    judge = _as(new_page, "judge_paris", lang)
    MinorCasePage(judge).open(reference).take(
        "decide",
        files={"document": str(decision)},
        outcome="return",
        decision_date=today,
        decision_reference="JE-75-1",
    )

    services = _as(new_page, "ma_enfance_officer", lang)
    page = MinorCasePage(services).open(reference)
    page.take(
        "confirm_reception",
        receiving_kind="family",
        receiving_name="Famille Demo-Benjelloun",
        receiving_person="Saadia Demo-Idrissi",
        receiving_relation="mère",
    )
    MinorCasePage(consul).open(reference).take(
        "issue_travel_document", number="LP-MNA-1", travel_date=today, escort="Éducateur ASE"
    )
    page = MinorCasePage(services).open(reference)
    page.take(
        "confirm_handover", handover_date=today, place="Aéroport de Tanger", person="Saadia Demo-Idrissi"
    )
    page.take("record_followup_3m", received_on=today, content="Scolarisé")
    page.take("record_followup_12m", received_on=today, content="Toujours scolarisé")
    assert page.steps_offered() == []

    case.refresh_from_db()
    assert case.state == "followed_12m"
    kinds = list(MinorEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[0] == "referred" and kinds[-1] == "record_followup_12m" and len(kinds) == 12

    supervisor = _as(new_page, "ase75_supervisor", lang)
    supervisor.goto(f"/minors/{reference}/access/")
    body = supervisor.inner_text("main")
    assert "cg_paris_cp" in body and "Demo-Benjelloun" not in body


def test_the_named_people_stay_readable_beside_long_organisation_names(new_page, minor_personas):
    """The organisations' long names took the whole card: the people's names wrapped a syllable a line
    and overflowed the card (dl.facts' first column was max-content)."""
    page = _as(new_page, "ase75_officer", "fr")
    ReferralPage(page).open().refer(
        last_name="Demo-Benjelloun", first_names="Adam", sex="M", birth_date="2010", birth_place="Tanger"
    )
    card = page.locator("section[aria-labelledby=h-people]").bounding_box()
    names = page.locator("section[aria-labelledby=h-people] dd")
    assert names.count() >= 3
    for i in range(names.count()):
        box = names.nth(i).bounding_box()
        assert box["x"] + box["width"] <= card["x"] + card["width"] + 1
        assert box["width"] >= 0.3 * card["width"]
