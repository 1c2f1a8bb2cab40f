"""Listing, reading one case and its timeline: who sees what, filters, pagination, and the access log."""

import datetime as dt

import pytest

from gmmp.audit.models import AccessLog
from gmmp.cases import actions
from gmmp.cases.enums import CaseState as S
from gmmp.core import clock
from tests.factories import extension_kwargs, make_case


def extended(case, actors, days=90):
    actions.case_record_legal_event(case=case, user=actors["prefecture_user"], **extension_kwargs(case, days))
    case.refresh_from_db()
    return case


@pytest.fixture
def cases(personas):
    """Cases of Paris (75, CG-PARIS) and of Hauts-de-Seine (92, CG-COLOMBES) in a few states."""
    p75 = {
        "prefecture_user": personas["pref75_agent"],
        "consulate_user": personas["cg_paris_agent"],
        "border_user": personas["border_casa"],
    }
    p92 = {"prefecture_user": personas["pref92_agent"], "consulate_user": personas["cg_colombes_agent"]}
    return {
        "draft75": make_case(S.DRAFT, **p75, last_name="BENALI", detention_start=None),
        # The judge extended both detentions up to the 90-day cap (only what a judge authorised counts).
        "routed75_late": extended(
            make_case(S.ROUTED, **p75, last_name="CHRAIBI", detention_start=dt.date(2026, 10, 5)), p75
        ),
        "routed75_early": extended(
            make_case(
                S.ROUTED,
                **p75,
                last_name="DAOUDI",
                detention_start=dt.date(2026, 8, 25),
                removal_order_date=dt.date(2026, 8, 1),
            ),
            p75,
        ),
        "identified75": extended(
            make_case(S.IDENTIFIED, **p75, last_name="FASSI", removal_order_reference="OQTF-75-XYZ"), p75
        ),
        "routed92": make_case(S.ROUTED, **p92, last_name="GHALI"),
        "draft92": make_case(S.DRAFT, **p92, last_name="HAJJI"),
    }


def refs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["reference"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("pref75_agent", {"draft75", "routed75_late", "routed75_early", "identified75"}),
        ("pref92_agent", {"routed92", "draft92"}),
        ("cg_paris_agent", {"routed75_late", "routed75_early", "identified75"}),
        ("cg_colombes_agent", {"routed92"}),
        ("cg_lyon_agent", set()),
        (
            "dgef_central",
            {"draft75", "routed75_late", "routed75_early", "identified75", "routed92", "draft92"},
        ),
        ("dmsf_central", {"routed75_late", "routed75_early", "identified75", "routed92"}),
    ],
)
def test_each_caller_lists_only_the_cases_it_may_see(api, cases, who, expected):
    response = api(who).get("")
    assert refs(response) == {cases[k].reference for k in expected}
    assert response.json()["total"] == len(expected)


@pytest.mark.parametrize("who", ["gmmp_secretariat", "border_casa"])
def test_who_reads_no_case_file_gets_no_list_at_all(api, cases, who):
    response = api(who).get("")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("owner", "who"),
    [
        ("routed75_late", "pref92_agent"),
        ("routed92", "pref75_agent"),
        ("routed75_late", "cg_colombes_agent"),
        ("routed92", "cg_paris_agent"),
        ("draft75", "cg_paris_agent"),
        ("draft75", "dmsf_central"),
        ("routed75_late", "gmmp_secretariat"),
        ("routed75_late", "cg_lyon_agent"),
    ],
)
def test_a_case_that_is_not_yours_reads_exactly_like_a_missing_one(api, cases, owner, who):
    caller = api(who)
    for suffix in ("", "/events"):
        theirs = caller.get(cases[owner].reference + suffix)
        missing = caller.get("DI-2026-424242" + suffix)
        assert theirs.status_code == missing.status_code == 404
        assert theirs.json() == missing.json() == {"code": "not_found", "message": theirs.json()["message"]}


def test_the_list_puts_the_earliest_release_first(api, cases):
    items = api("cg_paris_agent").get("").json()["items"]
    assert [i["reference"] for i in items] == [
        cases["routed75_early"].reference,
        cases["routed75_late"].reference,
        cases["identified75"].reference,
    ]
    early = items[0]
    assert early["detention_end"] == "2026-11-23"
    assert early["urgency"] == {"overdue": False, "due_soon": True, "due_date": "2026-11-23"}
    assert early["url"] == f"/api/v1/cases/{early['reference']}"


