"""The dashboard as people read it: opens on the period in progress (provisional, compared over equal
lengths), a period picker with its formats stated upfront, colours by meaning, rates over 100 % explained,
charts readable and count axes in whole numbers."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from gmmp.core import clock
from gmmp.indicators import charts, definitions, engine, periods
from gmmp.indicators.report import change_meaning, fmt_change

from .ledgers import q1_2025_ledger


@pytest.fixture
def reader(client, personas):
    client.force_login(personas["dgef_central"])
    return client


def test_it_opens_on_the_quarter_in_progress_marked_provisional(reader):
    html = reader.get(reverse("indicators:dashboard")).content.decode()
    current = periods.current_quarter(clock.today())
    assert f'<option value="{current.code}" selected>' in html
    assert 'data-testid="provisional"' in html
    # Compared with as many days at the start of the previous quarter, not with the whole of it.
    before = current.previous().first_day
    elapsed = clock.today() - current.first_day
    assert f"{before:%d/%m/%Y} – {before + elapsed:%d/%m/%Y}" in html


def test_the_period_is_picked_from_a_list_and_the_formats_are_said_before_any_error(reader):
    html = reader.get(reverse("indicators:dashboard")).content.decode()
    assert '<select name="period" id="id_period"' in html
    assert "Dates choisies" in html and 'type="date"' in html
    assert 'id="period-help"' in html and "aria-invalid" not in html
    assert '<input type="text" name="period"' not in html


def test_chosen_dates_and_older_periods_reached_by_a_link_are_accepted(reader):
    response = reader.get(
        reverse("indicators:dashboard"),
        {"period": "custom", "first_day": "2025-01-01", "last_day": "2025-02-15"},
    )
    assert response.status_code == 200
    assert "01/01/2025 – 15/02/2025" in response.content.decode()
    response = reader.get(reverse("indicators:dashboard"), {"period": "2023Q2"})
    assert response.status_code == 200
    assert '<option value="2023Q2" selected>' in response.content.decode()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"period": "custom", "first_day": "2025-01-01"}, "premier et le dernier jour"),
        ({"period": "2031Q1"}, "pas encore commencé"),
        ({"period": "nonsense"}, "illisible"),
    ],
)
def test_a_wrong_period_is_a_form_message(reader, params, message):
    response = reader.get(reverse("indicators:dashboard"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'aria-invalid="true"' in html


def test_colours_follow_what_a_change_means_not_its_sign():
    assert change_meaning("replies_none", -3) == "better"  # fewer requests left without a reply
    assert change_meaning("reply_delay_median", 2) == "worse"
    assert change_meaning("departures_executed", 1) == "better"
    assert change_meaning("requests_received", -5) == "neutral"  # a volume: neither good nor bad
    overdue = definitions.get("replies_none")
    _text, meaning = fmt_change(overdue, engine.Figure(value=1), engine.Figure(value=4))
    assert meaning == "better"


def test_the_dashboard_colours_a_decrease_of_unanswered_requests_as_good(reader, personas):
    q1_2025_ledger(personas)
    html = reader.get(reverse("indicators:dashboard"), {"period": "2025Q2"}).content.decode()
    # 2025Q1 ended with one request without reply, 2025Q2 with none (B was decided on 3 April).
    row = html[html.index(definitions.get("replies_none").text("name", "fr")) :]
    row = row[: row.index("</tr>")]
    assert 'data-meaning="better"' in row
    assert "amélioration" in row


def test_a_rate_over_100_percent_is_explained(reader, personas):
    q1_2025_ledger(personas)
    html = reader.get(reverse("indicators:dashboard"), {"period": "2025-01-21..2025-02-28"}).content.decode()
    # Three LPCs issued (two for requests of early January), two requests received: 150 %.
    assert "150,0 %" in html
    assert 'data-testid="over-100"' in html
    assert "au-dessus de 100 %" in html


def _font_sizes(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r"font-size: ([\d.]+)px", svg)]


def _width_pt(svg: str) -> float:
    return float(re.search(r'width="([\d.]+)pt"', svg)[1])


@pytest.mark.parametrize(
    "svg",
    [
        charts.grouped_bars(["01/25", "02/25", "03/25"], [[1, 2, 3], [0, 1, 1]]),
        charts.lines(["01/25", "02/25"], [[1, 3]]),
        charts.horizontal_bars(["Paris", "Lille"], [2, 3]),
        charts.histogram({3: 1, 12: 2}, marks=[5, 10]),
    ],
)
def test_chart_text_stays_readable_at_a_phone_width(svg):
    sizes = _font_sizes(svg)
    assert sizes and min(sizes) >= 10
    # The SVG's units are points; on a 390 px phone the chart gets about 330 px of card: text ≥ 10 px.
    px_per_unit = 330 / _width_pt(svg)
    assert min(sizes) * px_per_unit >= 10


def test_count_axes_show_whole_numbers_only():
    for svg in (
        charts.horizontal_bars(["Paris", "Lille"], [2, 3]),
        charts.grouped_bars(["01/25"], [[2], [3]]),
        charts.histogram({1: 2, 7: 3}),
    ):
        texts = [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
        ticks = [t for t in texts if re.fullmatch(r"[\d.,−-]+", t)]
        assert ticks
        assert not [t for t in ticks if re.search(r"[.,]\d", t)], ticks


def test_signed_numbers_keep_their_sign_in_arabic(reader, personas):
    q1_2025_ledger(personas)
    reader.cookies.load({"django_language": "ar"})
    with translation.override("fr"):  # the request activates Arabic: left behind, it would leak
        html = reader.get(reverse("indicators:dashboard"), {"period": "2025Q1"}).content.decode()
    assert 'dir="rtl"' in html
    changes = re.findall(r'data-meaning="\w+"><bdi dir="ltr">([^<]*)</bdi>', html)
    assert changes and any(c.startswith(("+", "−")) for c in changes)
    # Every figure of the summary sits in a left-to-right island: "−19" never shows as "19−".
    cells = re.findall(r'<td class="num[^"]*"[^>]*>(.{0,20})', html)
    assert all(c.startswith(("<bdi", "<a")) for c in cells), cells[:5]


def test_a_twelve_month_trend_labels_every_other_month_so_the_labels_do_not_overlap():
    months = [f"{m:02d}/26" for m in range(1, 13)]
    svg = charts.lines(months, [list(range(12))])
    shown = [m for m in months if f">{m}<" in svg or f"{m}</text>" in svg]
    assert shown == months[::2]


def test_the_twelve_month_trend_of_the_quarter_in_progress_ends_with_the_month_in_progress(reader):
    import base64

    html = reader.get(reverse("indicators:dashboard")).content.decode()
    uri = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)[1]
    labels = re.findall(r"<text[^>]*>(\d\d/\d\d)</text>", base64.b64decode(uri).decode())
    today = clock.today().replace(day=1)
    first = periods.add_months(today, -11)
    # Every other month is labelled, from the first: the first is eleven months before this one.
    assert labels[0] == f"{first:%m/%y}"
