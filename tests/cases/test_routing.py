"""A request goes to the consulate competent for the filing préfecture's département on the filing date;
Moroccan central routes what the map does not cover; a supervisor or central re-routes, with a reason."""

import datetime as dt
import zoneinfo

import pytest

from gmmp.cases import actions
from gmmp.cases.comments import comments_open
from gmmp.cases.enums import CaseState
from gmmp.core import clock
from gmmp.organisations.models import Jurisdiction, Organisation
from gmmp.organisations.reference import jurisdictions_load
from tests.factories import UserFactory, make_case

from .walk import make_submitted_case, paris_case, snapshot

UTC = dt.UTC
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def org(code):
    return Organisation.objects.get(code=code)


def file_in_yvelines(personas, moment):
    with clock.frozen(moment):
        case = make_case(
            CaseState.DRAFT,
            prefecture_user=personas["pref78_agent"],
            removal_order_date=dt.date(2025, 5, 1),
            detention_start=dt.date(2025, 5, 2),
        )
        actions.case_submit(case=case, user=personas["pref78_agent"])
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(
    ("moment", "consulate"),
    [
        (dt.datetime(2024, 12, 1, 9, 0, tzinfo=UTC), "CG-PONTOISE"),
        (dt.datetime(2025, 5, 31, 12, 0, tzinfo=UTC), "CG-PONTOISE"),
        (dt.datetime(2025, 6, 1, 12, 0, tzinfo=UTC), "CG-MANTES"),
        (dt.datetime(2026, 1, 15, 9, 0, tzinfo=UTC), "CG-MANTES"),
        # The filing date is the date in France: 23:30 in Paris on 31 May is still May...
        (dt.datetime(2025, 5, 31, 23, 30, tzinfo=PARIS), "CG-PONTOISE"),
        # ...and 00:30 in Paris on 1 June (22:30 UTC on 31 May) is already June.
        (dt.datetime(2025, 5, 31, 22, 30, tzinfo=UTC), "CG-MANTES"),
    ],
)
def test_yvelines_requests_go_to_pontoise_before_june_2025_and_to_mantes_from_then(
    personas, moment, consulate
):
    case = file_in_yvelines(personas, moment)
    assert case.state == CaseState.ROUTED
    assert case.consulate.code == consulate
    assert case.routed_at == moment
    submit = case.events.get(kind="submit")
    assert submit.details == {"routing": "jurisdiction", "consulate": consulate}
    assert submit.consulate_id == case.consulate_id


def test_routing_sets_the_reply_deadline_from_the_filing_date(personas):
    case = file_in_yvelines(personas, dt.datetime(2025, 6, 10, 9, 0, tzinfo=UTC))
    assert case.reply_due == dt.date(2025, 6, 10) + dt.timedelta(days=25)


def test_it_keeps_a_request_submitted_when_no_jurisdiction_is_in_force_and_dmsf_routes_it(personas, tmp_path):
    # The map gives Hauts-de-Seine a consulate only from 2027: until then, nobody is competent.
    csv = tmp_path / "map.csv"
    csv.write_text(
        "departement,consulate,valid_from,valid_to,confirmed,source\n92,CG-COLOMBES,2027-01-01,,no,test\n"
    )
    jurisdictions_load(path=csv)
    case = make_case(CaseState.DRAFT, prefecture_user=personas["pref92_agent"])
    actions.case_submit(case=case, user=personas["pref92_agent"])
    case.refresh_from_db()
    assert (case.state, case.consulate, case.reply_due) == (CaseState.SUBMITTED, None, None)
    assert case.events.get(kind="submit").details == {"routing": "no_competent_consulate"}
    # The consulate cannot see it; DMSF can and routes it.
    assert not case.__class__.objects.visible_to(personas["cg_colombes_agent"]).filter(pk=case.pk).exists()
    with clock.frozen(dt.datetime(2026, 11, 2, 10, 0, tzinfo=UTC)):
        actions.case_route(
            case=case, user=personas["dmsf_central"], consulate=org("CG-COLOMBES"), comment="Au plus près"
        )
    case.refresh_from_db()
    assert (case.state, case.consulate.code) == (CaseState.ROUTED, "CG-COLOMBES")
    assert case.reply_due == dt.date(2026, 11, 2) + dt.timedelta(days=25)
    route = case.events.get(kind="route")
    assert (route.actor_id, route.actor_side, route.details["routing"]) == (
        personas["dmsf_central"].pk,
        "MA",
        "manual",
    )


def test_a_closed_consulate_is_not_competent(personas):
    paris = org("CG-PARIS")
    paris.is_active = False
    paris.save()
    case = make_case(CaseState.DRAFT, prefecture_user=personas["pref75_agent"])
    actions.case_submit(case=case, user=personas["pref75_agent"])
    assert case.state == CaseState.SUBMITTED


@pytest.mark.parametrize("code", ["PREF-75", "DMSF", "DGSN-CASA"])
def test_it_refuses_to_route_to_something_that_is_not_a_consulate(personas, code):
    case = make_submitted_case(personas)
    before = snapshot(case)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_route(case=case, user=personas["dmsf_central"], consulate=org(code))
    assert refused.value.code == "invalid_consulate"
    assert snapshot(case) == before


def test_it_refuses_to_route_to_a_closed_consulate(personas):
    case = make_submitted_case(personas)
    lyon = org("CG-LYON")
    lyon.is_active = False
    lyon.save()
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_route(case=case, user=personas["dmsf_central"], consulate=lyon)
    assert refused.value.code == "invalid_consulate"


