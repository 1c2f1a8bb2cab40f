"""Reporting periods: month, quarter, year or custom range of local dates.

A period covers whole local days in the display time zone (Europe/Paris by default): 2025Q1 runs from
1 January 2025 00:00 to 1 April 2025 00:00 Paris time. Events are counted in the period where their
`at` instant falls.
"""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from gmmp.core import dateformats


class PeriodError(ValueError):
    """A period that cannot be read; the message can be shown to the user, `code` is stable (the API's:
    `date_order` and `period_too_long` compare a custom period's two dates, `invalid_period` is its form)."""

    def __init__(self, message: str, code: str = "invalid_period"):
        super().__init__(message)
        self.code = code


def display_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.DISPLAY_TIME_ZONE)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | year | custom
    first_day: dt.date
    last_day: dt.date  # inclusive

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.first_day:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.first_day.year}Q{(self.first_day.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.first_day.year}"
        return f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """For people: the code of a month, quarter or year; dd/mm/yyyy – dd/mm/yyyy for a range of days (it may wrap)."""
        if self.kind != "custom":
            return self.code
        return f"{self.first_day:%d/%m/%Y} – {self.last_day:%d/%m/%Y}"

    @property
    def start(self) -> dt.datetime:
        """First instant (aware, display zone)."""
        return dt.datetime.combine(self.first_day, dt.time(), tzinfo=display_zone())

    @property
    def end(self) -> dt.datetime:
        """First instant after the period (exclusive bound)."""
        return dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time(), tzinfo=display_zone())

    def months(self) -> list[dt.date]:
        """First day of each calendar month the period touches."""
        out, month = [], _month_start(self.first_day)
        while month <= self.last_day:
            out.append(month)
            month = add_months(month, 1)
        return out

    def month_end(self, month: dt.date) -> dt.datetime:
        """End (exclusive instant) of `month` clipped to the period."""
        last = min(add_months(month, 1) - dt.timedelta(days=1), self.last_day)
        return dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=display_zone())

    def previous(self) -> "Period":
        """The period of the same length just before (the previous quarter for a quarter)."""
        if self.kind in {"month", "quarter", "year"}:
            months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
            first = add_months(self.first_day, -months)
            return Period(self.kind, first, self.first_day - dt.timedelta(days=1))
        length = self.last_day - self.first_day
        last = self.first_day - dt.timedelta(days=1)
        return Period("custom", last - length, last)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "code": self.code,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
        }


def quarter(year: int, number: int) -> Period:
    first = dt.date(year, 3 * (number - 1) + 1, 1)
    return Period("quarter", first, add_months(first, 3) - dt.timedelta(days=1))


def month(year: int, number: int) -> Period:
    first = dt.date(year, number, 1)
    return Period("month", first, add_months(first, 1) - dt.timedelta(days=1))


def year(number: int) -> Period:
    return Period("year", dt.date(number, 1, 1), dt.date(number, 12, 31))


def custom(first_day: dt.date, last_day: dt.date) -> Period:
    if last_day < first_day:
        raise PeriodError(_("La fin de la période précède son début."), code="date_order")
    if (last_day - first_day).days > 366 * 5:
        raise PeriodError(
            _("Une période personnalisée ne peut pas dépasser cinq ans."), code="period_too_long"
        )
    return Period("custom", first_day, last_day)


_Y, _M = dateformats.YEAR, dateformats.MONTH  # years 1900 to 2099, ASCII digits
_QUARTER = re.compile(f"^({_Y})-?[Qq]([1-4])$")
_MONTH = re.compile(f"^({_Y})-({_M})$")
_YEAR = re.compile(f"^({_Y})$")
_CUSTOM = re.compile(f"^({_Y}-[0-9]{{2}}-[0-9]{{2}})\\.\\.({_Y}-[0-9]{{2}}-[0-9]{{2}})$")
# What `parse` reads, as a JSON-schema pattern for the API (the order of a custom period's dates and its
# length are left to `parse`: a schema cannot compare two values). tests/indicators/test_period_pattern.py
PATTERN = f"^(?:{_Y}-?[Qq][1-4]|{_Y}-{_M}|{_Y}|{dateformats.DAY}\\.\\.{dateformats.DAY})$"


def parse(text: str) -> Period:
    """'2025Q1', '2025-03', '2025' or '2025-01-15..2025-02-14' (years 1900 to 2099)."""
    text = (text or "").strip()
    if m := _QUARTER.match(text):
        return quarter(int(m[1]), int(m[2]))
    if m := _MONTH.match(text):
        return month(int(m[1]), int(m[2]))
    if m := _YEAR.match(text):
        return year(int(m[1]))
    if m := _CUSTOM.match(text):
        try:
            first, last = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
        except ValueError as exc:
            raise PeriodError(_("Date invalide dans la période « %(text)s ».") % {"text": text}) from exc
        return custom(first, last)
    raise PeriodError(
        _("Période « %(text)s » illisible : attendu 2025Q1, 2025-03, 2025 ou 2025-01-01..2025-03-31.")
        % {"text": text}
    )


def parse_quarter(text: str) -> Period:
    period = parse(text)
    if period.kind != "quarter":
        raise PeriodError(
            _("Trimestre « %(text)s » illisible : attendu par exemple 2025Q1.") % {"text": text}
        )
    return period


def in_progress(period: Period, today: dt.date) -> bool:
    """The period has started and is not over: its figures are provisional."""
    return period.first_day <= today <= period.last_day


def not_started(period: Period, today: dt.date) -> bool:
    return period.first_day > today


def comparison_period(period: Period, today: dt.date) -> Period:
    """What a period is compared with: the previous one, or for a period in progress the same number of
    days at the start of the previous one (two months are compared with two months, not a full quarter)."""
    previous = period.previous()
    if not in_progress(period, today):
        return previous
    elapsed = (today - period.first_day).days
    return Period(
        "custom", previous.first_day, min(previous.first_day + dt.timedelta(days=elapsed), previous.last_day)
    )


def current_quarter(today: dt.date) -> Period:
    return quarter(today.year, (today.month - 1) // 3 + 1)


def last_complete_quarter(today: dt.date) -> Period:
    return current_quarter(today).previous()
