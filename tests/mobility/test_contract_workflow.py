"""A seasonal contract's moves run on the platform's one runner (mobility/workflow.py): each from the
statuses it leaves from, by the programme's officers only, with one `ProgrammeEvent` each."""

import datetime as dt

import pytest

from gmmp.core import clock
from gmmp.mobility import actions
from gmmp.mobility.enums import ContractStatus
from gmmp.mobility.errors import MobilityRefused
from gmmp.mobility.models import ProgrammeEvent
from tests.mobility.data import programme


@pytest.fixture
def contracts(personas):
    return programme(personas)["contracts"]


def test_a_move_from_a_status_it_does_not_leave_from_is_refused_with_its_own_sentence(personas, contracts):
    returned = contracts["A24"]
    before = ProgrammeEvent.objects.filter(contract=returned).count()
    with pytest.raises(MobilityRefused) as refused:
        actions.contract_cancel(user=personas["anapec_officer"], contract=returned)
    assert refused.value.code == "wrong_state"
    assert refused.value.message == "Seul un contrat en attente d'arrivée peut être annulé."
    returned.refresh_from_db()
    assert returned.status == ContractStatus.RETURNED
    assert ProgrammeEvent.objects.filter(contract=returned).count() == before


def test_only_the_programmes_officers_move_a_contract(personas, contracts):
    with pytest.raises(MobilityRefused) as refused:
        actions.contract_record_return(
            user=personas["pref75_agent"], contract=contracts["A25"], on=contracts["A25"].end_date
        )
    assert refused.value.code == "forbidden"


def test_a_move_sets_its_date_and_records_one_event_with_it(personas, contracts):
    contract = contracts["A25"]
    before = ProgrammeEvent.objects.filter(contract=contract).count()
    returned = actions.contract_record_return(
        user=personas["ofii_officer"], contract=contract, on=dt.date(2025, 9, 2)
    )
    assert returned is contract and contract.status == ContractStatus.RETURNED
    assert contract.returned_on == dt.date(2025, 9, 2)
    event = ProgrammeEvent.objects.filter(contract=contract).order_by("pk").last()
    assert ProgrammeEvent.objects.filter(contract=contract).count() == before + 1
    assert (event.kind, event.details, event.organisation_code) == (
        "contract_return",
        {"returned_on": "2025-09-02"},
        personas["ofii_officer"].organisation.code,
    )


def test_a_date_in_the_future_is_refused_before_anything_moves(personas, contracts):
    with pytest.raises(MobilityRefused) as refused:
        actions.contract_record_return(
            user=personas["ofii_officer"], contract=contracts["A25"], on=clock.today() + dt.timedelta(days=1)
        )
    assert refused.value.code == "invalid"
