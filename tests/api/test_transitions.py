"""Every transition through POST /api/v1/cases/{reference}/transitions/{name}: allowed, refused by
state (409), refused by actor (403), not visible (404), and bad input (422) with nothing changed."""

import base64

import pytest

from gmmp.cases.enums import CaseState as S
from gmmp.cases.models import Case
from tests.factories import make_case, sample_photo

PARIS = {"prefecture_user": "pref75_agent", "consulate_user": "cg_paris_agent", "border_user": "border_casa"}

# Today (NOW in conftest): the person was placed two days ago and may be released on the 4th day, and the
# outcome recorded now is not before the scheduled date.
DEPARTURE = {
    "departure_date": "2026-11-20",
    "carrier": "Royal Air Maroc",
    "transport_number": "AT701",
    "departure_port": "Paris-Orly",
    "arrival_port": "Casablanca Mohammed V",
    "escort": True,
}
DEPARTED_AT = "2026-11-20T10:00:00+01:00"  # the actual time: NOW
DECIDE_IDENTIFIED = {
    "decision": "identified",
    "comment": "CNIE vérifiée au registre",
    "register_national_id": "1234567890",
    "register_model_version": "fs-2026.11",
    "established": {"last_name": "EL IDRISSI", "first_names": "Mohammed", "birth_date": "1994-05-12"},
}

# (transition, state it is tried in, persona allowed, body, expected state)
ALLOWED = [
    ("submit", S.DRAFT, "pref75_agent", None, S.ROUTED),
    (
        "reroute",
        S.ROUTED,
        "cg_paris_supervisor",
        {"consulate": "CG-LYON", "reason": "Personne née à Fès"},
        S.ROUTED,
    ),
    (
        "reroute",
        S.INTERVIEW_SCHEDULED,
        "dmsf_central",
        {"consulate": "CG-LYON", "reason": "Compétence"},
        S.ROUTED,
    ),
    (
        "schedule_interview",
        S.ROUTED,
        "cg_paris_agent",
        {"at": "2026-11-27T10:00:00+01:00", "mode": "video"},
        S.INTERVIEW_SCHEDULED,
    ),
    (
        "request_information",
        S.ROUTED,
        "cg_paris_agent",
        {"question": "Copie du passeport ?"},
        S.INFORMATION_REQUESTED,
    ),
    (
        "answer_information",
        S.INFORMATION_REQUESTED,
        "pref75_agent",
        {"answer": "Aucune copie disponible."},
        S.ROUTED,
    ),
    ("decide", S.INTERVIEW_SCHEDULED, "cg_paris_agent", DECIDE_IDENTIFIED, S.IDENTIFIED),
    ("decide", S.ROUTED, "cg_paris_agent", {"decision": "not_national"}, S.NOT_NATIONAL),
    ("decide", S.INFORMATION_REQUESTED, "cg_paris_agent", {"decision": "not_established"}, S.NOT_ESTABLISHED),
    ("schedule_departure", S.LPC_ISSUED, "pref75_agent", DEPARTURE, S.DEPARTURE_SCHEDULED),
    ("schedule_departure", S.DEPARTURE_FAILED, "pref75_supervisor", DEPARTURE, S.DEPARTURE_SCHEDULED),
    (
        "record_departure",
        S.DEPARTURE_SCHEDULED,
        "pref75_agent",
        {"outcome": "departed", "departed_at": DEPARTED_AT},
        S.DEPARTED,
    ),
    (
        "record_departure",
        S.DEPARTURE_SCHEDULED,
        "pref75_agent",
        {
            "outcome": "failed",
            "failure_reason": "medical",
            "comment": "Hospitalisé",
            "departed_at": DEPARTED_AT,
        },
        S.DEPARTURE_FAILED,
    ),
    ("confirm_readmission", S.DEPARTED, "border_casa", {"comment": "Arrivée constatée"}, S.READMITTED),
    ("withdraw", S.ROUTED, "pref75_supervisor", {"reason": "asylum_claim"}, S.WITHDRAWN),
    ("withdraw", S.DRAFT, "pref75_agent", {"reason": "other", "comment": "Erreur de saisie"}, S.WITHDRAWN),
    ("close", S.WITHDRAWN, "pref75_agent", None, S.CLOSED),
    ("close", S.READMITTED, "pref75_agent", {"comment": "Dossier complet"}, S.CLOSED),
    ("identification_reversed", S.LPC_ISSUED, "dmsf_central", {"reason": "refused_at_border"}, S.ROUTED),
    ("identification_reversed", S.DEPARTED, "cg_paris_agent", {"reason": "other_identity"}, S.DEPARTED),
]