def test_the_list_paginates_with_a_total(api, cases):
    caller = api("dgef_central")
    first = caller.get("", {"limit": 2}).json()
    second = caller.get("", {"limit": 2, "offset": 2}).json()
    rest = caller.get("", {"limit": 2, "offset": 4}).json()
    assert first["total"] == second["total"] == rest["total"] == 6
    pages = [i["reference"] for page in (first, second, rest) for i in page["items"]]
    assert len(pages) == len(set(pages)) == 6
    assert caller.get("", {"offset": 6}).json()["items"] == []
    assert first["total_capped"] is False


def test_the_list_total_stops_at_the_cap_and_says_so(api, cases, monkeypatch):
    """The total counts at most LIST_COUNT_CAP + 1 rows (a COUNT(*) of every row grew with the national
    list): past the cap it says the cap and `total_capped`; the pages still go on."""
    from gmmp.cases import selectors

    caller = api("dgef_central")
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 4)
    first = caller.get("", {"limit": 2}).json()
    assert (first["total"], first["total_capped"]) == (4, True)
    assert len(caller.get("", {"limit": 2, "offset": 4}).json()["items"]) == 2  # the 5th and 6th
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 6)
    assert caller.get("", {"limit": 2}).json()["total_capped"] is False


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "routed"}, {"routed75_late", "routed75_early", "routed92"}),
        (
            {"state": ["routed", "identified"]},
            {"routed75_late", "routed75_early", "routed92", "identified75"},
        ),
        ({"consulate": "CG-COLOMBES"}, {"routed92"}),
        ({"prefecture": "PREF-92"}, {"routed92", "draft92"}),
        ({"departement": "75"}, {"draft75", "routed75_late", "routed75_early", "identified75"}),
        ({"q": "chraibi"}, {"routed75_late"}),
        ({"q": "OQTF-75-XYZ"}, {"identified75"}),
        ({"created_from": "2026-11-21"}, set()),
        (
            {"created_from": "2026-11-20", "created_to": "2026-11-20"},
            {"draft75", "routed75_late", "routed75_early", "identified75", "routed92", "draft92"},
        ),
    ],
)
def test_the_list_filters(api, cases, params, expected):
    assert refs(api("dgef_central").get("", params)) == {cases[k].reference for k in expected}


