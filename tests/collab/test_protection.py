"""The consulate's consular protection record: written by the assigned consulate, read by it and the
Moroccan central level only; reads logged; notes erased by retention."""

import pytest
from django.urls import reverse

from gmmp.audit.models import AccessLog
from gmmp.cases.actions import TransitionRefused
from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.collab import actions
from gmmp.collab.models import ProtectionEntry
from gmmp.core import clock
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])


def test_the_consulate_records_notification_visit_and_request(personas, case):
    consul = personas["cg_paris_agent"]
    for kind in ("detention_notified", "visit", "assistance_request"):
        actions.protection_record(case=case, user=consul, kind=kind, on=clock.today(), notes="Vu au CRA")
    assert ProtectionEntry.objects.filter(case=case).count() == 3
    assert case.events.filter(kind="protection_recorded").count() == 3
    assert "Vu au CRA" not in str(list(case.events.values_list("details", "comment")))


@pytest.mark.parametrize("persona", ["pref75_agent", "cg_lyon_agent", "dmsf_central", "cra_vincennes"])
def test_only_the_assigned_consulate_writes_the_record(personas, case, persona):
    with pytest.raises(TransitionRefused):
        actions.protection_record(case=case, user=personas[persona], kind="visit", on=clock.today())


@pytest.mark.parametrize(
    "persona,status",
    [
        ("cg_paris_agent", 200),
        ("dmsf_central", 200),
        ("maece_central", 200),
        ("pref75_agent", 404),
        ("dgef_central", 404),
        ("cg_lyon_agent", 404),
        ("gmmp_secretariat", 404),
    ],
)
def test_who_reads_the_record(client, personas, case, persona, status):
    client.force_login(personas[persona])
    assert client.get(reverse("collab:protection", args=[case.reference])).status_code == status


def test_reading_is_logged_and_retention_erases_the_notes(client, personas, case):
    from gmmp.cases.retention import case_erase_personal_data

    entry = actions.protection_record(
        case=case, user=personas["cg_paris_agent"], kind="visit", on=clock.today(), notes="Santé fragile"
    )
    client.force_login(personas["dmsf_central"])
    client.get(reverse("collab:protection", args=[case.reference]))
    assert AccessLog.objects.filter(object_type="case_protection", object_id=case.reference).exists()
    Case.objects.filter(pk=case.pk).update(state=CaseState.WITHDRAWN)
    case_erase_personal_data(case=case, stage=1)
    entry.refresh_from_db()
    assert entry.notes == ""
