"""`gmmp demo`: documented logins, fictitious cases in many states with sound ledgers, a register."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from gmmp.cases.models import Case
from gmmp.cases.selectors import ledger_verify
from gmmp.demo.users import DEMO_PASSWORD, DEMO_USERS
from gmmp.identification import services


@pytest.fixture
def demo(settings, tmp_path, reference):
    settings.REGISTER_DIR = tmp_path / "register"
    services._engine = None
    call_command("demo", "--cases", "120", stdout=open("/dev/null", "w"))
    yield
    services._engine = None


def test_demo_users_log_in_with_the_documented_password(demo):
    request = RequestFactory().post("/login/")
    for username, *_rest in DEMO_USERS:
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None, username


def test_demo_cases_are_fictitious_spread_over_states_and_their_ledgers_verify(demo):
    cases = Case.objects.all()
    assert cases.count() == 120
    assert len(set(cases.values_list("state", flat=True))) >= 8
    assert all(
        ref.startswith("DEMO-OQTF-") for ref in cases.values_list("removal_order_reference", flat=True)
    )
    assert all(ledger_verify(case)[0] for case in cases)


def test_demo_loads_a_register_most_requests_can_be_found_in(demo):
    assert services.register_engine().count == 20_000


def test_running_demo_twice_adds_no_cases(demo):
    call_command("demo", stdout=open("/dev/null", "w"))
    assert Case.objects.count() == 120


def test_the_demo_files_no_possible_minor_in_the_adult_track(demo):
    from gmmp.cases.age import possibly_minor

    for case in Case.objects.all():
        for on in filter(None, [case.created_at.date(), case.detention_start]):
            assert not possibly_minor(case.birth_date, on, 18), (case.reference, case.birth_date)


def test_every_demo_persona_has_unread_notifications(
    settings, tmp_path, reference, django_capture_on_commit_callbacks
):
    from gmmp.notifications.models import Notification

    settings.REGISTER_DIR = tmp_path / "register"
    services._engine = None
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", "--cases", "120", stdout=open("/dev/null", "w"))
    services._engine = None
    unread = set(
        Notification.objects.filter(read_at__isnull=True).values_list("recipient__username", flat=True)
    )
    # Every persona, of both sides and of the minors' track, has something unread.
    assert {u[0] for u in DEMO_USERS} - unread == set()


def test_the_demo_shows_the_legal_situation_in_the_pages_and_the_indicators(reference, personas):
    """Appeals (suspensive and not), asylum claims and releases with their causes, so that the case pages
    and the indicators show them: "LPC in time" is neither 100 % nor 0, releases have several causes."""
    import datetime as dt

    from gmmp.cases.models import CaseEvent, LegalEvent
    from gmmp.core import clock
    from gmmp.demo.cases import demo_cases_create
    from gmmp.indicators import periods
    from gmmp.indicators.engine import compute

    demo_cases_create(count=250, seed=11)
    legal = LegalEvent.objects
    assert legal.filter(kind="appeal_lodged", suspensive=True).exists()
    assert legal.filter(kind="appeal_lodged", suspensive=False).exists()
    assert legal.filter(kind="appeal_decided").exists() and legal.filter(kind="asylum_claimed").exists()
    assert Case.objects.filter(state="released").exists()
    causes = set(CaseEvent.objects.filter(kind="release").values_list("reason", flat=True))
    assert {"judge", "cap_reached"} <= causes and causes & {"appeal", "asylum"}, causes
    year = periods.custom(clock.today() - dt.timedelta(days=364), clock.today())
    total = compute(year).total
    assert 0 < total.value("lpc_in_time_rate") < 1
    assert total.value("releases_before_departure") == sum(
        total.value(f"releases_{cause}") for cause in ("judge", "cap_reached", "appeal", "asylum", "other")
    )
    assert total.value("releases_before_departure") > 0
    assert all(ledger_verify(case)[0] for case in Case.objects.all())
