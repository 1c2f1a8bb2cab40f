"""What the actions enforce whatever the caller: who files, what a draft update may touch, the decision
and outcome vocabularies, evidence rules, and the invariants the database holds (CheckConstraints)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from gmmp.cases import actions
from gmmp.cases.comments import comments_open
from gmmp.cases.enums import CaseState, DepartureFailure, WithdrawalReason
from gmmp.cases.evidence import evidence_read
from gmmp.cases.models import Case, CaseEvent, Evidence
from gmmp.core import clock
from gmmp.organisations.models import Organisation
from tests.factories import UserFactory, case_data, make_case
from tests.personas import PERSONAS

from .walk import paris_case, snapshot

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def counts():
    return Case.objects.count(), CaseEvent.objects.count(), Evidence.objects.count()


# Filing


@pytest.mark.parametrize("persona", ["pref75_agent", "pref75_supervisor", "pref92_agent"])
def test_a_prefecture_agent_or_supervisor_files_a_draft_for_their_own_prefecture(personas, persona):
    user = personas[persona]
    case = actions.case_create(user=user, data=case_data())
    assert (case.state, case.prefecture_id, case.created_by_id) == (
        CaseState.DRAFT,
        user.organisation_id,
        user.pk,
    )
    assert case.reference == f"DI-{case.created_at:%Y}-{case.pk:06d}"
    # Only the first stage is authorised until a judge extends the detention.
    assert case.detention_end == case.detention_start + dt.timedelta(days=4)
    assert list(case.events.values_list("kind", "to_state")) == [("created", CaseState.DRAFT)]


@pytest.mark.parametrize(
    "persona", sorted(set(PERSONAS) - {"pref75_agent", "pref75_supervisor", "pref92_agent", "pref78_agent"})
)
def test_it_refuses_a_request_filed_by_anyone_but_a_prefecture(personas, persona):
    before = counts()
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_create(user=personas[persona], data=case_data())
    assert refused.value.code == "forbidden"
    assert "préfecture" in refused.value.message
    assert counts() == before


@pytest.mark.parametrize("role", ["admin", "secretariat", "central", "border_officer"])
def test_it_refuses_a_request_filed_by_a_prefecture_member_without_a_case_role(reference, role):
    user = UserFactory(organisation=Organisation.objects.get(code="PREF-75"), role=role)
    before = counts()
    with pytest.raises(actions.TransitionRefused):
        actions.case_create(user=user, data=case_data())
    assert counts() == before


def test_it_refuses_a_request_filed_by_an_inactive_agent(personas):
    agent = personas["pref75_agent"]
    agent.is_active = False
    agent.save()
    before = counts()
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_create(user=agent, data=case_data())
    assert refused.value.code == "forbidden"
    assert counts() == before


@pytest.mark.parametrize(
    "field",
    [
        "state",
        "prefecture",
        "consulate",
        "reference",
        "created_by",
        "reply_due",
        "detention_end",
        "register_national_id",
    ],
)
def test_it_refuses_to_set_workflow_fields_through_the_request_data(personas, field):
    values = {
        "state": CaseState.IDENTIFIED,
        "prefecture": Organisation.objects.get(code="PREF-92"),
        "consulate": Organisation.objects.get(code="CG-PARIS"),
        "reference": "DI-FAKE",
        "created_by": personas["pref92_agent"],
        "reply_due": dt.date(2030, 1, 1),
        "detention_end": dt.date(2030, 1, 1),
        "register_national_id": "RNP123",
    }
    before = counts()
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_create(user=personas["pref75_agent"], data=case_data(**{field: values[field]}))
    assert refused.value.code == "invalid_field"
    assert counts() == before
    draft = make_case(CaseState.DRAFT, prefecture_user=personas["pref75_agent"])
    before = snapshot(draft)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_update_draft(case=draft, user=personas["pref75_agent"], data={field: values[field]})
    assert refused.value.code == "invalid_field"
    assert snapshot(draft) == before


@pytest.mark.parametrize("birth_date", ["94", "1994-13", "1994-02-32", "01/02/1994", "1994-1-1", "abcd"])
def test_the_database_refuses_a_birth_date_that_is_not_a_partial_date(personas, birth_date):
    before = counts()
    with pytest.raises(IntegrityError), transaction.atomic():
        actions.case_create(user=personas["pref75_agent"], data=case_data(birth_date=birth_date))
    assert counts() == before


@pytest.mark.parametrize("birth_date", ["", "1994", "1994-02", "1994-02-28"])
def test_a_partial_birth_date_is_accepted(personas, birth_date):
    assert (
        actions.case_create(user=personas["pref75_agent"], data=case_data(birth_date=birth_date)).birth_date
        == birth_date
    )


def test_the_database_refuses_a_detention_that_starts_before_the_removal_order(personas):
    before = counts()
    with pytest.raises(IntegrityError), transaction.atomic():
        actions.case_create(
            user=personas["pref75_agent"],
            data=case_data(removal_order_date=dt.date(2026, 10, 2), detention_start=dt.date(2026, 10, 1)),
        )
    assert counts() == before
    # The same day is fine, and so is no detention at all
    actions.case_create(
        user=personas["pref75_agent"],
        data=case_data(removal_order_date=dt.date(2026, 10, 2), detention_start=dt.date(2026, 10, 2)),
    )
    actions.case_create(user=personas["pref75_agent"], data=case_data(detention_start=None))


def test_the_database_refuses_a_routed_case_without_a_consulate(personas):
    case = paris_case(CaseState.ROUTED, personas)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(consulate=None)


# Draft updates


def test_a_draft_is_updated_by_its_prefecture(personas):
    case = make_case(CaseState.DRAFT, prefecture_user=personas["pref75_agent"])
    actions.case_update_draft(
        case=case, user=personas["pref75_supervisor"], data={"first_names": "Mohammed Amine"}
    )
    case.refresh_from_db()
    assert case.first_names == "Mohammed Amine"


@pytest.mark.parametrize("state", [CaseState.ROUTED, CaseState.IDENTIFIED, CaseState.WITHDRAWN])
def test_it_refuses_to_update_a_request_that_is_no_longer_a_draft(personas, state):
    case = paris_case(state, personas)
    before = snapshot(case)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_update_draft(case=case, user=personas["pref75_agent"], data={"last_name": "AUTRE"})
    assert refused.value.code == "invalid_state"
    assert "brouillon" in refused.value.message
    assert snapshot(case) == before


@pytest.mark.parametrize("persona", ["pref92_agent", "dgef_central", "cg_paris_agent", "dmsf_central"])
def test_it_refuses_to_update_another_prefectures_draft(personas, persona):
    case = make_case(CaseState.DRAFT, prefecture_user=personas["pref75_agent"])
    before = snapshot(case)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_update_draft(case=case, user=personas[persona], data={"last_name": "AUTRE"})
    assert refused.value.code == "forbidden"
    assert snapshot(case) == before


# Vocabularies


@pytest.mark.parametrize("decision", ["", "maybe", "IDENTIFIED", "identified ", "readmitted", "lpc_issued"])
def test_it_refuses_an_unknown_decision(personas, decision):
    case = paris_case(CaseState.ROUTED, personas)
    before = snapshot(case)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_decide(case=case, user=personas["cg_paris_agent"], decision=decision)
    assert refused.value.code == "invalid_decision"
    assert snapshot(case) == before


def test_an_identified_decision_keeps_the_established_identity(personas):
    case = paris_case(CaseState.INTERVIEW_SCHEDULED, personas)
    actions.case_decide(
        case=case,
        user=personas["cg_paris_agent"],
        decision="identified",
        register_national_id="BK123456",
        register_model_version="m-2026-11",
        established={"last_name": "IDRISSI", "birth_date": "1994-05-02"},
    )
    case.refresh_from_db()
    assert (case.established_last_name, case.established_first_names, case.established_birth_date) == (
        "IDRISSI",
        "Mohamed",
        "1994-05-02",
    )
    assert case.register_national_id == "BK123456"
    details = case.events.get(kind="decide").details
    assert details == {
        "decision": "identified",
        "register_match": True,
        "model_version": "m-2026-11",
        "register_band": "",  # not computed by this caller: the guard against the wrong person fails closed
        "proof": False,
        "interviewed": True,
    }


@pytest.mark.parametrize("failure_reason", ["", "  "])
def test_it_refuses_a_failed_departure_without_a_reason(personas, failure_reason):
    case = paris_case(CaseState.DEPARTURE_SCHEDULED, personas)
    before = snapshot(case)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_record_departure(
            case=case, user=personas["pref75_agent"], outcome="failed", failure_reason=failure_reason
        )
    assert refused.value.code == "reason_required"
    assert snapshot(case) == before


def test_it_refuses_a_failed_departure_with_a_reason_outside_the_list(personas):
    case = paris_case(CaseState.DEPARTURE_SCHEDULED, personas)
    before = snapshot(case)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_record_departure(
            case=case,
            user=personas["pref75_agent"],
            outcome="failed",
            failure_reason="the passenger was very upset and refused to board the plane",
        )
    assert refused.value.code == "invalid_reason"
    assert snapshot(case) == before


@pytest.mark.parametrize("reason", list(DepartureFailure))
def test_every_listed_departure_failure_is_recorded(personas, reason):
    case = paris_case(CaseState.DEPARTURE_SCHEDULED, personas)
    actions.case_record_departure(
        case=case,
        user=personas["pref75_agent"],
        outcome="failed",
        failure_reason=reason,
        departed_at=clock.now(),
    )
    assert case.events.get(kind="record_departure").reason == reason


def test_it_refuses_an_unknown_departure_outcome(personas):
    case = paris_case(CaseState.DEPARTURE_SCHEDULED, personas)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_record_departure(case=case, user=personas["pref75_agent"], outcome="maybe")
    assert refused.value.code == "invalid_outcome"


@pytest.mark.parametrize("reason", ["", "  ", "because the judge said so and it is a long explanation"])
def test_it_refuses_a_withdrawal_without_a_listed_reason(personas, reason):
    case = paris_case(CaseState.ROUTED, personas)
    before = snapshot(case)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_withdraw(case=case, user=personas["pref75_agent"], reason=reason)
    assert refused.value.code in {"reason_required", "invalid_reason"}
    assert snapshot(case) == before


@pytest.mark.parametrize("reason", list(WithdrawalReason))
def test_every_listed_withdrawal_reason_is_recorded(personas, reason):
    case = paris_case(CaseState.IDENTIFIED, personas)
    actions.case_withdraw(
        case=case, user=personas["pref75_agent"], reason=reason, comment="Ordonnance du JLD"
    )
    [event] = comments_open(case.events.filter(kind="withdraw"))
    assert (event.reason, event.comment_text) == (reason, "Ordonnance du JLD")


@pytest.mark.parametrize("text", ["", "   "])
def test_it_refuses_an_empty_information_request_or_answer(personas, text):
    routed = paris_case(CaseState.ROUTED, personas)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_request_information(case=routed, user=personas["cg_paris_agent"], question=text)
    assert refused.value.code == "reason_required"
    waiting = paris_case(CaseState.INFORMATION_REQUESTED, personas)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_answer_information(case=waiting, user=personas["pref75_agent"], answer=text)
    assert refused.value.code == "reason_required"


# Evidence


@pytest.fixture
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("state", "persona"),
    [
        (CaseState.DRAFT, "pref75_agent"),
        (CaseState.ROUTED, "cg_paris_agent"),
        (CaseState.IDENTIFIED, "pref75_supervisor"),
    ],
)
def test_the_filing_prefecture_or_the_assigned_consulate_attaches_evidence(personas, files, state, persona):
    case = paris_case(state, personas)
    item = actions.evidence_add(
        case=case,
        user=personas[persona],
        category="proof",
        kind="passport",
        original_name="passeport.pdf",
        data=PDF,
        content_type="application/pdf",
    )
    assert evidence_read(item.storage_name) == PDF
    assert PDF not in (files / "evidence" / item.storage_name).read_bytes()  # encrypted at rest
    event = case.events.get(kind="evidence_added")
    assert event.details == {"evidence": item.pk, "category": "proof", "kind": "passport", "size": len(PDF)}
    assert event.from_state == event.to_state == state


@pytest.mark.parametrize(
    "state",
    [
        CaseState.NOT_NATIONAL,
        CaseState.NOT_ESTABLISHED,
        CaseState.READMITTED,
        CaseState.WITHDRAWN,
        CaseState.CLOSED,
    ],
)
def test_it_refuses_evidence_on_a_finished_case(personas, files, state):
    case = paris_case(state, personas)
    before = counts()
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.evidence_add(
            case=case,
            user=personas["pref75_agent"],
            category="proof",
            kind="passport",
            original_name="p.pdf",
            data=PDF,
            content_type="application/pdf",
        )
    assert refused.value.code == "invalid_state"
    assert counts() == before


@pytest.mark.parametrize(
    "persona",
    [
        "pref92_agent",
        "cg_lyon_agent",
        "dgef_central",
        "dmsf_central",
        "border_casa",
        "cra_vincennes",
        "gmmp_secretariat",
    ],
)
def test_it_refuses_evidence_from_another_organisation(personas, files, persona):
    case = paris_case(CaseState.ROUTED, personas)
    before = counts()
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.evidence_add(
            case=case,
            user=personas[persona],
            category="proof",
            kind="passport",
            original_name="p.pdf",
            data=PDF,
            content_type="application/pdf",
        )
    assert refused.value.code == "forbidden"
    assert counts() == before
    # Nothing written: the evidence folder holds no file (it may not even exist yet).
    assert [f for f in files.rglob("*") if f.is_file()] == []


def test_a_consulate_cannot_attach_evidence_to_a_draft_it_has_not_received(personas, files):
    case = paris_case(CaseState.DRAFT, personas)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.evidence_add(
            case=case,
            user=personas["cg_paris_agent"],
            category="proof",
            kind="passport",
            original_name="p.pdf",
            data=PDF,
            content_type="application/pdf",
        )
    assert refused.value.code == "forbidden"