def paris_case(personas, state):
    return make_case(state, **{k: personas[v] for k, v in PARIS.items()})


@pytest.mark.parametrize(
    ("name", "state", "who", "body", "expected"),
    ALLOWED,
    ids=[f"{a[0]}-from-{a[1]}-by-{a[2]}" for a in ALLOWED],
)
def test_it_performs_each_transition_for_the_right_actor(api, personas, name, state, who, body, expected):
    case = paris_case(personas, state)
    events_before = case.events.count()
    response = api(who).transition(case.reference, name, body)
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["state"] == expected and result["transition"] == name
    case.refresh_from_db()
    assert case.state == expected
    assert case.events.count() == events_before + 1
    assert case.events.order_by("-sequence").first().kind == name
    assert result["event_sequence"] == events_before + 1


def test_a_reroute_moves_the_case_out_of_the_old_consulates_view(api, personas):
    case = paris_case(personas, S.ROUTED)
    result = (
        api("cg_paris_supervisor")
        .transition(case.reference, "reroute", {"consulate": "CG-LYON", "reason": "Personne née à Fès"})
        .json()
    )
    assert result["case"] is None
    assert Case.objects.get(pk=case.pk).consulate.code == "CG-LYON"
    assert api("cg_paris_agent").get(case.reference).status_code == 404
    assert api("cg_lyon_agent").get(case.reference).json()["consulate"]["code"] == "CG-LYON"


def test_a_decision_records_the_established_identity(api, personas):
    case = paris_case(personas, S.ROUTED)
    result = api("cg_paris_agent").transition(case.reference, "decide", DECIDE_IDENTIFIED).json()
    established = result["case"]["established"]
    assert established["first_names"] == "Mohammed" and established["birth_date"] == "1994-05-12"
    assert established["last_name"] == "EL IDRISSI" and established["birth_place"] == "Casablanca"
    assert established["register_national_id"] == "1234567890"


def test_the_route_transition_sends_a_waiting_request_to_a_consulate(api, submitted_case):
    response = api("dmsf_central").transition(submitted_case.reference, "route", {"consulate": "CG-ORLY"})
    assert response.status_code == 200, response.content
    assert response.json()["case"]["consulate"]["code"] == "CG-ORLY"
    assert response.json()["case"]["deadlines"]["reply_due"] == "2026-12-15"


def test_a_whole_case_walks_from_filing_to_readmission_through_the_api(api, personas):
    prefecture, consulate, border = api("pref75_agent"), api("cg_paris_agent"), api("border_casa")
    from tests.api.test_create import request_body

    reference = prefecture.post("", request_body(submit=True)).json()["reference"]
    # Placed on 10/11: the judge extended the detention to 30 days on the 13th.
    extension = {
        "kind": "extension_granted",
        "on": "2026-11-13",
        "reference": "JLD-1",
        "extended_to": "2026-12-10",
    }
    assert prefecture.transition(reference, "record_legal_event", extension).status_code == 200
    assert (
        consulate.transition(
            reference, "schedule_interview", {"at": "2026-11-24T14:00:00+01:00", "mode": "cra"}
        ).status_code
        == 200
    )
    # The CNIE checked against the register is in the file (proof of nationality): without it, a
    # register proposal that is not strong would need an interview or a second officer first.
    from tests.api.test_evidence import pdf_file

    cnie = consulate.upload(reference, pdf_file("cnie.pdf"), category="proof", kind="cnie")
    assert cnie.status_code == 201, cnie.content
    assert consulate.transition(reference, "decide", DECIDE_IDENTIFIED).status_code == 200
    # The laissez-passer is a document: the case API points to the documents API, which issues it.
    pointed = consulate.transition(reference, "issue_laissez_passer")
    assert pointed.status_code == 409 and pointed.json()["code"] == "use_lpc_endpoint"
    assert Case.objects.get(reference=reference).state == S.IDENTIFIED
    where = pointed.json()["details"]
    photo = base64.b64encode(sample_photo()).decode()
    issued = consulate.post(where["url"], {**where["body"], "photo_base64": photo})
    assert issued.status_code == 201, issued.content
    assert Case.objects.get(reference=reference).state == S.LPC_ISSUED
    assert prefecture.transition(reference, "schedule_departure", DEPARTURE).status_code == 200
    assert (
        prefecture.transition(
            reference, "record_departure", {"outcome": "departed", "departed_at": DEPARTED_AT}
        ).status_code
        == 200
    )
    assert border.transition(reference, "confirm_readmission").status_code == 200
    assert prefecture.transition(reference, "close").json()["state"] == S.CLOSED
    kinds = [e["kind"] for e in prefecture.get(f"{reference}/events").json()]
    assert kinds == [
        "created",
        "submit",
        "record_legal_event",
        "schedule_interview",
        "evidence_added",
        "decide",
        "issue_laissez_passer",
        "schedule_departure",
        "record_departure",
        "confirm_readmission",
        "close",
    ]


