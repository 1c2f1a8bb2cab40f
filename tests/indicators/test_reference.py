"""The engine's optimised computation (one history pass for the stock, joins, month buckets, parts side by side)
gives exactly the figures of a straightforward reference: every definition re-read literally, in Python, event
by event, on a randomly generated ledger (demo cases) plus hand-built edge cases, for several periods,
breakdowns, filters and ledger high-water marks."""

import datetime as dt
import zoneinfo
from collections import defaultdict

import pytest

from gmmp.cases.enums import CaseState, DepartureOutcome
from gmmp.cases.models import CaseEvent
from gmmp.demo.cases import demo_cases_create
from gmmp.indicators import definitions, periods
from gmmp.indicators.computations import nearest_rank
from gmmp.indicators.engine import BREAKDOWNS, Filters, compute_many
from gmmp.organisations.models import Organisation

from .ledgers import Walker, q1_2025_ledger

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TODAY = dt.date(2025, 6, 30)
PERIODS = ["2025Q1", "2025Q2", "2024Q4", "2025-02", "2025", "2024-11-15..2025-03-10"]


@pytest.fixture
def ledger(personas):
    q1_2025_ledger(personas)
    w = Walker(personas)
    # Suspensive appeals: one still suspended at the end of March, one with a new departure booked since.
    for scheduled_again in (False, True):
        case = w.new("2025-01-03", detention_start="2025-01-03")
        w.extend(case, "2025-01-04", "pref75_agent", "2025-03-04")
        w.do(case, "submit", "2025-01-04", "pref75_agent")
        w.do(case, "decide", "2025-01-09", "cg_paris_agent", decision="identified")
        w.do(case, "issue_laissez_passer", "2025-01-12", "cg_paris_agent")
        w.departure(
            case,
            "2025-01-20",
            "2025-02-02",
            "pref75_agent",
            outcome=DepartureOutcome.FAILED,
            failure_reason="suspensive_appeal",
        )
        if scheduled_again:
            w.do(
                case,
                "schedule_departure",
                "2025-02-05",
                "pref75_agent",
                departure_date=dt.date(2025, 2, 9),
                carrier="Royal Air Maroc",
                transport_number="AT701",
                departure_port="Paris-Orly",
                arrival_port="Casablanca Mohammed V",
            )
    # A release before departure (the judge ordered it after the LPC), and a suspensive appeal lodged as a
    # legal event (no departure may be scheduled while it is pending).
    released = w.new("2025-01-06", detention_start="2025-01-06")
    w.extend(released, "2025-01-08", "pref75_agent", "2025-02-05")
    w.do(released, "submit", "2025-01-08", "pref75_agent")
    w.do(released, "decide", "2025-01-14", "cg_paris_agent", decision="identified")
    w.do(released, "issue_laissez_passer", "2025-01-16", "cg_paris_agent")
    w.do(
        released,
        "release",
        "2025-01-20",
        "pref75_agent",
        kind="release_ordered",
        on=dt.date(2025, 1, 20),
        reference="JLD",
    )
    appeal = w.new("2025-02-03", detention_start="2025-02-03")
    w.extend(appeal, "2025-02-05", "pref75_agent", "2025-03-05")
    w.do(appeal, "submit", "2025-02-05", "pref75_agent")
    w.do(appeal, "decide", "2025-02-10", "cg_paris_agent", decision="identified")
    w.do(appeal, "issue_laissez_passer", "2025-02-11", "cg_paris_agent")
    w.do(
        appeal,
        "record_legal_event",
        "2025-02-12",
        "pref75_agent",
        kind="appeal_lodged",
        on=dt.date(2025, 2, 12),
        reference="TA",
        suspensive=True,
    )
    # A release recorded after the LPC with an earlier date (the LPC came too late: v2 of "LPC in time"), one
    # released then resumed (back in the stock), an asylum claim pending and a suspensive appeal judged.
    for n, story in enumerate(("backdated_release", "resumed", "asylum", "appeal_judged")):
        case = w.new(f"2025-02-0{n + 2}", detention_start=f"2025-02-0{n + 2}")
        w.extend(case, f"2025-02-0{n + 4}", "pref75_agent", f"2025-03-0{n + 4}")
        w.do(case, "submit", f"2025-02-0{n + 4}", "pref75_agent")
        w.do(case, "decide", "2025-02-14", "cg_paris_agent", decision="identified")
        w.do(case, "issue_laissez_passer", "2025-02-20", "cg_paris_agent")
        if story == "backdated_release":
            release = {"kind": "released", "cause": "asylum", "on": dt.date(2025, 2, 18), "reference": "R"}
            w.do(case, "release", "2025-02-24", "pref75_agent", **release)
        elif story == "resumed":
            release = {"kind": "released", "cause": "appeal", "on": dt.date(2025, 2, 24), "reference": "R"}
            w.do(case, "release", "2025-02-24", "pref75_agent", **release)
            w.do(case, "resume", "2025-03-12", "pref75_agent")
        else:
            lodged = {"kind": "appeal_lodged", "suspensive": True, "on": dt.date(2025, 2, 22)}
            if story == "asylum":
                lodged = {"kind": "asylum_claimed", "on": dt.date(2025, 2, 22)}
            w.do(case, "record_legal_event", "2025-02-22", "pref75_agent", reference="L", **lodged)
            if story == "appeal_judged":
                judged = {"kind": "appeal_decided", "outcome": "rejected", "on": dt.date(2025, 3, 10)}
                w.do(case, "record_legal_event", "2025-03-10", "pref75_agent", reference="J", **judged)
    demo_cases_create(count=80, seed=6, today=TODAY)


