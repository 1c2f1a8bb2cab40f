"""The ledger integrity page, for the central auditors of both sides."""

import pytest
from django.test import Client

from gmmp.cases.enums import CaseState
from gmmp.core.ledger_chain import chain_publish
from tests.factories import make_case


@pytest.fixture(autouse=True)
def _heads_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.mark.parametrize("who", ["dgef_central", "dmsf_central", "maece_central"])
def test_central_auditors_of_both_sides_see_the_head_and_verify(personas, lpc_ready, who):
    make_case(CaseState.ROUTED, **lpc_ready)
    chain_publish()
    client = Client()
    client.force_login(personas[who])
    page = client.get("/audit/ledger/").content.decode()
    assert 'data-testid="head-count"' in page and "<td>2</td>" in page
    assert 'data-testid="verify-ok"' in client.post("/audit/ledger/").content.decode()


@pytest.mark.parametrize("who", ["pref75_agent", "cg_paris_agent", "border_casa", "gmmp_secretariat"])
def test_others_do_not_reach_the_ledger_page(personas, who):
    client = Client()
    client.force_login(personas[who])
    assert client.get("/audit/ledger/").status_code == 404


# "Who read this file": supervisors and the data protection officer; the subject-access export.

from gmmp.audit.models import AccessLog  # noqa: E402
from gmmp.organisations.models import Organisation, User  # noqa: E402


@pytest.fixture
def dpo(reference):
    return User.objects.create(
        username="dpo_dgef", organisation=Organisation.objects.get(code="DGEF"), role="dpo"
    )


@pytest.fixture
def read_case(lpc_ready, personas):
    case = make_case(CaseState.ROUTED, last_name="CONSULTE", **lpc_ready)
    reader = Client()
    reader.force_login(personas["cg_paris_agent"])
    assert reader.get(f"/cases/{case.reference}/").status_code == 200
    return case


def test_a_supervisor_sees_who_read_a_file_and_that_reading_is_logged(personas, read_case):
    client = Client()
    client.force_login(personas["cg_paris_supervisor"])
    page = client.get(f"/audit/cases/{read_case.reference}/access/").content.decode()
    assert "cg_paris_agent" in page and "CG-PARIS" in page
    assert AccessLog.objects.filter(
        user=personas["cg_paris_supervisor"], object_type="access_log", object_id=read_case.reference
    ).exists()


@pytest.mark.parametrize(
    "who", ["cg_paris_agent", "pref92_agent", "border_casa", "gmmp_secretariat", "cg_lyon_agent"]
)
def test_agents_and_outsiders_do_not_read_the_access_log(personas, read_case, who):
    client = Client()
    client.force_login(personas[who])
    assert client.get(f"/audit/cases/{read_case.reference}/access/").status_code == 404


def test_the_dpo_reads_the_access_log_and_exports_the_subjects_data(dpo, read_case):
    client = Client()
    client.force_login(dpo)
    assert "cg_paris_agent" in client.get(f"/audit/cases/{read_case.reference}/access/").content.decode()
    export = client.get(f"/audit/cases/{read_case.reference}/export.json")
    data = export.json()
    assert data["case"]["last_name"] == "CONSULTE" and data["events"] and data["reads"]
    assert AccessLog.objects.filter(user=dpo, action="export", object_id=read_case.reference).exists()


def test_only_the_dpo_exports(personas, read_case):
    client = Client()
    client.force_login(personas["cg_paris_supervisor"])
    assert client.get(f"/audit/cases/{read_case.reference}/export.json").status_code == 404
