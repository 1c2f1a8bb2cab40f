"""Retention leaves no personal data in the laissez-passer (the seal carried the name), and its dry run
counts what the run does."""

import datetime as dt

from gmmp.cases.retention import retention_apply
from gmmp.documents.models import LaissezPasser
from gmmp.documents.selectors import lpc_verify
from tests.documents.test_retention import ENDED, _readmitted_with_photo


def test_an_anonymised_laissez_passer_keeps_no_name_not_even_in_its_seal(
    lpc_ready, personas, photo, settings, tmp_path
):
    settings.LPC_KEYS_DIR = str(tmp_path / "keys")
    settings.MEDIA_ROOT = str(tmp_path / "files")
    case = _readmitted_with_photo(lpc_ready, personas, photo)
    lpc = LaissezPasser.objects.get(case=case)
    old_seal, name = lpc.seal, lpc.holder_last_name
    assert name and old_seal
    retention_apply(today=(ENDED + dt.timedelta(days=1096)).date())
    lpc.refresh_from_db()
    values = [str(getattr(lpc, f.attname)) for f in LaissezPasser._meta.concrete_fields]
    assert not any(name in v for v in values) and lpc.seal == ""
    # The paper still in someone's hands verifies as what it is: used, not forged.
    assert lpc_verify(text=old_seal).status == "used"


def test_the_dry_run_counts_a_very_old_case_once_like_the_run(lpc_ready, personas, photo, settings, tmp_path):
    settings.LPC_KEYS_DIR = str(tmp_path / "keys")
    settings.MEDIA_ROOT = str(tmp_path / "files")
    _readmitted_with_photo(lpc_ready, personas, photo)
    today = (ENDED + dt.timedelta(days=1096)).date()
    dry = retention_apply(today=today, dry_run=True)
    real = retention_apply(today=today)
    assert (dry.full_erased, dry.core_erased) == (real.full_erased, real.core_erased) == (0, 1)


def test_anonymisation_forgets_the_register_ids_shown_for_the_case(
    lpc_ready, personas, photo, settings, tmp_path
):
    from gmmp.audit.models import AccessLog
    from gmmp.audit.services import access_log_record

    settings.LPC_KEYS_DIR = str(tmp_path / "keys")
    settings.MEDIA_ROOT = str(tmp_path / "files")
    case = _readmitted_with_photo(lpc_ready, personas, photo)
    access_log_record(
        user=personas["cg_paris_agent"],
        action="search",
        object_type="register",
        object_id=case.reference,
        detail={"shown": ["MA-1234567"]},
    )
    access_log_record(
        user=personas["cg_paris_agent"],
        action="view",
        object_type="register",
        object_id="MA-1234567",
        detail={"case": case.reference},
    )
    retention_apply(today=(ENDED + dt.timedelta(days=1096)).date())
    assert not [log for log in AccessLog.objects.all() if "MA-1234567" in f"{log.object_id}{log.detail}"]


def test_the_access_log_has_its_own_retention(personas):
    from gmmp.audit.models import AccessLog

    old = AccessLog.objects.create(at=ENDED, user=personas["dgef_central"], action="list", object_type="case")
    recent = AccessLog.objects.create(
        at=ENDED + dt.timedelta(days=300), user=personas["dgef_central"], action="list", object_type="case"
    )
    today = (ENDED + dt.timedelta(days=400)).date()
    assert retention_apply(today=today, dry_run=True).access_log_deleted >= 1
    report = retention_apply(today=today)
    assert report.access_log_deleted >= 1
    assert (
        not AccessLog.objects.filter(pk=old.pk).exists() and AccessLog.objects.filter(pk=recent.pk).exists()
    )


