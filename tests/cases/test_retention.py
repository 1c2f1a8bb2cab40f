"""Storage limitation: finished cases lose their personal data on the configured schedule."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction

from gmmp.cases import actions
from gmmp.cases.comments import comments_open
from gmmp.cases.enums import CaseState
from gmmp.cases.evidence import evidence_dir
from gmmp.cases.models import Case
from gmmp.cases.retention import case_erase_personal_data, retention_apply
from gmmp.core import clock
from gmmp.core.models import PolicyValue
from tests.factories import make_case

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
ENDED = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)


def _finished_case(lpc_ready, personas, state=CaseState.NOT_NATIONAL, comment=""):
    with clock.frozen(ENDED - dt.timedelta(days=5)):
        case = make_case(
            CaseState.ROUTED,
            **lpc_ready,
            removal_order_date=dt.date(2024, 12, 1),
            detention_start=dt.date(2025, 1, 2),
            earlier_names="BEN ALI",
            spouse_name="Salma",
        )
        actions.evidence_add(
            case=case,
            user=personas["pref75_agent"],
            category="proof",
            kind="passport",
            original_name="p.png",
            data=PNG,
            content_type="image/png",
        )
    with clock.frozen(ENDED):
        actions.case_decide(case=case, user=personas["cg_paris_agent"], decision=state, comment=comment)
    return case


def test_full_data_is_erased_three_months_after_the_end_and_core_data_kept(
    lpc_ready, personas, django_capture_on_commit_callbacks
):
    case = _finished_case(lpc_ready, personas)
    stored = case.evidence.get().storage_name
    with django_capture_on_commit_callbacks(execute=True):
        report = retention_apply(today=(ENDED + dt.timedelta(days=91)).date())
    case.refresh_from_db()
    assert report.full_erased == 1 and report.core_erased == 0
    assert case.retention_stage == Case.Retention.CORE
    assert (
        case.father_first_name == ""
        and case.mother_last_name == ""
        and case.aliases == []
        and case.spouse_name == ""
    )
    assert case.last_name == "EL IDRISSI"  # core identity kept
    assert not case.evidence.exists() and not (evidence_dir() / stored).exists()
    assert case.events.filter(kind="retention_applied", actor__isnull=True).count() == 1


def test_an_erasure_rolled_back_keeps_the_rows_and_their_files(lpc_ready, personas):
    case = _finished_case(lpc_ready, personas)
    stored = evidence_dir() / case.evidence.get().storage_name

    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted), transaction.atomic():
        case_erase_personal_data(case=case, stage=Case.Retention.CORE)
        raise Interrupted

    assert case.evidence.exists() and stored.exists()


def test_nothing_is_erased_before_the_delay(lpc_ready, personas):
    case = _finished_case(lpc_ready, personas)
    report = retention_apply(today=(ENDED + dt.timedelta(days=89)).date())
    case.refresh_from_db()
    assert report.full_erased == 0 and case.retention_stage == Case.Retention.FULL and case.evidence.exists()


def test_core_data_is_erased_after_three_years_even_after_a_first_stage(lpc_ready, personas):
    case = _finished_case(lpc_ready, personas)
    retention_apply(today=(ENDED + dt.timedelta(days=100)).date())
    report = retention_apply(today=(ENDED + dt.timedelta(days=1096)).date())
    case.refresh_from_db()
    assert report.core_erased == 1
    assert case.retention_stage == Case.Retention.ANONYMOUS
    assert case.last_name == case.first_names == case.birth_date == case.removal_order_reference == ""
    assert case.reference and case.state == CaseState.NOT_NATIONAL  # indicators still count it


def test_an_open_case_is_never_erased(lpc_ready, personas):
    with clock.frozen(ENDED):
        case = make_case(
            CaseState.ROUTED,
            **lpc_ready,
            removal_order_date=dt.date(2024, 12, 1),
            detention_start=dt.date(2025, 1, 2),
        )
    retention_apply(today=dt.date(2030, 1, 1))
    case.refresh_from_db()
    assert case.retention_stage == Case.Retention.FULL and case.father_first_name


def test_the_delays_are_data_with_an_effective_date(lpc_ready, personas):
    case = _finished_case(lpc_ready, personas)
    PolicyValue.objects.create(key="retention.full_data_days", effective_from=dt.date(2025, 1, 1), value=30)
    retention_apply(today=(ENDED + dt.timedelta(days=31)).date())
    case.refresh_from_db()
    assert case.retention_stage == Case.Retention.CORE


def test_the_command_dry_run_changes_nothing(lpc_ready, personas, capsys):
    case = _finished_case(lpc_ready, personas)
    call_command("retention", "--dry-run", "--today", "2025-06-01")
    assert "1 cases would be reduced" in capsys.readouterr().out
    case.refresh_from_db()
    assert case.retention_stage == Case.Retention.FULL


def test_the_command_refuses_a_bad_date(reference):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("retention", "--today", "01/06/2025")


def test_evidence_files_left_by_a_rolled_back_transaction_are_swept(lpc_ready, personas, settings, tmp_path):
    import os
    import time

    settings.MEDIA_ROOT = tmp_path  # only this test's files: others' leftovers would count as orphans

    case = _finished_case(lpc_ready, personas)
    kept = evidence_dir() / case.evidence.get().storage_name
    orphan = evidence_dir() / "orphan-from-a-rollback"
    orphan.write_bytes(b"encrypted bytes")
    recent = evidence_dir() / "written-by-a-running-transaction"
    recent.write_bytes(b"encrypted bytes")
    # File times are set from the process's clock (not left to the file system's), so that the sweep,
    # which compares them with the process's clock, sees the same ages under a moved system clock.
    now, two_days_ago = time.time(), time.time() - 2 * 86400
    os.utime(recent, (now, now))
    os.utime(orphan, (two_days_ago, two_days_ago))
    os.utime(kept, (two_days_ago, two_days_ago))
    report = retention_apply(today=(ENDED + dt.timedelta(days=1)).date())
    assert report.orphan_files == 1
    assert not orphan.exists() and recent.exists() and kept.exists()


@pytest.mark.parametrize("earlier_comment", ["Registre consulté.", ""])
def test_an_anonymised_case_can_still_be_closed_with_a_comment_nobody_can_read(
    lpc_ready, personas, earlier_comment
):
    # With or without a key before (an earlier comment), the case has none after its anonymisation: a
    # later comment is not given a new one.
    case = _finished_case(lpc_ready, personas, comment=earlier_comment)
    retention_apply(today=(ENDED + dt.timedelta(days=1096)).date())
    actions.case_close(case=case, user=personas["pref75_agent"], comment="Classé, M. EL IDRISSI est parti.")
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert [e.comment_text for e in comments_open(case.events.filter(kind="close"))] == ["[texte effacé]"]
    assert "EL IDRISSI" not in case.events.get(kind="close").comment
