"""The quarterly report as people read it: every table cell on the page (read back from the PDF with
positions) in the three languages, one report number per quarter, a quarter in progress marked provisional
and compared over equal lengths, a future quarter refused, one date format, consulate names translated."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from gmmp.core import clock
from gmmp.indicators import periods
from gmmp.indicators.models import ReportRun
from gmmp.indicators.report import quarterly_context, render_html, render_pdf, report_number
from gmmp.indicators.services import report_run_create

from .ledgers import q1_2025_ledger
from .pdf_geometry import visual_lines, words

Q1 = periods.parse("2025Q1")


@pytest.fixture
def ledger(personas):
    return q1_2025_ledger(personas)


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_every_word_of_the_report_and_every_consulate_cell_lies_on_its_page(ledger, lang):
    run, _table = report_run_create(user=None, period=Q1, language=lang)
    data = render_pdf(run)
    found = words(data)
    outside = [(w.page, w.text, round(w.x0), round(w.x1)) for w in found if w.outside]
    assert not outside, f"{len(outside)} words outside the page in {lang}: {outside[:10]}"

    # The per-consulate table (the landscape page): every cell's text is drawn there, inside the page.
    with translation.override(lang):
        table = quarterly_context(run)["consulates"]
    assert len(table["columns"]) == 10
    drawn = {w.text for w in found if w.page_width > w.page_height}
    assert drawn, "the consulate table is on a landscape page"
    for row in table["rows"]:
        for cell in row["cells"]:
            for token in cell["value"].split() + cell["ratio"].split():
                # Arabic words come back in visual order (reversed) from the PDF.
                assert token in drawn or token[::-1] in drawn, (lang, row["key"], cell["id"], token)


def test_the_consulate_table_page_is_landscape_and_its_cells_stay_within_the_margins(ledger):
    for lang in ("fr", "ar"):
        run, _table = report_run_create(user=None, period=Q1, language=lang)
        found = words(render_pdf(run))
        landscape = [w for w in found if w.page_width > w.page_height]
        assert landscape, "the consulate table is on a landscape page"
        margin = 16 / 25.4 * 72 - 2  # 16 mm page margin, 2 pt tolerance
        stray = [
            (w.text, round(w.x0), round(w.x1))
            for w in landscape
            if w.top > 60 and w.bottom < w.page_height - 60
        ]
        assert all(margin <= x0 and x1 <= landscape[0].page_width - margin for _t, x0, x1 in stray), stray[:5]


def test_french_arabic_and_english_reports_of_one_quarter_carry_the_same_number(ledger):
    runs = [report_run_create(user=None, period=Q1, language=lang)[0] for lang in ("fr", "ar", "en")]
    numbers = {report_number(run) for run in runs}
    assert numbers == {"GMMP-IND-2025-T1"}
    assert len({run.pk for run in runs}) == 3  # editions stay distinct
    for run in runs:
        assert "GMMP-IND-2025-T1" in render_html(run)


def test_a_quarter_in_progress_is_marked_provisional_and_compared_with_the_same_length_before(personas):
    today = clock.today()  # the pinned moment is inside a quarter, away from its edges
    current = periods.current_quarter(today)
    run, _table = report_run_create(user=None, period=current, language="fr")
    context = quarterly_context(run)
    assert context["provisional"]
    compared = context["previous_period"]
    assert compared.first_day == current.previous().first_day
    assert (compared.last_day - compared.first_day) == (today - current.first_day)
    html = render_html(run)
    assert "PROVISOIRE" in html and f"{today:%d/%m/%Y}" in html
    assert report_number(run).endswith(f"-P{today:%Y%m%d}")


def test_a_complete_quarter_is_not_provisional_and_is_compared_with_the_whole_previous_quarter(ledger):
    run, _table = report_run_create(user=None, period=Q1, language="fr")
    context = quarterly_context(run)
    assert not context["provisional"]
    assert context["previous_period"] == periods.parse("2024Q4")
    assert "PROVISOIRE" not in render_html(run)


def test_a_future_quarter_is_refused_by_the_command_and_the_download(client, personas, tmp_path):
    translation.activate("fr")  # the command speaks the active language
    nxt = periods.current_quarter(clock.today() + dt.timedelta(days=92))
    assert nxt.first_day > clock.today()
    with pytest.raises(CommandError, match="pas encore commencé"):
        call_command("report", "quarterly", nxt.code, "--out", str(tmp_path / "r.pdf"), stdout=io.StringIO())
    client.force_login(personas["dgef_central"])
    response = client.get(reverse("indicators:report"), {"quarter": nxt.code, "lang": "fr"})
    assert response.status_code == 400
    assert "pas encore commencé" in response.content.decode()
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_every_date_on_the_cover_is_written_dd_mm_yyyy(ledger, lang):
    run, _table = report_run_create(user=None, period=Q1, language=lang)
    html = render_html(run)
    cover = html[html.index('<div class="cover">') : html.index("<section>")]
    dates = re.findall(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}", cover)
    assert len(dates) >= 3, dates
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", d) for d in dates), dates
    assert "\u200f" not in cover  # no right-to-left marks slipped inside dates


def test_consulate_names_are_in_the_report_language(ledger):
    names = {
        "fr": "Consulat général du Maroc à Paris",
        "ar": "القنصلية العامة للمملكة المغربية بباريس",
        "en": "Consulate General of Morocco in Paris",
    }
    for lang, name in names.items():
        run, _table = report_run_create(user=None, period=Q1, language=lang)
        html = render_html(run)
        assert name in html, lang
        others = [n for other, n in names.items() if other != lang]
        assert not any(n in html for n in others), lang


def test_the_arabic_report_prints_its_number_left_to_right_in_one_piece(ledger):
    run, _table = report_run_create(user=None, period=Q1, language="ar")
    lines = [line for line in visual_lines(render_pdf(run)) if "IND" in line]
    # Isolated left to right: the right-to-left line must not reorder its hyphenated parts ("T1-2025-…").
    assert len(lines) == 1 and "GMMP-IND-2025-T1" in lines[0], lines
