import datetime as dt

import pytest
from django.urls import reverse

from gmmp.core import clock
from gmmp.core.errors import Refused
from gmmp.governance.actions import (
    GovernanceRefused,
    action_item_create,
    action_item_update_status,
    agenda_item_add,
    meeting_create,
    outcome_add,
    participant_add,
)
from gmmp.governance.models import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    Meeting,
    MeetingKind,
    Milestone,
    OutcomeKind,
    Participant,
)
from gmmp.governance.seed import governance_seed
from gmmp.organisations.models import Organisation
from tests.indicators.ledgers import at, q1_2025_ledger


@pytest.fixture
def seeded(reference):
    governance_seed()


def test_the_seed_holds_the_groups_real_timeline_and_can_run_twice(reference):
    first = governance_seed()
    second = governance_seed()
    assert first == second
    assert Meeting.objects.count() == 4 and Milestone.objects.count() == 3
    assembly = Meeting.objects.get(key="consuls-2024-11-29-paris")
    assert (assembly.kind, assembly.date) == (MeetingKind.CONSULS_ASSEMBLY, dt.date(2024, 11, 29))
    assert set(assembly.participants.filter(is_co_chair=True).values_list("name", flat=True)) == {
        "Khalid Zerouali",
        "Simon Fetet",
    }
    assert assembly.participants.filter(side="FR").count() == 4
    plenary = Meeting.objects.get(number=7)
    assert (plenary.co_chair_ma, plenary.co_chair_fr, plenary.place) == (
        "Khalid Zerouali",
        "Frédéric Joram",
        "Paris",
    )
    assert Participant.objects.count() == 10
    assert ActionUpdate.objects.count() == ActionItem.objects.count() == 6


def test_reseeding_keeps_the_status_the_secretariat_recorded(personas, seeded):
    action = ActionItem.objects.get(key="mission-lpc-in-time")
    action_item_update_status(
        user=personas["gmmp_secretariat"], action=action, status=ActionStatus.IN_PROGRESS
    )
    governance_seed()
    assert ActionItem.objects.get(key="mission-lpc-in-time").status == ActionStatus.IN_PROGRESS


