"""The Group's steering in the platform: meetings edited by the secretariat, the joint mission's
recommendations against their indicators, the quarterly cooperation assessment signed by both co-chairs."""

import datetime as dt

import pytest
from django.urls import reverse

from gmmp.core import clock
from gmmp.governance import actions as gov
from gmmp.governance.models import (
    ActionItem,
    AgendaItem,
    CooperationAssessment,
    Meeting,
    Outcome,
    Recommendation,
    RecommendationStatus,
)
from gmmp.governance.seed import governance_seed
from gmmp.governance.selectors import recommendations_with_trend
from gmmp.mobility import actions as mobility
from gmmp.organisations.models import Organisation
from tests.indicators.ledgers import at, q1_2025_ledger

D = dt.date


@pytest.fixture
def seeded(reference):
    governance_seed()


def test_the_secretariat_creates_a_meeting_then_its_agenda_decisions_and_actions(client, personas, seeded):
    client.force_login(personas["gmmp_secretariat"])
    created = client.post(
        reverse("governance:meeting_new"),
        {
            "kind": "technical",
            "title": "Réunion technique sur la mobilité",
            "date": "2025-10-02",
            "date_precision": "day",
            "place": "Rabat",
        },
    )
    assert created.status_code == 302
    meeting = Meeting.objects.get(title="Réunion technique sur la mobilité")
    assert meeting.created_by == personas["gmmp_secretariat"] and meeting.key == "technical-2025-10-02-rabat"
    edit = reverse("governance:meeting_edit", args=[meeting.pk])
    assert (
        client.post(
            edit, {"what": "agenda", "agenda-title": "Visas pour études : bilan de la rentrée"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            edit,
            {
                "what": "outcome",
                "outcome-kind": "decision",
                "outcome-text": "Suivre le taux de circularité chaque trimestre",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            edit,
            {
                "what": "action",
                "action-title": "Publier les chiffres des saisonniers",
                "action-owner": Organisation.objects.get(code="GMMP-SEC").pk,
                "action-indicator_id": "seasonal_circularity_rate",
            },
        ).status_code
        == 302
    )
    bad = client.post(
        edit,
        {
            "what": "action",
            "action-title": "x",
            "action-owner": Organisation.objects.get(code="DGEF").pk,
            "action-indicator_id": "happiness",
        },
    )
    assert bad.status_code == 400 and "Indicateur inconnu" in bad.content.decode()
    assert (
        client.post(
            edit,
            {
                "what": "meeting",
                "kind": "technical",
                "title": "Réunion technique mobilité (Rabat)",
                "date": "2025-10-03",
                "date_precision": "day",
                "place": "Rabat",
            },
        ).status_code
        == 302
    )
    meeting.refresh_from_db()
    assert (meeting.title, meeting.date) == ("Réunion technique mobilité (Rabat)", D(2025, 10, 3))
    assert [a.title for a in AgendaItem.objects.filter(meeting=meeting)] == [
        "Visas pour études : bilan de la rentrée"
    ]
    assert Outcome.objects.get(meeting=meeting).kind == "decision"
    action = ActionItem.objects.get(meeting=meeting)
    assert (
        action.indicator_id == "seasonal_circularity_rate" and action.updates.count() == 1
    )  # its history starts


def test_field_services_cannot_create_or_edit_meetings(client, personas, seeded):
    meeting = Meeting.objects.first()
    for name in ("cg_paris_agent", "pref75_agent", "ofii_officer"):
        client.force_login(personas[name])
        assert client.get(reverse("governance:meeting_new")).status_code == 403
        assert (
            client.post(
                reverse("governance:meeting_edit", args=[meeting.pk]), {"what": "agenda", "agenda-title": "x"}
            ).status_code
            == 403
        )
    with pytest.raises(gov.GovernanceRefused):
        gov.meeting_update(user=personas["cg_lyon_agent"], meeting=meeting, place="Lyon")


def test_the_mission_recommendations_are_itemised_with_their_indicators(seeded):
    recommendations = list(Recommendation.objects.order_by("number"))
    assert len(recommendations) == 5
    assert recommendations[0].milestone.key == "joint-mission-2025"
    assert recommendations[0].outcome.key == "plenary-7-mission"
    assert recommendations[2].indicator_ids == ["lpc_in_time_rate"]
    assert all(r.updates.count() == 1 for r in recommendations)
    governance_seed()
    assert Recommendation.objects.count() == 5


def test_a_recommendations_trend_runs_from_the_quarter_before_adoption(client, personas, seeded):
    q1_2025_ledger(personas)  # B decided on 3 April 2025, 9 days after it was sent
    client.force_login(personas["dmsf_central"])
    with clock.frozen(at("2026-01-15")):
        trends = {t.recommendation.number: t for t in recommendations_with_trend(clock.today())}
        page = client.get(reverse("governance:recommendations"))
    delay = trends[1]
    assert delay.baseline.code == "2025Q2"  # adopted at the 7th plenary (2025)
    assert [q.code for q in delay.quarters] == ["2025Q3", "2025Q4"]
    assert [f.value for _i, f in delay.series["reply_delay_median"]] == [9, None, None]
    html = page.content.decode()
    assert page.status_code == 200 and "Figure(" not in html
    assert "dans un délai de 30 jours au plus" in html
    assert "9 j" in html and "2025Q2" in html and "2025Q4" in html


def test_a_recommendation_status_change_keeps_its_history(client, personas, seeded):
    rec = Recommendation.objects.get(number=3)
    client.force_login(personas["gmmp_secretariat"])
    response = client.post(
        reverse("governance:recommendation_update", args=[rec.pk]),
        {
            f"r{rec.pk}-status": "in_progress",
            f"r{rec.pk}-note": "Circulaire de priorité aux personnes retenues",
        },
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.IN_PROGRESS
    assert [(u.status, u.note) for u in rec.updates.all()] == [
        ("open", ""),
        ("in_progress", "Circulaire de priorité aux personnes retenues"),
    ]
    client.force_login(personas["cg_paris_agent"])
    assert client.post(reverse("governance:recommendation_update", args=[rec.pk]), {}).status_code == 403


def test_the_quarterly_assessment_each_side_reads_the_figures_and_both_co_chairs_sign(
    client, personas, seeded
):
    q1_2025_ledger(personas)
    dgef, dmsf = personas["dgef_central"], personas["dmsf_central"]
    with clock.frozen(at("2025-04-10")):
        mobility.irregular_figure_record(
            user=dmsf,
            quarter=D(2025, 1, 1),
            side="MA",
            measure="networks_dismantled",
            value=12,
            source="DGSN T1",
        )
    with clock.frozen(at("2025-05-01")):  # readings and the first signature in May, the correction in June
        client.force_login(personas["gmmp_secretariat"])
        opened = client.post(reverse("governance:assessments"), {"quarter": "2025Q1"})
        assert opened.status_code == 302
        assessment = CooperationAssessment.objects.get()
        url = reverse("governance:assessment", args=["2025Q1"])
        client.force_login(dgef)
        assert client.post(url, {"what": "sign"}).status_code == 409  # the Moroccan reading is missing
        assert (
            client.post(
                url, {"what": "reading", "text": "Délai de réponse en baisse ; LPC encore tardifs."}
            ).status_code
            == 302
        )
        with pytest.raises(gov.GovernanceRefused, match="administration centrale de cette partie"):
            gov.assessment_reading_write(user=dmsf, assessment=assessment, side="FR", text="x")
        client.force_login(dmsf)
        assert (
            client.post(
                url, {"what": "reading", "text": "Hausse des identifications ; 12 réseaux démantelés."}
            ).status_code
            == 302
        )
        assert client.post(url, {"what": "sign", "signed_as": "Khalid Zerouali"}).status_code == 302
        assessment.refresh_from_db()
        assert assessment.figures_as_of is not None and assessment.ledger_high_water
        # After a signature the readings are frozen, and so are the figures shown beside them.
        with pytest.raises(gov.GovernanceRefused, match="déjà été signée"):
            gov.assessment_reading_write(user=dgef, assessment=assessment, side="FR", text="Autre lecture")
    with clock.frozen(at("2025-06-01")):
        mobility.irregular_figure_record(
            user=dmsf,
            quarter=D(2025, 1, 1),
            side="MA",
            measure="networks_dismantled",
            value=15,
            source="DGSN T1 révisé",
        )
    client.force_login(dgef)
    assert client.post(url, {"what": "sign", "signed_as": "Frédéric Joram"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Signée par les deux coprésidents" in page
    assert "Khalid Zerouali" in page and "Frédéric Joram" in page
    assert "Délai de réponse en baisse" in page and "12 réseaux démantelés" in page
    assert "3 / 6" in page  # LPC issuance rate beside the readings
    networks = page[page.index("Réseaux de passeurs démantelés") :][:200]
    assert ">12<" in networks.replace(" ", "").replace("\n", "")  # as at the first signature, not 15
    with pytest.raises(gov.GovernanceRefused, match="déjà signé"):
        gov.assessment_sign(user=dgef, assessment=assessment, side="FR")


def test_an_assessment_is_for_a_finished_quarter_and_readers_only(client, personas, seeded):
    with pytest.raises(gov.GovernanceRefused, match="pas encore terminé"):
        gov.assessment_open(user=personas["gmmp_secretariat"], quarter=clock.today())
    client.force_login(personas["pref75_agent"])
    assert client.get(reverse("governance:assessments")).status_code == 403
    client.force_login(personas["gmmp_secretariat"])
    assert client.get(reverse("governance:assessment", args=["2025Q1"])).status_code == 404


def test_demo_steering_data_has_an_assessment_half_signed(personas, seeded):
    from django.contrib.auth import get_user_model

    from gmmp.governance.demo import governance_demo_prepare

    users = get_user_model().objects
    for username, persona in (
        ("secretariat", "gmmp_secretariat"),
        ("dgef", "dgef_central"),
        ("dmsf", "dmsf_central"),
    ):
        user = personas[persona]
        users.create(username=username, organisation=user.organisation, role=user.role)
    result = governance_demo_prepare()
    assessment = CooperationAssessment.objects.get()
    assert result == {"assessment": assessment.code}
    assert {r.side: bool(r.signed_at) for r in assessment.readings.all()} == {"FR": False, "MA": True}
    assert Recommendation.objects.get(number=3).status == RecommendationStatus.IN_PROGRESS
    assert governance_demo_prepare() == {"skipped": True}
