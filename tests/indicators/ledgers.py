"""Small hand-built ledgers: cases walked through the real actions, each step at a chosen moment.

The Q1 2025 ledger below is the reference for the hand-computed figures in test_figures.py. Every
event happens at 10:00 Paris time on the day given.
"""

import datetime as dt
import zoneinfo

from gmmp.cases import actions
from gmmp.cases.enums import Decision, DepartureOutcome, WithdrawalReason
from gmmp.core import clock
from tests.factories import DEPARTURE_PLAN, case_data, sample_photo

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=PARIS)


class Walker:
    def __init__(self, personas):
        self.p = personas

    def new(self, day: str, *, prefecture="pref75_agent", detention_start: str | None = None, **data):
        with clock.frozen(at(day)):
            return actions.case_create(
                user=self.p[prefecture],
                data=case_data(
                    removal_order_date=dt.date(2024, 9, 1),
                    detention_start=dt.date.fromisoformat(detention_start) if detention_start else None,
                    **data,
                ),
            )

    def do(self, case, name: str, day: str, who: str, hour: int = 10, **kwargs):
        if name == "issue_laissez_passer":
            kwargs.setdefault("photo", sample_photo())
        with clock.frozen(at(day, hour)):
            actions.ACTIONS[name](case=case, user=self.p[who], **kwargs)
        case.refresh_from_db()
        return case

    def event(self, case, kind: str, day: str, who: str, **details):
        with clock.frozen(at(day)):
            actions.event_record(
                case=case,
                user=self.p[who],
                kind=kind,
                from_state=case.state,
                to_state=case.state,
                details=details,
            )

    def departure(
        self,
        case,
        scheduled: str,
        leaves: str,
        who: str,
        outcome=DepartureOutcome.DEPARTED,
        failure_reason: str = "",
    ):
        self.do(
            case,
            "schedule_departure",
            scheduled,
            who,
            departure_date=dt.date.fromisoformat(leaves),
            **DEPARTURE_PLAN,
        )
        return self.do(
            case,
            "record_departure",
            leaves,
            who,
            outcome=outcome,
            failure_reason=failure_reason,
            departed_at=at(leaves),  # the actual time: 10:00 Paris on the day it leaves
        )

    def extend(self, case, day: str, who: str, to: str):
        """A judge's extension of the detention until `to`, decided on `day` (only what a judge authorised
        counts for the release date)."""
        return self.do(
            case,
            "record_legal_event",
            day,
            who,
            kind="extension_granted",
            on=dt.date.fromisoformat(day),
            reference=f"JLD-{case.pk}-{to}",
            extended_to=dt.date.fromisoformat(to),
        )


def q1_2025_ledger(personas) -> dict:
    """Seven cases around the first quarter of 2025 (préfecture 75 → CG-PARIS, 92 → CG-COLOMBES)."""
    w = Walker(personas)
    paris, colombes = "cg_paris_agent", "cg_colombes_agent"
    identified = {"decision": Decision.IDENTIFIED}

    # A: the straight path. The judge extended the detention to 5 April: the LPC of 22 January is in time.
    a = w.new("2025-01-05", detention_start="2025-01-05")
    w.extend(a, "2025-01-08", "pref75_agent", "2025-04-05")
    w.do(a, "submit", "2025-01-10", "pref75_agent")
    w.do(a, "decide", "2025-01-20", paris, **identified)
    w.do(a, "issue_laissez_passer", "2025-01-22", paris)
    w.departure(a, "2025-01-25", "2025-02-01", "pref75_agent")
    w.do(a, "confirm_readmission", "2025-02-01", "border_casa", hour=15)

    # B: filed in Q1 (25 March), decided in Q2 (3 April, 9 calendar days across the DST change).
    b = w.new("2025-03-20")
    w.do(b, "submit", "2025-03-25", "pref75_agent")
    w.do(b, "decide", "2025-04-03", paris, **identified)

    # C: withdrawn before any decision.
    c = w.new("2025-01-30")
    w.do(c, "submit", "2025-02-01", "pref75_agent")
    w.do(c, "withdraw", "2025-02-10", "pref75_agent", reason=WithdrawalReason.ASYLUM_CLAIM)

    # D: detention ended 30 January; LPC issued on 3 February (too late), then re-issued; never departs.
    d = w.new("2025-01-02", detention_start="2024-11-01")
    w.extend(d, "2025-01-02", "pref75_agent", "2025-01-30")
    w.do(d, "submit", "2025-01-05", "pref75_agent")
    w.do(d, "decide", "2025-01-15", paris, **identified)
    w.do(d, "issue_laissez_passer", "2025-02-03", paris)
    w.event(d, "lpc_reissued", "2025-02-10", paris, previous_number="reissue-test")

    # E: not detained; the first departure fails (refusal to board), the second one succeeds.
    e = w.new("2025-01-08", prefecture="pref92_agent")
    w.do(e, "submit", "2025-01-08", "pref92_agent")
    w.do(e, "decide", "2025-01-28", colombes, **identified)
    w.do(e, "issue_laissez_passer", "2025-02-05", colombes)
    w.departure(
        e,
        "2025-02-06",
        "2025-02-10",
        "pref92_agent",
        outcome=DepartureOutcome.FAILED,
        failure_reason="refused_to_board",
    )
    w.departure(e, "2025-02-12", "2025-02-20", "pref92_agent")

    # F: negative reply.
    f = w.new("2025-02-14", prefecture="pref92_agent")
    w.do(f, "submit", "2025-02-15", "pref92_agent")
    w.do(f, "decide", "2025-03-10", colombes, decision=Decision.NOT_NATIONAL)

    # G: filed in Q4 2024, decided in Q1 2025.
    g = w.new("2024-12-19")
    w.do(g, "submit", "2024-12-20", "pref75_agent")
    w.do(g, "decide", "2025-01-06", paris, **identified)
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g}
