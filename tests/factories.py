"""Factories: cases are built by walking the real actions, so that every case has a consistent ledger."""

import datetime as dt
import functools
import io
import itertools

import factory

from gmmp.cases import actions
from gmmp.cases.enums import CaseState, Decision, DepartureOutcome, EventKind, WithdrawalReason
from gmmp.core import clock
from gmmp.organisations.models import Organisation, User

from .personas import PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = "agent"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.lazy_attribute
    def organisation(self):
        return Organisation.objects.get(code="PREF-75")


_orders = itertools.count(1)


@functools.cache
def sample_photo() -> bytes:
    """A small synthetic portrait (JPEG): a laissez-passer is issued with the holder's photo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 150), (220, 220, 215))
    ImageDraw.Draw(image).ellipse((34, 22, 86, 90), fill=(150, 120, 100))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


def case_data(**overrides) -> dict:
    """A complete, valid request, dated relative to the platform clock (pinned in tests).

    Each request is under its own removal order: the same order twice is a duplicate (cases.legal)."""
    today = clock.today()
    data = {
        "last_name": "EL IDRISSI",
        "first_names": "Mohamed",
        "aliases": ["Mohammed Drissi"],
        "sex": "M",
        "birth_date": "1994",
        "birth_place": "Casablanca",
        "father_first_name": "Abdelkader",
        "mother_first_name": "Fatima",
        "mother_last_name": "Bennani",
        "nationality_claimed": "marocaine",
        "languages": "arabe, français",
        "removal_order_reference": f"OQTF-75-2026-{next(_orders):04d}",
        "removal_order_date": today - dt.timedelta(days=50),
        # Placed two days ago: inside the first stage (4 days), so a departure today is authorised without
        # any judge's decision (only what a judge authorised counts; see extension_kwargs for more).
        "detention_start": today - dt.timedelta(days=2),
    }
    data.update(overrides)
    return data


# The one table of valid arguments per transition for the whole suite (factories, workflow tests,
# hand-built ledgers). Dates are relative to the platform clock at the moment of the call, so a walk
# replayed under `clock.frozen(...)` stays consistent (an LPC issued today covers a departure in 2 days).
DEPARTURE_PLAN = {
    "carrier": "Royal Air Maroc",
    "transport_number": "AT701",
    "departure_port": "Paris-Orly",
    "arrival_port": "Casablanca Mohammed V",
}


def valid_kwargs(name: str) -> dict:
    """Arguments that make transition `name` succeed when the state and the actor allow it."""
    if name == "route":
        return {"consulate": Organisation.objects.get(code="CG-PARIS")}
    if name == "reroute":
        return {
            "consulate": Organisation.objects.get(code="CG-LYON"),
            "reason": "Personne détenue près de Lyon",
        }
    table = {
        "submit": {},
        "schedule_interview": {"at": clock.now() + dt.timedelta(days=2), "mode": "video"},
        "request_information": {"question": "Copie du passeport ?"},
        "answer_information": {"answer": "Copie jointe."},
        "decide": {"decision": Decision.IDENTIFIED, "comment": "CNIE vérifiée"},
        "issue_laissez_passer": {"photo": sample_photo()},
        "schedule_departure": {
            # Today: recording the outcome right after (at clock.now()) is then not "before the date".
            "departure_date": clock.today(),
            **DEPARTURE_PLAN,
            "escort": True,
        },
        "record_departure": {"outcome": DepartureOutcome.DEPARTED, "departed_at": clock.now()},
        "confirm_readmission": {},
        "withdraw": {"reason": WithdrawalReason.RELEASED},
        "close": {},
        "assess_age": {"finding": "adult", "basis": "judge", "reference": "TJ Paris 26/1"},
        "record_legal_event": {
            "kind": "appeal_lodged",
            "on": clock.today(),
            "reference": "TA Paris 2600123",
            "suspensive": False,
        },
        "release": {"kind": "released", "on": clock.today(), "reference": "JLD 26/4", "cause": "judge"},
        "resume": {},
        "extend_reply_deadline": {"reason": "Vérification auprès de l'état civil de Casablanca"},
        "correct_identity": {"changes": {"birth_place": "Rabat"}, "reason": "Faute de frappe"},
        "identification_reversed": {"reason": "other_identity"},
    }
    return table[name]


def extension_kwargs(case, days: int = 30) -> dict:
    """A judge's extension of the detention to `days` days, decided on day 3 (before the first stage ends)."""
    start = case.detention_start
    return {
        "kind": "extension_granted",
        "on": min(start + dt.timedelta(days=3), clock.today()),
        "reference": f"JLD-{case.pk}-{days}",
        "extended_to": start + dt.timedelta(days=days),
    }