# Re-routing


@pytest.mark.parametrize("persona", ["cg_paris_supervisor", "dmsf_central", "maece_central"])
@pytest.mark.parametrize(
    "state", [CaseState.ROUTED, CaseState.INTERVIEW_SCHEDULED, CaseState.INFORMATION_REQUESTED]
)
def test_a_consulate_supervisor_or_moroccan_central_reroutes_with_a_reason(personas, persona, state):
    with clock.frozen(dt.datetime(2026, 11, 2, 9, 0, tzinfo=UTC)):
        case = paris_case(state, personas)
    assert case.reply_due == dt.date(2026, 11, 27)
    later = dt.datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    with clock.frozen(later):
        actions.case_reroute(
            case=case,
            user=personas[persona],
            consulate=org("CG-LYON"),
            reason="La personne est retenue à Lyon",
        )
    case.refresh_from_db()
    assert case.state == CaseState.ROUTED
    assert case.consulate.code == "CG-LYON"
    # The new consulate's reply deadline runs from the re-routing day
    assert case.routed_at == later
    assert case.reply_due == dt.date(2026, 11, 20) + dt.timedelta(days=25)
    assert (case.interview_at, case.interview_mode) == (None, "")
    [event] = comments_open(case.events.filter(kind="reroute"))
    assert (event.from_state, event.to_state) == (state, CaseState.ROUTED)
    assert event.comment_text == "La personne est retenue à Lyon"
    assert event.details == {"from_consulate": "CG-PARIS", "consulate": "CG-LYON"}
    assert event.consulate.code == "CG-LYON"
    assert event.actor_side == "MA"
    # The first consulate no longer sees it; the new one does
    Case = case.__class__
    assert not Case.objects.visible_to(personas["cg_paris_agent"]).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(personas["cg_lyon_agent"]).filter(pk=case.pk).exists()


@pytest.mark.parametrize(
    "persona",
    [
        "cg_paris_agent",
        "pref75_agent",
        "pref75_supervisor",
        "dgef_central",
        "cg_lyon_agent",
        "border_casa",
        "gmmp_secretariat",
        "cra_vincennes",
    ],
)
def test_it_refuses_rerouting_by_an_agent_or_the_french_side(personas, persona):
    case = paris_case(CaseState.ROUTED, personas)
    before = snapshot(case)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_reroute(case=case, user=personas[persona], consulate=org("CG-LYON"), reason="Motif")
    assert refused.value.code == "forbidden"
    assert "réorienter" in refused.value.message
    assert snapshot(case) == before


def test_it_refuses_rerouting_to_the_same_consulate(personas):
    case = paris_case(CaseState.ROUTED, personas)
    before = snapshot(case)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_reroute(
            case=case, user=personas["cg_paris_supervisor"], consulate=org("CG-PARIS"), reason="Motif"
        )
    assert refused.value.code == "same_consulate"
    assert snapshot(case) == before


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_it_refuses_rerouting_without_a_reason(personas, reason):
    case = paris_case(CaseState.ROUTED, personas)
    before = snapshot(case)
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.case_reroute(
            case=case, user=personas["dmsf_central"], consulate=org("CG-LYON"), reason=reason
        )
    assert refused.value.code == "reason_required"
    assert "motif" in refused.value.message
    assert snapshot(case) == before


def test_it_refuses_rerouting_to_a_closed_or_non_consulate(personas):
    case = paris_case(CaseState.ROUTED, personas)
    for code in ["DMSF", "PREF-92"]:
        with pytest.raises(actions.TransitionRefused) as refused:
            actions.case_reroute(
                case=case, user=personas["dmsf_central"], consulate=org(code), reason="Motif"
            )
        assert refused.value.code == "invalid_consulate"


def test_routing_reads_the_map_in_force_not_a_cached_one(personas, tmp_path):
    """An administrator's change of the map applies to the next request, without restart."""
    Jurisdiction.objects.filter(departement__code="75").update(valid_to=dt.date(2026, 11, 30))
    Jurisdiction.objects.create(
        departement_id=org("PREF-75").departement_id,
        consulate=org("CG-ORLY"),
        valid_from=dt.date(2026, 12, 1),
    )
    with clock.frozen(dt.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)):
        before = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    with clock.frozen(dt.datetime(2026, 12, 1, 10, 0, tzinfo=UTC)):
        after = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    assert (before.consulate.code, after.consulate.code) == ("CG-PARIS", "CG-ORLY")


def test_a_supervisor_of_the_new_consulate_may_reroute_further_but_not_the_old_one(personas):
    case = paris_case(CaseState.ROUTED, personas)
    actions.case_reroute(
        case=case, user=personas["cg_paris_supervisor"], consulate=org("CG-LYON"), reason="Lyon"
    )
    lyon_supervisor = UserFactory(organisation=org("CG-LYON"), role="supervisor")
    with pytest.raises(actions.TransitionRefused):
        actions.case_reroute(
            case=case, user=personas["cg_paris_supervisor"], consulate=org("CG-PARIS"), reason="Retour"
        )
    actions.case_reroute(case=case, user=lyon_supervisor, consulate=org("CG-ORLY"), reason="Orly")
    assert case.consulate.code == "CG-ORLY"
    assert [e.details["consulate"] for e in case.events.filter(kind="reroute").order_by("sequence")] == [
        "CG-LYON",
        "CG-ORLY",
    ]
