"""Every mobility and irregular migration indicator against figures computed by hand on small data."""

import datetime as dt

import pytest

from gmmp.core import clock
from gmmp.indicators import definitions, domains, periods
from gmmp.mobility import actions
from gmmp.mobility.models import IrregularFigure
from tests.indicators.ledgers import at
from tests.mobility.data import programme

D = dt.date


def values(table) -> dict:
    return {k: f.value for k, f in table.total.figures.items()}


def visa(
    user, month: dt.date, post: str, level: str, *, applications: int, issued: int, refused: int, note=""
):
    return actions.visa_figure_record(
        user=user,
        month=month,
        post=post,
        level=level,
        applications=applications,
        issued=issued,
        refused=refused,
        note=note,
    )


def irregular_figure(user, quarter: dt.date, side: str, measure: str, value: int, *, source: str, note=""):
    return actions.irregular_figure_record(
        user=user, quarter=quarter, side=side, measure=measure, value=value, source=source, note=note
    )


@pytest.fixture
def visas(personas):
    dgef = personas["dgef_central"]
    with clock.frozen(at("2025-04-05")):
        visa(dgef, D(2025, 1, 1), "RABAT", "MASTER", applications=100, issued=70, refused=20)
        visa(dgef, D(2025, 2, 1), "CASABLANCA", "LICENCE", applications=50, issued=30, refused=10)
        visa(dgef, D(2025, 4, 1), "RABAT", "MASTER", applications=10, issued=10, refused=0)


def test_student_visa_figures_and_issuance_rate(visas):
    table = domains.compute_set("students", periods.quarter(2025, 1))
    assert values(table) == {
        "student_visa_applications": 150,  # 100 + 50 (April is Q2)
        "student_visas_issued": 100,  # 70 + 30
        "student_visas_refused": 30,  # 20 + 10
        "student_visa_issuance_rate": 0.7692,  # 100 / (100 + 30)
    }
    rate = table.total.figures["student_visa_issuance_rate"]
    assert (rate.numerator, rate.denominator) == (100, 130)
    by_post = {
        r.key: r.value("student_visas_issued")
        for r in domains.compute_set("students", periods.quarter(2025, 1), breakdown="post").rows
    }
    assert by_post == {"CASABLANCA": 30, "RABAT": 70}
    by_month = domains.compute_set("students", periods.quarter(2025, 1), breakdown="month")
    assert [(r.key, r.value("student_visa_applications")) for r in by_month.rows] == [
        ("2025-01", 100),
        ("2025-02", 50),
        ("2025-03", 0),
    ]


def test_a_corrected_visa_figure_replaces_the_old_one_which_is_kept(personas, visas):
    before_correction = clock.now()
    with clock.frozen(at("2025-05-02")):
        _row, outcome = visa(
            personas["gmmp_secretariat"],
            D(2025, 2, 1),
            "CASABLANCA",
            "LICENCE",
            applications=50,
            issued=40,
            refused=0,
            note="Export corrigé",
        )
    assert outcome == "corrected"
    table = domains.compute_set("students", periods.quarter(2025, 1))
    assert (
        values(table)["student_visas_issued"] == 110 and values(table)["student_visa_issuance_rate"] == 0.8462
    )  # 110 / 130
    # As of before the correction (a stored report recomputed): the earlier figure.
    earlier = domains.compute_set("students", periods.quarter(2025, 1), as_of=at("2025-04-30"))
    assert values(earlier)["student_visas_issued"] == 100
    assert before_correction  # the pinned clock


def test_seasonal_circularity_counts_a_worker_who_did_not_return_and_a_late_return(personas):
    programme(personas)
    q4 = values(domains.compute_set("seasonal", periods.quarter(2024, 4)))
    assert q4["seasonal_contracts_ended"] == 3  # A (15 Oct), B (31 Oct), D (15 Dec); E was cancelled
    assert q4["seasonal_returned"] == 1  # A, 5 days after the end; D came back 36 days after
    assert q4["seasonal_not_returned"] == 2  # B (declared not returned) and D (late)
    assert q4["seasonal_circularity_rate"] == 0.3333  # 1 / 3
    assert (q4["complaints_filed"], q4["complaints_closed"], q4["complaints_open_end"]) == (
        1,
        1,
        0,
    )  # B's wage


def test_seasonal_rehire_arrivals_checks_and_complaints(personas):
    programme(personas)
    q1 = values(domains.compute_set("seasonal", periods.quarter(2025, 1)))
    assert q1["seasonal_contracts_signed"] == 2  # A 2025 and F; C was cancelled
    assert q1["seasonal_rehired"] == 1  # A came back after returning in 2024
    assert q1["seasonal_rehire_rate"] == 0.5
    assert q1["seasonal_arrivals"] == 2  # F (11 Feb), A (3 Mar)
    assert (q1["rights_checks"], q1["rights_checks_noncompliant"]) == (2, 1)  # A wage ok, F housing not
    assert (q1["complaints_filed"], q1["complaints_closed"], q1["complaints_open_end"]) == (1, 0, 1)
    assert q1["seasonal_contracts_ended"] == 0 and q1["seasonal_circularity_rate"] is None
    q2 = values(domains.compute_set("seasonal", periods.quarter(2025, 2)))
    assert (q2["rights_checks"], q2["complaints_closed"], q2["complaints_open_end"]) == (1, 1, 0)
    q2_2024 = values(domains.compute_set("seasonal", periods.quarter(2024, 2)))
    assert q2_2024["seasonal_arrivals"] == 2  # A, B
    by_sector = domains.compute_set("seasonal", periods.quarter(2025, 1), breakdown="sector")
    assert {r.key: r.value("seasonal_contracts_signed") for r in by_sector.rows} == {
        "agriculture": 1,
        "viticulture": 1,
    }


