"""The track's indicators: same definition machinery, computed from the minors' ledger, and the small-cell
rule everywhere they are published (dashboard, CSV, API, report)."""

import html as html_module

import pytest

from gmmp.indicators import definitions, periods
from gmmp.indicators import minors as minors_indicators
from gmmp.indicators.report import render_html, render_pdf
from gmmp.indicators.services import report_run_create
from gmmp.minors.enums import MinorState as S
from tests.indicators.test_report import pdf_text

from .conftest import walk

Q4 = periods.parse("2026Q4")


@pytest.fixture
def six_referred_two_returned(minor_personas):
    for _n in range(4):
        walk(minor_personas, S.REFERRED)
    for _n in range(2):
        walk(minor_personas, S.HANDED_OVER)


def test_the_definitions_are_in_the_common_registry_in_three_languages():
    for indicator_id in minors_indicators.ORDER:
        indicator = definitions.get(indicator_id)
        assert indicator.theme == "minors" and not indicator.core
        assert all(indicator.text("definition", lang) for lang in ("fr", "ar", "en"))
        assert indicator_id not in definitions.ORDER  # not in the readmission core set


def test_raw_counts_come_from_the_ledger(six_referred_two_returned):
    table = minors_indicators.compute(Q4)
    assert table.total.counts["minors_referred"] == 6
    assert table.total.counts["minors_handovers_confirmed"] == 2
    assert table.total.counts["minors_decisions_return"] == 2


def test_every_figure_below_5_is_published_as_less_than_5(six_referred_two_returned):
    published = minors_indicators.compute(Q4).as_dict()["total"]["figures"]
    assert published["minors_referred"] == 6
    assert published["minors_handovers_confirmed"] == "< 5"
    assert published["minors_decisions_stay"] == "< 5"  # zero included
    assert all(v == "< 5" or v >= 5 for v in published.values())


def test_the_dashboard_csv_and_api_apply_the_rule(client, personas, six_referred_two_returned):
    client.force_login(personas["dmsf_central"])
    page = client.get("/minors/indicators/", {"period": "2026Q4"}).content.decode()
    assert "&lt; 5" in page and ">6<" in page
    csv_text = client.get("/minors/indicators.csv", {"period": "2026Q4"}).content.decode()
    total = csv_text.strip().splitlines()[-1].split(",")
    assert total[0] == "all" and total[1] == "6" and set(total[2:]) == {"< 5"}
    api = client.get("/api/v1/minors/figures", {"period": "2026Q4"}).json()
    assert api["total"]["figures"]["minors_referred"] == 6
    assert api["total"]["figures"]["minors_handovers_confirmed"] == "< 5"


def test_field_services_and_the_named_officers_do_not_read_the_aggregates(client, personas, minor_personas):
    for user in (personas["pref75_agent"], minor_personas["ase75_officer"]):
        client.force_login(user)
        assert client.get("/minors/indicators/").status_code == 403
        assert client.get("/api/v1/minors/figures").status_code == 403


def test_the_secretariat_reads_the_aggregates(client, personas, six_referred_two_returned):
    client.force_login(personas["gmmp_secretariat"])
    assert client.get("/minors/indicators/", {"period": "2026Q4"}).status_code == 200


@pytest.mark.parametrize(
    "lang, title, less_than",
    [
        ("fr", "Mineurs non accompagnés", "Enfants signalés"),
        ("ar", "القاصرون غير المصحوبين", "الأطفال المُبلَّغ عنهم"),
        ("en", "Unaccompanied minors", "Children referred"),
    ],
)
def test_the_report_chapter_renders_in_three_languages_with_the_rule(
    personas, six_referred_two_returned, lang, title, less_than
):
    run, _table = report_run_create(user=personas["dgef_central"], period=Q4, language=lang)
    html = render_html(run)
    chapter = html[html.index('<section id="minors">') :]
    assert title in chapter and less_than in chapter
    assert "&lt; 5" in chapter and ">6<" in chapter
    assert minors_indicators.SMALL_CELL_RULE[lang] in html_module.unescape(chapter)
    text = pdf_text(render_pdf(run))
    # Right to left, the extracted text reads the cell backwards.
    assert title in text and ("< 5" in text if lang != "ar" else "5 <" in text)


def test_a_recorded_report_recomputes_the_chapter_on_the_same_events(
    personas, minor_personas, six_referred_two_returned
):
    run, _table = report_run_create(user=personas["dgef_central"], period=Q4, language="fr")
    walk(minor_personas, S.REFERRED)
    from gmmp.indicators.models import ReportRun

    again = render_html(ReportRun.objects.get(pk=run.pk))
    chapter = again[again.index('<section id="minors">') :]
    assert ">6<" in chapter and ">7<" not in chapter
