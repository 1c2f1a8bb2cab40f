import datetime as dt

import pytest

from gmmp.cases import actions as case_actions
from gmmp.cases.actions import TransitionRefused, case_issue_laissez_passer, case_schedule_departure
from gmmp.cases.enums import CaseState, DepartureOutcome
from gmmp.cases.models import CaseEvent
from gmmp.cases.selectors import ledger_verify
from gmmp.core import clock
from gmmp.documents import photos
from gmmp.documents.actions import lpc_extend, lpc_reissue, lpc_revoke, lpc_use
from gmmp.documents.models import LaissezPasser, LpcStatus
from gmmp.documents.selectors import Verdict, lpc_current, lpc_verify
from tests.factories import make_case

from .conftest import photo_bytes


def _issued(lpc_ready, **fields):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    fields.setdefault("photo", photo_bytes())
    case_issue_laissez_passer(case=case, user=lpc_ready["consulate_user"], **fields)
    return case, lpc_current(case)


def _event(case, kind):
    return CaseEvent.objects.filter(case=case, kind=kind).order_by("-sequence").first()


def test_issuance_uses_the_identity_established_by_the_consulate_not_the_declared_one(lpc_ready, photo):
    case = make_case(CaseState.ROUTED, **lpc_ready, last_name="IDRISSI", first_names="Mohammed")
    case_actions.case_decide(
        case=case,
        user=lpc_ready["consulate_user"],
        decision="identified",
        established={
            "last_name": "EL IDRISSI",
            "first_names": "Mohamed",
            "birth_date": "1994-03-07",
            "birth_place": "Casablanca",
        },
    )
    case_issue_laissez_passer(case=case, user=lpc_ready["consulate_user"], photo=photo)
    lpc = lpc_current(case)
    assert (lpc.holder_last_name, lpc.holder_first_names, lpc.holder_birth_date) == (
        "EL IDRISSI",
        "Mohamed",
        "1994-03-07",
    )
    assert lpc.number == f"CG-PARIS-{clock.today().year}-00001"
    assert photos.photo_read(lpc.photo_storage_name).startswith(b"\xff\xd8")
    case.refresh_from_db()
    assert case.state == CaseState.LPC_ISSUED


def test_issuance_records_number_validity_and_key_in_the_ledger_without_personal_data(lpc_ready, photo):
    case, lpc = _issued(lpc_ready, photo=photo)
    event = _event(case, "issue_laissez_passer")
    assert event.details["number"] == lpc.number
    assert event.details["valid_to"] == lpc.valid_to.isoformat()
    assert event.details["key_id"] == lpc.key_id
    flat = str(event.details)
    assert "IDRISSI" not in flat and "Mohamed" not in flat and "1994" not in flat
    assert ledger_verify(case) == (True, None)


def test_default_validity_comes_from_the_policy_in_force(lpc_ready):
    _case, lpc = _issued(lpc_ready)
    assert lpc.valid_from == clock.today()
    assert (lpc.valid_to - lpc.valid_from).days + 1 == 30


def test_the_seal_verifies_online_as_valid(lpc_ready, photo):
    _case, lpc = _issued(lpc_ready, photo=photo)
    result = lpc_verify(text=lpc.seal)
    assert result.status == Verdict.VALID and result.lpc == lpc
    assert lpc_verify(number=lpc.number, check_code=lpc.check_code.lower()).status == Verdict.VALID
    assert lpc_verify(number=lpc.number, check_code="WRONG123").status == Verdict.FORGED


def test_another_consulate_cannot_issue(lpc_ready, personas):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    with pytest.raises(TransitionRefused):
        case_issue_laissez_passer(case=case, user=personas["cg_lyon_agent"])
    assert not LaissezPasser.objects.filter(case=case).exists()


def test_a_bad_photo_refuses_issuance_and_saves_nothing(lpc_ready):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    with pytest.raises(TransitionRefused, match="JPEG ou PNG"):
        case_issue_laissez_passer(case=case, user=lpc_ready["consulate_user"], photo=b"%PDF-1.4 not a photo")
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED
    assert not LaissezPasser.objects.filter(case=case).exists()


