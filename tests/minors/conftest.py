import datetime as dt

import pytest

from gmmp.core import clock
from gmmp.minors import actions
from gmmp.minors.enums import MinorState as S

PDF = b"%PDF-1.4\n% decision du juge des enfants (fictive)\n%%EOF\n"
CHILD = {
    "last_name": "Demo-Amrani",
    "first_names": "Ilyas",
    "sex": "M",
    "birth_date": "2010",
    "birth_place": "Tanger",
    "father_first_name": "Mustapha",
    "mother_first_name": "Naima",
    "mother_last_name": "Demo-Tahiri",
    "languages": "arabe dialectal, français",
    "placement": "Foyer départemental (fictif)",
    "circumstances": "Repéré seul gare du Nord",
}


def step_kwargs(name: str) -> dict:
    """Valid input for each step (the happy path of a return)."""
    today = clock.today()
    return {
        "identify": {"identified": True, "register_national_id": "1234567890", "note": ""},
        "trace_family": {
            "outcome": "found",
            "contacts": "Appel à la mère, visite des services locaux",
            "father_register_id": "1234567891",
            "mother_register_id": "",
        },
        "assess_age": {
            "basis": "consular",
            "conclusion": "minor",
            "assessment": "Âge confirmé par l'acte de naissance au registre",
            "age_declared": 15,
            "documents": "Copie d'acte de naissance",
        },
        "screen": {"result": "negative", "vulnerabilities": ["street"], "trafficking_indicators": []},
        "assess_best_interests": {
            "child_view": "بغيت نرجع عند مي",
            "child_view_language": "arabe dialectal",
            "recommendation": "return",
            "reasons": "Famille retrouvée et prête à l'accueillir",
        },
        "decide": {
            "outcome": "return",
            "decision_date": today,
            "decision_reference": "JE-75-2026-0042",
            "document_name": "decision.pdf",
            "document_data": PDF,
            "document_content_type": "application/pdf",
        },
        "confirm_reception": {
            "receiving_kind": "family",
            "receiving_name": "Famille Demo-Amrani",
            "receiving_person": "Naima Demo-Tahiri",
            "receiving_relation": "mère",
        },
        "issue_travel_document": {
            "number": "MNA-LPC-0001",
            "travel_date": today + dt.timedelta(days=7),
            "escort": "Éducatrice ASE (fictive)",
        },
        "confirm_handover": {
            "handover_date": today,
            "place": "Aéroport de Tanger",
            "person": "Naima Demo-Tahiri",
        },
        "record_followup_3m": {"received_on": today, "content": "Scolarisé, vit avec sa mère"},
        "record_followup_12m": {"received_on": today, "content": "Poursuit sa scolarité"},
        "close": {"reason": "majority"},
    }[name]


ACTOR_OF = {
    "identify": "cg_paris_cp",
    "trace_family": "cg_paris_cp",
    "assess_age": "ase75_officer",
    "screen": "ase75_officer",
    "assess_best_interests": "ase75_officer",
    "decide": "judge_paris",
    "confirm_reception": "ma_enfance_officer",
    "issue_travel_document": "cg_paris_cp",
    "confirm_handover": "ma_enfance_officer",
    "record_followup_3m": "ma_enfance_officer",
    "record_followup_12m": "ma_enfance_officer",
    "close": "ase75_officer",
}
PATH = [
    ("identify", S.IDENTIFIED),
    ("trace_family", S.FAMILY_TRACED),
    ("assess_age", S.AGE_ASSESSED),
    ("screen", S.SCREENED),
    ("assess_best_interests", S.ASSESSED),
    ("decide", S.RETURN_ORDERED),
    ("confirm_reception", S.RECEPTION_CONFIRMED),
    ("issue_travel_document", S.TRAVEL_READY),
    ("confirm_handover", S.HANDED_OVER),
    ("record_followup_3m", S.FOLLOWED_3M),
    ("record_followup_12m", S.FOLLOWED_12M),
]


def take(case, name, users, **overrides):
    return actions.STEP_ACTIONS[name](
        case=case, user=users[ACTOR_OF[name]], **{**step_kwargs(name), **overrides}
    )


def walk(users, to_state=S.REFERRED, **child):
    """A child referred by the Paris ASE, then taken through the real steps up to `to_state`."""
    case = actions.minor_refer(user=users["ase75_officer"], data={**CHILD, **child})
    for name, state in PATH:
        if case.state == to_state:
            break
        case = take(case, name, users)
        assert case.state == state
    assert case.state == to_state
    return case


@pytest.fixture
def walk_to(minor_personas):
    return lambda to_state=S.REFERRED, **child: walk(minor_personas, to_state, **child)
