"""Each indicator against figures computed by hand on the ledger of tests/indicators/ledgers.py."""

import pytest

from gmmp.indicators import periods
from gmmp.indicators.engine import Filters, compute

from .ledgers import q1_2025_ledger

Q1 = periods.parse("2025Q1")


@pytest.fixture
def ledger(personas):
    return q1_2025_ledger(personas)


def values(row):
    return {k: f.value for k, f in row.figures.items()}


def test_the_quarter_totals_match_the_hand_count(ledger):
    total = compute(Q1).total
    assert values(total) == {
        "requests_received": 6,  # A B C D E F (G was sent in December)
        "replies_positive": 4,  # A D E G (B is decided in April)
        "replies_negative": 1,  # F
        "replies_none": 1,  # B: open at the end of March; C was withdrawn, so it is not "without reply"
        "requests_withdrawn": 1,  # C
        "reply_delay_median": 17,  # delays 10 10 17 20 23 -> rank ceil(2.5) = 3
        "reply_delay_p90": 23,  # rank ceil(4.5) = 5
        "identification_rate": 0.8,  # 4 / (4 + 1)
        "identification_reversals": 0,  # none in this ledger (tests/identification/test_wrong_person_guard.py)
        "lpc_issued": 3,  # A D E; D's re-issue is not a new LPC
        "lpc_in_time": 2,  # A (before 5 April), E (no detention); D was issued after 30 January
        "lpc_in_time_rate": 0.6667,
        "lpc_issuance_rate": 0.5,  # 3 / 6
        "departures_executed": 2,  # A, E (E's second attempt)
        "departures_failed": 1,  # E's first attempt
        "departures_per_lpc": 0.6667,
        "readmissions_confirmed": 1,  # A
        "ready_without_departure": 1,  # D at 31 March
        # No release in this ledger (tests/legal/test_indicators.py and test_reference.py have them).
        "releases_before_departure": 0,
        "releases_judge": 0,
        "releases_cap_reached": 0,
        "releases_appeal": 0,
        "releases_asylum": 0,
        "releases_other": 0,
    }


def test_rates_carry_their_numerator_and_denominator(ledger):
    total = compute(Q1).total
    assert (total.figures["lpc_issuance_rate"].numerator, total.figures["lpc_issuance_rate"].denominator) == (
        3,
        6,
    )
    assert (
        total.figures["identification_rate"].numerator,
        total.figures["identification_rate"].denominator,
    ) == (4, 5)
    assert (total.figures["lpc_in_time_rate"].numerator, total.figures["lpc_in_time_rate"].denominator) == (
        2,
        3,
    )


def test_a_case_filed_in_one_quarter_and_decided_in_the_next_counts_once_in_each_role(ledger):
    q2 = compute(periods.parse("2025Q2")).total
    assert q2.value("requests_received") == 0
    assert q2.value("replies_positive") == 1  # B
    assert q2.value("reply_delay_median") == 9  # 25 March -> 3 April, calendar days across the DST change
    assert q2.value("replies_none") == 0
    q4 = compute(periods.parse("2024Q4")).total
    assert q4.value("requests_received") == 1  # G
    assert q4.value("replies_none") == 1  # G was still open on 31 December


def test_by_consulate_each_case_counts_where_its_event_was_recorded(ledger):
    rows = {r.key: values(r) for r in compute(Q1, breakdown="consulate").rows}
    assert set(rows) == {"CG-PARIS", "CG-COLOMBES"}
    paris, colombes = rows["CG-PARIS"], rows["CG-COLOMBES"]
    assert (paris["requests_received"], colombes["requests_received"]) == (4, 2)
    assert (paris["replies_positive"], paris["replies_negative"]) == (3, 0)
    assert (colombes["replies_positive"], colombes["replies_negative"]) == (1, 1)
    assert (paris["reply_delay_median"], paris["reply_delay_p90"]) == (10, 17)  # 10 10 17
    assert (colombes["reply_delay_median"], colombes["reply_delay_p90"]) == (20, 23)  # 20 23
    assert (paris["lpc_issued"], paris["lpc_in_time"]) == (2, 1)
    assert (colombes["departures_executed"], colombes["departures_failed"]) == (1, 1)
    assert (paris["ready_without_departure"], colombes["ready_without_departure"]) == (1, 0)


def test_by_month_stocks_are_read_at_each_month_end(ledger):
    rows = {r.key: values(r) for r in compute(Q1, breakdown="month").rows}
    assert [k for k in rows] == ["2025-01", "2025-02", "2025-03"]
    assert [rows[m]["requests_received"] for m in rows] == [3, 2, 1]
    # End of January: A holds an LPC and has not left yet; end of February and March: D.
    assert [rows[m]["ready_without_departure"] for m in rows] == [1, 1, 1]
    assert [rows[m]["departures_executed"] for m in rows] == [0, 2, 0]


def test_by_departement_and_prefecture_add_up_to_the_total(ledger):
    for breakdown in ("prefecture", "departement", "consulate", "month"):
        table = compute(Q1, breakdown=breakdown)
        for indicator in ("requests_received", "lpc_issued", "departures_executed", "replies_none"):
            assert sum(r.value(indicator) for r in table.rows) == table.total.value(indicator), (
                breakdown,
                indicator,
            )
    deps = {r.key for r in compute(Q1, breakdown="departement").rows}
    assert deps == {"75", "92"}


def test_a_filter_keeps_only_the_events_recorded_for_that_consulate(ledger):
    total = compute(Q1, filters=Filters(consulates=("CG-COLOMBES",))).total
    assert total.value("requests_received") == 2
    assert total.value("reply_delay_median") == 20


def test_a_month_and_a_custom_period_read_the_same_events(ledger):
    feb = compute(periods.parse("2025-02")).total
    custom = compute(periods.parse("2025-02-01..2025-02-28")).total
    assert values(feb) == values(custom)
    assert feb.value("departures_executed") == 2


def test_an_empty_period_gives_zeros_and_no_rate(ledger):
    total = compute(periods.parse("2023")).total
    assert total.value("requests_received") == 0
    assert total.value("lpc_issuance_rate") is None
    assert total.figures["lpc_issuance_rate"].denominator == 0
    assert total.value("reply_delay_median") is None
