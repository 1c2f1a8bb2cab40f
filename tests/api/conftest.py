"""The API as a calling system sees it: a client that authenticates with a scoped token."""

import json

import pytest
from django.test import Client

from gmmp.organisations.tokens import api_token_create

ALL_CASE_SCOPES = ("cases:read", "cases:write")
BASE = "/api/v1/cases/"


class Caller:
    """Calls the API with `Authorization: Bearer <token>` of one user and one set of scopes."""

    def __init__(self, user, raw_token: str):
        self.user = user
        self.token = raw_token
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token}")

    def get(self, path: str, params=None):
        return self.client.get(_url(path), params or {})

    def post(self, path: str, body=None):
        if body is None:
            return self.client.post(_url(path))
        return self.client.post(_url(path), data=json.dumps(body, default=str), content_type="application/json")

    def transition(self, reference: str, name: str, body=None):
        return self.post(f"{reference}/transitions/{name}", body)

    def upload(self, reference: str, file, **fields):
        return self.client.post(_url(f"{reference}/evidence"), data={"file": file, **fields})


def _url(path: str) -> str:
    return path if path.startswith("/") else BASE + path


@pytest.fixture
def api(personas):
    """`api("pref75_agent")` → a Caller with a fresh token (cases:read and cases:write by default)."""

    def make(username: str, scopes=ALL_CASE_SCOPES, **token_fields) -> Caller:
        user = personas[username]
        _token, raw = api_token_create(user=user, name=f"test {username}", scopes=list(scopes), **token_fields)
        return Caller(user, raw)

    return make
