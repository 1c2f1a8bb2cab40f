"""The two new chapters of the quarterly report (read back from the PDF in three languages), the dashboard's
theme tabs, the API figures, and the pages where figures are entered."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from gmmp.core import clock
from gmmp.indicators import periods
from gmmp.indicators.report import render_html
from gmmp.indicators.services import report_run_create
from gmmp.mobility import actions
from gmmp.mobility.models import IrregularFigure, StudentVisaFigure
from tests.indicators.ledgers import at
from tests.indicators.test_report import pdf_text
from tests.mobility.data import programme
from tests.mobility.test_indicators import irregular, visas  # noqa: F401 (fixtures)

D = dt.date


@pytest.fixture
def figures(personas, visas, irregular):  # noqa: F811
    programme(personas)


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "fr",
            [
                "Mobilité légale",
                "Mobilité étudiante",
                "Taux de délivrance des visas pour études",
                "76,9 %",  # 100 visas issued / 130 decisions
                "100 / 130",
                "Travailleurs réembauchés",
                "Taux de circularité",
                "Migration irrégulière",
                "Réseaux de passeurs démantelés",
                "Consulat général de France à Rabat",
                "student_visa_issuance_rate",
            ],
        ),
        ("ar", ["التنقل النظامي", "الهجرة غير النظامية", "نسبة الدائرية", "seasonal_circularity_rate"]),
        (
            "en",
            [
                "Legal mobility",
                "Irregular migration",
                "Student visa issuance rate",
                "Circularity rate",
                "Workers re-hired",
                "100 / 130",
            ],
        ),
    ],
)
def test_the_report_has_the_two_new_chapters_in_each_language(figures, lang, expected, tmp_path):
    out = tmp_path / f"report-{lang}.pdf"
    call_command("report", "quarterly", "2025Q1", "--lang", lang, "--out", str(out), stdout=io.StringIO())
    text = pdf_text(out.read_bytes())
    for snippet in expected:
        assert snippet in text, snippet


def test_a_stored_report_keeps_the_figures_it_was_made_with_after_a_correction(figures, personas):
    with clock.frozen(at("2025-05-01")):
        run, _table = report_run_create(
            user=personas["dgef_central"], period=periods.quarter(2025, 1), language="fr"
        )
    assert "student_visa_issuance_rate" in run.versions and "irregular_interceptions" in run.versions
    with clock.frozen(at("2025-06-01")):
        actions.irregular_figure_record(
            user=personas["dmsf_central"],
            quarter=D(2025, 1, 1),
            side="MA",
            measure="networks_dismantled",
            value=14,
            source="Bilan MA T1, révisé",
        )
    html = render_html(run)
    networks = html[html.index("Réseaux de passeurs démantelés") :][:200]
    assert ">17<" in networks.replace(" ", "")  # 12 + 5 as when the report was made, not 14 + 5


def test_the_dashboard_has_a_tab_per_theme_with_aggregates_only(client, personas, figures):
    client.force_login(personas["gmmp_secretariat"])
    dashboard = client.get(reverse("indicators:dashboard") + "?period=2025Q1").content.decode()
    for title in (
        "Mobilité étudiante",
        "Travailleurs saisonniers et migration circulaire",
        "Migration irrégulière",
    ):
        assert title in dashboard
    page = client.get(reverse("indicators:theme", args=["seasonal"]) + "?period=2025Q1&breakdown=sector")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Travailleurs réembauchés" in html, html[html.find("<table") :][:3000]
    assert "50,0 %" in html  # re-hire share 1 / 2
    assert "Agriculture" in html
    assert "DEMO-" not in html  # no worker's name or reference
    irregular_page = client.get(
        reverse("indicators:theme", args=["irregular"]) + "?period=2025Q1&breakdown=side"
    ).content.decode()
    assert "Réadmissions confirmées" in irregular_page and "Maroc" in irregular_page
    assert client.get(reverse("indicators:theme", args=["students"]) + "?period=nope").status_code == 400
    assert client.get(reverse("indicators:theme", args=["nothing"])).status_code == 404
    client.force_login(personas["cg_paris_agent"])
    assert client.get(reverse("indicators:theme", args=["students"])).status_code == 403


def test_the_api_gives_each_themes_figures_and_definitions(client, personas, figures):
    client.force_login(personas["dmsf_central"])
    body = client.get("/api/v1/mobility/figures/students?period=2025Q1&breakdown=level&lang=en").json()
    assert body["total"]["figures"]["student_visa_issuance_rate"] == {
        "value": 0.7692,
        "numerator": 100,
        "denominator": 130,
    }
    assert {r["key"] for r in body["rows"]} == {"MASTER", "LICENCE"}
    assert body["versions"]["student_visas_issued"] == 1
    definitions = client.get("/api/v1/indicators/definitions").json()
    assert {t["id"] for t in definitions["themes"]} == {"students", "seasonal", "irregular"}
    assert any(i["id"] == "seasonal_circularity_rate" for i in definitions["theme_indicators"])
    bad = client.get("/api/v1/mobility/figures/students?period=2025Q9")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"
    client.force_login(personas["pref75_agent"])
    assert client.get("/api/v1/mobility/figures/students").status_code == 403


def test_the_api_records_a_correction_and_refuses_the_other_sides_figure(client, personas, irregular):  # noqa: F811
    client.force_login(personas["dgef_central"])
    mine = client.post(
        "/api/v1/mobility/irregular",
        {
            "quarter": "2025Q1",
            "side": "FR",
            "measure": "interceptions",
            "value": 320,
            "source": "PAF, bilan révisé",
        },
        content_type="application/json",
    )
    assert mine.status_code == 201 and mine.json()["outcome"] == "corrected" and mine.json()["previous_id"]
    theirs = client.post(
        "/api/v1/mobility/irregular",
        {"quarter": "2025Q1", "side": "MA", "measure": "interceptions", "value": 1, "source": "x"},
        content_type="application/json",
    )
    assert theirs.status_code == 403 and theirs.json()["code"] == "forbidden"
    assert IrregularFigure.objects.current().get(side="MA", measure="interceptions").value == 500


def test_the_visa_page_records_by_hand_and_imports_returning_the_rejects(client, personas):
    client.force_login(personas["dgef_central"])
    url = reverse("mobility:visas")
    ok = client.post(
        url,
        {
            "month": "2025-03",
            "post": "FES",
            "level": "DOCTORAT",
            "applications": 12,
            "issued": 9,
            "refused": 2,
        },
    )
    assert ok.status_code == 302 and StudentVisaFigure.objects.get().issued == 9
    bad = client.post(
        url,
        {"month": "2025-3", "post": "FES", "level": "DOCTORAT", "applications": 1, "issued": 1, "refused": 0},
    )
    assert bad.status_code == 400 and "AAAA-MM" in bad.content.decode()
    upload = io.BytesIO(
        b"mois;poste;niveau;demandes;delivres;refuses\n2025-03;FES;DOCTORAT;12;9;2\n2025-03;NOWHERE;MASTER;1;1;1\n"
    )
    upload.name = "export.csv"
    response = client.post(url, {"file": upload})
    assert response["Content-Type"].startswith("text/csv") and "NOWHERE" in response.content.decode()
    assert StudentVisaFigure.objects.count() == 1  # the good row was unchanged
    client.force_login(personas["dmsf_central"])
    assert client.get(url).status_code == 200  # reads the figures
    assert client.post(url, {"month": "2025-03"}).status_code == 403