def test_a_validity_ending_before_it_starts_is_refused(lpc_ready):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    today = clock.today()
    with pytest.raises(TransitionRefused):
        case_issue_laissez_passer(
            case=case,
            user=lpc_ready["consulate_user"],
            photo=photo_bytes(),
            valid_from=today,
            valid_to=today - dt.timedelta(days=1),
        )


def test_extension_moves_the_end_resigns_and_is_recorded(lpc_ready):
    case, lpc = _issued(lpc_ready)
    old_seal, new_end = lpc.seal, lpc.valid_to + dt.timedelta(days=15)
    lpc_extend(lpc=lpc, user=lpc_ready["consulate_user"], valid_to=new_end, comment="vol reporté")
    lpc.refresh_from_db()
    assert lpc.valid_to == new_end and lpc.extensions == 1 and lpc.seal != old_seal
    event = _event(case, "lpc_extended")
    assert event.details["valid_to"] == new_end.isoformat() and event.details["number"] == lpc.number
    # The old print still proves the document: its status follows the record.
    assert lpc_verify(text=old_seal).status == Verdict.VALID
    with clock.frozen(clock.now() + dt.timedelta(days=40)):
        assert lpc_verify(text=lpc.seal).status == Verdict.VALID


def test_extension_must_move_the_end_later(lpc_ready):
    _case, lpc = _issued(lpc_ready)
    with pytest.raises(TransitionRefused):
        lpc_extend(lpc=lpc, user=lpc_ready["consulate_user"], valid_to=lpc.valid_to)


def test_the_prefecture_cannot_extend(lpc_ready):
    _case, lpc = _issued(lpc_ready)
    with pytest.raises(TransitionRefused) as exc:
        lpc_extend(lpc=lpc, user=lpc_ready["prefecture_user"], valid_to=lpc.valid_to + dt.timedelta(days=5))
    assert exc.value.code == "forbidden"


def test_reissue_gives_a_new_number_and_revokes_the_old_one(lpc_ready, photo):
    case, old = _issued(lpc_ready, photo=photo)
    new = lpc_reissue(
        lpc=old, user=lpc_ready["consulate_user"], comment="erreur de prénom", holder_first_names="Mohammed"
    )
    old.refresh_from_db()
    assert new.number != old.number and new.sequence == old.sequence + 1
    assert old.status == LpcStatus.REVOKED and old.revocation_reason == "reissued"
    assert new.replaces == old and new.holder_first_names == "Mohammed"
    assert new.photo_storage_name == old.photo_storage_name
    assert lpc_current(case) == new
    event = _event(case, "lpc_reissued")
    assert event.details["previous_number"] == old.number and event.details["number"] == new.number
    assert lpc_verify(text=old.seal).status == Verdict.REVOKED
    assert lpc_verify(text=new.seal).status == Verdict.VALID


def test_revocation_needs_a_reason_and_is_recorded(lpc_ready):
    case, lpc = _issued(lpc_ready)
    with pytest.raises(TransitionRefused):
        lpc_revoke(lpc=lpc, user=lpc_ready["consulate_user"], reason="")
    with pytest.raises(TransitionRefused):
        lpc_revoke(lpc=lpc, user=lpc_ready["consulate_user"], reason="other", comment=" ")
    lpc_revoke(lpc=lpc, user=lpc_ready["consulate_user"], reason="lost")
    lpc.refresh_from_db()
    assert lpc.status == LpcStatus.REVOKED
    event = _event(case, "lpc_revoked")
    assert event.reason == "lost" and event.details["reason"] == "lost"
    assert lpc_verify(text=lpc.seal).status == Verdict.REVOKED
    with pytest.raises(TransitionRefused):
        lpc_extend(lpc=lpc, user=lpc_ready["consulate_user"], valid_to=lpc.valid_to + dt.timedelta(days=5))