# ------------------------------------------------------------------ the reference, literally from the definitions


def legal(x, legal_kind: str) -> bool:
    return x["kind"] == "record_legal_event" and x["reason"] == legal_kind


def local_day(at: dt.datetime) -> dt.date:
    return at.astimezone(PARIS).date()


class Reference:
    def __init__(self, high_water: int):
        self.events = list(
            CaseEvent.objects.filter(pk__lte=high_water)
            .order_by("case_id", "sequence")
            .values(
                "pk",
                "case_id",
                "sequence",
                "at",
                "kind",
                "to_state",
                "reason",
                "consulate_id",
                "prefecture_id",
                "detention_end",
                "details",
            )
        )
        self.by_case = defaultdict(list)
        for e in self.events:
            self.by_case[e["case_id"]].append(e)
        self.orgs = {o.pk: o for o in Organisation.objects.select_related("departement")}

    def keep(self, e, filters: Filters) -> bool:
        consulate = self.orgs.get(e["consulate_id"])
        prefecture = self.orgs[e["prefecture_id"]]
        if filters.consulates and (consulate is None or consulate.code not in filters.consulates):
            return False
        if filters.prefectures and prefecture.code not in filters.prefectures:
            return False
        dep = prefecture.departement.code if prefecture.departement_id else None
        return not (filters.departements and dep not in filters.departements)

    def key(self, e, breakdown: str, month: str) -> str:
        consulate, prefecture = self.orgs.get(e["consulate_id"]), self.orgs[e["prefecture_id"]]
        return {
            "none": "all",
            "consulate": consulate.code if consulate else "-",
            "prefecture": prefecture.code,
            "departement": prefecture.departement.code if prefecture.departement_id else "-",
            "month": month,
        }[breakdown]

    def in_stock(self, e, instant) -> bool:
        history = [x for x in self.by_case[e["case_id"]] if x["at"] < instant]
        if any(
            (x["kind"] == "record_departure" and x["to_state"] == CaseState.DEPARTED)
            or x["kind"] == "withdraw"
            for x in history
        ):
            return False
        # (suspended, resumed by): a failed departure for a suspensive appeal until a new departure is scheduled;
        # a release until the procedure resumes; a suspensive appeal until judged; an asylum claim until decided.
        rules = [
            (
                lambda x: (
                    x["kind"] == "record_departure"
                    and x["to_state"] == CaseState.DEPARTURE_FAILED
                    and x["reason"] == "suspensive_appeal"
                ),
                lambda x: x["kind"] == "schedule_departure",
            ),
            (lambda x: x["kind"] == "release", lambda x: x["kind"] == "resume"),
            (
                lambda x: legal(x, "appeal_lodged") and x["details"].get("suspensive") is True,
                lambda x: legal(x, "appeal_decided"),
            ),
            (lambda x: legal(x, "asylum_claimed"), lambda x: legal(x, "asylum_decided")),
        ]
        for suspended, resumed_by in rules:
            for s in history:
                if suspended(s) and not any(resumed_by(r) and r["sequence"] > s["sequence"] for r in history):
                    return False
        return True

    def released_by(self, e) -> bool:
        """A release recorded after the LPC (whenever) that ended the detention on or before its day of issue."""
        return any(
            x["kind"] == "release"
            and x["sequence"] > e["sequence"]
            and x["detention_end"] is not None
            and x["detention_end"] <= local_day(e["at"])
            for x in self.by_case[e["case_id"]]
        )

    def table(self, period, breakdown: str, filters: Filters) -> dict:
        counts = defaultdict(lambda: defaultdict(int))
        delays = defaultdict(list)
        start, end = period.start, period.end
        month_of = lambda at: f"{at.astimezone(PARIS):%Y-%m}"  # noqa: E731
        for e in self.events:
            if not self.keep(e, filters) or not (start <= e["at"] < end):
                continue
            rows = {"all", self.key(e, breakdown, month_of(e["at"]))}
            kind, to = e["kind"], e["to_state"]
            names = []
            if kind == "submit":
                names.append("requests_received")
                closed = any(
                    x["kind"] in ("decide", "withdraw") and x["at"] < end for x in self.by_case[e["case_id"]]
                )
                if not closed:
                    names.append("replies_none")
            if kind == "decide":
                if to == CaseState.IDENTIFIED:
                    names.append("replies_positive")
                if to in (CaseState.NOT_NATIONAL, CaseState.NOT_ESTABLISHED):
                    names.append("replies_negative")
                submits = [x for x in self.by_case[e["case_id"]] if x["kind"] == "submit"]
                if submits:
                    for row in rows:
                        delays[row].append((local_day(e["at"]) - local_day(submits[0]["at"])).days)
            if kind == "withdraw":
                names.append("requests_withdrawn")
            if kind == "issue_laissez_passer":
                names.append("lpc_issued")
                if (
                    e["detention_end"] is None or local_day(e["at"]) < e["detention_end"]
                ) and not self.released_by(e):
                    names.append("lpc_in_time")
            if kind == "release":
                names += ["releases_before_departure", f"releases_{e['reason']}"]
            if kind == "record_departure" and to == CaseState.DEPARTED:
                names.append("departures_executed")
            if kind == "record_departure" and to == CaseState.DEPARTURE_FAILED:
                names.append("departures_failed")
            if kind == "confirm_readmission":
                names.append("readmissions_confirmed")
            for row in rows:
                for name in names:
                    counts[row][name] += 1
        # The stock, at the period's end; by month at each month's end.
        instants = [(f"{m:%Y-%m}", period.month_end(m)) for m in period.months()]
        for e in self.events:
            if e["kind"] != "issue_laissez_passer" or not self.keep(e, filters):
                continue
            for month, instant in instants:
                is_last = instant == instants[-1][1]
                if (
                    not (breakdown == "month" or is_last)
                    or e["at"] >= instant
                    or not self.in_stock(e, instant)
                ):
                    continue
                for row in {self.key(e, breakdown, month)} | ({"all"} if is_last else set()):
                    counts[row]["ready_without_departure"] += 1
        if breakdown == "month":
            for month, _instant in instants:
                counts[month]  # noqa: B018 - every month has a row
        out = {}
        for row in set(counts) | set(delays):
            c = counts[row]
            figures = {}
            for i in definitions.resolve():
                if i.unit == "rate":
                    num = c[i.computation.numerator]
                    den = sum(c[d] for d in i.computation.denominators)
                    figures[i.id] = (round(num / den, 4) if den else None, num, den)
                elif i.unit == "days":
                    hist = defaultdict(int)
                    for d in delays[row]:
                        hist[d] += 1
                    figures[i.id] = (nearest_rank(hist, i.computation.percentile), None, None)
                else:
                    figures[i.id] = (c[i.id], None, None)
            out[row] = figures
        return out


