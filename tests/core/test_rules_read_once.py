"""Within a request the configurable rules are read from the database once (core.models.rules_read_once,
set by core.middleware.RulesReadOnceMiddleware); a rule saved meanwhile is read again; outside a request
every read goes to the database, as before (bench/RESULTS.md, "Load, fifth pass")."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gmmp.core import clock
from gmmp.core.models import PolicyKeys, PolicyValue, policy_reader, policy_value, rules_read_once


def _policy_reads(captured) -> int:
    return sum('FROM "core_policyvalue"' in q["sql"] for q in captured)


@pytest.mark.django_db
def test_a_request_reads_the_rules_once_and_answers_as_a_read_each_time():
    day = clock.today()
    outside = [policy_value(k, day) for k in (PolicyKeys.REPLY_DEADLINE, PolicyKeys.DETENTION_STAGES)]
    with rules_read_once(), CaptureQueriesContext(connection) as captured:
        inside = [policy_value(k, day) for k in (PolicyKeys.REPLY_DEADLINE, PolicyKeys.DETENTION_STAGES)]
        assert policy_reader()(PolicyKeys.REPLY_DEADLINE, day) == inside[0]
        assert (
            policy_value(PolicyKeys.REPLY_DEADLINE, dt.date(1900, 1, 1)) == 25
        )  # before any rule: the default
    assert inside == outside
    assert _policy_reads(captured) == 1


@pytest.mark.django_db
def test_a_rule_saved_during_the_request_is_read_again():
    day = clock.today()
    with rules_read_once():
        before = policy_value(PolicyKeys.REPLY_DEADLINE, day)
        PolicyValue.objects.create(key=PolicyKeys.REPLY_DEADLINE, effective_from=day, value=before + 5)
        assert policy_value(PolicyKeys.REPLY_DEADLINE, day) == before + 5


@pytest.mark.django_db
def test_outside_a_request_every_read_goes_to_the_database():
    day = clock.today()
    with CaptureQueriesContext(connection) as captured:
        policy_value(PolicyKeys.REPLY_DEADLINE, day)
        policy_value(PolicyKeys.DETENTION_STAGES, day)
    assert _policy_reads(captured) == 2


def test_a_filing_through_the_api_reads_the_rules_once_a_request(client, personas):
    from gmmp.organisations.models import ApiTokenScope
    from gmmp.organisations.tokens import api_token_create
    from tests.factories import case_data

    _token, raw = api_token_create(user=personas["pref75_agent"], name="t", scopes=list(ApiTokenScope.values))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = {k: v if isinstance(v, list | str) else str(v) for k, v in case_data().items()}
    with CaptureQueriesContext(connection) as captured:
        created = client.post("/api/v1/cases/", body, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    assert _policy_reads(captured) == 1
    with CaptureQueriesContext(connection) as captured:
        url = f"/api/v1/cases/{created.json()['reference']}/transitions/submit"
        submitted = client.generic("POST", url, b"", **auth)
    assert submitted.status_code == 200, submitted.content
    assert _policy_reads(captured) == 1
