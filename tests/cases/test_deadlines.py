"""Deadlines: the detention clock around every stage boundary, the rules in force on the detention start,
the consulate's reply deadline, overdue / due-soon flags and the queue's order."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gmmp.cases import actions, deadlines
from gmmp.cases.enums import CaseState
from gmmp.cases.selectors import case_deadlines, case_list_for_user
from gmmp.core import clock
from gmmp.core.models import PolicyKeys, PolicyValue
from tests.factories import make_case

from .walk import paris_case

STAGES = [4, 30, 60, 75, 90]
OLD_STAGES = [2, 30, 60, 75, 90]  # before 15 July 2024: 48 hours, then 30…
START = dt.date(2026, 3, 10)
UTC = dt.UTC


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


# Day counting: the start is day 0; the stage of N days ends on day N, when a judge must have extended.
@pytest.mark.parametrize(
    ("elapsed", "stage"),
    [
        (0, 4),
        (3, 4),
        (4, 30),
        (5, 30),
        (29, 30),
        (30, 60),
        (31, 60),
        (59, 60),
        (60, 75),
        (74, 75),
        (75, 90),
        (89, 90),
        (90, None),
        (91, None),
    ],
)
def test_the_detention_clock_moves_to_the_next_stage_on_each_boundary(elapsed, stage):
    c = deadlines.detention_clock(START, day(elapsed), STAGES)
    assert c.days_elapsed == elapsed
    assert c.stage_days == stage
    assert c.stage_end == (day(stage) if stage else None)
    assert c.ended is (stage is None)
    assert c.release_by == day(90)
    assert c.days_left == 90 - elapsed


def test_the_order_of_stages_in_the_data_does_not_matter():
    assert deadlines.detention_clock(START, day(31), [90, 4, 60, 30, 75]) == deadlines.detention_clock(
        START, day(31), STAGES
    )


def test_the_detention_end_is_the_start_plus_the_hard_cap():
    assert deadlines.detention_end(START, STAGES) == day(90)
    assert deadlines.detention_end(None, STAGES) is None


stage_lists = st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=6, unique=True)


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
    elapsed=st.integers(-10, 300),
    stages=stage_lists,
)
def test_while_the_detention_has_not_ended_the_stage_ends_after_today_and_within_the_cap(
    start, elapsed, stages
):
    today = start + dt.timedelta(days=elapsed)
    c = deadlines.detention_clock(start, today, stages)
    assert c.release_by == start + dt.timedelta(days=max(stages))
    assert c.ended == (today >= c.release_by)
    if not c.ended:
        assert c.stage_days in stages
        assert today < c.stage_end <= c.release_by
        assert c.stage_end == start + dt.timedelta(days=c.stage_days)
        # No earlier stage is still running
        assert all(start + dt.timedelta(days=s) <= today for s in stages if s < c.stage_days)
    else:
        assert c.stage_days is None and c.stage_end is None and c.days_left <= 0


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
    a=st.integers(0, 120),
    b=st.integers(0, 120),
    stages=stage_lists,
)
def test_the_stage_never_goes_back_as_days_pass(start, a, b, stages):
    early, late = sorted([a, b])
    first = deadlines.detention_clock(start, start + dt.timedelta(days=early), stages)
    second = deadlines.detention_clock(start, start + dt.timedelta(days=late), stages)
    assert (first.stage_days or 10**6) <= (second.stage_days or 10**6)


@settings(max_examples=200, deadline=None)
@given(
    today=st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
    offsets=st.lists(st.one_of(st.none(), st.integers(-30, 30)), max_size=3),
    soon=st.integers(0, 14),
)
def test_urgency_is_overdue_or_due_soon_from_the_earliest_date_only(today, offsets, soon):
    dates = [None if o is None else today + dt.timedelta(days=o) for o in offsets]
    u = deadlines.urgency(today=today, due_dates=dates, due_soon_days=soon)
    real = [d for d in dates if d is not None]
    if not real:
        assert u == deadlines.Urgency(False, False, None)
        return
    first = min(real)
    assert u.due_date == first
    assert u.overdue == (first < today)
    assert u.due_soon == (today <= first <= today + dt.timedelta(days=soon))
    assert not (u.overdue and u.due_soon)


# From the database: the rules in force, by effective date


def routed_case(personas, *, detention_start, routed_on, **extra):
    with clock.frozen(dt.datetime.combine(routed_on, dt.time(9, 0), tzinfo=UTC)):
        return make_case(
            CaseState.ROUTED,
            prefecture_user=personas["pref75_agent"],
            detention_start=detention_start,
            removal_order_date=detention_start - dt.timedelta(days=1),
            **extra,
        )


@pytest.mark.parametrize(
    ("detention_start", "elapsed", "stage"),
    [
        (dt.date(2024, 7, 14), 1, 2),  # started under the old rules: 48 hours first
        (dt.date(2024, 7, 14), 2, 30),
        (dt.date(2024, 7, 15), 2, 4),  # started on the day the new law applies: 4 days first
        (dt.date(2024, 7, 15), 4, 30),
        (dt.date(2023, 1, 1), 89, 90),
    ],
)
def test_the_clock_uses_the_rules_in_force_on_the_detention_start(personas, detention_start, elapsed, stage):
    case = routed_case(personas, detention_start=detention_start, routed_on=detention_start)
    c = case_deadlines(case, today=detention_start + dt.timedelta(days=elapsed)).clock
    assert c.stage_days == stage
    assert case.detention_end == c.release_by == detention_start + dt.timedelta(days=90)


def test_a_rule_changed_as_data_applies_from_its_effective_date(personas):
    PolicyValue.objects.create(
        key=PolicyKeys.DETENTION_STAGES, effective_from=dt.date(2026, 6, 1), value=[4, 30, 45]
    )
    PolicyValue.objects.create(key=PolicyKeys.REPLY_DEADLINE, effective_from=dt.date(2026, 6, 1), value=10)
    before = routed_case(personas, detention_start=dt.date(2026, 5, 31), routed_on=dt.date(2026, 5, 31))
    after = routed_case(personas, detention_start=dt.date(2026, 6, 1), routed_on=dt.date(2026, 6, 1))
    assert before.detention_end == dt.date(2026, 5, 31) + dt.timedelta(days=90)
    assert after.detention_end == dt.date(2026, 6, 1) + dt.timedelta(days=45)
    assert before.reply_due == dt.date(2026, 5, 31) + dt.timedelta(days=25)
    assert after.reply_due == dt.date(2026, 6, 1) + dt.timedelta(days=10)
    assert case_deadlines(after, today=dt.date(2026, 7, 1)).clock.stage_days == 45


# From here on, dates are counted from the platform's today (pinned in tests): d(n) is n days from it.
def d(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def at(n: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(d(n), dt.time(hour), tzinfo=UTC)


def test_a_draft_update_recomputes_the_detention_end(personas):
    case = make_case(CaseState.DRAFT, prefecture_user=personas["pref75_agent"])
    actions.case_update_draft(case=case, user=personas["pref75_agent"], data={"detention_start": d(-6)})
    assert case.detention_end == d(-6) + dt.timedelta(days=90)
    actions.case_update_draft(case=case, user=personas["pref75_agent"], data={"detention_start": None})
    case.refresh_from_db()
    assert case.detention_end is None


@pytest.mark.parametrize(
    ("offset", "overdue", "due_soon"),
    [
        (2, False, False),  # reply due on day 11: 9 days left
        (4, False, True),  # 7 days left: due soon
        (11, False, True),  # due today
        (12, True, False),  # a day late
    ],
)
def test_a_case_awaiting_the_consulate_is_flagged_by_its_reply_deadline(personas, offset, overdue, due_soon):
    case = routed_case(personas, detention_start=d(-15), routed_on=d(-14))
    assert case.reply_due == d(11)
    dl = case_deadlines(case, today=d(offset))
    assert dl.awaiting_reply
    assert (dl.urgency.overdue, dl.urgency.due_soon, dl.urgency.due_date) == (
        overdue,
        due_soon,
        d(11),
    )


def test_once_decided_the_reply_deadline_no_longer_counts_but_the_release_date_does(personas):
    case = routed_case(personas, detention_start=d(-15), routed_on=d(-14))
    actions.case_decide(case=case, user=personas["cg_paris_agent"], decision="identified")
    dl = case_deadlines(case, today=d(24))  # the reply would be late; release on day 75
    assert not dl.awaiting_reply
    assert (dl.urgency.overdue, dl.urgency.due_soon, dl.urgency.due_date) == (False, False, d(75))
    dl = case_deadlines(case, today=d(70))
    assert (dl.urgency.overdue, dl.urgency.due_soon) == (False, True)


def test_a_finished_case_is_never_overdue(personas):
    case = paris_case(CaseState.NOT_NATIONAL, personas)
    dl = case_deadlines(case, today=d(776))
    assert (dl.urgency.overdue, dl.urgency.due_soon, dl.urgency.due_date) == (False, False, None)
    assert dl.clock.ended  # the clock is still shown, for the record


def test_case_deadlines_reads_today_from_the_platform_clock(personas):
    case = routed_case(personas, detention_start=d(-15), routed_on=d(-14))
    with clock.frozen(at(12)):
        assert case_deadlines(case).urgency.overdue
    with clock.frozen(at(-13)):
        assert not case_deadlines(case).urgency.overdue


def test_the_queue_puts_first_the_earliest_date_that_matters_reply_due_or_release(personas):
    late = routed_case(personas, detention_start=d(-27), routed_on=d(-15))
    soon = routed_case(personas, detention_start=d(-76), routed_on=d(-6))
    # Same release date as `late`, but routed earlier: its reply is due first
    same_release_earlier_reply = routed_case(personas, detention_start=d(-27), routed_on=d(-22))
    not_detained = routed_case(personas, detention_start=d(-46), routed_on=d(-45))
    not_detained.detention_start = not_detained.detention_end = None
    not_detained.save()
    queue = list(case_list_for_user(user=personas["cg_paris_agent"], filters={"open_only": True}))
    # Reply due: not_detained day -20 (overdue first), same_release day 3, late day 10; soon's release
    # (day 14) comes before its reply due (day 19).
    assert queue == [not_detained, same_release_earlier_reply, late, soon]


def test_finished_cases_come_after_open_ones_in_a_full_list(personas):
    finished = paris_case(CaseState.NOT_NATIONAL, personas)
    waiting = routed_case(personas, detention_start=d(-27), routed_on=d(-15))
    assert list(case_list_for_user(user=personas["cg_paris_agent"])) == [waiting, finished]


def test_the_open_only_queue_leaves_out_finished_cases(personas):
    open_case = paris_case(CaseState.ROUTED, personas)
    paris_case(CaseState.READMITTED, personas)
    paris_case(CaseState.NOT_ESTABLISHED, personas)
    queue = list(case_list_for_user(user=personas["cg_paris_agent"], filters={"open_only": True}))
    assert queue == [open_case]
