"""The seasonal programme's personal data: OFII and ANAPEC officers only, every read logged."""

import pytest
from django.urls import reverse

from gmmp.audit.models import AccessLog
from gmmp.mobility import actions, selectors
from gmmp.mobility.errors import MobilityRefused
from tests.mobility.data import programme
from tests.personas import PERSONAS

OFFICERS = {"ofii_officer", "anapec_officer"}
OTHERS = sorted(set(PERSONAS) - OFFICERS)


@pytest.fixture
def contracts(personas):
    return programme(personas)["contracts"]


@pytest.mark.parametrize("name", OTHERS)
def test_no_other_role_sees_a_worker(client, personas, contracts, name):
    user = personas[name]
    contract = contracts["F25"]
    assert not selectors.contracts_visible_to(user).exists()
    assert selectors.contract_get_for_user(user=user, pk=contract.pk) is None
    client.force_login(user)
    assert client.get(reverse("mobility:contracts")).status_code == 403
    page = client.get(reverse("mobility:contract", args=[contract.pk]))
    assert page.status_code == 404
    assert client.get("/api/v1/mobility/contracts").status_code == 403
    assert client.get(f"/api/v1/mobility/contracts/{contract.pk}").status_code == 404
    assert (
        client.post(
            reverse("mobility:contract_act", args=[contract.pk, "arrival"]), {"on": "2025-03-01"}
        ).status_code
        == 404
    )
    with pytest.raises(MobilityRefused):
        actions.contract_record_return(user=user, contract=contracts["A25"], on=contracts["A25"].end_date)
    for url in (reverse("mobility:index"), reverse("indicators:theme", args=["seasonal"])):
        response = client.get(url)
        assert "DEMO-FILALI" not in response.content.decode()  # a worker's name, never shown


@pytest.mark.parametrize("name", sorted(OFFICERS))
def test_programme_officers_of_either_side_see_the_workers_and_each_read_is_logged(
    client, personas, contracts, name
):
    client.force_login(personas[name])
    before = AccessLog.objects.count()
    listing = client.get(reverse("mobility:contracts"))
    assert "DEMO-FILALI" in listing.content.decode()
    contract = contracts["F25"]
    detail = client.get(reverse("mobility:contract", args=[contract.pk]))
    assert "Logement insalubre" in detail.content.decode()
    api = client.get(f"/api/v1/mobility/contracts/{contract.pk}").json()
    assert api["worker_last_name"] == "DEMO-FILALI"
    logs = list(AccessLog.objects.order_by("pk")[before:])
    assert [(log.action, log.object_type, log.channel) for log in logs] == [
        ("list", "seasonal_contract", "web"),
        ("view", "seasonal_contract", "web"),
        ("view", "seasonal_contract", "api"),
    ]
    assert all("FILALI" not in str(log.detail) for log in logs)


def test_either_side_follows_a_complaint_to_its_outcome_on_the_page(client, personas, contracts):
    client.force_login(personas["anapec_officer"])
    contract = contracts["A25"]
    filed = client.post(
        reverse("mobility:contract_act", args=[contract.pk, "complaint"]),
        {"subject": "hours", "filed_on": "2025-04-01", "summary": "Heures supplémentaires non payées"},
    )
    assert filed.status_code == 302
    complaint = contract.complaints.get()
    client.force_login(personas["ofii_officer"])
    closed = client.post(
        reverse("mobility:complaint_close", args=[complaint.pk]),
        {"outcome": "upheld", "closed_on": "2025-04-20", "note": "Rappel de salaire versé"},
    )
    assert closed.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome, complaint.closed_by) == (
        "closed",
        "upheld",
        personas["ofii_officer"],
    )
    with pytest.raises(MobilityRefused, match="déjà close"):
        actions.complaint_close(
            user=personas["anapec_officer"],
            complaint=complaint,
            outcome="dismissed",
            closed_on=complaint.closed_on,
        )
    assert [e.kind for e in contract.events.all()][-2:] == ["complaint_file", "complaint_close"]
