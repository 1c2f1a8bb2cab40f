"""/api/v1/lpc/verify needs the verify-only scope and is rate-limited in the shared (database) cache,
like the public page."""

import json

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client

from gmmp.cases.enums import CaseState
from gmmp.documents.selectors import lpc_current
from gmmp.organisations.tokens import api_token_create
from tests.factories import make_case

VERIFY = "/api/v1/lpc/verify"


def _caller(user, scopes):
    _t, raw = api_token_create(user=user, name="t", scopes=scopes)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _verify(client, seal):
    return client.post(VERIFY, json.dumps({"payload": seal}), content_type="application/json")


@pytest.fixture
def seal(lpc_ready):
    return lpc_current(make_case(CaseState.LPC_ISSUED, **lpc_ready)).seal


def test_a_token_without_the_verify_scope_gets_no_name(personas, seal):
    response = _verify(_caller(personas["dgef_central"], ["indicators:read"]), seal)
    assert response.status_code == 403 and "holder_name" not in response.json()


def test_a_verify_only_token_verifies_and_reads_nothing_else(personas, seal):
    client = _caller(personas["border_casa"], ["lpc:verify"])
    assert _verify(client, seal).json()["status"] == "valid"
    assert client.get("/api/v1/cases/").status_code == 403


def test_wrong_codes_are_throttled_per_token_with_a_json_429(personas, settings, seal):
    settings.LPC_VERIFY_RATE = (5, 60)
    client = _caller(personas["border_casa"], ["lpc:verify"])
    answers = [_verify(client, "LPC1-WRONG").status_code for _ in range(5)]
    assert answers == [200] * 5
    blocked = _verify(client, seal)
    assert blocked.status_code == 429 and blocked.json()["code"] == "rate_limited"
    # Another token is not affected.
    assert _verify(_caller(personas["border_casa"], ["lpc:verify"]), seal).status_code == 200


def test_the_rate_limits_count_in_a_cache_shared_by_every_worker(db):
    backend = django_settings.CACHES["default"]["BACKEND"]
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    # The table exists after `migrate` alone (a migration creates it).
    caches["default"].set("probe", 1)
    assert caches["default"].get("probe") == 1
