"""The detention clock reads the judges' decisions: the release date is the end of the period actually
authorised, at every stage boundary, never the 90-day cap by default."""

import datetime as dt

import pytest

from gmmp.cases import deadlines

STAGES = [4, 30, 60, 75, 90]
START = dt.date(2026, 3, 10)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


class Decision:
    def __init__(self, kind: str, on: int, extended_to: int | None = None):
        self.kind, self.on = kind, day(on)
        self.extended_to = day(extended_to) if extended_to is not None else None


GRANTED_30 = [Decision("extension_granted", 3, 30)]
GRANTED_60 = [*GRANTED_30, Decision("extension_granted", 29, 60)]
GRANTED_75 = [*GRANTED_60, Decision("extension_granted", 59, 75)]
GRANTED_90 = [*GRANTED_75, Decision("extension_granted", 74, 90)]


@pytest.mark.parametrize(
    ("decisions", "elapsed", "authorised", "ended", "next_stage"),
    [
        ([], 0, 4, False, 30),
        ([], 3, 4, False, 30),
        ([], 4, 4, True, 30),  # day 4 without an extension: the person must be released
        (GRANTED_30, 4, 30, False, 60),
        (GRANTED_30, 29, 30, False, 60),
        (GRANTED_30, 30, 30, True, 60),
        (GRANTED_60, 30, 60, False, 75),
        (GRANTED_60, 59, 60, False, 75),
        (GRANTED_60, 60, 60, True, 75),
        (GRANTED_75, 74, 75, False, 90),
        (GRANTED_90, 75, 90, False, None),
        (GRANTED_90, 89, 90, False, None),
        (GRANTED_90, 90, 90, True, None),
        (GRANTED_90, 91, 90, True, None),
    ],
)
def test_the_clock_at_each_stage_boundary_after_real_extension_decisions(
    decisions, elapsed, authorised, ended, next_stage
):
    c = deadlines.detention_clock(START, day(elapsed), STAGES, decisions)
    assert c.stage_days == authorised
    assert c.release_by == c.stage_end == day(authorised)
    assert c.ended is ended
    assert c.days_left == authorised - elapsed
    assert c.next_stage_days == next_stage
    assert c.cap == day(90)


def test_a_refused_extension_releases_the_person_on_the_day_of_the_decision():
    decisions = [*GRANTED_30, Decision("extension_refused", 30)]
    c = deadlines.detention_clock(START, day(30), STAGES, decisions)
    assert (c.release_by, c.released_on, c.ended, c.next_stage_days) == (day(30), day(30), True, None)


def test_a_release_ordered_mid_period_ends_the_detention_early():
    decisions = [*GRANTED_60, Decision("release_ordered", 41)]
    c = deadlines.detention_clock(START, day(45), STAGES, decisions)
    assert c.release_by == day(41) and c.ended


def test_an_extension_is_never_read_beyond_the_cap():
    c = deadlines.detention_clock(START, day(10), STAGES, [Decision("extension_granted", 3, 120)])
    assert c.release_by == day(90)


def test_pending_suspensive_procedures_are_counted_until_decided():
    class E:
        def __init__(self, kind, suspensive=None):
            self.kind, self.suspensive = kind, suspensive

    assert deadlines.pending_suspensive([E("appeal_lodged", False)]) == {"appeal": 0, "asylum": 0}
    assert deadlines.pending_suspensive([E("appeal_lodged", True)]) == {"appeal": 1, "asylum": 0}
    assert deadlines.pending_suspensive([E("appeal_lodged", True), E("appeal_decided")])["appeal"] == 0
    assert deadlines.pending_suspensive([E("asylum_claimed")])["asylum"] == 1
    assert deadlines.pending_suspensive([E("asylum_claimed"), E("asylum_decided")])["asylum"] == 0
