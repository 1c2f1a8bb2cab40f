"""The children's and the seasonal programme's list pages answer with a number of queries that does not
grow with their rows: 1 row, then 13, for each persona who reads them (the case list pages' rule,
tests/www/test_case_pages.py; the API lists': tests/api/test_query_counts.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gmmp.minors.enums import MinorState
from tests.api.test_query_counts import _contracts
from tests.minors.conftest import walk

MORE = 12  # 1 row, then 1 + 12 = 13 rows


def _queries(client, url: str, marker: str, rows: int) -> int:
    client.get(url)  # warm: a first request may fill caches (content types, rules)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count(marker) == rows, (url, marker)
    return len(captured)


@pytest.mark.parametrize("persona", ["ase75_officer", "judge_paris", "cg_paris_cp", "ase75_supervisor"])
def test_the_childrens_case_list_page_costs_the_same_queries_for_one_or_thirteen(
    client, minor_personas, persona
):
    """The named people's list, and the supervisors' (reference and step only)."""
    client.force_login(minor_personas[persona])
    first = walk(minor_personas, MinorState.REFERRED)
    prefix = first.reference.rsplit("-", 1)[0]  # every reference of the track starts alike
    one = _queries(client, "/minors/", f'href="/minors/{prefix}', 1)
    for i in range(MORE):
        walk(minor_personas, MinorState.REFERRED, last_name=f"Demo-Enfant{i}")
    assert _queries(client, "/minors/", f'href="/minors/{prefix}', 1 + MORE) == one


@pytest.mark.parametrize("persona", ["ofii_officer", "anapec_officer"])
@pytest.mark.parametrize("url", ["/mobility/contracts/", "/mobility/contracts/?status=signed"])
def test_the_seasonal_contract_list_page_costs_the_same_queries_for_one_or_thirteen(
    client, personas, persona, url
):
    client.force_login(personas[persona])
    _contracts(personas, 1, start=1)
    one = _queries(client, url, '<tr><td><a href="/mobility/contracts/', 1)
    _contracts(personas, MORE, start=100)
    assert _queries(client, url, '<tr><td><a href="/mobility/contracts/', 1 + MORE) == one
