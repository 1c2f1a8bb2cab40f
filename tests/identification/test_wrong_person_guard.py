"""The guard against the wrong person: a laissez-passer for someone identified from a register proposal
that was not strong, without identity documents, needs a held interview or a second officer's
confirmation; reversals are recorded, stop the document and the departure, and are counted."""

import datetime as dt

import pytest

from gmmp.cases import actions
from gmmp.cases.actions import TransitionRefused
from gmmp.cases.enums import CaseState, Decision, EventKind, EvidenceCategory, EvidenceKind
from gmmp.cases.models import CaseEvent
from gmmp.cases.selectors import case_list_for_user
from gmmp.collab.actions import Slot, interview_record_outcome, interview_schedule
from gmmp.core import clock
from gmmp.documents.actions import lpc_use
from gmmp.documents.models import LaissezPasser
from gmmp.documents.selectors import lpc_verify
from gmmp.indicators import periods
from gmmp.indicators.engine import compute
from tests.factories import DEPARTURE_PLAN, make_case, record_reversal_leaving_the_document, sample_photo

NATIONAL_ID = "1234567890"


def _identified(lpc_ready, *, band: str | None, national_id: str = NATIONAL_ID):
    """A routed case the consulate's agent identifies from register record `national_id` (band as the
    platform computed it; None: a caller that did not compute it)."""
    case = make_case(CaseState.ROUTED, **lpc_ready)
    extra = {} if band is None else {"register_band": band}
    actions.case_decide(
        case=case,
        user=lpc_ready["consulate_user"],
        decision=Decision.IDENTIFIED,
        register_national_id=national_id,
        register_model_version="test",
        **extra,
    )
    return case


def _issue(case, user):
    actions.case_issue_laissez_passer(case=case, user=user, photo=sample_photo())


def _refusal(case, user) -> str:
    with pytest.raises(TransitionRefused) as refused:
        _issue(case, user)
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED
    return refused.value.code


@pytest.mark.parametrize("band", ["possible", "weak", None])
def test_an_lpc_from_a_proposal_that_was_not_strong_without_documents_is_refused(lpc_ready, band):
    case = _identified(lpc_ready, band=band)
    assert _refusal(case, lpc_ready["consulate_user"]) == "identification_unconfirmed"


def test_a_strong_proposal_a_decision_without_the_register_or_a_proof_document_needs_nothing_more(lpc_ready):
    agent = lpc_ready["consulate_user"]
    _issue(_identified(lpc_ready, band="strong"), agent)
    _issue(make_case(CaseState.IDENTIFIED, **lpc_ready), agent)  # decided on documents or interview
    documented = _identified(lpc_ready, band="weak")
    actions.evidence_add(
        case=documented,
        user=agent,
        category=EvidenceCategory.PROOF,
        kind=EvidenceKind.PASSPORT,
        original_name="passeport.jpg",
        data=sample_photo(),
        content_type="image/jpeg",
    )
    _issue(documented, agent)
    documented.refresh_from_db()
    assert documented.state == CaseState.LPC_ISSUED


def test_a_second_officer_confirms_and_the_lpc_can_then_be_issued(lpc_ready, personas):
    agent, second = lpc_ready["consulate_user"], personas["cg_paris_supervisor"]
    case = _identified(lpc_ready, band="possible")
    with pytest.raises(TransitionRefused) as refused:
        actions.case_confirm_identification(case=case, user=agent)
    assert refused.value.code == "same_officer"
    with pytest.raises(TransitionRefused) as refused:
        actions.case_confirm_identification(case=case, user=personas["cg_lyon_agent"])
    assert refused.value.code == "forbidden"
    event = actions.case_confirm_identification(
        case=case, user=second, comment="Photo comparée, parents vérifiés"
    )
    assert event.kind == EventKind.IDENTIFICATION_CONFIRMED and event.actor == second
    _issue(case, agent)  # the first officer may issue now
    case.refresh_from_db()
    assert case.state == CaseState.LPC_ISSUED


def test_a_held_interview_is_enough_and_one_not_held_is_not(lpc_ready, personas):
    agent = lpc_ready["consulate_user"]
    case = make_case(CaseState.ROUTED, **lpc_ready)
    interview = interview_schedule(
        case=case, user=agent, slot=Slot(starts_at=clock.now() + dt.timedelta(hours=2), mode="cra")
    )
    interview_record_outcome(interview=interview, user=agent, held=False, not_held_reason="person_absent")
    actions.case_decide(
        case=case,
        user=agent,
        decision=Decision.IDENTIFIED,
        register_national_id=NATIONAL_ID,
        register_band="weak",
    )
    assert _refusal(case, agent) == "identification_unconfirmed"
    case = make_case(CaseState.ROUTED, **lpc_ready)
    interview = interview_schedule(
        case=case, user=agent, slot=Slot(starts_at=clock.now() + dt.timedelta(hours=2), mode="cra")
    )
    interview_record_outcome(
        interview=interview, user=agent, held=True, notes="Parents et quartier concordent"
    )
    actions.case_decide(
        case=case,
        user=agent,
        decision=Decision.IDENTIFIED,
        register_national_id=NATIONAL_ID,
        register_band="weak",
    )
    _issue(case, agent)


