import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _ledger_heads_in_tmp(settings, tmp_path):
    # The worker's nightly ledger check publishes a head: never into the real data directory.
    settings.LEDGER_HEADS_FILE = tmp_path / "ledger-heads.jsonl"


@pytest.fixture
def with_emails(personas):
    """Every persona has an e-mail address (the demo users do; test personas do not by default)."""
    for user in personas.values():
        user.email = f"{user.username}@example.test"
        user.save(update_fields=["email"])
    return personas


@pytest.fixture
def run_worker():
    def run(jobs=False):
        if not jobs:  # only the queued tasks and the e-mail sweep: today's daily jobs count as started
            from gmmp.core import clock
            from gmmp.notifications.jobs import DAILY_JOBS
            from gmmp.notifications.models import JobRun

            for name in DAILY_JOBS:
                JobRun.objects.get_or_create(
                    job=name, day=clock.today(), defaults={"started_at": clock.now()}
                )
        call_command("worker", "--once", stdout=open("/dev/null", "w"))

    return run