@pytest.fixture
def irregular(personas):
    dmsf, dgef = personas["dmsf_central"], personas["dgef_central"]
    with clock.frozen(at("2025-04-10")):
        for user, side, measure, value in (
            (dmsf, "MA", "departures_prevented", 1200),
            (dmsf, "MA", "networks_dismantled", 12),
            (dmsf, "MA", "interceptions", 500),
            (dgef, "FR", "networks_dismantled", 5),
            (dgef, "FR", "interceptions", 300),
            (dgef, "FR", "irregular_arrivals", 800),
        ):
            irregular_figure(user, D(2025, 1, 1), side, measure, value, source=f"Bilan {side} T1")
    with clock.frozen(at("2025-07-10")):
        irregular_figure(dmsf, D(2025, 4, 1), "MA", "departures_prevented", 900, source="Bilan MA T2")


def test_irregular_figures_each_side_with_a_corrected_figure(personas, irregular):
    q1 = periods.quarter(2025, 1)
    assert values(domains.compute_set("irregular", q1)) == {
        "irregular_departures_prevented": 1200,
        "irregular_networks_dismantled": 17,  # 12 MA + 5 FR
        "irregular_interceptions": 800,  # 500 + 300
        "irregular_arrivals": 800,
    }
    with clock.frozen(at("2025-06-01")):
        row, outcome = irregular_figure(
            personas["dmsf_central"],
            D(2025, 1, 1),
            "MA",
            "networks_dismantled",
            14,
            source="Bilan MA T1, révisé",
            note="Deux réseaux confirmés après enquête",
        )
    assert outcome == "corrected" and row.previous.value == 12 and row.previous.superseded_at is not None
    assert (
        IrregularFigure.objects.filter(
            quarter=D(2025, 1, 1), side="MA", measure="networks_dismantled"
        ).count()
        == 2
    )
    assert values(domains.compute_set("irregular", q1))["irregular_networks_dismantled"] == 19  # 14 + 5
    assert (
        values(domains.compute_set("irregular", q1, as_of=at("2025-05-01")))["irregular_networks_dismantled"]
        == 17
    )
    by_side = domains.compute_set("irregular", q1, breakdown="side")
    assert {r.key: r.value("irregular_interceptions") for r in by_side.rows} == {"FR": 300, "MA": 500}
    assert {r.key: r.value("irregular_networks_dismantled") for r in by_side.rows} == {"FR": 5, "MA": 14}
    # A year holds whole quarters; a month holds none.
    assert (
        values(domains.compute_set("irregular", periods.year(2025)))["irregular_departures_prevented"] == 2100
    )
    assert (
        values(domains.compute_set("irregular", periods.month(2025, 1)))["irregular_departures_prevented"]
        == 0
    )


def test_recording_the_same_figure_again_changes_nothing(personas, irregular):
    _row, outcome = irregular_figure(
        personas["dgef_central"], D(2025, 1, 1), "FR", "interceptions", 300, source="Bilan FR T1"
    )
    assert outcome == "unchanged"
    assert IrregularFigure.objects.filter(side="FR", measure="interceptions").count() == 1


def test_the_new_indicators_share_the_definition_registry_in_three_languages():
    for indicator in domains.all_indicators():
        assert definitions.get(indicator.id) is indicator and not indicator.core
        for lang in definitions.LANGS:
            assert indicator.name[lang] and indicator.definition[lang]
    assert {s.chapter for s in domains.SETS.values()} == {"legal_mobility", "irregular_migration"}
    assert not set(domains.current_versions()) & set(definitions.ORDER)  # the core set is unchanged


def test_demo_data_gives_figures_for_every_theme_and_is_idempotent(personas):
    from gmmp.mobility.demo import mobility_demo_prepare
    from gmmp.mobility.models import SeasonalContract, StudentVisaFigure

    counts = mobility_demo_prepare()
    assert counts["visa_rows"] == 18 * 6 * 4 and counts["contracts"] > 40
    assert mobility_demo_prepare() == {"skipped": True}
    assert StudentVisaFigure.objects.current().count() == 18 * 6 * 4
    assert all(
        c.worker.last_name.startswith("DEMO-") for c in SeasonalContract.objects.select_related("worker")
    )
    last_year = periods.year(clock.today().year - 1)
    seasonal = values(domains.compute_set("seasonal", last_year))
    assert seasonal["seasonal_contracts_ended"] > 0 and 0.5 < seasonal["seasonal_circularity_rate"] <= 1
    assert values(domains.compute_set("seasonal", periods.year(clock.today().year)))["seasonal_rehired"] > 0
    last_q = periods.last_complete_quarter(clock.today())
    assert values(domains.compute_set("irregular", last_q))["irregular_networks_dismantled"] > 0
    assert IrregularFigure.objects.exclude(superseded_at=None).count() == 1  # the demo's correction
    assert values(domains.compute_set("students", last_q))["student_visa_issuance_rate"] > 0.5