def test_an_lpc_past_its_end_verifies_as_expired(lpc_ready):
    _case, lpc = _issued(lpc_ready)
    with clock.frozen(clock.now() + dt.timedelta(days=31)):
        assert lpc_verify(text=lpc.seal).status == Verdict.EXPIRED
        assert lpc_verify(number=lpc.number, check_code=lpc.check_code).status == Verdict.EXPIRED


def _plan(date):
    return {
        "departure_date": date,
        "carrier": "Royal Air Maroc",
        "transport_number": "AT701",
        "departure_port": "Paris-Orly",
        "arrival_port": "Casablanca Mohammed V",
        "escort": True,
    }


def _issued_free(lpc_ready):
    """An LPC for a person not in detention: only the document's validity bounds the departure (a release
    date would bound it too, cases.legal)."""
    case = make_case(CaseState.IDENTIFIED, **lpc_ready, detention_start=None)
    case_issue_laissez_passer(case=case, user=lpc_ready["consulate_user"], photo=photo_bytes())
    return case, lpc_current(case)


def test_a_departure_outside_the_validity_is_refused_with_the_dates(lpc_ready):
    case, lpc = _issued_free(lpc_ready)
    late = lpc.valid_to + dt.timedelta(days=1)
    with pytest.raises(TransitionRefused) as exc:
        case_schedule_departure(case=case, user=lpc_ready["prefecture_user"], **_plan(late))
    assert exc.value.code == "lpc_does_not_cover_date"
    assert lpc.valid_to.strftime("%d/%m/%Y") in exc.value.message
    case_schedule_departure(case=case, user=lpc_ready["prefecture_user"], **_plan(lpc.valid_to))
    case.refresh_from_db()
    assert case.state == CaseState.DEPARTURE_SCHEDULED


def test_after_extension_the_later_departure_is_accepted(lpc_ready):
    case, lpc = _issued_free(lpc_ready)
    late = lpc.valid_to + dt.timedelta(days=10)
    with pytest.raises(TransitionRefused) as before:
        case_schedule_departure(case=case, user=lpc_ready["prefecture_user"], **_plan(late))
    assert before.value.code == "lpc_does_not_cover_date"
    lpc_extend(lpc=lpc, user=lpc_ready["consulate_user"], valid_to=late)
    case_schedule_departure(case=case, user=lpc_ready["prefecture_user"], **_plan(late))
    case.refresh_from_db()
    assert (case.state, case.departure_date) == (CaseState.DEPARTURE_SCHEDULED, late)


def test_no_departure_on_a_revoked_lpc(lpc_ready):
    case, lpc = _issued(lpc_ready)
    lpc_revoke(lpc=lpc, user=lpc_ready["consulate_user"], reason="error")
    with pytest.raises(TransitionRefused, match="Aucun laissez-passer en vigueur"):
        case_schedule_departure(case=case, user=lpc_ready["prefecture_user"], **_plan(clock.today()))


def _departed(lpc_ready):
    case = make_case(CaseState.DEPARTED, **lpc_ready)
    return case, lpc_current(case)


def test_the_border_scan_confirms_readmission_and_uses_the_lpc(lpc_ready):
    case, lpc = _departed(lpc_ready)
    result = lpc_use(seal=lpc.seal, user=lpc_ready["border_user"])
    assert result.accepted and result.status == "used"
    case.refresh_from_db()
    lpc.refresh_from_db()
    assert case.state == CaseState.READMITTED
    assert lpc.status == LpcStatus.USED and lpc.used_by == lpc_ready["border_user"]
    kinds = list(CaseEvent.objects.filter(case=case).order_by("sequence").values_list("kind", flat=True))
    assert kinds[-2:] == ["confirm_readmission", "lpc_used"]
    assert lpc_verify(text=lpc.seal).status == Verdict.USED
    assert ledger_verify(case) == (True, None)


