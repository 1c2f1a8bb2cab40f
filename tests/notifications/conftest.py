import pytest
from django.core.management import call_command


@pytest.fixture
def with_emails(personas):
    """Every persona has an e-mail address (the demo users do; test personas do not by default)."""
    for user in personas.values():
        user.email = f"{user.username}@example.test"
        user.save(update_fields=["email"])
    return personas


@pytest.fixture
def run_worker():
    def run():
        call_command("worker", "--once", stdout=open("/dev/null", "w"))

    return run
