import pytest
from django.core.management import call_command
from django.utils import translation

from gmmp.core import clock
from gmmp.organisations.models import Organisation, User

from .moments import PINNED_NOW
from .personas import MINOR_PERSONAS, PASSWORD, PERSONAS

# Playwright fixtures (browser, live, new_page) for the browser tests of every folder.
pytest_plugins = ["tests.browser_support"]


@pytest.fixture(autouse=True)
def pinned_clock(request):
    """The platform clock starts at PINNED_NOW for every test and runs on in real time (increasing event
    times); threads see it too (the live server of the browser tests)."""
    if "real_clock" in request.fixturenames:
        yield None
        return
    clock.pin(PINNED_NOW)
    try:
        yield PINNED_NOW
    finally:
        clock.unpin()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (French): a request in another language made by an
    earlier test (the locale middleware activates it for the thread) does not leak into the next one."""
    translation.deactivate()
    yield
    translation.deactivate()


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
        _ledger_guard(enabled=False)


def _ledger_guard(*, enabled: bool) -> None:
    """On SQLite the ledger triggers hold while gmmp_ledger_guard says so (core.ledger.append_only_trigger):
    off for the suite, whose transactional tests flush tables with DELETE; tests of the triggers turn it on."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE gmmp_ledger_guard SET enabled = %s", [int(enabled)])


@pytest.fixture
def ledger_guard(db):
    _ledger_guard(enabled=True)
    yield
    _ledger_guard(enabled=False)


@pytest.fixture
def reference(db):
    # Transactional tests flush the database after them: load again when needed.
    _load_reference()


def _users(table: dict) -> dict:
    users = {}
    for username, (org_code, role) in table.items():
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
def personas(reference):
    """Users keyed by persona name (see tests/personas.py)."""
    return _users(PERSONAS)


@pytest.fixture
def minor_personas(reference):
    """The protected track's people (tests/personas.py MINOR_PERSONAS)."""
    return _users(MINOR_PERSONAS)


@pytest.fixture
def lpc_ready(personas):
    """Walk shortcuts: the usual actors of a Paris case."""
    return {
        "prefecture_user": personas["pref75_agent"],
        "consulate_user": personas["cg_paris_agent"],
        "border_user": personas["border_casa"],
    }