def test_a_second_scan_is_flagged_and_never_accepted(lpc_ready):
    case, lpc = _departed(lpc_ready)
    assert lpc_use(seal=lpc.seal, user=lpc_ready["border_user"]).accepted
    # Later than a repeated scan (a double click within minutes is idempotent, tests/security).
    with clock.frozen(clock.now() + dt.timedelta(hours=1)):
        again = lpc_use(seal=lpc.seal, user=lpc_ready["border_user"])
    assert not again.accepted and again.status == "used"
    assert "DÉJÀ UTILISÉ" in again.message
    flagged = _event(case, "lpc_reuse_flagged")
    assert flagged is not None and flagged.details["number"] == lpc.number
    assert CaseEvent.objects.filter(case=case, kind="confirm_readmission").count() == 1


def test_the_border_cannot_use_an_lpc_before_the_departure_is_recorded(lpc_ready):
    case = make_case(CaseState.DEPARTURE_SCHEDULED, **lpc_ready)
    lpc = lpc_current(case)
    result = lpc_use(seal=lpc.seal, user=lpc_ready["border_user"])
    assert not result.accepted and result.status == "refused"
    lpc.refresh_from_db()
    assert lpc.status == LpcStatus.ISSUED


def test_the_border_refuses_a_forged_seal_and_an_expired_lpc(lpc_ready):
    case, lpc = _departed(lpc_ready)
    assert lpc_use(seal=lpc.seal[:-4] + "AAAA", user=lpc_ready["border_user"]).status == Verdict.FORGED
    with clock.frozen(clock.now() + dt.timedelta(days=60)):
        result = lpc_use(seal=lpc.seal, user=lpc_ready["border_user"])
    assert not result.accepted and result.status == Verdict.EXPIRED
    case.refresh_from_db()
    assert case.state == CaseState.DEPARTED


def test_only_border_police_may_scan_for_readmission(lpc_ready):
    _case, lpc = _departed(lpc_ready)
    with pytest.raises(TransitionRefused):
        lpc_use(seal=lpc.seal, user=lpc_ready["prefecture_user"])


def test_a_failed_departure_keeps_the_lpc_and_a_new_date_inside_validity_is_accepted(lpc_ready):
    case = make_case(CaseState.DEPARTURE_FAILED, **lpc_ready, detention_start=None)
    lpc = lpc_current(case)
    assert lpc.status == LpcStatus.ISSUED
    case_schedule_departure(case=case, user=lpc_ready["prefecture_user"], **_plan(lpc.valid_to))
    with clock.frozen(dt.datetime.combine(lpc.valid_to, dt.time(9), tzinfo=dt.UTC)):
        case_actions.case_record_departure(
            case=case,
            user=lpc_ready["prefecture_user"],
            outcome=DepartureOutcome.DEPARTED,
            departed_at=clock.now(),
        )


def test_the_lpc_cannot_be_revoked_once_the_person_has_left(lpc_ready):
    _case, lpc = _departed(lpc_ready)
    with pytest.raises(TransitionRefused):
        lpc_revoke(lpc=lpc, user=lpc_ready["consulate_user"], reason="error")


def test_a_photo_evidence_of_the_case_is_used_when_chosen(lpc_ready):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    item = case_actions.evidence_add(
        case=case,
        user=lpc_ready["prefecture_user"],
        category="photo",
        kind="photo",
        original_name="portrait.png",
        data=photo_bytes("PNG"),
        content_type="image/png",
    )
    case_issue_laissez_passer(case=case, user=lpc_ready["consulate_user"], photo_evidence=item.pk)
    assert lpc_current(case).photo_storage_name


def test_after_a_readmission_confirmed_by_hand_the_lpc_counts_as_used(lpc_ready):
    case, lpc = _departed(lpc_ready)
    case_actions.case_confirm_readmission(case=case, user=lpc_ready["border_user"], comment="arrivée")
    assert lpc_verify(text=lpc.seal).status == Verdict.USED
    result = lpc_use(seal=lpc.seal, user=lpc_ready["border_user"])
    assert not result.accepted and result.status == "used"
    lpc.refresh_from_db()
    assert lpc.status == LpcStatus.USED
    assert _event(case, "lpc_reuse_flagged") is not None