def test_ledger_comments_are_encrypted_and_unreadable_once_the_case_is_anonymised(
    lpc_ready, personas, photo, settings, tmp_path
):
    from gmmp.cases import actions
    from gmmp.cases.models import CaseEvent
    from gmmp.cases.selectors import case_timeline, ledger_verify
    from gmmp.core.ledger_chain import chain_verify

    settings.LPC_KEYS_DIR = str(tmp_path / "keys")
    settings.MEDIA_ROOT = str(tmp_path / "files")
    case = _readmitted_with_photo(lpc_ready, personas, photo)
    from gmmp.core import clock

    with clock.frozen(ENDED + dt.timedelta(hours=1)):
        actions.case_close(
            case=case, user=personas["pref75_agent"], comment="Mohamed EL IDRISSI est bien arrivé"
        )
    stored = CaseEvent.objects.get(case=case, kind="close").comment
    assert "IDRISSI" not in stored and stored.startswith("enc1:")
    assert [e.comment_text for e in case_timeline(case) if e.kind == "close"] == [
        "Mohamed EL IDRISSI est bien arrivé"
    ]
    retention_apply(today=(ENDED + dt.timedelta(days=1200)).date())
    assert [e.comment_text for e in case_timeline(case) if e.kind == "close"] == ["[texte effacé]"]
    assert ledger_verify(case) == (True, None) and chain_verify().ok  # the ledger itself untouched


def test_a_comment_after_events_without_one_reads_back(lpc_ready):
    from gmmp.cases.enums import CaseState
    from gmmp.cases.selectors import case_timeline
    from tests.factories import make_case

    case = make_case(CaseState.IDENTIFIED, **lpc_ready)  # created, submit (no comment), decide (comment)
    texts = [e.comment_text for e in case_timeline(case) if e.comment]
    assert texts and "[texte effacé]" not in texts


def test_anonymisation_leaves_no_corrected_name_counsel_or_decision_reference_anywhere(lpc_ready, personas):
    """A corrected name's old and new values, the birth date an age decision set, the references of the
    decisions and the counsel's name: the ledger seals them with the case key, the legal timeline's rows
    are emptied; after anonymisation the whole database names none of them, and the ledger still verifies."""
    from gmmp.cases import actions
    from gmmp.cases.enums import CaseState
    from gmmp.cases.selectors import case_timeline, ledger_verify
    from gmmp.core import clock
    from gmmp.core.ledger_chain import chain_verify
    from tests.factories import make_case
    from tests.nowhere import tables_mentioning

    pref = lpc_ready["prefecture_user"]
    case = make_case(CaseState.ROUTED, **lpc_ready, last_name="ZERHOUNI-AVANT")
    actions.case_correct_identity(
        case=case, user=pref, changes={"last_name": "ZERHOUNI-APRES"}, reason="Acte d'état civil"
    )
    today = clock.today()
    actions.case_record_legal_event(
        case=case,
        user=pref,
        kind="counsel_contacted",
        on=today,
        reference="",
        counsel="Maître QUALITEL-AVOCATE",
    )
    actions.case_record_legal_event(
        case=case, user=pref, kind="rights_informed", on=today, reference="", language="tamazight-rifain"
    )
    actions.case_record_legal_event(
        case=case, user=pref, kind="appeal_lodged", on=today, reference="TA-REF-998877", suspensive=False
    )
    actions.case_assess_age(
        case=case,
        user=pref,
        finding="adult",
        basis="judge",
        reference="TJ-AGE-445566",
        birth_date="1990-02-03",
    )
    needles = ("ZERHOUNI", "QUALITEL", "tamazight-rifain", "TA-REF-998877", "TJ-AGE-445566", "1990-02-03")
    shown = {e.kind: e.details_open for e in case_timeline(case)}
    assert shown["correct_identity"]["changes"]["last_name"]["old"] == "ZERHOUNI-AVANT"  # readable until then
    actions.case_withdraw(case=case, user=pref, reason="order_annulled")

    retention_apply(today=today + dt.timedelta(days=1200))
    assert tables_mentioning(*needles) == []
    assert ledger_verify(case) == (True, None) and chain_verify().ok
