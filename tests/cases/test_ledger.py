"""The case ledger: one event per transition with who, where, when and the snapshots indicators need;
append-only through the application (and, on PostgreSQL, through raw SQL); hash-chained."""

import datetime as dt
import zoneinfo

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.cases.models import CaseEvent, LedgerImmutableError
from gmmp.cases.selectors import ledger_verify
from gmmp.core import clock
from gmmp.organisations.models import Organisation
from tests.factories import make_case

from .walk import paris_case

UTC = dt.UTC


@pytest.fixture
def readmitted(personas):
    return paris_case(CaseState.READMITTED, personas)


def test_it_records_one_event_per_transition_with_who_where_and_the_state_change(personas, readmitted):
    events = list(readmitted.events.order_by("sequence"))
    assert [e.kind for e in events] == [
        "created",
        "submit",
        "decide",
        "issue_laissez_passer",
        "schedule_departure",
        "record_departure",
        "confirm_readmission",
    ]
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert [(e.from_state, e.to_state) for e in events] == [
        ("", CaseState.DRAFT),
        (CaseState.DRAFT, CaseState.ROUTED),
        (CaseState.ROUTED, CaseState.IDENTIFIED),
        (CaseState.IDENTIFIED, CaseState.LPC_ISSUED),
        (CaseState.LPC_ISSUED, CaseState.DEPARTURE_SCHEDULED),
        (CaseState.DEPARTURE_SCHEDULED, CaseState.DEPARTED),
        (CaseState.DEPARTED, CaseState.READMITTED),
    ]
    who = [(e.actor.username, e.actor_organisation.code, e.actor_side) for e in events]
    assert who == [
        ("pref75_agent", "PREF-75", "FR"),
        ("pref75_agent", "PREF-75", "FR"),
        ("cg_paris_agent", "CG-PARIS", "MA"),
        ("cg_paris_agent", "CG-PARIS", "MA"),
        ("pref75_agent", "PREF-75", "FR"),
        ("pref75_agent", "PREF-75", "FR"),
        ("border_casa", "DGSN-CASA", "MA"),
    ]
    assert all(e.at.utcoffset() == dt.timedelta(0) for e in events)  # stored in UTC
    assert events[2].details["decision"] == "identified"
    assert events[4].details["departure_date"] == readmitted.departure_date.isoformat()


def test_each_event_keeps_the_prefecture_consulate_and_detention_end_of_its_time(personas):
    case = paris_case(CaseState.ROUTED, personas)
    first_end = case.detention_end
    actions.case_reroute(
        case=case,
        user=personas["dmsf_central"],
        consulate=Organisation.objects.get(code="CG-LYON"),
        reason="Compétence",
    )
    actions.case_decide(case=case, user=personas["cg_lyon_agent"], decision="identified")
    snapshots = [
        (e.kind, e.prefecture.code, e.consulate.code if e.consulate else None, e.detention_end)
        for e in case.events.order_by("sequence")
    ]
    assert snapshots == [
        ("created", "PREF-75", None, first_end),
        ("submit", "PREF-75", "CG-PARIS", first_end),
        ("reroute", "PREF-75", "CG-LYON", first_end),
        ("decide", "PREF-75", "CG-LYON", first_end),
    ]


def test_reasons_are_recorded_for_withdrawal_and_failed_departure(personas):
    withdrawn = paris_case(CaseState.WITHDRAWN, personas)
    failed = paris_case(CaseState.DEPARTURE_FAILED, personas)
    assert withdrawn.events.get(kind="withdraw").reason == "released"
    event = failed.events.get(kind="record_departure")
    assert (event.reason, event.details["outcome"]) == ("refused_to_board", "failed")


def test_a_draft_update_records_which_fields_changed_but_not_their_values(personas):
    case = paris_case(CaseState.DRAFT, personas)
    actions.case_update_draft(
        case=case, user=personas["pref75_supervisor"], data={"last_name": "BENNANI", "birth_date": "1990-03"}
    )
    event = case.events.get(kind="updated")
    assert event.details == {"fields": ["birth_date", "last_name"]}
    assert "BENNANI" not in str(event.payload())


def test_it_refuses_to_save_an_existing_event(readmitted):
    event = readmitted.events.first()
    event.comment = "edited"
    with pytest.raises(LedgerImmutableError):
        event.save()
    assert CaseEvent.objects.get(pk=event.pk).comment == ""


def test_it_refuses_to_delete_an_event(readmitted):
    event = readmitted.events.first()
    with pytest.raises(LedgerImmutableError):
        event.delete()
    assert CaseEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: qs.update(comment="edited"),
        lambda qs: qs.delete(),
        lambda qs: CaseEvent.objects.bulk_update([_with_comment(e) for e in qs], ["comment"]),
        lambda qs: qs.filter(sequence=1).update(to_state="closed"),
    ],
    ids=["queryset-update", "queryset-delete", "bulk-update", "filtered-update"],
)
def test_it_refuses_bulk_changes_through_the_orm(readmitted, change):
    before = list(readmitted.events.values_list("pk", "comment", "to_state", "hash"))
    with pytest.raises(LedgerImmutableError), transaction.atomic():
        change(CaseEvent.objects.filter(case=readmitted))
    assert list(readmitted.events.values_list("pk", "comment", "to_state", "hash")) == before


