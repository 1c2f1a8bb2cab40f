"""Revoking an API token is an action of the organisations app (the command only translates)."""

import pytest

from gmmp.core.errors import Refused
from gmmp.organisations.tokens import api_token_authenticate, api_token_create, api_token_revoke


def test_a_revoked_token_no_longer_authenticates_and_keeps_its_first_revocation_date(personas):
    token, raw = api_token_create(user=personas["pref75_agent"], name="sys", scopes=["cases:read"])
    assert api_token_authenticate(raw) is not None
    first = api_token_revoke(prefix=token.prefix).revoked_at
    assert first is not None and api_token_authenticate(raw) is None
    assert api_token_revoke(prefix=token.prefix).revoked_at == first


def test_an_unknown_prefix_is_refused_with_its_code(db):
    with pytest.raises(Refused) as refused:
        api_token_revoke(prefix="nope")
    assert refused.value.code == "unknown_token"


def test_a_token_records_its_last_use_to_the_minute_with_one_write_a_minute(personas):
    """`last_used_at` is written when a minute has passed since the last write, not on every call."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from gmmp.organisations.models import ApiToken

    token, raw = api_token_create(user=personas["pref75_agent"], name="sys", scopes=["cases:read"])
    assert api_token_authenticate(raw) is not None
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as captured:
        assert api_token_authenticate(raw) is not None
    assert not [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(seconds=61))
    assert api_token_authenticate(raw) is not None
    assert timezone.now() - ApiToken.objects.get(pk=token.pk).last_used_at < dt.timedelta(seconds=5)
