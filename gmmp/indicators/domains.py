"""Indicators over figures other apps keep (legal mobility, irregular migration), through the same
definitions as the core set: an `Indicator` with an id, a version, fr/ar/en names and definitions, in the
same registry (`definitions.REGISTRY`), so the API, the dashboard and the report annex read them alike.

The app that owns the data registers, in its `AppConfig.ready()`, one `IndicatorSet` per theme with its
indicators. A count is a `DomainCount`: a function of the app answering {row key: number} for a period, a
breakdown and an instant (`as_of`: the figures in force then, so a stored report recomputes the same
numbers after a correction). Rates are the core set's `Ratio`, computed here from the counts of the same
row. The core engine (`engine.py`) never sees these sets: it reads only the case ledger.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import definitions
from .computations import Ratio
from .engine import Figure, Row
from .periods import Period, add_months


@dataclass(frozen=True)
class DomainCount:
    """fn(period, as_of, breakdown) -> {row key: int}; breakdown "none" answers {"all": n}."""

    fn: Callable
    shape = "domain"


@dataclass(frozen=True)
class IndicatorSet:
    id: str
    chapter: str
    title: dict
    ids: tuple
    breakdowns: dict = field(default_factory=dict)  # name -> {lang: label}, besides "none" and "month"
    row_label: Callable | None = None  # (breakdown, key, lang) -> label

    def text(self, lang: str) -> str:
        return self.title.get(lang) or self.title["fr"]

    def label(self, breakdown: str, key: str, lang: str) -> str:
        if breakdown == "month":
            return key
        return self.row_label(breakdown, key, lang) if self.row_label else key


CHAPTERS = {
    "legal_mobility": {"fr": "Mobilité légale", "ar": "التنقل النظامي", "en": "Legal mobility"},
    "irregular_migration": {
        "fr": "Migration irrégulière",
        "ar": "الهجرة غير النظامية",
        "en": "Irregular migration",
    },
}

SETS: dict[str, IndicatorSet] = {}


def register_set(indicator_set: IndicatorSet, indicators: list) -> None:
    for indicator in indicators:
        definitions.register(indicator)
    SETS[indicator_set.id] = indicator_set


def current_versions() -> dict[str, int]:
    return {i: max(definitions.REGISTRY[i]) for s in SETS.values() for i in s.ids}


def all_indicators() -> list:
    """Every version of every domain indicator (API definitions)."""
    return [ind for s in SETS.values() for i in s.ids for ind in definitions.REGISTRY[i].values()]


@dataclass
class SetTable:
    set: IndicatorSet
    period: Period
    breakdown: str
    as_of: dt.datetime
    indicators: list
    rows: list[Row]
    total: Row

    @property
    def versions(self) -> dict[str, int]:
        return {i.id: i.version for i in self.indicators}

    def as_dict(self, lang: str = "fr") -> dict:
        def row(r: Row) -> dict:
            return {"key": r.key, "label": r.label, "figures": {k: f.as_dict() for k, f in r.figures.items()}}

        return {
            "set": self.set.id,
            "title": self.set.text(lang),
            "period": self.period.as_dict(),
            "breakdown": self.breakdown,
            "as_of": self.as_of.isoformat(),
            "versions": self.versions,
            "indicators": [i.as_dict(lang) for i in self.indicators],
            "total": row(self.total),
            "rows": [row(r) for r in self.rows],
        }


class UnknownSet(KeyError):
    pass


class UnknownBreakdown(ValueError):
    """A breakdown the theme does not offer (each theme has its own, besides none and month)."""


def all_breakdowns() -> tuple[str, ...]:
    """Every breakdown some theme offers."""
    return tuple(dict.fromkeys(["none", "month", *(b for s in SETS.values() for b in s.breakdowns)]))


def _months(period: Period) -> list[Period]:
    out = []
    for first in period.months():
        last = min(add_months(first, 1) - dt.timedelta(days=1), period.last_day)
        out.append(Period("custom", max(first, period.first_day), last))
    return out


def _figures(indicators, counts: dict[str, int]) -> dict[str, Figure]:
    out = {}
    for i in indicators:
        comp = i.computation
        if isinstance(comp, Ratio):
            out[i.id] = Figure.ratio(comp, counts)
        else:
            out[i.id] = Figure(counts.get(i.id, 0))
    return out


def compute_set(
    set_id: str,
    period: Period,
    *,
    breakdown: str = "none",
    versions: dict[str, int] | None = None,
    as_of: dt.datetime | None = None,
    lang: str = "fr",
) -> SetTable:
    """The set's figures for a period (total and rows of the breakdown), as in force at `as_of` (now)."""
    from gmmp.core import clock

    try:
        indicator_set = SETS[set_id]
    except KeyError as exc:
        raise UnknownSet(set_id) from exc
    if breakdown not in ("none", "month", *indicator_set.breakdowns):
        raise UnknownBreakdown(_("Ventilation inconnue : %(name)s.") % {"name": breakdown})
    as_of = as_of or clock.now()
    versions = versions or {}
    indicators = [
        definitions.get(i, versions.get(i))
        if versions.get(i) in definitions.REGISTRY[i]
        else definitions.get(i)
        for i in indicator_set.ids
    ]
    counting = [(i, i.computation) for i in indicators if isinstance(i.computation, DomainCount)]

    def counts_for(p: Period, b: str) -> dict[str, dict[str, int]]:
        """{row key: {indicator id: n}}"""
        out: dict[str, dict[str, int]] = {}
        for i, computation in counting:
            for key, n in computation.fn(p, as_of, b).items():
                out.setdefault(key, {})[i.id] = n
        return out

    total = Row("all", _("Ensemble"), _figures(indicators, counts_for(period, "none").get("all", {})))
    rows = []
    if breakdown == "month":
        for sub in _months(period):
            key = f"{sub.first_day:%Y-%m}"
            rows.append(Row(key, key, _figures(indicators, counts_for(sub, "none").get("all", {}))))
    elif breakdown != "none":
        for key, counts in sorted(counts_for(period, breakdown).items()):
            rows.append(Row(key, indicator_set.label(breakdown, key, lang), _figures(indicators, counts)))
    return SetTable(indicator_set, period, breakdown, as_of, indicators, rows, total)


def sets_in_chapter(chapter: str) -> list[IndicatorSet]:
    return [s for s in SETS.values() if s.chapter == chapter]
