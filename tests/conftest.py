import datetime as dt

import pytest
from django.core.management import call_command

from gmmp.core import clock

from gmmp.organisations.models import Organisation, User

from .personas import PASSWORD, PERSONAS

# Playwright fixtures (browser, live, new_page) for the browser tests of every folder.
pytest_plugins = ["tests.browser_support"]


# Every test runs at this moment unless it asks for `real_clock`: the suite never reads the calendar.
# The clock starts here and runs on in real time (events keep increasing times); a date in a test is
# written relative to it: `clock.today() + dt.timedelta(days=3)`, or `clock.frozen(...)` for a replay.
# Monday 16 November 2026, 10:00 in Paris: after every dated rule and jurisdiction change of the
# reference data, far from a quarter's or a day's edge.
PINNED_NOW = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def pinned_clock(request):
    if "real_clock" in request.fixturenames:
        yield None
        return
    clock.pin(PINNED_NOW)
    try:
        yield PINNED_NOW
    finally:
        clock.unpin()


@pytest.fixture
def real_clock():
    """For the few tests about the real time itself: the platform clock follows the system clock."""
    clock.unpin()
    yield


def _load_reference():
    if not Organisation.objects.exists():
        call_command("load_reference", stdout=open("/dev/null", "w"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_reference()


@pytest.fixture
def reference(db):
    # Transactional tests flush the database after them: load again when needed.
    _load_reference()


@pytest.fixture
def personas(reference):
    """Users keyed by persona name (see tests/personas.py)."""
    users = {}
    for username, (org_code, role) in PERSONAS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"organisation": Organisation.objects.get(code=org_code), "role": role},
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        users[username] = user
    return users


@pytest.fixture
def lpc_ready(personas):
    """Walk shortcuts: the usual actors of a Paris case."""
    return {
        "prefecture_user": personas["pref75_agent"],
        "consulate_user": personas["cg_paris_agent"],
        "border_user": personas["border_casa"],
    }
