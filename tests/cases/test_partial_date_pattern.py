"""The API states the partial-date rule as a pattern (cases.validation.PARTIAL_DATE_PATTERN): it calls
valid exactly what `partial_date_problem` accepts, but for "not after today", which a schema cannot say
(the server answers that with its own detail type, `date_in_future`)."""

import datetime as dt

import jsonschema_rs

from gmmp.api.schemas import CaseCreateIn
from gmmp.cases.validation import partial_date_in_future, partial_date_problem
from gmmp.core import clock

LAST_DAY = dt.date(2099, 12, 31)


def _candidates():
    yield from ("", "1899", "1900", "2099", "2100", "0000", "99", "19000", "١٩٩٠", "1990-", "1990-1")
    for year in (1899, 1900, 1996, 2000, 2023, 2024, 2099, 2100):
        for month in range(0, 14):
            yield f"{year}-{month:02d}"
            for day in range(0, 33):
                yield f"{year}-{month:02d}-{day:02d}"
    day = dt.date(1900, 1, 1)
    while day <= LAST_DAY:
        yield day.isoformat()
        day += dt.timedelta(days=1)


def test_the_pattern_is_the_rule_but_for_today():
    schema = CaseCreateIn.model_json_schema()["properties"]["birth_date"]
    validator = jsonschema_rs.validator_for(schema)
    differ = [
        value
        for value in _candidates()
        if validator.is_valid(value) != (partial_date_problem(value, today=LAST_DAY) is None)
    ]
    assert differ == []
    assert validator.is_valid(" 1990 ") and validator.is_valid("  ")  # stripped, as the server does


def test_a_date_after_today_has_its_own_type():
    tomorrow = clock.today() + dt.timedelta(days=1)
    assert partial_date_in_future(tomorrow.isoformat())
    assert partial_date_in_future(str(clock.today().year + 1))
    assert not partial_date_in_future("1990-02-30")
    assert not partial_date_in_future(clock.today().isoformat())