def test_a_band_the_platform_does_not_know_is_refused(lpc_ready):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    with pytest.raises(TransitionRefused) as refused:
        actions.case_decide(
            case=case,
            user=lpc_ready["consulate_user"],
            decision=Decision.IDENTIFIED,
            register_national_id=NATIONAL_ID,
            register_band="certain",
        )
    assert refused.value.code == "invalid_field"


def test_a_reversal_sends_the_case_back_to_the_consulate_stops_the_document_and_is_counted(
    lpc_ready, personas
):
    agent = lpc_ready["consulate_user"]
    identified = _identified(lpc_ready, band="strong")
    with pytest.raises(TransitionRefused) as refused:
        actions.case_identification_reversed(case=identified, user=agent, reason="")
    assert refused.value.code == "reason_required"
    with pytest.raises(TransitionRefused) as refused:
        actions.case_identification_reversed(
            case=identified, user=lpc_ready["prefecture_user"], reason="other_identity"
        )
    assert refused.value.code == "forbidden"
    decided = identified.events.get(kind=EventKind.DECIDE).sequence
    actions.case_identification_reversed(
        case=identified, user=agent, reason="other_identity", comment="Empreintes : autre personne"
    )
    event = identified.events.get(kind=EventKind.IDENTIFICATION_REVERSED)
    assert (event.from_state, event.to_state) == (CaseState.IDENTIFIED, CaseState.ROUTED)
    assert event.details == {
        "reason": "other_identity",
        "decision_event": decided,
        "register_match": True,
        "register_band": "strong",
    }
    # Back in the consulate's queue, without the identity established on the wrong person.
    identified.refresh_from_db()
    assert identified.state == CaseState.ROUTED
    assert (identified.register_national_id, identified.established_last_name, identified.decided_at) == (
        "",
        "",
        None,
    )
    queue = case_list_for_user(user=agent, filters={"state": CaseState.ROUTED})
    assert identified in queue
    with pytest.raises(TransitionRefused) as refused:
        actions.case_identification_reversed(case=identified, user=agent, reason="other_identity")
    assert refused.value.code == "invalid_state"

    # A document already issued is revoked (identity doubt) and no departure can be scheduled.
    issued = make_case(CaseState.LPC_ISSUED, **lpc_ready)
    actions.case_identification_reversed(
        case=issued, user=personas["dmsf_central"], reason="refused_at_border"
    )
    assert issued.state == CaseState.ROUTED
    lpc = LaissezPasser.objects.get(case=issued)
    assert (lpc.status, lpc.revocation_reason) == ("revoked", "identity_doubt")
    assert issued.events.get(kind=EventKind.IDENTIFICATION_REVERSED).details["revoked_lpc"] == lpc.number
    assert lpc_verify(number=lpc.number, check_code=lpc.check_code).status == "revoked"
    with pytest.raises(TransitionRefused) as refused:
        actions.case_schedule_departure(
            case=issued, user=lpc_ready["prefecture_user"], departure_date=clock.today(), **DEPARTURE_PLAN
        )
    assert refused.value.code == "invalid_state"

    today = clock.today().isoformat()
    table = compute(periods.parse(f"{today}..{today}"))
    assert table.total.figures["identification_reversals"].value == 2
    assert CaseEvent.objects.filter(kind=EventKind.IDENTIFICATION_REVERSED).count() == 2


def test_after_a_reversal_the_consulate_identifies_the_right_person_or_concludes(lpc_ready):
    agent = lpc_ready["consulate_user"]
    wrong = _identified(lpc_ready, band="strong")
    actions.case_identification_reversed(case=wrong, user=agent, reason="other_identity")
    actions.case_decide(
        case=wrong,
        user=agent,
        decision=Decision.IDENTIFIED,
        register_national_id="9876543210",
        register_band="strong",
    )
    _issue(wrong, agent)  # the new identification is not the reversed one
    wrong.refresh_from_db()
    assert (wrong.state, wrong.register_national_id) == (CaseState.LPC_ISSUED, "9876543210")
    lpc = LaissezPasser.objects.get(case=wrong, status="issued")
    assert lpc_verify(text=lpc.seal).status == "valid"

    concluded = _identified(lpc_ready, band="strong")
    actions.case_identification_reversed(case=concluded, user=agent, reason="other_identity")
    actions.case_decide(case=concluded, user=agent, decision=Decision.NOT_ESTABLISHED)
    assert concluded.state == CaseState.NOT_ESTABLISHED


def test_a_reversal_after_departure_keeps_the_state_and_the_border_refuses_the_document(lpc_ready, personas):
    border = lpc_ready["border_user"]
    left = make_case(CaseState.DEPARTED, **lpc_ready)
    actions.case_identification_reversed(case=left, user=personas["dmsf_central"], reason="other_identity")
    assert left.state == CaseState.DEPARTED
    lpc = LaissezPasser.objects.get(case=left)
    assert lpc.status == "revoked"
    scan = lpc_use(seal=lpc.seal, user=border)
    assert (scan.accepted, scan.status) == (False, "revoked")
    left.refresh_from_db()
    assert left.state == CaseState.DEPARTED


