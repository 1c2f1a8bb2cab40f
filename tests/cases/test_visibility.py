"""Who sees which case: denied by default; a case that is not yours answers like one that does not exist."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.cases.perms import user_sees_personal_data
from gmmp.cases.selectors import arrivals_for_user, case_get_for_user, case_list_for_user
from gmmp.organisations.models import Organisation
from tests.factories import UserFactory, make_case
from tests.personas import PERSONAS


@pytest.fixture
def cases(personas):
    """A small world: Paris cases (CG-PARIS, held at Vincennes) and Hauts-de-Seine cases (CG-COLOMBES,
    held at Le Mesnil-Amelot), in the states that matter for visibility."""
    vincennes = Organisation.objects.get(code="CRA-VINCENNES")
    mesnil = Organisation.objects.get(code="CRA-MESNIL")
    paris = {
        "prefecture_user": personas["pref75_agent"],
        "consulate_user": personas["cg_paris_agent"],
        "border_user": personas["border_casa"],
        "detention_place": vincennes,
    }
    hds = {
        "prefecture_user": personas["pref92_agent"],
        "consulate_user": personas["cg_colombes_agent"],
        "border_user": personas["border_casa"],
        "detention_place": mesnil,
    }
    return {
        "p_draft": make_case(CaseState.DRAFT, **paris),
        "p_routed": make_case(CaseState.ROUTED, **paris),
        "p_identified": make_case(CaseState.IDENTIFIED, **paris),
        "p_lpc": make_case(CaseState.LPC_ISSUED, **paris),
        "p_readmitted": make_case(CaseState.READMITTED, **paris),
        "h_draft": make_case(CaseState.DRAFT, **hds),
        "h_routed": make_case(CaseState.ROUTED, **hds),
        "h_departed": make_case(CaseState.DEPARTED, **hds),
        "h_withdrawn": make_case(CaseState.WITHDRAWN, **hds),
    }


ALL = {
    "p_draft",
    "p_routed",
    "p_identified",
    "p_lpc",
    "p_readmitted",
    "h_draft",
    "h_routed",
    "h_departed",
    "h_withdrawn",
}
DRAFTS = {"p_draft", "h_draft"}
PARIS = {k for k in ALL if k.startswith("p_")}
HDS = ALL - PARIS
EXPECTED = {
    "pref75_agent": PARIS,
    "pref75_supervisor": PARIS,
    "pref92_agent": HDS,
    "pref78_agent": set(),
    "cra_vincennes": PARIS - DRAFTS,
    "dgef_central": ALL,
    "cg_paris_agent": PARIS - DRAFTS,
    "cg_paris_supervisor": PARIS - DRAFTS,
    "cg_lyon_agent": set(),
    "cg_colombes_agent": HDS - DRAFTS,
    "dmsf_central": ALL - DRAFTS,
    "maece_central": ALL - DRAFTS,
    # Border police: journeys still to come, never a finished case (and no case file, below).
    "border_casa": {"p_lpc", "h_departed"},
    "gmmp_secretariat": set(),
    "ofii_officer": set(),  # the seasonal programme's officers see workers, never a readmission case
    "anapec_officer": set(),
}
# Whole case files (identity, evidence, timeline): everyone who sees a case, except border police,
# who get the expected arrivals instead.
FILES = {**EXPECTED, "border_casa": set()}


def test_every_persona_has_an_expectation():
    assert set(EXPECTED) == set(PERSONAS)


def test_each_persona_sees_exactly_its_cases(personas, cases):
    seen, listed, opened = {}, {}, {}
    for persona, user in personas.items():
        visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        seen[persona] = {name for name, case in cases.items() if case.pk in visible}
        listed[persona] = {
            name for name, case in cases.items() if case_list_for_user(user=user).filter(pk=case.pk).exists()
        }
        opened[persona] = set()
        for name, case in cases.items():
            try:
                case_get_for_user(user=user, reference=case.reference)
            except Http404:
                continue
            opened[persona].add(name)
    assert seen == EXPECTED
    assert listed == FILES
    assert opened == FILES
    arrivals = {
        name
        for name, case in cases.items()
        if arrivals_for_user(user=personas["border_casa"]).filter(pk=case.pk).exists()
    }
    assert arrivals == EXPECTED["border_casa"]


def test_a_case_that_is_not_yours_answers_exactly_like_one_that_does_not_exist(personas, cases):
    user = personas["pref92_agent"]
    with pytest.raises(Http404) as not_mine:
        case_get_for_user(user=user, reference=cases["p_routed"].reference)
    with pytest.raises(Http404) as missing:
        case_get_for_user(user=user, reference="DI-1999-999999")
    assert (type(not_mine.value), not_mine.value.args) == (type(missing.value), missing.value.args)
    assert cases["p_routed"].reference not in str(not_mine.value)


def test_a_consulate_stops_seeing_a_case_rerouted_away(personas, cases):
    from gmmp.cases import actions

    case = cases["p_routed"]
    actions.case_reroute(
        case=case,
        user=personas["dmsf_central"],
        consulate=Organisation.objects.get(code="CG-LYON"),
        reason="Compétence",
    )
    with pytest.raises(Http404):
        case_get_for_user(user=personas["cg_paris_agent"], reference=case.reference)
    assert case_get_for_user(user=personas["cg_lyon_agent"], reference=case.reference).pk == case.pk


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: AnonymousUser(),
        lambda: UserFactory(organisation=None, role=""),
        lambda: UserFactory(
            organisation=Organisation.objects.get(code="DGEF"), role="central", is_active=False
        ),
        lambda: UserFactory(organisation=Organisation.objects.get(code="GMMP-SEC"), role="admin"),
    ],
    ids=["anonymous", "no-organisation", "inactive-dgef", "secretariat-admin"],
)
def test_it_shows_nothing_to_anyone_not_listed(cases, make_user):
    user = make_user()
    assert not Case.objects.visible_to(user).exists()
    assert not user_sees_personal_data(user)
    with pytest.raises(Http404):
        case_get_for_user(user=user, reference=cases["p_routed"].reference)


def test_only_the_secretariat_among_personas_sees_no_personal_data(personas):
    blind = {name for name, user in personas.items() if not user_sees_personal_data(user)}
    # OFII and ANAPEC officers see the seasonal programme's workers (gmmp.mobility), no case data.
    assert blind == {"gmmp_secretariat", "ofii_officer", "anapec_officer"}
