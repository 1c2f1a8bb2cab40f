"""Tamper evidence for the ledgers: a keyed chain over every event of every ledger table, in one
global order, and signed heads published outside the database.

- Each ledger writer calls `chain_append(row)` in the transaction that writes the event. The chain
  head is locked (one global order whatever the table), the row is read back as the database holds
  it, digested, and linked: mac = HMAC(key, previous mac | seq | ledger | row id | row digest).
- The key (settings.LEDGER_KEY) is held outside the database: a file in the data directory locally,
  GMMP_LEDGER_KEY in production. Whoever can rewrite the database cannot recompute the macs.
- `chain_publish()` (daily: `gmmp ledger publish`) appends the signed head (count + mac) to
  DATA_DIR/ledger/heads.jsonl and to the log: a truncation of the tail together with its links is
  caught against the last published head.
- `chain_verify()` (`gmmp ledger verify`) finds an edited, inserted, deleted or reordered event, an
  altered or missing link, and a truncation below a published head.

Every concrete `core.ledger.HashChainedEvent` is a ledger and is chained by its `append()`; another
append-only table can join with `ledger_register` and a `chain_append` call in its writer.
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps as global_apps
from django.conf import settings
from django.db import transaction

logger = logging.getLogger("gmmp.ledger")

_LEDGERS: list[str] = []


def ledger_register(label: str) -> None:
    """Declare a ledger table ("app_label.ModelName"): its every row must be in the chain."""
    label = label.lower()
    if label not in _LEDGERS:
        _LEDGERS.append(label)


def ledgers() -> list[str]:
    """Every ledger table: the registered ones and every concrete HashChainedEvent (core/ledger.py)."""
    from .ledger import HashChainedEvent

    found = {m._meta.label_lower for m in global_apps.get_models() if issubclass(m, HashChainedEvent)}
    return sorted(found | set(_LEDGERS))


def _key() -> bytes:
    return settings.LEDGER_KEY.encode()


def _mac(prev: str, seq: int, ledger: str, row_id: int, digest: str) -> str:
    message = f"{prev}|{seq}|{ledger}|{row_id}|{digest}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def _canonical(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _digest(values: dict) -> str:
    body = json.dumps({k: _canonical(v) for k, v in values.items()}, sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _row_values(model, pk) -> dict:
    return model._default_manager.using("default").filter(pk=pk).values(*_fields(model)).get()


def chain_append(row, *, apps=global_apps) -> None:
    """Link one freshly written ledger row (inside the transaction that wrote it)."""
    head_model = apps.get_model("core", "ChainHead")
    link_model = apps.get_model("core", "ChainLink")
    model = type(row)
    label = model._meta.label_lower
    with transaction.atomic():
        # The head's row lock gives every link of every ledger one global order. (The row is made by
        # core 0003; made again here after a test database's flush, which empties every table.)
        head_model.objects.get_or_create(pk=1, defaults={"seq": 0, "mac": ""})
        head = head_model.objects.select_for_update().get(pk=1)
        digest = _digest(_row_values(model, row.pk))
        seq = head.seq + 1
        mac = _mac(head.mac, seq, label, row.pk, digest)
        link_model.objects.create(seq=seq, ledger=label, row_id=row.pk, row_digest=digest, mac=mac)
        head_model.objects.filter(pk=1).update(seq=seq, mac=mac)


def chain_backfill(apps=global_apps, labels=None) -> int:
    """Link the rows written before the chain existed, in the order they were written (time, id)."""
    n = 0
    for label in labels or ledgers():
        model = apps.get_model(label)
        linked = set(
            apps.get_model("core", "ChainLink").objects.filter(ledger=label).values_list("row_id", flat=True)
        )
        for row in model._default_manager.order_by("at", "pk").only("pk"):
            if row.pk not in linked:
                chain_append(row, apps=apps)
                n += 1
    return n


def chain_head() -> tuple[int, str]:
    from .models import ChainHead

    head = ChainHead.objects.filter(pk=1).first()
    return (head.seq, head.mac) if head else (0, "")


# ---------------------------------------------------------------------------------------------- heads


def heads_path() -> Path:
    """Where the signed heads go: LEDGER_HEADS_FILE (put it where the database's users cannot write),
    by default DATA_DIR/ledger/heads.jsonl."""
    configured = getattr(settings, "LEDGER_HEADS_FILE", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "ledger" / "heads.jsonl"


def _head_signature(at: str, count: int, mac: str) -> str:
    return hmac.new(_key(), f"head|{at}|{count}|{mac}".encode(), hashlib.sha256).hexdigest()


def chain_publish(*, now: dt.datetime | None = None) -> dict:
    """Append the signed head to the heads file (outside the database) and to the log."""
    from . import clock

    count, mac = chain_head()
    at = (now or clock.now()).astimezone(dt.UTC).isoformat()
    head = {"at": at, "count": count, "mac": mac, "signature": _head_signature(at, count, mac)}
    path = heads_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fh.write(json.dumps(head, sort_keys=True) + "\n")
    logger.info("ledger head at=%s count=%s mac=%s signature=%s", at, count, mac, head["signature"])
    return head


def published_heads() -> list[dict]:
    path = heads_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# ---------------------------------------------------------------------------------------------- verify


@dataclass
class ChainReport:
    count: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def chain_verify(*, limit_problems: int = 50) -> ChainReport:
    """Recompute everything from the rows and the key; list what does not hold."""
    from .models import ChainHead, ChainLink

    report = ChainReport()
    problems = report.problems
    prev, expected = "", 1
    macs: dict[int, str] = {}
    by_ledger: dict[str, dict[int, tuple[int, str]]] = {}
    for seq, ledger, row_id, digest, mac in (
        ChainLink.objects.order_by("seq")
        .values_list("seq", "ledger", "row_id", "row_digest", "mac")
        .iterator(chunk_size=5000)
    ):
        if seq != expected:
            problems.append(f"chain: link #{expected} missing (next is #{seq}): a deletion or a reordering")
            expected = seq
        if _mac(prev, seq, ledger, row_id, digest) != mac:
            problems.append(f"chain: link #{seq} ({ledger}:{row_id}) altered or out of order")
        by_ledger.setdefault(ledger, {})[row_id] = (seq, digest)
        macs[seq] = mac
        prev, expected = mac, seq + 1
    report.count = expected - 1
    for label in set(ledgers()) | set(by_ledger):
        model = global_apps.get_model(label)
        links = by_ledger.get(label, {})
        seen = set()
        for values in model._default_manager.values(*_fields(model)).iterator(chunk_size=2000):
            pk = values[model._meta.pk.attname]
            seen.add(pk)
            if pk not in links:
                problems.append(f"{label}:{pk}: event not in the chain (inserted outside the ledger writer)")
            elif _digest(values) != links[pk][1]:
                problems.append(f"{label}:{pk}: event edited after it was written (link #{links[pk][0]})")
        for pk, (seq, _unused) in links.items():
            if pk not in seen:
                problems.append(f"{label}:{pk}: event deleted (link #{seq})")
    head = ChainHead.objects.filter(pk=1).first()
    if head is None or head.seq != report.count or head.mac != prev:
        problems.append(f"head: the stored head does not match the chain's end (#{report.count})")
    for published in published_heads():
        count, mac = published.get("count", -1), published.get("mac", "")
        if published.get("signature") != _head_signature(published.get("at", ""), count, mac):
            problems.append(f"published head of {published.get('at')}: bad signature")
        elif count > report.count:
            problems.append(
                f"truncation: the head published on {published['at']} had {count} events, the chain has "
                f"{report.count}"
            )
        elif count and macs.get(count) != mac:
            problems.append(f"history rewritten before the head published on {published['at']} (#{count})")
    del problems[limit_problems:]
    return report
