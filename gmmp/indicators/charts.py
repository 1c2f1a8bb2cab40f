"""Charts as SVG strings, drawn on the server with matplotlib: the dashboard and the PDF report embed the
same output (one code path).

The charts carry no sentence in any language: axes show numbers, month numbers and consulate
short names; titles and legends are written around the chart in the page's language. This keeps
Arabic text out of matplotlib (which does not shape it) and the SVG identical for the three languages.
"""

import base64
import io
import threading
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# matplotlib's pyplot state is not thread-safe: web workers may draw concurrently.
_LOCK = threading.Lock()

PALETTE = ["#1f4e79", "#c8553d", "#2a9d8f", "#e9b44c", "#6d597a", "#8d99ae"]
INK, GRID = "#1d2733", "#d9dee4"
WIDTH = 4.0  # inches: 288 pt, 384 px at 96 dpi

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # text stays text: the browser or WeasyPrint renders it with its fonts
        "svg.hashsalt": "gmmp",  # stable ids: the same figures give the same SVG
        "font.family": ["DejaVu Sans"],
        # Charts are drawn near the size they are shown (about 380 px wide on the dashboard, 3/4 of an A4
        # page in the report): 10 pt text stays at 10 px or more down to a phone's width (tests/indicators).
        "font.size": 10,
        "axes.edgecolor": GRID,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


def color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and DOCTYPE: the SVG is embedded in HTML


def data_uri(svg: str) -> str:
    """The SVG as an <img> source: pages embed charts this way (no id clashes between charts, no page CSS
    leaking into them), in the browser and in WeasyPrint alike."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _empty(ax):
    ax.text(0.5, 0.5, "—", ha="center", va="center", color=GRID, fontsize=28, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _draw(figsize: tuple[float, float], empty: bool, draw: Callable[[Any], None]) -> str:
    """One chart as SVG, drawn under the pyplot lock: `draw(ax)` on the axes, or a dash when `empty`."""
    with _LOCK:
        fig, ax = plt.subplots(figsize=figsize)
        if empty:
            _empty(ax)
        else:
            draw(ax)
        return _svg(fig)


def _value_axis(axis, percent: bool) -> None:
    """The axis of the values: percentages, or whole numbers (counts)."""
    if percent:
        axis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    else:
        axis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))


def grouped_bars(
    categories: list[str], series: list[list[float | None]], *, width=WIDTH, height=2.6, percent=False
) -> str:
    """Bars grouped by category (e.g. months), one colour per series in the order given."""

    def draw(ax):
        n = max(len(series), 1)
        bar = 0.8 / n
        for i, values in enumerate(series):
            xs = [c + (i - (n - 1) / 2) * bar for c in range(len(categories))]
            ax.bar(xs, [v or 0 for v in values], width=bar, color=color(i))
        ax.set_xticks(range(len(categories)), categories)
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        _value_axis(ax.yaxis, percent)

    empty = not categories or not any(v for s in series for v in s if v)
    return _draw((width, height), empty, draw)


def lines(
    categories: list[str], series: list[list[float | None]], *, width=WIDTH, height=2.6, percent=False
) -> str:
    """One line per series over categories (e.g. 12 months)."""

    def draw(ax):
        for i, values in enumerate(series):
            points = [(x, v) for x, v in enumerate(values) if v is not None]
            if points:
                ax.plot(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    marker="o",
                    markersize=3,
                    linewidth=1.6,
                    color=color(i),
                )
        # At most six labels: twelve "01/26" at 10 pt overlapped on a 4-inch chart (the dashboard's trend).
        step = max(1, -(-len(categories) // 6))
        ax.set_xticks(range(0, len(categories), step), categories[::step])
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        ax.set_ylim(bottom=0)
        _value_axis(ax.yaxis, percent)

    return _draw((width, height), not categories, draw)


def horizontal_bars(labels: list[str], values: list[float | None], *, percent=False, width=WIDTH) -> str:
    """Organisations compared: one horizontal bar each, largest first as given."""

    def draw(ax):
        ys = list(range(len(labels)))[::-1]
        ax.barh(ys, [v or 0 for v in values], color=color(0), height=0.65)
        ax.set_yticks(ys, labels)
        for y, v in zip(ys, values, strict=True):
            if v is not None:
                ax.text(v, y, f" {v:.0%}" if percent else f" {v:g}", va="center", fontsize=10, color=INK)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        if percent:
            ax.set_xlim(0, max(1.0, max((v or 0) for v in values) * 1.15))
        else:
            ax.set_xlim(0, max(1, max((v or 0) for v in values)) * 1.15)
        _value_axis(ax.xaxis, percent)

    return _draw((width, 0.5 + 0.26 * max(len(labels), 1)), not labels, draw)


def histogram(
    counts: dict[int, int], *, bin_days: int = 5, marks: Sequence[float | None] = (), width=WIDTH, height=2.4
) -> str:
    """Delay distribution: decisions per bin of `bin_days` days; vertical marks (median, p90) dashed."""

    def draw(ax):
        bins: dict[int, int] = {}
        for days, n in counts.items():
            bins[days // bin_days * bin_days] = bins.get(days // bin_days * bin_days, 0) + n
        xs = sorted(bins)
        ax.bar(xs, [bins[x] for x in xs], width=bin_days * 0.9, align="edge", color=color(0))
        for i, mark in enumerate(m for m in marks if m is not None):
            ax.axvline(mark, color=color(i + 1), linestyle="--", linewidth=1.4)
        ax.set_xlim(left=0)
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        _value_axis(ax.yaxis, False)

    return _draw((width, height), not counts, draw)
