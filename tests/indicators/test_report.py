"""The quarterly report: rendered in three languages, read back from the PDF; versions recorded and an old
report recomputes identically."""

import io

import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gmmp.indicators import definitions, domains, periods
from gmmp.indicators.computations import EventCount
from gmmp.indicators.models import ReportRun
from gmmp.indicators.report import render_html
from gmmp.indicators.services import report_run_create, report_run_table

from .ledgers import Walker, q1_2025_ledger

Q1 = periods.parse("2025Q1")


def pdf_text(data: bytes) -> str:
    # Table cells wrap: compare on single spaces.
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def ledger(personas):
    return q1_2025_ledger(personas)


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "fr",
            [
                "Rapport trimestriel",
                "1er trimestre 2025",
                "Demandes d'identification reçues",
                "LPC délivrés dans des délais utiles",
                "Annexe : définitions et versions",
                "requests_received",
                "3 / 6",  # LPC issuance rate 50 % = 3 / 6
                "+5 (+500 %)",  # requests received: 6 against 1 in 2024Q4
                "Consulat général du Maroc à Colombes",
            ],
        ),
        ("ar", ["طلبات تحديد الهوية المتوصل بها", "جوازات المرور القنصلية", "lpc_in_time"]),
        (
            "en",
            ["Identification requests received", "LPCs issued in time to be used", "Consular laissez-passer"],
        ),
    ],
)
def test_the_report_renders_in_each_language(ledger, lang, expected, tmp_path):
    out = tmp_path / f"report-{lang}.pdf"
    call_command("report", "quarterly", "2025Q1", "--lang", lang, "--out", str(out), stdout=io.StringIO())
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for snippet in expected:
        assert snippet in text, snippet
    assert "2025Q1" in text and "2024Q4" in text
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 7  # cover, summary, 3 themes, consulates, annex


@pytest.mark.parametrize(
    "args, message",
    [
        (["quarterly", "2025Q5", "--out", "{tmp}/r.pdf"], "illisible"),
        (["quarterly", "2025-03", "--out", "{tmp}/r.pdf"], "Trimestre"),
        (["quarterly", "2025Q1", "--lang", "de", "--out", "{tmp}/r.pdf"], "fr, ar ou en"),
        (["quarterly", "2025Q1", "--out", "{tmp}/missing/r.pdf"], "does not exist"),
        (["quarterly", "2025Q1", "--out", "{tmp}"], "is a directory"),
        (["rerun", "999999", "--out", "{tmp}/r.pdf"], "no recorded report"),
    ],
)
def test_the_command_refuses_bad_input_clearly(reference, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", *[a.format(tmp=tmp_path) for a in args], stdout=io.StringIO())
    assert not ReportRun.objects.exists()


def test_a_run_records_versions_and_recomputes_identically_after_new_events(personas, ledger):
    run, table = report_run_create(user=None, period=Q1, language="fr", breakdown="consulate")
    # The core set's versions and the theme indicators' (legal mobility, irregular migration)
    assert run.versions == definitions.current_versions() | domains.current_versions()
    before = report_run_table(run).as_dict()
    # A request recorded afterwards but dated in the quarter (late data entry) changes today's figures...
    w = Walker(personas)
    late = w.new("2025-02-01")
    w.do(late, "submit", "2025-02-02", "pref75_agent")
    assert report_run_table(run).as_dict() == before
    assert run.totals == before["total"]["figures"]
    # ...but not the recorded report.
    fresh, _t = report_run_create(user=None, period=Q1, language="fr")
    assert fresh.totals["requests_received"]["value"] == 7
    assert run.totals["requests_received"]["value"] == 6


def test_a_new_definition_version_does_not_change_an_old_report(ledger):
    run, _table = report_run_create(user=None, period=Q1, language="en")
    # Version 2 of "LPCs issued" would count re-issues too.
    v2 = definitions.Indicator(
        id="lpc_issued",
        version=2,
        theme="lpc",
        unit="count",
        name={"fr": "LPC délivrés (v2)"},
        definition={"fr": "Délivrances et rééditions."},
        computation=EventCount(("issue_laissez_passer", "lpc_reissued")),
    )
    definitions.register(v2)
    try:
        assert definitions.current_versions()["lpc_issued"] == 2
        new, table = report_run_create(user=None, period=Q1, language="en")
        assert table.total.value("lpc_issued") == 4  # A D E + D's re-issue
        assert new.versions["lpc_issued"] == 2
        old = report_run_table(run)
        assert old.total.value("lpc_issued") == 3
        assert old.versions["lpc_issued"] == 1
        assert "lpc_issued</code> · version 1" in render_html(run)
    finally:
        definitions.unregister(v2)


def test_a_definition_cannot_be_changed_in_place():
    current = definitions.get("lpc_issued")
    changed = definitions.Indicator(**{**current.__dict__, "definition": {"fr": "autre"}})
    with pytest.raises(ValueError, match="new version"):
        definitions.register(changed)


def test_the_download_button_returns_the_pdf_and_records_the_run(client, personas, ledger):
    client.force_login(personas["dmsf_central"])
    response = client.get(reverse("indicators:report"), {"quarter": "2025Q1", "lang": "ar"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    run = ReportRun.objects.get()
    assert (run.language, run.created_by) == ("ar", personas["dmsf_central"])
    again = client.get(reverse("indicators:report_rerun", args=[run.pk]))
    assert again.status_code == 200
    client.force_login(personas["pref75_agent"])
    assert client.get(reverse("indicators:report"), {"quarter": "2025Q1"}).status_code == 403