def engine_rows(table) -> dict:
    rows = {r.key: r for r in table.rows} | {"all": table.total}
    return {
        key: {k: (f.value, f.numerator, f.denominator) for k, f in r.figures.items()}
        for key, r in rows.items()
    }


def empty(figures: dict) -> bool:
    return all(value in (0, None) and den in (0, None) for value, _num, den in figures.values())


def assert_same(expected: dict, got: dict, context):
    for key in set(expected) | set(got):
        if key not in got:
            assert empty(expected[key]), (context, key, expected[key])
        elif key not in expected:
            assert empty(got[key]), (context, key, got[key])
        else:
            assert got[key] == expected[key], (context, key)


# ------------------------------------------------------------------ the comparisons


def test_the_ledger_has_what_the_comparison_needs(ledger):
    kinds = set(CaseEvent.objects.values_list("kind", flat=True))
    assert {
        "submit",
        "decide",
        "withdraw",
        "issue_laissez_passer",
        "record_departure",
        "confirm_readmission",
        "schedule_departure",
    } <= kinds
    assert CaseEvent.objects.filter(reason="suspensive_appeal").exists()
    # The legal situation: releases (one recorded after the LPC with an earlier date), a resumption, a pending
    # asylum claim and suspensive appeals, pending and judged.
    assert {"release", "resume", "record_legal_event"} <= kinds
    reasons = set(CaseEvent.objects.filter(kind="record_legal_event").values_list("reason", flat=True))
    assert {"appeal_lodged", "appeal_decided", "asylum_claimed"} <= reasons
    assert CaseEvent.objects.filter(
        kind="release", reason="asylum", detention_end=dt.date(2025, 2, 18)
    ).exists()
    assert CaseEvent.objects.count() > 400


