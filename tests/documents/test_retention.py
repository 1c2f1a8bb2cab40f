"""Storage limitation reaches the laissez-passer: the photo, then the holder's identity."""

import datetime as dt
import os
import time

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.cases.retention import retention_apply
from gmmp.core import clock
from gmmp.documents.models import LaissezPasser
from gmmp.documents.photos import _photo_dir
from tests.factories import make_case

ENDED = dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC)


def _readmitted_with_photo(lpc_ready, personas, photo):
    with clock.frozen(ENDED - dt.timedelta(days=10)):
        case = make_case(
            CaseState.IDENTIFIED,
            **lpc_ready,
            removal_order_date=dt.date(2025, 1, 20),
            detention_start=None,  # no release date bounds this departure
        )
        actions.case_issue_laissez_passer(case=case, user=personas["cg_paris_agent"], photo=photo)
        actions.case_schedule_departure(
            case=case,
            user=personas["pref75_agent"],
            departure_date=dt.date(2025, 3, 1),
            carrier="RAM",
            transport_number="AT1",
            departure_port="Orly",
            arrival_port="Casablanca",
        )
    with clock.frozen(ENDED - dt.timedelta(days=2)):
        actions.case_record_departure(
            case=case,
            user=personas["pref75_agent"],
            outcome="departed",
            departed_at=dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC),
        )
    with clock.frozen(ENDED):
        actions.case_confirm_readmission(case=case, user=personas["border_casa"])
    return case


def test_the_photo_goes_with_the_full_data_and_the_identity_with_the_core_data(
    lpc_ready, personas, photo, django_capture_on_commit_callbacks
):
    case = _readmitted_with_photo(lpc_ready, personas, photo)
    lpc = LaissezPasser.objects.get(case=case)
    stored = _photo_dir() / lpc.photo_storage_name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(today=(ENDED + dt.timedelta(days=91)).date())
    lpc.refresh_from_db()
    assert not stored.exists() and lpc.photo_storage_name == ""
    assert lpc.holder_last_name  # core identity kept until the second stage

    retention_apply(today=(ENDED + dt.timedelta(days=1096)).date())
    lpc.refresh_from_db()
    assert lpc.holder_last_name == lpc.holder_first_names == lpc.holder_birth_date == ""
    assert lpc.number and lpc.valid_to  # the document's own facts stay for the indicators


def test_the_daily_run_sweeps_photo_files_no_document_names(lpc_ready, personas, photo):
    case = _readmitted_with_photo(lpc_ready, personas, photo)
    kept = _photo_dir() / LaissezPasser.objects.get(case=case).photo_storage_name
    orphan = _photo_dir() / "photo-of-a-rolled-back-issue"
    orphan.write_bytes(b"encrypted bytes")
    two_days_ago = time.time() - 2 * 86400
    os.utime(orphan, (two_days_ago, two_days_ago))

    report = retention_apply(today=(ENDED + dt.timedelta(days=1)).date())

    assert report.orphan_files == 1
    assert not orphan.exists() and kept.exists()
