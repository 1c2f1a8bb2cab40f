"""The keyed chain over every ledger event: `gmmp ledger verify` finds each kind of tampering, even by
someone who can write the database directly (but does not hold the key, kept outside it)."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from gmmp.cases.enums import CaseState
from gmmp.cases.models import CaseEvent
from gmmp.core.ledger_chain import chain_head, chain_publish, chain_verify, heads_path
from gmmp.core.models import ChainLink
from tests.factories import make_case


@pytest.fixture(autouse=True)
def _heads_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def ledger(lpc_ready):
    make_case(CaseState.IDENTIFIED, **lpc_ready)
    make_case(CaseState.ROUTED, **lpc_ready)
    events = list(CaseEvent.objects.order_by("pk"))
    assert len(events) >= 5 and chain_verify().ok
    return events


def tamper(sql: str, params=()) -> None:
    """Write the database directly, as an intruder with database access would (the triggers off)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test's inserts leave deferred foreign-key checks pending; PostgreSQL refuses to alter a
            # table with pending trigger events, so run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE cases_caseevent DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE core_chainlink DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cases_caseevent ENABLE TRIGGER USER")
            cursor.execute("ALTER TABLE core_chainlink ENABLE TRIGGER USER")


def problems() -> str:
    report = chain_verify()
    assert not report.ok
    return "\n".join(report.problems)


def test_an_intact_ledger_verifies(ledger, capsys):
    call_command("ledger", "verify")
    assert f"{len(ledger)} events" in capsys.readouterr().out
    assert chain_head()[0] == len(ledger)


def test_an_edited_event_is_found_even_with_its_case_hash_recomputed(ledger):
    event = ledger[2]
    event.comment = "réécrit"
    tamper(
        "UPDATE cases_caseevent SET comment = %s, hash = %s WHERE id = %s",
        ["réécrit", event.compute_hash(), event.pk],
    )
    assert f"cases.caseevent:{event.pk}: event edited" in problems()
    with pytest.raises(CommandError):
        call_command("ledger", "verify")


def test_an_inserted_event_is_found(ledger):
    last = ledger[-1]
    tamper(
        "INSERT INTO cases_caseevent (case_id, sequence, at, kind, from_state, to_state, actor_side, reason, "
        "comment, details, prefecture_id, prev_hash, hash) "
        "SELECT case_id, sequence + 1, at, 'decide', from_state, to_state, actor_side, reason, comment, details, "
        "prefecture_id, hash, hash FROM cases_caseevent WHERE id = %s",
        [last.pk],
    )
    assert "not in the chain" in problems()


def test_a_deleted_event_is_found(ledger):
    tamper("DELETE FROM cases_caseevent WHERE id = %s", [ledger[1].pk])
    assert f"cases.caseevent:{ledger[1].pk}: event deleted" in problems()


def test_a_deleted_event_with_its_link_is_found(ledger):
    link = ChainLink.objects.get(ledger="cases.caseevent", row_id=ledger[1].pk)
    tamper("DELETE FROM cases_caseevent WHERE id = %s", [ledger[1].pk])
    tamper("DELETE FROM core_chainlink WHERE id = %s", [link.pk])
    assert f"link #{link.seq} missing" in problems()


def test_a_truncated_tail_is_found_against_the_published_head(ledger):
    chain_publish()
    last = ChainLink.objects.order_by("-seq").first()
    before = ChainLink.objects.get(seq=last.seq - 1)
    tamper("DELETE FROM cases_caseevent WHERE id = %s", [last.row_id])
    tamper("DELETE FROM core_chainlink WHERE id = %s", [last.pk])
    tamper("UPDATE core_chainhead SET seq = %s, mac = %s WHERE id = 1", [before.seq, before.mac])
    assert "truncation" in problems()


def test_reordered_events_are_found(ledger):
    first, second = (ChainLink.objects.get(ledger="cases.caseevent", row_id=e.pk) for e in ledger[3:5])
    tamper("UPDATE core_chainlink SET seq = -1 WHERE id = %s", [first.pk])
    tamper("UPDATE core_chainlink SET seq = %s WHERE id = %s", [first.seq, second.pk])
    tamper("UPDATE core_chainlink SET seq = %s WHERE id = %s", [second.seq, first.pk])
    assert "altered or out of order" in problems()


def test_swapped_event_contents_are_found(ledger):
    a, b = ledger[0], ledger[1]
    tamper("UPDATE cases_caseevent SET kind = %s WHERE id = %s", [b.kind, a.pk])
    tamper("UPDATE cases_caseevent SET kind = %s WHERE id = %s", [a.kind, b.pk])
    text = problems()
    assert f"cases.caseevent:{a.pk}: event edited" in text and f"cases.caseevent:{b.pk}: event edited" in text


def test_the_published_head_is_signed_and_kept_outside_the_database(ledger):
    head = chain_publish()
    assert heads_path().exists() and json.loads(heads_path().read_text().splitlines()[-1]) == head
    forged = dict(head, count=head["count"] + 5)
    with heads_path().open("a") as fh:
        fh.write(json.dumps(forged) + "\n")
    assert "bad signature" in problems()


def test_the_database_refuses_updates_and_deletes_of_the_ledger_and_the_chain(ledger, ledger_guard):
    for sql in (
        "UPDATE cases_caseevent SET comment = 'x'",
        "DELETE FROM cases_caseevent",
        "UPDATE core_chainlink SET mac = 'x'",
        "DELETE FROM core_chainlink",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
