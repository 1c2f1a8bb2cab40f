"""The seasonal workers' identity is erased on its own rule; the contracts stay, anonymous, for the
indicators, which give the same figures after the erasure."""

import datetime as dt

from django.core.management import call_command

from gmmp.cases.retention import retention_apply
from gmmp.core.models import PolicyKeys, PolicyValue
from gmmp.indicators import domains, periods
from gmmp.mobility.models import Complaint, RightsCheck, SeasonalContract, Worker
from tests.mobility.data import programme
from tests.nowhere import tables_mentioning

DELAY = 1095
B_END = dt.date(2024, 10, 31)  # B's season ended without a return: the last season of worker B


def _seasonal(quarter):
    return {k: f.value for k, f in domains.compute_set("seasonal", quarter).total.figures.items()}


def test_a_workers_identity_and_the_text_about_them_are_erased_after_the_delay(personas):
    data = programme(personas)
    b = data["workers"]["B"]
    before = _seasonal(periods.quarter(2024, 4))
    report = retention_apply(today=B_END + dt.timedelta(days=DELAY + 1))
    assert report.swept["workers"] == 1
    b.refresh_from_db()
    assert (b.last_name, b.first_name, b.birth_date, b.cin, b.phone) == ("", "", None, "", "")
    assert b.anapec_ref == f"ANON-{b.pk}" and b.anonymised_at is not None
    assert not Complaint.objects.filter(contract__worker=b).exclude(summary="").exists()
    assert tables_mentioning("DEMO-BOUZID", "Khadija", "Heures non payées", 'DEMO-B"') == []
    # The contract stays and the indicators do not move.
    assert SeasonalContract.objects.filter(worker=b).count() == 1
    assert _seasonal(periods.quarter(2024, 4)) == before
    # The others are untouched.
    assert Worker.objects.filter(anonymised_at__isnull=False).count() == 1


def test_nothing_is_erased_the_day_before_the_delay_ends(personas):
    programme(personas)
    assert retention_apply(today=B_END + dt.timedelta(days=DELAY)).swept["workers"] == 0
    assert not Worker.objects.filter(anonymised_at__isnull=False).exists()


def test_a_worker_with_a_season_in_progress_is_never_erased(personas):
    data = programme(personas)
    retention_apply(today=B_END + dt.timedelta(days=DELAY * 10))
    a, f = data["workers"]["A"], data["workers"]["F"]  # both in France in 2025, no return recorded
    for worker in (a, f):
        worker.refresh_from_db()
        assert worker.anonymised_at is None and worker.last_name.startswith("DEMO-")
    assert RightsCheck.objects.filter(contract__worker=f).exclude(note="").exists()


def test_the_delay_is_a_rule_with_an_effective_date(personas):
    programme(personas)
    PolicyValue.objects.create(key=PolicyKeys.RETENTION_WORKER_DAYS, effective_from=B_END, value=30)
    assert retention_apply(today=B_END + dt.timedelta(days=31)).swept["workers"] == 1


def test_the_dry_run_counts_what_the_run_erases_and_erases_nothing(personas, capsys):
    programme(personas)
    today = (B_END + dt.timedelta(days=DELAY * 2)).isoformat()
    call_command("retention", "--dry-run", "--today", today)
    assert "workers: 4 seasonal workers' records would be erased" in capsys.readouterr().out
    assert not Worker.objects.filter(anonymised_at__isnull=False).exists()
    call_command("retention", "--today", today)
    assert "workers: 4 seasonal workers' records were erased" in capsys.readouterr().out
    assert Worker.objects.filter(anonymised_at__isnull=False).count() == 4  # B, C, D, E; A and F in France