def test_before_the_7th_plenary_the_page_shows_the_assembly_decisions_and_action_states(
    client, personas, seeded
):
    plenary = Meeting.objects.get(number=7)
    client.force_login(personas["gmmp_secretariat"])
    with clock.frozen(at("2025-08-01")):
        page = client.get(reverse("governance:followup", args=[plenary.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Assemblée avec les 17 consuls généraux du Maroc en France" in html
    assert "Évaluer la coopération au premier trimestre 2025" in html  # decided last time
    assert "Accélérer la délivrance des laissez-passer" in html  # still in progress
    assert "Publier la grille de lecture commune" not in html  # decided at the 7th plenary itself


def test_an_overdue_action_is_flagged(client, personas, seeded):
    meeting = Meeting.objects.get(number=7)
    with clock.frozen(at("2025-09-01")):
        action_item_create(
            user=personas["dgef_central"],
            meeting=meeting,
            key="late-one",
            title="Action en retard",
            owner=Organisation.objects.get(code="DGEF"),
            due_date=dt.date(2025, 10, 1),
            indicator_id="departures_executed",
        )
    client.force_login(personas["dmsf_central"])
    with clock.frozen(at("2025-11-15")):
        page = client.get(reverse("governance:followup_next"))
    html = page.content.decode()
    assert "Action en retard" in html and "en retard" in html
    assert "Départs exécutés" in html  # the indicator it aims to move, with its figures


def test_the_followup_shows_how_the_targeted_indicators_moved(client, personas, seeded):
    q1_2025_ledger(personas)
    client.force_login(personas["dgef_central"])
    with clock.frozen(at("2025-08-01")):
        page = client.get(reverse("governance:followup_next"))
    html = page.content.decode()
    # The 7th plenary (mid-2025) is the previous meeting: indicators before it (2025Q2) against now (2025Q2)
    assert "Taux de délivrance des LPC" in html


def test_a_status_update_is_recorded_with_its_history(client, personas, seeded):
    action = ActionItem.objects.get(key="mission-departures")
    client.force_login(personas["dgef_central"])
    response = client.post(
        reverse("governance:action_update", args=[action.pk]),
        {f"a{action.pk}-status": "in_progress", f"a{action.pk}-note": "Vols affrétés en septembre"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    last = action.updates.last()
    assert (last.note, last.by) == ("Vols affrétés en septembre", personas["dgef_central"])


def test_it_refuses_governance_to_field_services(client, personas, seeded):
    action = ActionItem.objects.first()
    client.force_login(personas["cg_paris_agent"])
    assert client.get(reverse("governance:meetings")).status_code == 403
    assert client.post(reverse("governance:action_update", args=[action.pk]), {}).status_code == 403
    with pytest.raises(GovernanceRefused):
        action_item_update_status(user=personas["pref75_agent"], action=action, status=ActionStatus.DONE)


def test_an_action_must_aim_at_a_known_indicator(personas, seeded):
    with pytest.raises(GovernanceRefused, match="Indicateur inconnu"):
        action_item_create(
            user=personas["gmmp_secretariat"],
            meeting=Meeting.objects.first(),
            key="x",
            title="x",
            owner=Organisation.objects.get(code="DGEF"),
            indicator_id="happiness",
        )


def test_meetings_page_lists_meetings_and_milestones_in_three_languages(client, personas, seeded):
    client.force_login(personas["maece_central"])
    page = client.get(reverse("governance:meetings"))
    assert "7e réunion plénière du GMMP" in page.content.decode()
    assert "Déclaration sur le partenariat" in page.content.decode()
    detail = client.get(
        reverse("governance:meeting", args=[Meeting.objects.get(number=7).pk]), HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert detail.status_code == 200


def test_a_meeting_is_created_by_the_secretariat_only(personas, reference):
    meeting = meeting_create(
        user=personas["gmmp_secretariat"],
        key="tech-2025",
        kind=MeetingKind.TECHNICAL,
        title="Réunion technique",
        date=dt.date(2025, 10, 2),
        place="Rabat",
    )
    assert meeting.created_by == personas["gmmp_secretariat"]
    with pytest.raises(GovernanceRefused):
        meeting_create(
            user=personas["cg_lyon_agent"],
            key="x",
            kind=MeetingKind.TECHNICAL,
            title="x",
            date=dt.date(2025, 1, 1),
            place="x",
        )


def test_the_followup_indicator_table_shows_formatted_figures_with_their_quarters(client, personas, seeded):
    """Before the 7th plenary (June 2025) the previous meeting is the assembly of 29 November 2024: the
    quarter before it (2024Q3, no events) against the last complete one (2025Q1: 3 LPCs for 6 requests)."""
    q1_2025_ledger(personas)
    client.force_login(personas["gmmp_secretariat"])
    with clock.frozen(at("2025-06-01")):
        page = client.get(reverse("governance:followup_next"))
    html = page.content.decode()
    assert "Figure(" not in html
    table = html[html.index("Les indicateurs que ces actions visent") :]
    row = table[table.index("Taux de délivrance des LPC") :]
    row = row[: row.index("</tr>")]
    assert "lpc_issuance_rate v1" in row
    assert "2024Q3" in row and "2025Q1" in row
    assert "50,0 %" in row and "3 / 6" in row  # now: 3 LPCs ÷ 6 requests
    assert "—" in row  # then: no request in 2024Q3, no rate, so no change either


def test_the_secretariat_builds_a_meeting_through_the_actions_in_order(personas, reference):
    secretariat = personas["gmmp_secretariat"]
    meeting = meeting_create(
        user=secretariat,
        key="tech-2026",
        kind=MeetingKind.TECHNICAL,
        title="Réunion technique",
        date=dt.date(2026, 3, 2),
        place="Rabat",
    )
    first = participant_add(user=secretariat, meeting=meeting, side="MA", name="A", is_co_chair=True)
    second = participant_add(user=secretariat, meeting=meeting, side="MA", name="B")
    french = participant_add(user=secretariat, meeting=meeting, side="FR", name="C")
    assert (first.order, second.order, french.order) == (0, 1, 0)
    items = [agenda_item_add(user=secretariat, meeting=meeting, title=t, title_en=t) for t in ("Un", "Deux")]
    assert [i.order for i in items] == [1, 2]
    outcome = outcome_add(
        user=secretariat, meeting=meeting, key="o1", kind=OutcomeKind.DECISION, text="Décidé"
    )
    assert (outcome.order, outcome.meeting_id) == (1, meeting.pk)


@pytest.mark.parametrize("persona", ["cg_paris_agent", "pref75_agent", "border_casa"])
def test_field_services_cannot_change_a_meeting(personas, seeded, persona):
    meeting = Meeting.objects.first()
    user = personas[persona]
    before = (meeting.participants.count(), meeting.agenda.count(), meeting.outcomes.count())
    for attempt in (
        lambda: participant_add(user=user, meeting=meeting, side="FR", name="X"),
        lambda: agenda_item_add(user=user, meeting=meeting, title="X"),
        lambda: outcome_add(user=user, meeting=meeting, key="x", kind=OutcomeKind.DECISION, text="X"),
    ):
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.code == "forbidden"
    assert (meeting.participants.count(), meeting.agenda.count(), meeting.outcomes.count()) == before


def test_the_admin_cannot_change_a_status_without_its_history(admin_client, seeded):
    action = ActionItem.objects.get(key="mission-departures")
    page = admin_client.get(reverse("admin:governance_actionitem_change", args=[action.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "status" not in form.fields  # shown read-only: the follow-up page changes it, with history
