"""Factories: cases are built by walking the real actions, so that every case has a consistent ledger."""

import datetime as dt

import factory

from gmmp.cases import actions
from gmmp.cases.enums import CaseState, Decision, DepartureOutcome, WithdrawalReason
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


def case_data(**overrides) -> dict:
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
        "removal_order_reference": "OQTF-75-2026-0001",
        "removal_order_date": dt.date(2026, 10, 1),
        "detention_start": dt.date(2026, 11, 1),
    }
    data.update(overrides)
    return data


# The path a case takes to reach each state, as (action, actor key, kwargs)
def _steps(state: str) -> list:
    decide = ("decide", "consulate", {"decision": Decision.IDENTIFIED, "comment": "CNIE vérifiée"})
    lpc = ("issue_laissez_passer", "consulate", {})
    schedule = (
        "schedule_departure",
        "prefecture",
        {
            "departure_date": dt.date(2026, 11, 25),
            "carrier": "Royal Air Maroc",
            "transport_number": "AT701",
            "departure_port": "Paris-Orly",
            "arrival_port": "Casablanca Mohammed V",
            "escort": True,
        },
    )
    departed = ("record_departure", "prefecture", {"outcome": DepartureOutcome.DEPARTED})
    paths = {
        CaseState.DRAFT: [],
        CaseState.ROUTED: [("submit", "prefecture", {})],
        CaseState.INTERVIEW_SCHEDULED: [
            ("submit", "prefecture", {}),
            (
                "schedule_interview",
                "consulate",
                {"at": dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), "mode": "video"},
            ),
        ],
        CaseState.INFORMATION_REQUESTED: [
            ("submit", "prefecture", {}),
            ("request_information", "consulate", {"question": "Copie du passeport ?"}),
        ],
        CaseState.IDENTIFIED: [("submit", "prefecture", {}), decide],
        CaseState.NOT_NATIONAL: [
            ("submit", "prefecture", {}),
            ("decide", "consulate", {"decision": Decision.NOT_NATIONAL}),
        ],
        CaseState.NOT_ESTABLISHED: [
            ("submit", "prefecture", {}),
            ("decide", "consulate", {"decision": Decision.NOT_ESTABLISHED}),
        ],
        CaseState.LPC_ISSUED: [("submit", "prefecture", {}), decide, lpc],
        CaseState.DEPARTURE_SCHEDULED: [("submit", "prefecture", {}), decide, lpc, schedule],
        CaseState.DEPARTED: [("submit", "prefecture", {}), decide, lpc, schedule, departed],
        CaseState.DEPARTURE_FAILED: [
            ("submit", "prefecture", {}),
            decide,
            lpc,
            schedule,
            (
                "record_departure",
                "prefecture",
                {"outcome": DepartureOutcome.FAILED, "failure_reason": "refused_to_board"},
            ),
        ],
        CaseState.READMITTED: [
            ("submit", "prefecture", {}),
            decide,
            lpc,
            schedule,
            departed,
            ("confirm_readmission", "border", {}),
        ],
        CaseState.WITHDRAWN: [
            ("submit", "prefecture", {}),
            ("withdraw", "prefecture", {"reason": WithdrawalReason.RELEASED}),
        ],
        CaseState.CLOSED: [
            ("submit", "prefecture", {}),
            ("withdraw", "prefecture", {"reason": WithdrawalReason.RELEASED}),
            ("close", "prefecture", {}),
        ],
    }
    return paths[state]


def make_case(
    state: str = CaseState.DRAFT, *, prefecture_user, consulate_user=None, border_user=None, **data
):
    """A case of `prefecture_user`'s préfecture brought to `state` through the real actions."""
    case = actions.case_create(user=prefecture_user, data=case_data(**data))
    actors = {"prefecture": prefecture_user, "consulate": consulate_user, "border": border_user}
    for name, who, kwargs in _steps(state):
        actions.ACTIONS[name](case=case, user=actors[who], **kwargs)
    case.refresh_from_db()
    assert case.state == state, (case.state, state)
    return case
