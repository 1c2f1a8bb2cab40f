"""Batch identification (CSV in, CSV out) and terminal output, for the thin CLI wrappers."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import describe
from .columns import QUERY_FIELDS
from .engine import Candidate, Engine, Query

RESULT_COLUMNS = ["request_id", "rank", "national_id", "score", "band", "why"]


class BatchInputError(Exception):
    """The requests file cannot be read (missing, not UTF-8, no request_id column)."""


def query_from_row(row: dict[str, str]) -> Query:
    """A Query from a row of the batch contract (aliases: semicolon-separated full names)."""
    aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
    return Query(aliases=aliases, **{f: (row.get(f) or "").strip() for f in QUERY_FIELDS})


def read_requests(path: str | os.PathLike[str]) -> Iterator[dict[str, str]]:
    path = Path(path)
    if not path.is_file():
        raise BatchInputError(f"requests file not found: {path}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "request_id" not in [f.strip() for f in reader.fieldnames]:
                raise BatchInputError(f"{path} lacks the request_id column")
            for row in reader:
                yield {(k or "").strip(): (v or "") for k, v in row.items()}
    except UnicodeDecodeError as exc:
        raise BatchInputError(f"{path} is not UTF-8 text") from exc


def identify_rows(engine: Engine, rows: Iterable[dict[str, str]], limit: int = 5) -> Iterator[list[object]]:
    for row in rows:
        for rank, c in enumerate(engine.search(query_from_row(row), limit=limit), start=1):
            yield [row["request_id"], rank, c.national_id, f"{c.score:.3f}", c.band, c.why]


_WORKER_ENGINE: Engine | None = None


def _answer_chunk(args: tuple[list[dict[str, str]], int]) -> list[list[object]]:
    rows, limit = args
    assert _WORKER_ENGINE is not None
    return list(identify_rows(_WORKER_ENGINE, rows, limit))


def _parallel_rows(
    engine: Engine, rows: Iterable[dict[str, str]], limit: int, workers: int
) -> Iterator[list[object]]:
    """Forked workers share the engine's memory maps (the page cache holds one copy)."""
    import multiprocessing

    global _WORKER_ENGINE
    _WORKER_ENGINE = engine

    def chunks() -> Iterator[tuple[list[dict[str, str]], int]]:
        chunk: list[dict[str, str]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == 50:
                yield chunk, limit
                chunk = []
        if chunk:
            yield chunk, limit

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for result in pool.imap(_answer_chunk, chunks()):
            yield from result


def default_workers(queries_csv: str | os.PathLike[str]) -> int:
    """One process per core for a large file; one for a small one (forking costs ~50 ms)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        large = Path(queries_csv).stat().st_size > 64 * 1024  # ≈ 400 requests
    except OSError:
        large = False
    return max(1, cores) if large else 1


def identify_batch(
    engine: Engine,
    queries_csv: str | os.PathLike[str],
    out_csv: str | os.PathLike[str],
    limit: int = 5,
    workers: int | None = None,
) -> int:
    """Answer every request of ``queries_csv`` into ``out_csv``; returns the number of requests.

    One row per candidate, at most ``limit`` (5) per request, best first; a request without
    candidate has no row. Extra columns in the requests file are ignored. ``workers`` > 1
    answers in that many forked processes (results keep the order of the requests); None
    (the default) uses every core once the file holds more than a few chunks of requests.
    """
    if workers is None:
        workers = default_workers(queries_csv)
    count = 0

    def counted() -> Iterator[dict[str, str]]:
        nonlocal count
        for row in read_requests(queries_csv):
            count += 1
            yield row

    out = Path(out_csv)
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(RESULT_COLUMNS)
        if workers > 1:
            writer.writerows(_parallel_rows(engine, counted(), min(limit, 5), workers))
        else:
            writer.writerows(identify_rows(engine, counted(), min(limit, 5)))
    os.replace(tmp, out)
    return count


def format_candidates(candidates: list[Candidate]) -> str:
    """Candidates with their field-by-field explanation, for a terminal."""
    if not candidates:
        return "No candidate in the register."
    lines = []
    for rank, c in enumerate(candidates, start=1):
        r = c.record
        lines.append(
            f"{rank}. [{c.band.upper()}] {c.national_id}  {r.get('first_name', '')} {r.get('last_name', '')}"
            f"  born {r.get('birth_date') or '?'} in {r.get('birth_place') or '?'}"
            f"  score {c.score:.1f} bits, p={c.probability:.4f}"
        )
        reason = describe.REASONS.get(c.band_reason, c.band_reason)
        if reason:
            lines.append(f"   band: {reason}")
        for e in c.explanation:
            note = f"  ({describe.note(e)})" if e.note else ""
            lines.append(
                f"   {e.field:<18} {e.outcome:<9} {e.weight:+6.1f}  {e.query_value or '—'} | {e.record_value or '—'}{note}"
            )
    return "\n".join(lines)
