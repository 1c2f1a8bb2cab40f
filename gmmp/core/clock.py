"""The platform's notion of "now". Actions read it here so that demo data and tests can replay the past
(`with clock.frozen(moment): ...`) through the same code paths as live use."""

import contextlib
import contextvars
import datetime as dt

from django.conf import settings
from django.utils import timezone

_frozen: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("gmmp_clock", default=None)


def now() -> dt.datetime:
    return _frozen.get() or timezone.now()


def today() -> dt.date:
    """Today's date where the case is handled (display time zone), not in UTC."""
    return timezone.localtime(now(), timezone=_display_zone()).date()


def _display_zone():
    import zoneinfo

    return zoneinfo.ZoneInfo(settings.DISPLAY_TIME_ZONE)


@contextlib.contextmanager
def frozen(moment: dt.datetime):
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)
