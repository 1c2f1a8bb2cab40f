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
from tests.factories import case_data, extension_kwargs, make_case

from .walk import paris_case

STAGES = [4, 30, 60, 75, 90]
OLD_STAGES = [2, 30, 60, 75, 90]  # before 15 July 2024: 48 hours, then 30…
START = dt.date(2026, 3, 10)
UTC = dt.UTC


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


# Day counting: the start is day 0; a period of N days ends on day N. Only what a judge authorised counts
# (DOMAIN.md): without a decision the first stage; each extension granted to its date; the cap never passed.
# The clock at every stage boundary after real extension decisions is in tests/legal/test_clock.py.


def test_without_any_decision_only_the_first_stage_is_authorised():
    c = deadlines.detention_clock(START, day(3), STAGES)
    assert (c.stage_days, c.stage_end, c.release_by, c.ended, c.cap) == (4, day(4), day(4), False, day(90))
    assert c.next_stage_days == 30
    assert deadlines.detention_clock(START, day(4), STAGES).ended


def test_the_order_of_stages_in_the_data_does_not_matter():
    assert deadlines.detention_clock(START, day(31), [90, 4, 60, 30, 75]) == deadlines.detention_clock(
        START, day(31), STAGES
    )


def test_the_detention_end_is_the_end_of_the_authorised_period_not_the_cap():
    assert deadlines.detention_end(START, STAGES) == day(4)
    assert deadlines.detention_end(None, STAGES) is None


stage_lists = st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=6, unique=True)


class Decision:
    def __init__(self, kind, on, extended_to=None):
        self.kind, self.on, self.extended_to = kind, on, extended_to


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
    elapsed=st.integers(-10, 300),
    stages=stage_lists,
    extensions=st.lists(st.integers(1, 400), max_size=4),
    released=st.one_of(st.none(), st.integers(0, 300)),
)
def test_the_release_date_never_passes_the_cap_and_ends_the_clock(
    start, elapsed, stages, extensions, released
):
    today = start + dt.timedelta(days=elapsed)
    events = [Decision("extension_granted", start, start + dt.timedelta(days=n)) for n in extensions]
    if released is not None:
        events.append(Decision("released", start + dt.timedelta(days=released)))
    c = deadlines.detention_clock(start, today, stages, events)
    assert c.release_by <= c.cap == start + dt.timedelta(days=max(stages))
    assert c.ended == (released is not None or today >= c.release_by)
    if released is None:
        assert c.release_by >= start + dt.timedelta(days=min(stages))
    else:
        assert c.release_by <= start + dt.timedelta(days=released) and c.next_stage_days is None


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
    """A routed case whose detention a judge extended to 30 days (decided on day 3)."""
    with clock.frozen(dt.datetime.combine(routed_on, dt.time(9, 0), tzinfo=UTC)):
        case = make_case(
            CaseState.ROUTED,
            prefecture_user=personas["pref75_agent"],
            detention_start=detention_start,
            removal_order_date=detention_start - dt.timedelta(days=1),
            **extra,
        )
        actions.case_record_legal_event(case=case, user=personas["pref75_agent"], **extension_kwargs(case))
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(
    ("detention_start", "first_stage"),
    [
        (dt.date(2024, 7, 14), 2),  # started under the old rules: 48 hours first
        (dt.date(2024, 7, 15), 4),  # started on the day the new law applies: 4 days first
    ],
)
def test_the_clock_uses_the_rules_in_force_on_the_detention_start(personas, detention_start, first_stage):
    with clock.frozen(dt.datetime.combine(detention_start, dt.time(9, 0), tzinfo=UTC)):
        case = actions.case_create(
            user=personas["pref75_agent"],
            data=case_data(detention_start=detention_start, removal_order_date=detention_start),
        )
    c = case_deadlines(case, today=detention_start + dt.timedelta(days=1)).clock
    assert c.stage_days == first_stage
    assert case.detention_end == c.release_by == detention_start + dt.timedelta(days=first_stage)
    assert c.cap == detention_start + dt.timedelta(days=90)


def test_a_rule_changed_as_data_applies_from_its_effective_date(personas):
    PolicyValue.objects.create(
        key=PolicyKeys.DETENTION_STAGES, effective_from=dt.date(2026, 6, 1), value=[4, 30, 45]
    )
    PolicyValue.objects.create(key=PolicyKeys.REPLY_DEADLINE, effective_from=dt.date(2026, 6, 1), value=10)
    before = routed_case(personas, detention_start=dt.date(2026, 5, 31), routed_on=dt.date(2026, 5, 31))
    after = routed_case(personas, detention_start=dt.date(2026, 6, 1), routed_on=dt.date(2026, 6, 1))
    # The factory's judge extended both to 30 days; the cap is the rule in force on the detention start.
    assert before.detention_end == dt.date(2026, 5, 31) + dt.timedelta(days=30)
    assert after.detention_end == dt.date(2026, 6, 1) + dt.timedelta(days=30)
    assert case_deadlines(before, today=dt.date(2026, 7, 1)).clock.cap == dt.date(2026, 5, 31) + dt.timedelta(
        days=90
    )
    assert case_deadlines(after, today=dt.date(2026, 7, 1)).clock.cap == dt.date(2026, 6, 1) + dt.timedelta(
        days=45
    )
    assert before.reply_due == dt.date(2026, 5, 31) + dt.timedelta(days=25)
    assert after.reply_due == dt.date(2026, 6, 1) + dt.timedelta(days=10)
    assert case_deadlines(after, today=dt.date(2026, 7, 1)).clock.next_stage_days == 45


# From here on, dates are counted from the platform's today (pinned in tests): d(n) is n days from it.
def d(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def at(n: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(d(n), dt.time(hour), tzinfo=UTC)


def extend(case, personas, days: int):
    """A judge's further extension to `days` days, decided the day before the current period ends."""
    on = min(case.detention_end - dt.timedelta(days=1), clock.today())
    actions.case_record_legal_event(
        case=case,
        user=personas["pref75_agent"],
        kind="extension_granted",
        on=on,
        reference=f"JLD-{days}",
        extended_to=case.detention_start + dt.timedelta(days=days),
    )
    case.refresh_from_db()
    return case


def test_a_draft_update_recomputes_the_detention_end(personas):
    case = make_case(CaseState.DRAFT, prefecture_user=personas["pref75_agent"])
    actions.case_update_draft(case=case, user=personas["pref75_agent"], data={"detention_start": d(-6)})
    assert case.detention_end == d(-6) + dt.timedelta(days=4)
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
    extend(case, personas, 60)
    dl = case_deadlines(case, today=d(24))  # the reply would be late; release on day 45 (60 days authorised)
    assert not dl.awaiting_reply
    assert (dl.urgency.overdue, dl.urgency.due_soon, dl.urgency.due_date) == (False, False, d(45))
    dl = case_deadlines(case, today=d(40))
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
    late = extend(routed_case(personas, detention_start=d(-27), routed_on=d(-15)), personas, 60)
    soon = extend(routed_case(personas, detention_start=d(-76), routed_on=d(-6)), personas, 90)
    # Same release date as `late`, but routed earlier: its reply is due first
    same_release_earlier_reply = extend(
        routed_case(personas, detention_start=d(-27), routed_on=d(-22)), personas, 60
    )
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
