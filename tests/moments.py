"""The suite's one fixed moment. Every test runs with the platform clock pinned here (tests/conftest.py);
dates in tests are written relative to the clock (`clock.today() + dt.timedelta(days=3)`), or replayed
with `clock.frozen(moment)`.

Friday 20 November 2026, 10:00 in Paris: after every dated rule and jurisdiction change of the reference
data, away from a quarter's, a month's or a day's edge.
"""

import datetime as dt

PINNED_NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