def _with_comment(event):
    event.comment = "edited"
    return event


def test_a_case_with_a_ledger_cannot_be_deleted(readmitted):
    with pytest.raises(ProtectedError):
        readmitted.delete()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cases_caseevent SET comment = 'edited' WHERE case_id = %s",
        "DELETE FROM cases_caseevent WHERE case_id = %s",
    ],
)
def test_postgresql_refuses_raw_sql_changes_to_the_ledger(readmitted, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [readmitted.pk])
    assert readmitted.events.count() == 7
    assert not readmitted.events.filter(comment="edited").exists()


# The hash chain


def test_the_hash_chain_of_a_real_case_verifies(readmitted):
    assert ledger_verify(readmitted) == (True, None)


def test_the_hash_chain_verifies_when_the_clock_was_frozen_in_another_time_zone(personas):
    """Events are written with clock.now(), whatever its zone; the chain must verify once read back."""
    with clock.frozen(dt.datetime(2026, 11, 2, 11, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))):
        case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])
    assert ledger_verify(case) == (True, None)


def _raw_update(sql: str, params: list) -> None:
    """Tamper as someone with database access would (the trigger is lifted first on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key check of this transaction's inserts
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE cases_caseevent DISABLE TRIGGER cases_caseevent_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cases_caseevent ENABLE TRIGGER cases_caseevent_append_only")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("at", "2020-01-01 00:00:00"),
        ("kind", "close"),
        ("from_state", "draft"),
        ("to_state", "not_national"),
        ("reason", "duplicate"),
        ("comment", "rewritten"),
        ("details", '{"decision": "not_national"}'),
        ("actor_side", "FR"),
        ("detention_end", "2030-01-01"),
        ("consulate_id", None),
    ],
)
def test_the_hash_chain_detects_a_changed_column(readmitted, column, value):
    third = readmitted.events.get(sequence=3)
    _raw_update(f"UPDATE cases_caseevent SET {column} = %s WHERE id = %s", [value, third.pk])
    assert ledger_verify(readmitted) == (False, 3)


def test_the_hash_chain_detects_a_deleted_event(readmitted):
    _raw_update("DELETE FROM cases_caseevent WHERE case_id = %s AND sequence = 3", [readmitted.pk])
    assert ledger_verify(readmitted) == (False, 4)


def test_the_hash_chain_detects_a_rehashed_event(readmitted):
    """Recomputing the hash of an altered event does not help: the next event points at the old hash."""
    third = readmitted.events.get(sequence=3)
    third.comment = "rewritten"
    forged = third.compute_hash()
    _raw_update(
        "UPDATE cases_caseevent SET comment = %s, hash = %s WHERE id = %s", ["rewritten", forged, third.pk]
    )
    assert ledger_verify(readmitted) == (False, 4)


def test_a_refused_transition_writes_no_event(personas):
    case = paris_case(CaseState.ROUTED, personas)
    count = case.events.count()
    with pytest.raises(actions.TransitionRefused):
        actions.case_decide(case=case, user=personas["cg_lyon_agent"], decision="identified")
    with pytest.raises(actions.TransitionRefused):
        actions.case_decide(case=case, user=personas["cg_paris_agent"], decision="maybe")
    assert case.events.count() == count
    assert ledger_verify(case) == (True, None)


def test_event_record_appends_a_significant_change_that_is_not_a_transition(personas):
    case = paris_case(CaseState.ROUTED, personas)
    with transaction.atomic():
        event = actions.event_record(
            case=case,
            user=personas["cg_paris_agent"],
            kind="lpc_extended",
            details={"valid_to": "2026-12-31"},
        )
    assert event.sequence == case.events.count()
    assert event.from_state == event.to_state == CaseState.ROUTED  # the state it leaves as it is
    assert (event.actor_organisation.code, event.actor_side) == ("CG-PARIS", "MA")
    assert ledger_verify(case) == (True, None)


def test_the_access_log_refuses_changes_like_the_ledger_whatever_the_database(personas):
    from gmmp.audit.models import AccessLog
    from gmmp.core.ledger import AppendOnlyError

    row = AccessLog.objects.create(user=personas["pref75_agent"], action="view", object_type="case")
    for attempt in (
        row.delete,
        AccessLog.objects.all().delete,
        lambda: AccessLog.objects.update(object_id="x"),
        lambda: row.save(),
    ):
        with pytest.raises(AppendOnlyError):
            attempt()
    assert AccessLog.objects.filter(pk=row.pk).exists()