# (transition, a state it does not leave from, the persona who would otherwise act, a valid body)
WRONG_STATE = [
    ("submit", S.ROUTED, "pref75_agent", None),
    ("reroute", S.IDENTIFIED, "cg_paris_supervisor", {"consulate": "CG-LYON", "reason": "Compétence"}),
    (
        "schedule_interview",
        S.IDENTIFIED,
        "cg_paris_agent",
        {"at": "2026-11-27T10:00:00+01:00", "mode": "cra"},
    ),
    ("request_information", S.INFORMATION_REQUESTED, "cg_paris_agent", {"question": "Encore ?"}),
    ("answer_information", S.ROUTED, "pref75_agent", {"answer": "Voici"}),
    ("decide", S.IDENTIFIED, "cg_paris_agent", {"decision": "not_national"}),
    ("issue_laissez_passer", S.ROUTED, "cg_paris_agent", None),
    ("schedule_departure", S.ROUTED, "pref75_agent", DEPARTURE),
    ("record_departure", S.LPC_ISSUED, "pref75_agent", {"outcome": "departed", "departed_at": DEPARTED_AT}),
    ("confirm_readmission", S.DEPARTURE_SCHEDULED, "border_casa", None),
    ("withdraw", S.DEPARTED, "pref75_agent", {"reason": "released"}),
    ("close", S.ROUTED, "pref75_agent", None),
]


@pytest.mark.parametrize(
    ("name", "state", "who", "body"), WRONG_STATE, ids=[f"{a[0]}-in-{a[1]}" for a in WRONG_STATE]
)
def test_it_refuses_a_transition_the_state_does_not_allow(api, personas, name, state, who, body):
    case = paris_case(personas, state)
    events_before = case.events.count()
    response = api(who).transition(case.reference, name, body)
    assert response.status_code == 409, response.content
    error = response.json()
    assert error["code"] == "invalid_state"
    assert "n'est pas possible" in error["message"]
    case.refresh_from_db()
    assert case.state == state and case.events.count() == events_before


def test_it_refuses_routing_a_request_that_is_already_routed(api, personas):
    case = paris_case(personas, S.ROUTED)
    response = api("dmsf_central").transition(case.reference, "route", {"consulate": "CG-LYON"})
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"


# (transition, state, a persona who sees the case but may not act, body)
WRONG_ACTOR = [
    ("submit", S.DRAFT, "dgef_central", None),
    ("submit", S.DRAFT, "pref75_supervisor", None),  # same préfecture: allowed, see below
    ("reroute", S.ROUTED, "cg_paris_agent", {"consulate": "CG-LYON", "reason": "Compétence"}),
    ("schedule_interview", S.ROUTED, "pref75_agent", {"at": "2026-11-27T10:00:00+01:00", "mode": "cra"}),
    ("request_information", S.ROUTED, "dgef_central", {"question": "Copie ?"}),
    ("answer_information", S.INFORMATION_REQUESTED, "cg_paris_agent", {"answer": "Voici"}),
    ("decide", S.ROUTED, "pref75_agent", {"decision": "not_national"}),
    ("decide", S.ROUTED, "dmsf_central", {"decision": "not_national"}),
    ("issue_laissez_passer", S.IDENTIFIED, "pref75_agent", None),
    ("schedule_departure", S.LPC_ISSUED, "cg_paris_agent", DEPARTURE),
    (
        "record_departure",
        S.DEPARTURE_SCHEDULED,
        "border_casa",
        {"outcome": "departed", "departed_at": DEPARTED_AT},
    ),
    ("confirm_readmission", S.DEPARTED, "pref75_agent", None),
    ("withdraw", S.ROUTED, "cg_paris_agent", {"reason": "released"}),
    ("close", S.WITHDRAWN, "dgef_central", None),
]