# Who performs each step of a walk (the factory's actors), and the path to each state: (transition,
# actor key, arguments that differ from valid_kwargs).
STEP_ACTOR = {
    "submit": "prefecture",
    "schedule_interview": "consulate",
    "request_information": "consulate",
    "decide": "consulate",
    "issue_laissez_passer": "consulate",
    "schedule_departure": "prefecture",
    "record_departure": "prefecture",
    "confirm_readmission": "border",
    "withdraw": "prefecture",
    "close": "prefecture",
    "record_legal_event": "prefecture",
    "release": "prefecture",
}
_TO_LPC = ["submit", "decide", "issue_laissez_passer"]
_TO_DEPARTURE = [*_TO_LPC, "schedule_departure"]
PATHS: dict[str, list] = {
    CaseState.DRAFT: [],
    CaseState.ROUTED: ["submit"],
    CaseState.INTERVIEW_SCHEDULED: ["submit", "schedule_interview"],
    CaseState.INFORMATION_REQUESTED: ["submit", "request_information"],
    CaseState.IDENTIFIED: ["submit", "decide"],
    CaseState.NOT_NATIONAL: ["submit", ("decide", {"decision": Decision.NOT_NATIONAL, "comment": ""})],
    CaseState.NOT_ESTABLISHED: ["submit", ("decide", {"decision": Decision.NOT_ESTABLISHED, "comment": ""})],
    CaseState.LPC_ISSUED: _TO_LPC,
    CaseState.DEPARTURE_SCHEDULED: _TO_DEPARTURE,
    CaseState.DEPARTED: [*_TO_DEPARTURE, "record_departure"],
    CaseState.DEPARTURE_FAILED: [
        *_TO_DEPARTURE,
        ("record_departure", {"outcome": DepartureOutcome.FAILED, "failure_reason": "refused_to_board"}),
    ],
    CaseState.READMITTED: [*_TO_DEPARTURE, "record_departure", "confirm_readmission"],
    CaseState.WITHDRAWN: ["submit", "withdraw"],
    CaseState.CLOSED: ["submit", "withdraw", "close"],
    CaseState.RELEASED: ["submit", "release"],
}


def _steps(state: str) -> list[tuple[str, str, dict]]:
    steps = []
    for step in PATHS[state]:
        name, override = (step, {}) if isinstance(step, str) else step
        steps.append((name, STEP_ACTOR[name], override))
    return steps


def make_case(
    state: str = CaseState.DRAFT, *, prefecture_user, consulate_user=None, border_user=None, **data
):
    """A case of `prefecture_user`'s préfecture brought to `state` through the real actions."""
    case = actions.case_create(user=prefecture_user, data=case_data(**data))
    actors = {"prefecture": prefecture_user, "consulate": consulate_user, "border": border_user}
    for name, who, override in _steps(state):
        actions.ACTIONS[name](case=case, user=actors[who], **{**valid_kwargs(name), **override})
    case.refresh_from_db()
    assert case.state == state, (case.state, state)
    return case


def filing_form(**overrides) -> dict:
    """The new-request page's form (`/cases/new/`), filled in and submitted; dates relative to the clock."""
    today = clock.today()
    data = {
        "last_name": "EL AMRANI",
        "first_names": "Hamza",
        "sex": "M",
        "birth_date": "1995",
        "birth_place": "Oujda",
        "removal_order_reference": "OQTF-1",
        "removal_order_date": str(today - dt.timedelta(days=5)),
        "detention_start": str(today - dt.timedelta(days=2)),
        "evidence-category": "proof",
        "evidence-kind": "passport",
        "submit": "1",
    }
    data.update(overrides)
    return data


def record_reversal_leaving_the_document(case, user):
    """An identification reversal as recorded before reversals were a transition that revokes the
    document (the state and the laissez-passer left as they were)."""
    actions.event_note(
        case=case,
        user=user,
        kind=EventKind.IDENTIFICATION_REVERSED,
        reason="other_identity",
        details={"reason": "other_identity"},
    )