@pytest.mark.parametrize("code", PERIODS)
def test_every_breakdown_matches_the_reference(ledger, code):
    period = periods.parse(code)
    tables = compute_many(period, breakdowns=BREAKDOWNS)
    reference = Reference(tables["none"].high_water)
    assert tables["none"].total.value("requests_received") > 0 or code == "2024-11-15..2025-03-10"
    for breakdown in BREAKDOWNS:
        assert_same(
            reference.table(period, breakdown, Filters()), engine_rows(tables[breakdown]), (code, breakdown)
        )


@pytest.mark.parametrize(
    "filters",
    [
        Filters(consulates=("CG-PARIS",)),
        Filters(departements=("75", "92")),
        Filters(prefectures=("PREF-75",)),
    ],
    ids=["consulate", "departements", "prefecture"],
)
def test_filtered_figures_match_the_reference(ledger, filters):
    period = periods.parse("2025Q1")
    tables = compute_many(period, breakdowns=("none", "month", "consulate"), filters=filters)
    reference = Reference(tables["none"].high_water)
    for breakdown, table in tables.items():
        assert_same(reference.table(period, breakdown, filters), engine_rows(table), (filters, breakdown))


def test_an_earlier_high_water_mark_matches_the_reference_on_the_earlier_ledger(ledger):
    ids = list(CaseEvent.objects.order_by("pk").values_list("pk", flat=True))
    high_water = ids[len(ids) // 2]
    period = periods.parse("2025Q1")
    tables = compute_many(period, breakdowns=("none", "month"), high_water=high_water)
    reference = Reference(high_water)
    for breakdown, table in tables.items():
        assert_same(
            reference.table(period, breakdown, Filters()), engine_rows(table), (high_water, breakdown)
        )