def test_filters_never_widen_what_a_caller_sees(api, cases):
    assert refs(api("pref75_agent").get("", {"prefecture": "PREF-92"})) == set()
    assert refs(api("cg_paris_agent").get("", {"consulate": "CG-COLOMBES"})) == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "lost"}, "state"),
        ({"limit": 0}, "limit"),
        ({"limit": 1000}, "limit"),
        ({"offset": -1}, "offset"),
        ({"created_from": "2026-13-01"}, "created_from"),
        ({"created_from": "2026-11-10", "created_to": "2026-11-01"}, "created_to"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_the_list_refuses_bad_filters_field_by_field(api, params, field):
    response = api("dgef_central").get("", params)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert any(d["loc"][-1] == field or field in d["loc"] for d in response.json()["details"])


def test_a_list_is_logged_without_the_search_text(api, cases):
    api("dgef_central").get("", {"q": "CHRAIBI", "state": "routed"})
    log = AccessLog.objects.filter(action="list", channel="api").latest("at")
    assert log.object_type == "case" and log.organisation_code == "DGEF"
    assert log.detail["filters"] == ["q", "state"] and log.detail["total"] == 1
    assert "CHRAIBI" not in str(log.detail)


def test_reading_a_case_gives_deadlines_actions_and_evidence_and_is_logged(api, cases):
    case = cases["routed75_early"]
    body = api("cg_paris_agent").get(case.reference).json()
    assert body["state"] == "routed" and body["state_label"]
    assert body["consulate"] == {"code": "CG-PARIS", "name": body["consulate"]["name"]}
    detention = body["deadlines"]["detention"]
    assert detention["start"] == "2026-08-25" and detention["days_elapsed"] == 87
    assert (
        detention["stage_days"] == 90
        and detention["release_by"] == "2026-11-23"
        and detention["days_left"] == 3
    )
    assert body["deadlines"]["awaiting_reply"] is True
    assert {a["name"] for a in body["actions"]} == {
        "schedule_interview",
        "request_information",
        "decide",
        "extend_reply_deadline",
    }
    decide = next(a for a in body["actions"] if a["name"] == "decide")
    assert (
        decide["url"] == f"/api/v1/cases/{case.reference}/transitions/decide" and decide["method"] == "POST"
    )
    assert body["evidence"] == []
    assert AccessLog.objects.filter(
        action="view",
        object_type="case",
        object_id=case.reference,
        channel="api",
        organisation_code="CG-PARIS",
    ).exists()


def test_the_actions_depend_on_who_reads(api, cases):
    ref = cases["routed75_early"].reference
    assert {a["name"] for a in api("pref75_agent").get(ref).json()["actions"]} == {
        "withdraw",
        "assess_age",
        "record_legal_event",
        "release",
        "correct_identity",
    }
    assert {a["name"] for a in api("cg_paris_supervisor").get(ref).json()["actions"]} == {
        "reroute",
        "schedule_interview",
        "request_information",
        "decide",
        "extend_reply_deadline",
    }
    assert api("dgef_central").get(ref).json()["actions"] == []
    # A read-only token cannot act, so it is offered nothing.
    assert api("cg_paris_agent", scopes=["cases:read"]).get(ref).json()["actions"] == []


def test_an_identified_case_points_to_the_lpc_api_to_issue_the_laissez_passer(api, cases):
    actions = api("cg_paris_agent").get(cases["identified75"].reference).json()["actions"]
    lpc = next(a for a in actions if a["name"] == "issue_laissez_passer")
    assert lpc["url"] == "/api/v1/lpc/"
    reversal = next(a for a in actions if a["name"] == "identification_reversed")
    reference = cases["identified75"].reference
    assert reversal["url"] == f"/api/v1/cases/{reference}/transitions/identification_reversed"


def test_the_timeline_lists_the_ledger_events_in_order_and_is_logged(api, cases):
    case = cases["identified75"]
    events = api("pref75_agent").get(f"{case.reference}/events").json()
    assert [(e["sequence"], e["kind"], e["from_state"], e["to_state"]) for e in events] == [
        (1, "created", "", "draft"),
        (2, "submit", "draft", "routed"),
        (3, "decide", "routed", "identified"),
        (4, "record_legal_event", "identified", "identified"),  # the judge's extension (fixture)
    ]
    assert events[2]["actor"] == "cg_paris_agent" and events[2]["actor_organisation"] == "CG-PARIS"
    assert events[2]["actor_side"] == "MA" and events[2]["comment"] == "CNIE vérifiée"
    assert events[1]["details"]["consulate"] == "CG-PARIS"
    assert AccessLog.objects.filter(
        object_type="case_events", object_id=case.reference, channel="api"
    ).exists()


def test_a_failed_read_logs_nothing(api, cases):
    before = AccessLog.objects.count()
    api("pref92_agent").get(cases["routed75_late"].reference)
    assert AccessLog.objects.count() == before


def test_the_error_code_is_the_same_in_every_language(api, cases):
    caller = api("pref92_agent")
    answers = [
        caller.client.get("/api/v1/cases/DI-0", HTTP_ACCEPT_LANGUAGE=lang).json()
        for lang in ("fr", "ar", "en")
    ]
    assert answers[0]["message"] == "Aucune demande ne correspond."
    assert {a["code"] for a in answers} == {"not_found"}
    assert all(a["message"] for a in answers)


def test_the_clock_used_for_deadlines_is_the_platforms(api, cases):
    with clock.frozen(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)):
        item = api("cg_paris_agent").get("").json()["items"][0]
    assert item["urgency"]["overdue"] is True


def test_the_list_costs_the_same_queries_for_one_case_or_many(api, cases):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    caller = api("dgef_central")
    caller.get("", {"limit": 1})  # warm: the token's first use of the minute is written (once a minute)
    with CaptureQueriesContext(connection) as one:
        assert len(caller.get("", {"limit": 1}).json()["items"]) == 1
    with CaptureQueriesContext(connection) as six:
        assert len(caller.get("", {"limit": 6}).json()["items"]) == 6
    assert len(six) == len(one)
