"""The API as a calling system sees it: a client that authenticates with a scoped token."""

import json

import pytest
from django.test import Client

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.core import clock
from gmmp.organisations.models import Departement, Organisation, User
from gmmp.organisations.tokens import api_token_create
from tests.factories import case_data
from tests.moments import PINNED_NOW as NOW

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
        if body is None:  # no body at all, as `curl -X POST` sends
            return self.client.post(_url(path), data=b"", content_type="application/json")
        return self.client.post(
            _url(path), data=json.dumps(body, default=str), content_type="application/json"
        )

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
        _token, raw = api_token_create(
            user=user, name=f"test {username}", scopes=list(scopes), **token_fields
        )
        return Caller(user, raw)

    return make


@pytest.fixture(autouse=True)
def _frozen_now():
    # Validation compares dates with "today" and deadlines count from it: the suite's moment, exactly
    # (not running on), so that the expected dates below are those of PINNED_NOW.
    with clock.frozen(NOW):
        yield


@pytest.fixture(autouse=True)
def _evidence_in_tmp(settings, tmp_path):
    # Uploaded files go to a throw-away directory, not the local data directory.
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def unmapped_prefecture(reference):
    """A préfecture whose département no consulate covers: its requests wait to be routed by hand."""
    dep = Departement.objects.create(code="9ZZ", name="Département fictif")
    org = Organisation.objects.create(
        code="PREF-9ZZ", kind="prefecture", side="FR", name="Préfecture fictive", departement=dep
    )
    return User.objects.create(username="pref9zz_agent", organisation=org, role="agent")


@pytest.fixture
def submitted_case(unmapped_prefecture):
    case = actions.case_create(user=unmapped_prefecture, data=case_data())
    actions.case_submit(case=case, user=unmapped_prefecture)
    assert case.state == CaseState.SUBMITTED
    return case
