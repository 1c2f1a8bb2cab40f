"""CSV imports: bad rows rejected with their reason, good rows recorded together, idempotent, never half-done."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from gmmp.mobility import actions, imports
from gmmp.mobility.models import ImportBatch, IrregularFigure, StudentVisaFigure

VISAS = """mois;poste;niveau;demandes;delivres;refuses
2025-01;RABAT;MASTER;100;70;20
2025-01;casablanca;licence;50;30;10
2025-13;RABAT;MASTER;1;1;0
2025-02;PARIS;MASTER;1;1;0
2025-02;FES;MASTER;-3;1;0
2025-02;FES;DOCTORAT;dix;1;0
2025-01;RABAT;MASTER;999;1;0
2099-01;RABAT;LICENCE;5;5;0

2025-02;TANGER;AUTRE;7;6;1
"""


def test_visa_import_records_good_rows_and_rejects_bad_ones_with_reasons(personas):
    report = imports.visas_import(
        user=personas["dgef_central"], data=VISAS.encode(), filename="export-2025-02.csv"
    )
    assert (report.rows, report.created, report.corrected, report.unchanged) == (9, 3, 0, 0)
    reasons = {line: reason for line, _row, reason in report.rejects}
    assert set(reasons) == {4, 5, 6, 7, 8, 9}
    assert "AAAA-MM" in reasons[4]
    assert "PARIS" in reasons[5] and "inconnu" in reasons[5]
    assert "demandes" in reasons[6] and "dix" in reasons[7]
    assert "ligne 2" in reasons[8]  # same key as line 2
    assert "pas encore commencé" in reasons[9]
    rejects = report.rejects_csv().splitlines()
    assert rejects[0] == "ligne,mois,poste,niveau,demandes,delivres,refuses,motif" and len(rejects) == 7
    assert StudentVisaFigure.objects.count() == 3
    assert StudentVisaFigure.objects.get(post="CASABLANCA").level == "LICENCE"  # case-insensitive codes


def test_importing_the_same_file_twice_records_nothing_new_and_a_changed_row_is_a_correction(personas):
    user = personas["dgef_central"]
    imports.visas_import(user=user, data=VISAS.encode())
    again = imports.visas_import(user=user, data=VISAS.encode())
    assert (again.created, again.corrected, again.unchanged) == (0, 0, 3)
    assert StudentVisaFigure.objects.count() == 3
    fixed = "mois,poste,niveau,demandes,delivres,refuses\n2025-01,RABAT,MASTER,100,75,15\n"
    report = imports.visas_import(user=user, data=fixed.encode())
    assert report.corrected == 1
    assert StudentVisaFigure.objects.count() == 4
    assert StudentVisaFigure.objects.current().get(post="RABAT").issued == 75
    assert StudentVisaFigure.objects.exclude(superseded_at=None).get().issued == 70


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"mois;poste;niveau;demandes;delivres\n2025-01;RABAT;MASTER;1;1\n", "refuses"),
        (
            "mois;poste;niveau;demandes;delivres;refuses\n2025-01;RABAT;MASTER;1;1;0\n".encode("utf-16"),
            "UTF-8",
        ),
    ],
)
def test_an_unreadable_file_is_refused_whole(personas, data, message):
    with pytest.raises(imports.ImportRefused, match=message):
        imports.visas_import(user=personas["dgef_central"], data=data)
    assert not StudentVisaFigure.objects.exists() and not ImportBatch.objects.exists()


def test_a_failure_while_writing_leaves_nothing_half_done(personas, monkeypatch):
    real, calls = actions.visa_figure_record, []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(actions, "visa_figure_record", failing)
    monkeypatch.setattr(imports.actions, "visa_figure_record", failing)
    with pytest.raises(RuntimeError):
        imports.visas_import(user=personas["dgef_central"], data=VISAS.encode())
    assert not StudentVisaFigure.objects.exists() and not ImportBatch.objects.exists()


def test_only_the_french_centre_and_the_secretariat_import_visa_figures(personas):
    for name in ("dmsf_central", "cg_paris_agent", "pref75_agent", "ofii_officer"):
        with pytest.raises(imports.ImportRefused):
            imports.visas_import(user=personas[name], data=VISAS.encode())
    assert imports.visas_import(user=personas["gmmp_secretariat"], data=VISAS.encode()).created == 3


IRREGULAR = """trimestre,partie,mesure,valeur,source,commentaire
2025Q1,MA,departures_prevented,1200,DGSN bilan T1,
2025Q1,MA,networks_dismantled,12,DGSN bilan T1,
2025Q1,FR,interceptions,300,PAF bilan T1,
2025Q5,MA,interceptions,1,DGSN,
2025Q1,MA,smiles,1,DGSN,
2025Q1,MA,interceptions,500,,
"""


def test_irregular_import_each_side_its_own_rows(personas):
    report = imports.irregular_import(user=personas["dmsf_central"], data=IRREGULAR.encode())
    assert report.created == 2
    reasons = {line: reason for line, _row, reason in report.rejects}
    assert set(reasons) == {4, 5, 6, 7}
    assert "propres chiffres" in reasons[4]  # a French row imported by the Moroccan side
    assert "AAAAQn" in reasons[5] and "smiles" in reasons[6] and "source" in reasons[7]
    assert set(IrregularFigure.objects.values_list("side", flat=True)) == {"MA"}
    assert imports.irregular_import(user=personas["gmmp_secretariat"], data=IRREGULAR.encode()).created == 1


def test_the_import_command_writes_the_rejects_file_and_fails_on_a_refused_file(personas, tmp_path, settings):
    source = tmp_path / "visas.csv"
    source.write_text(VISAS, encoding="utf-8")
    rejects = tmp_path / "rejets.csv"
    with pytest.raises(
        CommandError, match="6 ligne"
    ):  # the good rows are in, the exit status says some are not
        call_command(
            "mobility", "import-visas", str(source), "--user", "dgef_central", "--rejects", str(rejects)
        )
    assert StudentVisaFigure.objects.count() == 3
    assert len(rejects.read_text(encoding="utf-8").splitlines()) == 7
    bad = tmp_path / "bad.csv"
    bad.write_text("mois\n2025-01\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Colonnes manquantes"):
        call_command("mobility", "import-visas", str(bad), "--user", "dgef_central")
    with pytest.raises(CommandError, match="inconnu"):
        call_command("mobility", "import-visas", str(source), "--user", "nobody")
    assert dt.date(2025, 1, 1) in set(StudentVisaFigure.objects.values_list("month", flat=True))
