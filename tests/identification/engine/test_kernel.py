"""The compiled kernel (engine/_kernel.pyx) gives the numpy reference's numbers to the bit.

Every comparison is run twice, once through the kernel and once with ``kernel.compiled`` set to
None (the numpy code it replaces), on hand-built dates and names and on generated requests; the
whole search is compared too (ids, scores, bands, explanations).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from gmmp.identification.engine import Engine, Query, kernel, make_queries, query_from_row
from gmmp.identification.engine import candidates as blocking
from gmmp.identification.engine.compare import (
    SIMILAR_FUZZY,
    SIMILAR_SKELETON,
    compare_date,
    compare_names,
    compare_place,
)
from gmmp.identification.engine.normalize import PartialDate
from gmmp.identification.engine.query import PARENT_FIELDS
from gmmp.identification.engine.scoring import score

from .test_search import _query_for


def both(monkeypatch: pytest.MonkeyPatch, run):  # noqa: ANN001, ANN201
    """``run()`` through the kernel, then through the numpy reference."""
    compiled = run()
    with monkeypatch.context() as patch:
        patch.setattr(kernel, "compiled", None)
        reference = run()
    return compiled, reference


def same(a, b) -> bool:  # noqa: ANN001
    """Equal to the bit (float arrays compared exactly, dtypes included)."""
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and bool(np.all(a == b))


def test_the_kernel_is_built():
    # pip install -e . (make setup) compiles it; without it the search is ~1.5x slower.
    assert kernel.compiled is not None, "engine/_kernel.pyx is not built: run make setup (pip install -e .)"
    codes = kernel.compiled.CODES
    assert (codes["SIMILAR_SKELETON"], codes["SIMILAR_FUZZY"]) == (SIMILAR_SKELETON, SIMILAR_FUZZY)


def test_a_kernel_built_before_its_source_changed_is_not_used(tmp_path):
    built = tmp_path / "_kernel.so"
    built.write_bytes(b"")
    source = Path(kernel.__file__).with_name("_kernel.pyx")
    older, newer = source.stat().st_mtime - 60, source.stat().st_mtime + 60
    os.utime(built, (older, older))
    assert kernel.built_before_its_source(SimpleNamespace(__file__=str(built)))
    os.utime(built, (newer, newer))
    assert not kernel.built_before_its_source(SimpleNamespace(__file__=str(built)))
    assert not kernel.built_before_its_source(None)


def test_every_date_level_is_the_reference_one_on_hand_built_dates(monkeypatch):
    # Records: every year near 2000, months and days with 0 (unknown), 1 January, swappable days.
    years, months, days = (0, 1999, 2000, 2001, 2002), (0, 1, 2, 3, 12), (0, 1, 2, 3, 12, 28)
    cells = list(itertools.product(years, months, days))
    table = SimpleNamespace(
        columns={
            "birth_y": np.array([c[0] for c in cells], dtype=np.int16),
            "birth_m": np.array([c[1] for c in cells], dtype=np.int8),
            "birth_d": np.array([c[2] for c in cells], dtype=np.int8),
        }
    )
    rows = np.arange(len(cells), dtype=np.int64)[::-1].copy()
    for year, month, day in itertools.product((2000,), months, days):
        date = PartialDate(year, month if day == 0 or month else 1, day)
        compiled, reference = both(monkeypatch, lambda date=date: compare_date(table, date, rows))
        assert same(compiled, reference), date
    assert len(set(compare_date(table, PartialDate(2000, 3, 2), rows).tolist())) == 8  # every level seen


def _hand_built_requests(population) -> list[Query]:  # noqa: ANN001
    people = [population.record(i) for i in range(0, 60, 3)]
    out = []
    for rec in people:
        first, last = rec["first_name"], rec["last_name"]
        out += [
            _query_for(rec),
            _query_for(rec, first_name=last, last_name=first),  # swapped
            _query_for(rec, first_name=first[:-1] + "e", last_name=last.upper()),  # a typo
            _query_for(rec, first_name=f"{first} {last}", last_name=""),  # both in one field
            _query_for(rec, first_name="Zzyzx", last_name="Qwerty", aliases=[f"{first} {last}"]),  # alias
            _query_for(rec, first_name=f"{first} Mohamed", last_name=f"El {last}"),  # compound, particle
            _query_for(rec, first_name="".join(c for c in first if c.lower() not in "aeiou")),  # no vowels
            _query_for(rec, last_name=f"El{last.lower()}", mother_last_name=f"Ben {rec['mother_last_name']}"),
            _query_for(rec, first_name=first, last_name=last, birth_date="", birth_place=""),
            _query_for(rec, father_first_name="", mother_first_name="", mother_last_name=""),
            _query_for(rec, birth_date=rec["birth_date"][:4], birth_place="Mers Sultan"),
            _query_for(rec, birth_place=rec["birth_place"][:-1] + "x"),  # a typo: fuzzy, weight capped
        ]
    return out


def _generated_requests(population) -> list[Query]:  # noqa: ANN001
    return [query_from_row(q.fields) for q in make_queries(population, 150, 505)]


@pytest.mark.parametrize("source", [_hand_built_requests, _generated_requests])
def test_candidates_rough_ranking_and_name_levels_are_the_reference_ones(
    engine: Engine, population, monkeypatch, source
):
    t = engine.tables
    assert t is not None
    compared = 0
    for query in source(population):
        p = engine.prepare(query)
        selected = [(f, keys) for f, keys in blocking.blocking_keys(p).items() if keys]
        hashes, reference_hashes = both(monkeypatch, lambda selected=selected: blocking.hash_all(selected))
        assert sorted((f, h.tolist()) for f, h in hashes) == sorted(
            (f, h.tolist()) for f, h in reference_hashes
        )
        rows, reference_rows = both(monkeypatch, lambda p=p: blocking.candidates(t, p))
        assert same(rows, reference_rows)
        if not len(rows):
            continue
        dates = both(monkeypatch, lambda p=p, rows=rows: compare_date(t, p.date, rows))
        assert same(*dates)
        rough = both(monkeypatch, lambda p=p, rows=rows: blocking.rough(t, p, rows))
        assert same(*rough)
        pairs = [(h.first, "first_name") for h in p.hyps if h.first] + [
            (h.last, "last_name") for h in p.hyps if h.last
        ]
        pairs += [(x, f) for f in PARENT_FIELDS if (x := p.parent(f)) is not None]
        if pairs:
            (level, weight), (ref_level, ref_weight) = both(
                monkeypatch, lambda pairs=pairs, rows=rows: compare_names(t, pairs, rows)
            )
            assert same(level, ref_level) and same(weight, ref_weight)
        if p.place is not None:
            (level, weight), (ref_level, ref_weight) = both(
                monkeypatch, lambda p=p, rows=rows: compare_place(t, p, rows)
            )
            assert same(level, ref_level) and same(weight, ref_weight)
        scored, reference = both(monkeypatch, lambda p=p, rows=rows: score(t, p, rows))
        assert same(scored.total, reference.total) and same(scored.best_h, reference.best_h)
        compared += 1
    assert compared >= 20


def test_whole_searches_answer_as_the_reference_does(engine: Engine, population, monkeypatch):
    def answers(queries):  # noqa: ANN001, ANN202
        return [
            [(c.national_id, c.score, c.band, c.band_reason, c.explanation) for c in engine.search(q)]
            for q in queries
        ]

    queries = _hand_built_requests(population)[:45] + _generated_requests(population)[:60]
    compiled, reference = both(monkeypatch, lambda: answers(queries))
    assert compiled == reference
    assert sum(len(a) for a in compiled) > 100
