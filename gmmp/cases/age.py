"""Age from a partial birth date, read in the person's favour (pure functions, no database).

A birth date is often only a year (`1994`) or a year and month (`1994-03`). A child may not be the subject
of a removal order nor be placed in a detention centre (CESEDA L611-3, law of 26 January 2024): whenever
the date *could* make the person a minor on the day that matters, they are treated as a possible minor.
So the reading takes the latest day the date allows (31 December for a year alone, the last day of the
month for a year and month).

29 February: in a year without one, the birthday falls on 1 March (the later reading, again in the
person's favour: they stay protected one day longer than with 28 February).
"""

import calendar
import datetime as dt


def latest_possible_birth(partial: str) -> dt.date | None:
    """The latest real day a partial date (YYYY, YYYY-MM, YYYY-MM-DD) allows; None when it is empty or
    not a date (validation reports that elsewhere)."""
    try:
        parts = [int(p) for p in partial.split("-")] if partial else []
        if not 1 <= len(parts) <= 3:
            return None
        year = parts[0]
        month = parts[1] if len(parts) > 1 else 12
        day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
        return dt.date(year, month, day)
    except ValueError:
        return None


def anniversary(born: dt.date, years: int) -> dt.date:
    """The day `born` turns `years` years old; born on 29 February → 1 March in a year without one."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February in a common year
        return dt.date(born.year + years, 3, 1)


def possibly_minor(birth_date: str, on: dt.date, majority_age: int) -> bool:
    """True when the person could be under `majority_age` on `on`, reading the date in their favour.

    An empty birth date says nothing: it is not, by itself, a reason to treat the person as a minor.
    """
    latest = latest_possible_birth(birth_date)
    if latest is None:
        return False
    return on < anniversary(latest, majority_age)


def adult_from(birth_date: str, majority_age: int) -> dt.date | None:
    """The first day on which the person is certainly of age (None for an empty date)."""
    latest = latest_possible_birth(birth_date)
    return anniversary(latest, majority_age) if latest else None