@pytest.mark.parametrize(
    ("name", "state", "who", "body"),
    [w for w in WRONG_ACTOR if w[2] != "pref75_supervisor"],
    ids=[f"{a[0]}-by-{a[2]}" for a in WRONG_ACTOR if a[2] != "pref75_supervisor"],
)
def test_it_refuses_a_transition_to_the_wrong_actor(api, personas, name, state, who, body):
    case = paris_case(personas, state)
    events_before = case.events.count()
    response = api(who).transition(case.reference, name, body)
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "forbidden" and response.json()["message"]
    case.refresh_from_db()
    assert case.state == state and case.events.count() == events_before


def test_it_refuses_routing_by_a_french_authority(api, submitted_case):
    response = api("dgef_central").transition(submitted_case.reference, "route", {"consulate": "CG-ORLY"})
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["pref92_agent", "cg_lyon_agent", "gmmp_secretariat"])
@pytest.mark.parametrize("name", ["decide", "withdraw", "issue_laissez_passer", "no_such_transition"])
def test_a_case_that_is_not_yours_answers_like_a_missing_one(api, personas, who, name):
    case = paris_case(personas, S.ROUTED)
    caller = api(who)
    body = (
        {"decision": "not_national"}
        if name == "decide"
        else ({"reason": "released"} if name == "withdraw" else None)
    )
    theirs = caller.transition(case.reference, name, body)
    missing = caller.transition("DI-2026-999999", name, body)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    case.refresh_from_db()
    assert case.state == S.ROUTED


def test_it_names_the_known_transitions_for_an_unknown_one(api, personas):
    case = paris_case(personas, S.ROUTED)
    response = api("pref75_agent").transition(case.reference, "teleport")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_transition"
    assert "decide" in response.json()["details"]["transitions"]


