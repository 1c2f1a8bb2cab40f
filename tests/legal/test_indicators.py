"""The indicators read the person's legal situation from the ledger (one definition for both sides):
"LPC in time" v2 reads the recorded release, releases before departure are counted by cause, and released
people or those with a pending suspensive appeal or asylum claim are not "ready without departure" (v2).
Ledgers are built by the real actions (tests.factories), dated relative to the pinned clock."""

import datetime as dt

import pytest

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.core import clock
from gmmp.indicators import definitions, periods
from gmmp.indicators.engine import cases_behind, compute
from tests.factories import extension_kwargs, make_case


def d(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def figures(**versions) -> dict:
    """The figures of the last 30 days up to today (current versions unless given)."""
    period = periods.custom(d(-30), d(0))
    chosen = definitions.current_versions() | versions
    return {k: f.value for k, f in compute(period, versions=chosen).total.figures.items()}


@pytest.fixture
def lpc_case(lpc_ready):
    def make():
        case = make_case(CaseState.LPC_ISSUED, **lpc_ready)
        return case

    return make


def release(case, user, *, on, cause="judge", kind="released"):
    return actions.case_release(case=case, user=user, kind=kind, on=on, reference=f"R-{case.pk}", cause=cause)


def legal(case, user, **kwargs):
    return actions.case_record_legal_event(case=case, user=user, reference=f"L-{case.pk}", **kwargs)


def test_the_current_versions_are_the_legal_ones():
    versions = definitions.current_versions()
    assert versions["lpc_in_time"] == 2
    assert versions["ready_without_departure"] == 3  # v3 (#17): a reversed identification
    # The published versions stay, unchanged, for stored reports.
    assert definitions.get("lpc_in_time", 1).computation.unless_later is None
    assert definitions.ORDER.count("lpc_in_time") == 1


# ---------------------------------------------------------------------------------------------- LPC in time


def test_a_release_recorded_after_the_lpc_with_an_earlier_date_makes_it_late(lpc_case, personas):
    pref = personas["pref75_agent"]
    late, on_time = lpc_case(), lpc_case()
    # Recorded today (after the LPC issued today), the release dates from yesterday: the LPC came too late.
    release(late, pref, on=d(-1), cause="judge")
    assert figures()["lpc_issued"] == 2
    assert figures()["lpc_in_time"] == 1
    assert figures(lpc_in_time=1)["lpc_in_time"] == 2  # v1 read only the end known at issue
    assert figures()["lpc_in_time_rate"] == 0.5
    period = periods.custom(d(-30), d(0))
    assert set(cases_behind(definitions.get("lpc_in_time"), period)) == {on_time.pk}


def test_a_release_on_the_day_of_issue_makes_the_lpc_late(lpc_case, personas):
    case = lpc_case()
    release(case, personas["pref75_agent"], on=d(0), cause="cap_reached")
    assert figures()["lpc_in_time"] == 0


def test_an_lpc_before_a_release_counts_in_time(lpc_case, personas):
    # Extended to 30 days, then released in 10 days' time (replayed then): the LPC issued today was in time.
    case = lpc_case()
    pref = personas["pref75_agent"]
    actions.case_record_legal_event(case=case, user=pref, **extension_kwargs(case, 30))
    with clock.frozen(clock.now() + dt.timedelta(days=10)):
        release(case, pref, on=d(0), cause="asylum")
        assert figures()["lpc_in_time"] == 1
        assert figures()["releases_asylum"] == 1


def test_a_stored_report_keeps_the_figure_of_its_ledger(lpc_case, personas):
    """The release is read up to the ledger's high-water mark: a report stored before it keeps its figure."""
    from gmmp.indicators.engine import ledger_high_water

    case = lpc_case()
    before = ledger_high_water()
    release(case, personas["pref75_agent"], on=d(-1))
    period = periods.custom(d(-30), d(0))
    assert compute(period, high_water=before).total.value("lpc_in_time") == 1
    assert compute(period).total.value("lpc_in_time") == 0


# ---------------------------------------------------------------------------------------------- releases


def test_releases_before_departure_are_counted_by_cause(lpc_case, personas):
    pref = personas["pref75_agent"]
    release(lpc_case(), pref, on=d(0), kind="release_ordered")  # a judge's order: cause "judge"
    release(lpc_case(), pref, on=d(0), kind="extension_refused")
    release(lpc_case(), pref, on=d(0), cause="cap_reached")
    release(lpc_case(), pref, on=d(0), cause="appeal")
    release(lpc_case(), pref, on=d(0), cause="asylum")
    release(lpc_case(), pref, on=d(0), cause="other")
    got = figures()
    assert got["releases_before_departure"] == 6
    assert (got["releases_judge"], got["releases_cap_reached"], got["releases_appeal"]) == (2, 1, 1)
    assert (got["releases_asylum"], got["releases_other"]) == (1, 1)


def test_a_person_released_twice_counts_twice(lpc_case, personas):
    pref = personas["pref75_agent"]
    case = lpc_case()
    release(case, pref, on=d(-1), cause="judge")
    actions.case_resume(case=case, user=pref, detention_start=d(0))
    release(case, pref, on=d(0), cause="appeal")
    got = figures()
    assert (got["releases_before_departure"], got["releases_judge"], got["releases_appeal"]) == (2, 1, 1)


# ---------------------------------------------------------------------------------------------- ready without departure


def test_released_people_are_not_ready_until_the_procedure_resumes(lpc_case, personas):
    pref = personas["pref75_agent"]
    case = lpc_case()
    lpc_case()
    release(case, pref, on=d(0), cause="judge")
    assert figures()["ready_without_departure"] == 1
    assert figures(ready_without_departure=1)["ready_without_departure"] == 2
    actions.case_resume(case=case, user=pref)
    assert figures()["ready_without_departure"] == 2


def test_a_pending_suspensive_appeal_excludes_until_judged(lpc_case, personas):
    pref = personas["pref75_agent"]
    suspensive, not_suspensive = lpc_case(), lpc_case()
    legal(suspensive, pref, kind="appeal_lodged", on=d(0), suspensive=True)
    legal(not_suspensive, pref, kind="appeal_lodged", on=d(0), suspensive=False)
    assert figures()["ready_without_departure"] == 1
    assert figures(ready_without_departure=1)["ready_without_departure"] == 2
    legal(suspensive, pref, kind="appeal_decided", on=d(0), outcome="rejected")
    assert figures()["ready_without_departure"] == 2


def test_a_pending_asylum_claim_excludes_until_decided(lpc_case, personas):
    pref = personas["pref75_agent"]
    case = lpc_case()
    legal(case, pref, kind="asylum_claimed", on=d(0))
    assert figures()["ready_without_departure"] == 0
    legal(case, pref, kind="asylum_decided", on=d(0), outcome="rejected")
    assert figures()["ready_without_departure"] == 1


def test_the_stock_is_read_at_each_month_end(lpc_case, personas):
    """By month: a claim lodged today does not remove the person from last month's stock."""
    pref = personas["pref75_agent"]
    first_of_month = d(0).replace(day=1)
    with clock.frozen(clock.now() - dt.timedelta(days=d(0).day + 3)):
        case = lpc_case()
    legal(case, pref, kind="asylum_claimed", on=d(0))
    period = periods.custom(first_of_month - dt.timedelta(days=10), d(0))
    rows = {r.key: r for r in compute(period, breakdown="month").rows}
    last_month = f"{first_of_month - dt.timedelta(days=1):%Y-%m}"
    assert rows[last_month].value("ready_without_departure") == 1
    assert rows[f"{d(0):%Y-%m}"].value("ready_without_departure") == 0
