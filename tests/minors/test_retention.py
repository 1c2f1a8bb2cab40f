"""The child's personal data is erased on its own rule once the case has ended on the platform; the ledger,
hence the indicators, does not move, and no name is left anywhere in the database or on disk."""

import datetime as dt

import pytest
from django.core.management import call_command

from gmmp.cases.evidence import evidence_dir
from gmmp.cases.retention import retention_apply
from gmmp.core import clock
from gmmp.core.models import PolicyKeys, PolicyValue
from gmmp.indicators import minors as minors_indicators
from gmmp.indicators import periods
from gmmp.minors.enums import ChildSex
from gmmp.minors.enums import MinorState as S
from gmmp.minors.models import MinorDocument, MinorEvent
from tests.nowhere import tables_mentioning

DELAY = 1095
# What the walk records about the child (tests/minors/conftest.py): none of it may survive.
TRACES = ("Demo-Amrani", "Ilyas", "Demo-Tahiri", "بغيت نرجع", "JE-75-2026-0042", "MNA-LPC-0001", "Scolarisé")


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def _after(days: int) -> dt.date:
    return clock.today() + dt.timedelta(days=days)


def test_the_childs_data_and_decision_file_are_erased_three_years_after_the_end(
    client, minor_personas, walk_to, django_capture_on_commit_callbacks
):
    case = walk_to(S.FOLLOWED_12M)
    file = evidence_dir() / MinorDocument.objects.get(case=case).storage_name
    assert file.exists()
    quarter = periods.parse(f"{clock.today().year}Q{(clock.today().month - 1) // 3 + 1}")
    before = minors_indicators.compute(quarter).total.counts
    events = MinorEvent.objects.filter(case=case).count()

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the erasure commits
        report = retention_apply(today=_after(DELAY + 1))

    assert report.swept["minors"] == 1
    case.refresh_from_db()
    assert case.anonymised_at is not None and case.state == S.FOLLOWED_12M
    assert (case.last_name, case.first_names, case.child_view, case.receiving_person) == ("", "", "", "")
    assert case.vulnerabilities == [] and case.sex == ChildSex.UNKNOWN
    assert not MinorDocument.objects.filter(case=case).exists() and not file.exists()
    assert tables_mentioning(*TRACES) == []
    # One event more, naming nobody; the indicators are those of before.
    assert MinorEvent.objects.filter(case=case).count() == events + 1
    assert MinorEvent.objects.filter(case=case).latest("sequence").kind == "retention_applied"
    assert minors_indicators.compute(quarter).total.counts == before
    # The named officer still opens the case: who did what stays auditable, nobody is named.
    client.force_login(minor_personas["ase75_officer"])
    page = client.get(f"/minors/{case.reference}/")
    assert page.status_code == 200 and "Demo-Amrani" not in page.content.decode()


def test_nothing_is_erased_before_the_delay_nor_on_a_case_still_open(minor_personas, walk_to):
    ended = walk_to(S.FOLLOWED_12M)
    open_case = walk_to(S.HANDED_OVER)
    assert retention_apply(today=_after(DELAY)).swept["minors"] == 0
    assert retention_apply(today=_after(DELAY * 5)).swept["minors"] == 1
    ended.refresh_from_db()
    open_case.refresh_from_db()
    assert ended.anonymised_at is not None
    assert open_case.anonymised_at is None and open_case.last_name == "Demo-Amrani"


def test_the_delay_is_a_rule_with_an_effective_date(minor_personas, walk_to):
    walk_to(S.FOLLOWED_12M)
    PolicyValue.objects.create(key=PolicyKeys.RETENTION_MINOR_DAYS, effective_from=clock.today(), value=10)
    assert retention_apply(today=_after(11)).swept["minors"] == 1


def test_the_dry_run_counts_what_the_run_erases(minor_personas, walk_to, capsys):
    walk_to(S.FOLLOWED_12M)
    today = _after(DELAY + 1).isoformat()
    call_command("retention", "--dry-run", "--today", today)
    assert "minors: 1 children's cases would be erased" in capsys.readouterr().out
    call_command("retention", "--today", today)
    assert "minors: 1 children's cases were erased" in capsys.readouterr().out
    call_command("retention", "--today", today)
    assert "minors: 0 children's cases were erased" in capsys.readouterr().out


def test_the_daily_sweep_of_orphan_files_keeps_the_judges_decision(minor_personas, walk_to):
    # The sweep deletes encrypted files no row names; the decision file of an open case is named by its row.
    import os
    import time

    case = walk_to(S.RETURN_ORDERED)
    file = evidence_dir() / MinorDocument.objects.get(case=case).storage_name
    two_days_ago = time.time() - 2 * 86400
    os.utime(file, (two_days_ago, two_days_ago))
    retention_apply(today=clock.today())
    assert file.exists()
