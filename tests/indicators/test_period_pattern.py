"""The API states the period format as a pattern (periods.PATTERN): it calls valid what `periods.parse`
reads, but for what compares a custom period's two dates (order, five years at most: codes of their own)."""

import re

from gmmp.indicators import periods

CANDIDATES = [
    "2025Q1",
    "2025q4",
    "2025-Q2",
    "2025Q5",
    "2025Q0",
    "1899Q4",
    "1900Q1",
    "2099Q4",
    "2100Q1",
    "0000Q1",
    "2025-03",
    "2025-00",
    "2025-13",
    "2025",
    "1899",
    "2100",
    "9999",
    "٢٠٢٥",
    "2025-1",
    "25Q1",
    "",
    "2025-01-01..2025-03-31",
    "2025-03-31..2025-01-01",
    "2020-01-01..2026-01-01",
    "2025-02-29..2025-03-01",
    "2024-02-29..2024-03-01",
    "1900-02-29..1900-03-01",
    "2000-02-29..2000-03-01",
    "2025-04-31..2025-05-01",
    "2025-01-01..2100-01-01",
    "1899-12-31..1900-01-01",
    "2025-01-01.2025-02-01",
]


def _reads(text: str) -> bool:
    try:
        periods.parse(text)
    except periods.PeriodError as exc:
        return exc.code in ("date_order", "period_too_long")
    return True


def test_the_pattern_is_what_parse_reads():
    pattern = re.compile(periods.PATTERN)
    assert [t for t in CANDIDATES if bool(pattern.match(t)) != (_reads(t) and t != "")] == []