# (transition, state, persona, bad body, field, error type)
BAD_INPUT = [
    ("decide", S.ROUTED, "cg_paris_agent", {"decision": "maybe"}, "decision", "enum"),
    ("decide", S.ROUTED, "cg_paris_agent", {}, "decision", "missing"),
    (
        "decide",
        S.ROUTED,
        "cg_paris_agent",
        {"decision": "not_national", "register_national_id": "1234567890"},
        "register_national_id",
        "identified_only",
    ),
    (
        "decide",
        S.ROUTED,
        "cg_paris_agent",
        {"decision": "identified", "established": {"birth_date": "1990-02-30"}},
        "birth_date",
        "partial_date",
    ),
    (
        "decide",
        S.ROUTED,
        "cg_paris_agent",
        {"decision": "identified", "register_national_id": "12 34; DROP"},
        "register_national_id",
        "string_pattern_mismatch",
    ),
    (
        "reroute",
        S.ROUTED,
        "cg_paris_supervisor",
        {"consulate": "CG-NOWHERE", "reason": "x"},
        "consulate",
        "unknown_organisation",
    ),
    (
        "reroute",
        S.ROUTED,
        "cg_paris_supervisor",
        {"consulate": "PREF-75", "reason": "x"},
        "consulate",
        "unknown_organisation",
    ),
    (
        "reroute",
        S.ROUTED,
        "cg_paris_supervisor",
        {"consulate": "CG-LYON", "reason": "  "},
        "reason",
        "string_too_short",
    ),
    (
        "schedule_interview",
        S.ROUTED,
        "cg_paris_agent",
        {"at": "2026-11-27T10:00:00", "mode": "cra"},
        "at",
        "timezone_aware",
    ),
    (
        "schedule_interview",
        S.ROUTED,
        "cg_paris_agent",
        {"at": "2026-11-01T10:00:00+01:00", "mode": "cra"},
        "at",
        "date_in_past",
    ),
    (
        "schedule_interview",
        S.ROUTED,
        "cg_paris_agent",
        {"at": "2026-11-27T10:00:00+01:00", "mode": "phone"},
        "mode",
        "enum",
    ),
    ("request_information", S.ROUTED, "cg_paris_agent", {"question": ""}, "question", "string_too_short"),
    (
        "answer_information",
        S.INFORMATION_REQUESTED,
        "pref75_agent",
        {"answer": " "},
        "answer",
        "string_too_short",
    ),
    (
        "schedule_departure",
        S.LPC_ISSUED,
        "pref75_agent",
        {**DEPARTURE, "departure_date": "2026-11-19"},
        "departure_date",
        "date_in_past",
    ),
    (
        "schedule_departure",
        S.LPC_ISSUED,
        "pref75_agent",
        {**DEPARTURE, "carrier": ""},
        "carrier",
        "string_too_short",
    ),
    (
        "schedule_departure",
        S.LPC_ISSUED,
        "pref75_agent",
        {**DEPARTURE, "escort": "perhaps"},
        "escort",
        "bool_parsing",
    ),
    (
        "record_departure",
        S.DEPARTURE_SCHEDULED,
        "pref75_agent",
        {"outcome": "failed", "departed_at": DEPARTED_AT},
        "failure_reason",
        "reason_required",
    ),
    (
        "record_departure",
        S.DEPARTURE_SCHEDULED,
        "pref75_agent",
        {"outcome": "departed", "failure_reason": "medical", "departed_at": DEPARTED_AT},
        "failure_reason",
        "failed_only",
    ),
    (
        "record_departure",
        S.DEPARTURE_SCHEDULED,
        "pref75_agent",
        {"outcome": "failed", "failure_reason": "bored", "departed_at": DEPARTED_AT},
        "failure_reason",
        "enum",
    ),
    ("withdraw", S.ROUTED, "pref75_agent", {"reason": "bored"}, "reason", "enum"),
    ("withdraw", S.ROUTED, "pref75_agent", {"reason": "other"}, "comment", "comment_required"),
    ("close", S.WITHDRAWN, "pref75_agent", {"comment": "ok", "force": True}, "force", "extra_forbidden"),
    ("confirm_readmission", S.DEPARTED, "border_casa", {"comment": ["a"]}, "comment", "string_type"),
    ("submit", S.DRAFT, "pref75_agent", {"consulate": "CG-LYON"}, "consulate", "extra_forbidden"),
]


@pytest.mark.parametrize(
    ("name", "state", "who", "body", "field", "error_type"),
    BAD_INPUT,
    ids=[f"{a[0]}-{a[4]}-{a[5]}" for a in BAD_INPUT],
)
def test_it_refuses_bad_transition_input_and_changes_nothing(
    api, personas, name, state, who, body, field, error_type
):
    case = paris_case(personas, state)
    events_before = case.events.count()
    response = api(who).transition(case.reference, name, body)
    assert response.status_code == 422, response.content
    details = response.json()["details"]
    located = [d for d in details if d["loc"][-1] == field]
    assert located and located[0]["type"] == error_type, details
    case.refresh_from_db()
    assert case.state == state and case.events.count() == events_before


def test_it_refuses_the_route_transition_to_an_unknown_consulate(api, submitted_case):
    response = api("dmsf_central").transition(submitted_case.reference, "route", {"consulate": "CG-ATLANTIS"})
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", "payload", "consulate"]


def test_it_refuses_a_reroute_to_the_same_consulate_with_a_reason(api, personas):
    case = paris_case(personas, S.ROUTED)
    response = api("cg_paris_supervisor").transition(
        case.reference, "reroute", {"consulate": "CG-PARIS", "reason": "Erreur"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "same_consulate"


def test_it_refuses_a_departure_the_laissez_passer_does_not_cover(api, personas):
    case = paris_case(personas, S.LPC_ISSUED)
    response = api("pref75_agent").transition(
        case.reference, "schedule_departure", {**DEPARTURE, "departure_date": "2027-06-01"}
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "lpc_does_not_cover_date"