def test_a_document_whose_holder_was_reversed_shows_not_valid_at_the_border_even_unrevoked(
    lpc_ready, personas
):
    """A reversal recorded while the document stayed in force (before reversals revoked it after
    departure): the verification, the scan and a readmission by hand all refuse it."""
    border = lpc_ready["border_user"]
    left = make_case(CaseState.DEPARTED, **lpc_ready)
    record_reversal_leaving_the_document(left, personas["dmsf_central"])
    lpc = LaissezPasser.objects.get(case=left)
    assert lpc.status == "issued"
    checked = lpc_verify(text=lpc.seal)
    assert (checked.status, checked.reason) == ("revoked", "identification_reversed")
    assert "infirmée" in checked.message
    scan = lpc_use(seal=lpc.seal, user=border)
    assert (scan.accepted, scan.status) == (False, "revoked")
    with pytest.raises(TransitionRefused) as refused:
        actions.case_confirm_readmission(case=left, user=border)
    assert refused.value.code == "identification_reversed"
    left.refresh_from_db()
    assert left.state == CaseState.DEPARTED
    # Another person's document, identified normally, is still valid.
    other = make_case(CaseState.DEPARTED, **lpc_ready)
    assert lpc_use(seal=LaissezPasser.objects.get(case=other).seal, user=border).accepted


def test_a_person_never_identified_cannot_be_reversed(lpc_ready):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    with pytest.raises(TransitionRefused) as refused:
        actions.case_identification_reversed(
            case=case, user=lpc_ready["consulate_user"], reason="other_identity"
        )
    assert refused.value.code == "invalid_state"


def _as(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_case_page_asks_a_second_officer_and_takes_the_confirmation_then_the_reversal(
    lpc_ready, personas
):
    case = _identified(lpc_ready, band="possible")
    page = f"/cases/{case.reference}/"
    decider = _as(lpc_ready["consulate_user"]).get(page).content.decode()
    assert 'data-testid="identification-unconfirmed"' in decider
    assert 'data-testid="identification-confirm"' not in decider  # not for the officer who decided
    second = _as(personas["cg_paris_supervisor"])
    assert 'data-testid="identification-confirm"' in second.get(page).content.decode()
    response = second.post(f"/register/cases/{case.reference}/second-confirm/", {"comment": "Vérifié"})
    assert response.status_code == 302
    assert case.events.filter(kind=EventKind.IDENTIFICATION_CONFIRMED).count() == 1
    assert 'data-testid="identification-confirmed"' in second.get(page).content.decode()
    prefecture = _as(lpc_ready["prefecture_user"]).get(page).content.decode()
    assert 'data-testid="identification-reverse"' not in prefecture
    assert (
        _as(lpc_ready["prefecture_user"])
        .post(f"/register/cases/{case.reference}/reverse/", {"reason": "other_identity"})
        .status_code
        == 404
    )  # the register's pages do not exist for the French side
    second.post(f"/register/cases/{case.reference}/reverse/", {"reason": "nonsense"})
    assert not case.events.filter(kind=EventKind.IDENTIFICATION_REVERSED).exists()
    second.post(
        f"/register/cases/{case.reference}/reverse/", {"reason": "other_identity", "comment": "Autre"}
    )
    assert case.events.filter(kind=EventKind.IDENTIFICATION_REVERSED).count() == 1
    assert (
        'data-testid="identification-reversed"'
        in _as(lpc_ready["prefecture_user"]).get(page).content.decode()
    )


def test_the_api_takes_the_second_confirmation_and_the_reversal(lpc_ready, personas):
    import json

    from django.test import Client

    from gmmp.organisations.tokens import api_token_create

    def api(username):
        _token, raw = api_token_create(
            user=personas[username], name="t", scopes=["cases:read", "cases:write"]
        )
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def post(client, path, body):
        return client.post(f"/api/v1/cases/{path}", data=json.dumps(body), content_type="application/json")

    case = _identified(lpc_ready, band="weak")
    same = post(api("cg_paris_agent"), f"{case.reference}/identification/confirmation", {})
    assert same.status_code == 409 and same.json()["code"] == "same_officer"
    done = post(
        api("cg_paris_supervisor"), f"{case.reference}/identification/confirmation", {"comment": "Vu"}
    )
    assert done.status_code == 201 and done.json()["kind"] == "identification_confirmed"
    bad = post(api("cg_paris_supervisor"), f"{case.reference}/identification/reversal", {"reason": "maybe"})
    assert bad.status_code == 422
    reversed_ = post(
        api("dmsf_central"), f"{case.reference}/identification/reversal", {"reason": "not_national"}
    )
    assert reversed_.status_code == 201 and reversed_.json()["kind"] == "identification_reversed"
