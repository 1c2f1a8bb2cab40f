"""The platform's notion of "now". Actions read it here so that demo data and tests can replay the past
(`with clock.frozen(moment): ...`) through the same code paths as live use.

Two ways to move it, both for demo data and tests only:
- `frozen(moment)`: a context (this thread or task) where "now" is exactly `moment`; used to replay
  events at chosen instants.
- `pin(moment)` / `unpin()`: the whole process starts its "now" at `moment` and lets it run on in
  real time, so that the test suite never reads the calendar (threads included: the live server of the
  browser tests sees the same clock) while successive events still get increasing times.
"""

import contextlib
import contextvars
import datetime as dt
import time
import zoneinfo

from django.conf import settings
from django.utils import timezone

_frozen: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("gmmp_clock", default=None)
# (pinned moment, time.monotonic() when pinned): process-wide, read by every thread.
_pinned: tuple[dt.datetime, float] | None = None


def now() -> dt.datetime:
    frozen_at = _frozen.get()
    if frozen_at is not None:
        return frozen_at
    pinned = _pinned
    if pinned is not None:
        moment, since = pinned
        return moment + dt.timedelta(seconds=time.monotonic() - since)
    return timezone.now()


def today() -> dt.date:
    """Today's date where the case is handled (display time zone), not in UTC."""
    return timezone.localtime(now(), timezone=_display_zone()).date()


def local_date(moment: dt.datetime) -> dt.date:
    """The date of `moment` where the case is handled (display time zone)."""
    return timezone.localtime(moment, timezone=_display_zone()).date()


def _display_zone():
    return zoneinfo.ZoneInfo(settings.DISPLAY_TIME_ZONE)


@contextlib.contextmanager
def frozen(moment: dt.datetime):
    if timezone.is_naive(moment):
        raise ValueError("clock.frozen needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)


def pin(moment: dt.datetime) -> None:
    """Start the process's clock at `moment` (aware); it runs on from there in real time."""
    global _pinned
    if timezone.is_naive(moment):
        raise ValueError("clock.pin needs an aware datetime")
    _pinned = (moment, time.monotonic())


def unpin() -> None:
    global _pinned
    _pinned = None


def is_pinned() -> bool:
    return _pinned is not None
