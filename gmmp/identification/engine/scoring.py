"""Fellegi–Sunter scoring: the sum over fields of each comparison's weight, in bits.

The names are scored under every hypothesis of the request (declared, swapped, aliases,
set aside) and each row keeps its best reading. The other fields do not depend on the
reading. ``Scores`` keeps the levels so that bands and explanations read the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .compare import compare_date, compare_names, compare_place, compare_sex
from .query import PARENT_FIELDS, NamePairs, Prepared
from .tables import Tables

Levels = tuple[np.ndarray, np.ndarray]  # (level per row, weight per row)


@dataclass
class Scores:
    rows: np.ndarray
    total: np.ndarray  # match weight in bits per row
    best_h: np.ndarray  # index of the best hypothesis per row
    hyp_levels: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]  # per hypothesis: lf, wf, ll, wl
    fields: dict[str, Levels]  # every field but the two names

    def names_weight(self) -> np.ndarray:
        return self.total - sum(w for _, w in self.fields.values())

    def take(self, index: np.ndarray) -> Scores:
        """The scores of the rows at ``index`` (each row's figures are its own: nothing is recomputed)."""
        return Scores(
            rows=self.rows[index],
            total=self.total[index],
            best_h=self.best_h[index],
            hyp_levels=[(lf[index], wf[index], ll[index], wl[index]) for lf, wf, ll, wl in self.hyp_levels],
            fields={f: (lv[index], w[index]) for f, (lv, w) in self.fields.items()},
        )


def merged(a: Scores, b: Scores) -> Scores:
    """The scores of two disjoint sets of rows, in row order (as if scored together)."""

    def cat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.concatenate([x, y])

    both = Scores(
        rows=cat(a.rows, b.rows),
        total=cat(a.total, b.total),
        best_h=cat(a.best_h, b.best_h),
        hyp_levels=[
            (cat(ha[0], hb[0]), cat(ha[1], hb[1]), cat(ha[2], hb[2]), cat(ha[3], hb[3]))
            for ha, hb in zip(a.hyp_levels, b.hyp_levels, strict=True)
        ],
        fields={f: (cat(lv, b.fields[f][0]), cat(w, b.fields[f][1])) for f, (lv, w) in a.fields.items()},
    )
    return both.take(np.argsort(both.rows, kind="stable"))


def score(t: Tables, q: Prepared, rows: np.ndarray, date_level: np.ndarray | None = None) -> Scores:
    """Every field of ``rows`` against the request (``date_level``: the rows' date levels, when the
    rough ranking already compared them)."""
    # Every distinct (name, column) pair of the readings and the parents, compared in one pass.
    named = NamePairs()
    hyp_slots = named.readings(q.hyps)
    parent_slots = {f: named.slot(q.parent(f), f) for f in PARENT_FIELDS}
    pairs = named.pairs
    level, weight = compare_names(t, pairs, rows)
    first, last = (np.array(s, dtype=np.intp) for s in zip(*hyp_slots, strict=True))
    penalty = np.array([h.penalty for h in q.hyps])
    stacked = weight[first] + weight[last] - penalty[:, None]
    best_h = np.argmax(stacked, axis=0)
    names_weight = stacked[best_h, np.arange(len(rows))]
    hyp_levels = [(level[a], weight[a], level[b], weight[b]) for a, b in hyp_slots]

    fields: dict[str, Levels] = {f: (level[i], weight[i]) for f, i in parent_slots.items()}
    if date_level is None:
        date_level = compare_date(t, q.date, rows)
    fields["birth_date"] = (date_level, t.weights["birth_date"][date_level])
    fields["birth_place"] = compare_place(t, q, rows)
    fields["sex"] = compare_sex(t, q, rows)
    total = names_weight + sum(w for _, w in fields.values())
    return Scores(rows=rows, total=total, best_h=best_h, hyp_levels=hyp_levels, fields=fields)


def levels_of_best_reading(s: Scores) -> dict[str, np.ndarray]:
    """Level of every field per row, the names read with each row's best hypothesis."""
    index = np.arange(len(s.rows))
    first = np.vstack([h[0] for h in s.hyp_levels])[s.best_h, index]
    last = np.vstack([h[2] for h in s.hyp_levels])[s.best_h, index]
    return {
        "rows": s.rows,
        "first_name": first,
        "last_name": last,
        **{f: lv for f, (lv, _) in s.fields.items()},
    }
