"""Who reads the indicators, identical figures for both sides, no personal data for the secretariat."""

import pytest
from django.urls import reverse

from gmmp.audit.models import AccessLog
from gmmp.organisations.tokens import api_token_create

from .ledgers import q1_2025_ledger


@pytest.fixture
def ledger(personas):
    return q1_2025_ledger(personas)


def figures(client, user, **params):
    client.force_login(user)
    response = client.get("/api/v1/indicators/figures", {"period": "2025Q1", **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_both_sides_central_users_get_identical_figures(client, personas, ledger):
    for breakdown in ("none", "consulate", "month"):
        french = figures(client, personas["dgef_central"], breakdown=breakdown)
        moroccan = figures(client, personas["dmsf_central"], breakdown=breakdown)
        secretariat = figures(client, personas["gmmp_secretariat"], breakdown=breakdown)
        assert french == moroccan == secretariat
    assert french["total"]["figures"]["requests_received"] == {"value": 6}
    assert french["total"]["figures"]["lpc_issuance_rate"] == {"value": 0.5, "numerator": 3, "denominator": 6}


def test_the_dashboard_shows_the_same_numbers_to_both_sides(client, personas, ledger):
    pages = []
    for persona in ("dgef_central", "dmsf_central"):
        client.force_login(personas[persona])
        response = client.get(
            reverse("indicators:dashboard"), {"period": "2025Q1", "breakdown": "consulate", "format": "csv"}
        )
        assert response.status_code == 200
        pages.append(response.content.decode())
    assert pages[0] == pages[1]
    assert "CG-PARIS" in pages[0] and "lpc_issuance_rate@v1" in pages[0]


@pytest.mark.parametrize("persona", ["pref75_agent", "cg_paris_agent", "border_casa", "cra_vincennes"])
def test_it_refuses_indicators_to_field_services(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("indicators:dashboard")).status_code == 403
    assert client.get("/api/v1/indicators/figures").status_code == 403


def test_a_token_needs_the_indicators_scope(client, personas, ledger):
    _token, raw = api_token_create(user=personas["dgef_central"], name="t", scopes=["cases:read"])
    response = client.get("/api/v1/indicators/figures?period=2025Q1", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403
    _token, raw = api_token_create(user=personas["dgef_central"], name="t2", scopes=["indicators:read"])
    response = client.get("/api/v1/indicators/figures?period=2025Q1", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["versions"]["requests_received"] == 1


def test_a_bad_period_is_a_clear_error(client, personas):
    client.force_login(personas["dgef_central"])
    response = client.get("/api/v1/indicators/figures", {"period": "2025Q7"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    page = client.get(reverse("indicators:dashboard"), {"period": "2025Q7"})
    assert page.status_code == 400
    assert "illisible" in page.content.decode()


def test_the_secretariat_sees_aggregates_and_never_reaches_a_case(client, personas, ledger):
    client.force_login(personas["gmmp_secretariat"])
    page = client.get(reverse("indicators:dashboard"), {"period": "2025Q1", "breakdown": "consulate"})
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("indicators:cases") not in html
    for case in ledger.values():
        assert case.reference not in html and case.last_name not in html
    drill = client.get(reverse("indicators:cases"), {"period": "2025Q1", "indicator": "requests_received"})
    assert drill.status_code == 404


def test_a_central_user_reaches_the_cases_behind_a_number_within_what_they_may_see(client, personas, ledger):
    client.force_login(personas["dmsf_central"])
    page = client.get(reverse("indicators:dashboard"), {"period": "2025Q1"})
    assert reverse("indicators:cases") in page.content.decode()
    response = client.get(reverse("indicators:cases"), {"period": "2025Q1", "indicator": "lpc_in_time"})
    html = response.content.decode()
    assert response.status_code == 200
    assert ledger["A"].reference in html and ledger["E"].reference in html
    assert ledger["D"].reference not in html  # issued after release: not behind this number
    assert AccessLog.objects.filter(user=personas["dmsf_central"], object_type="case", action="list").exists()


def test_the_drill_down_by_consulate_lists_only_that_consulates_cases(client, personas, ledger):
    client.force_login(personas["dgef_central"])
    response = client.get(
        reverse("indicators:cases"),
        {
            "period": "2025Q1",
            "indicator": "requests_received",
            "breakdown": "consulate",
            "key": "CG-COLOMBES",
        },
    )
    html = response.content.decode()
    assert ledger["E"].reference in html and ledger["F"].reference in html
    assert ledger["A"].reference not in html


def test_the_dashboard_renders_its_charts_and_breakdown(client, personas, ledger):
    client.force_login(personas["dgef_central"])
    page = client.get(reverse("indicators:dashboard"), {"period": "2025Q1", "breakdown": "month"})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("data:image/svg+xml;base64,") >= 9
    assert "3 / 6" in html  # LPC issuance rate with its numerator and denominator
