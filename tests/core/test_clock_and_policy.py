"""The platform clock (so demo data and tests replay the past) and rules kept as dated data."""

import datetime as dt
import zoneinfo

import pytest

from gmmp.core import clock
from gmmp.core.models import POLICY_DEFAULTS, PolicyKeys, PolicyValue, policy_value
from gmmp.core.reference import policy_load

UTC = dt.UTC


def test_the_clock_is_real_time_unless_frozen(real_clock):
    before = dt.datetime.now(UTC)
    assert before <= clock.now() <= dt.datetime.now(UTC)


def test_a_frozen_clock_returns_the_moment_and_restores_itself_even_after_an_error():
    moment = dt.datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
    with pytest.raises(RuntimeError), clock.frozen(moment):
        assert clock.now() == moment
        with clock.frozen(moment + dt.timedelta(days=1)):
            assert clock.today() == dt.date(2025, 6, 2)
        assert clock.now() == moment
        raise RuntimeError
    assert clock.now() != moment


@pytest.mark.parametrize(
    ("moment", "today"),
    [
        (dt.datetime(2025, 5, 31, 21, 59, tzinfo=UTC), dt.date(2025, 5, 31)),  # 23:59 in Paris (summer time)
        (dt.datetime(2025, 5, 31, 22, 0, tzinfo=UTC), dt.date(2025, 6, 1)),  # midnight in Paris
        (
            dt.datetime(2025, 12, 31, 22, 59, tzinfo=UTC),
            dt.date(2025, 12, 31),
        ),  # 23:59 in Paris (winter time)
        (dt.datetime(2025, 12, 31, 23, 0, tzinfo=UTC), dt.date(2026, 1, 1)),
        (dt.datetime(2025, 6, 1, 0, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")), dt.date(2025, 6, 1)),
    ],
)
def test_today_is_the_date_in_france_not_in_utc(moment, today):
    with clock.frozen(moment):
        assert clock.today() == today


def test_today_follows_the_display_time_zone_setting(settings):
    settings.DISPLAY_TIME_ZONE = "Africa/Casablanca"  # UTC+1 all year round, except during Ramadan
    with clock.frozen(dt.datetime(2025, 1, 10, 23, 30, tzinfo=UTC)):
        assert clock.today() == dt.date(2025, 1, 11)


# Rules as data


@pytest.mark.parametrize(
    ("on", "stages"),
    [
        (dt.date(2024, 7, 14), [2, 30, 60, 75, 90]),
        (dt.date(2024, 7, 15), [4, 30, 60, 75, 90]),
        (dt.date(2030, 1, 1), [4, 30, 60, 75, 90]),
    ],
)
def test_the_rule_in_force_is_the_latest_effective_on_the_date(reference, on, stages):
    assert policy_value(PolicyKeys.DETENTION_STAGES, on) == stages


def test_without_a_date_the_rule_in_force_is_read_on_the_platform_clock(reference):
    with clock.frozen(dt.datetime(2024, 7, 1, 12, 0, tzinfo=UTC)):
        assert policy_value(PolicyKeys.DETENTION_STAGES) == [2, 30, 60, 75, 90]
    with clock.frozen(dt.datetime(2024, 7, 14, 22, 30, tzinfo=UTC)):  # 00:30 on 15 July in Paris
        assert policy_value(PolicyKeys.DETENTION_STAGES) == [4, 30, 60, 75, 90]


def test_a_key_with_nothing_in_force_yet_falls_back_to_the_default(reference):
    PolicyValue.objects.filter(key=PolicyKeys.LPC_VALIDITY).delete()
    assert (
        policy_value(PolicyKeys.LPC_VALIDITY, dt.date(2026, 1, 1)) == POLICY_DEFAULTS[PolicyKeys.LPC_VALIDITY]
    )


def test_the_shipped_rules_cite_their_source(reference):
    assert set(PolicyValue.objects.values_list("key", flat=True)) >= set(POLICY_DEFAULTS)
    assert not PolicyValue.objects.filter(source="").exists()


def test_loading_the_rules_twice_changes_nothing_and_keeps_an_administrators_additions(reference):
    PolicyValue.objects.create(
        key=PolicyKeys.REPLY_DEADLINE, effective_from=dt.date(2027, 1, 1), value=30, source="GMMP"
    )
    before = list(
        PolicyValue.objects.order_by("key", "effective_from").values_list("key", "effective_from", "value")
    )
    policy_load()
    policy_load()
    after = list(
        PolicyValue.objects.order_by("key", "effective_from").values_list("key", "effective_from", "value")
    )
    assert after == before
    assert policy_value(PolicyKeys.REPLY_DEADLINE, dt.date(2027, 1, 1)) == 30
    assert policy_value(PolicyKeys.REPLY_DEADLINE, dt.date(2026, 12, 31)) == 25
