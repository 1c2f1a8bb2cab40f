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
