"""The compiled loops (``_kernel.pyx``, built by ``pip install -e .`` / ``make setup``), or None.

When it is built, compare.py and candidates.py hand their per-row work to it; otherwise (a tree
not rebuilt since the kernel was added, an interpreter without a compiler) they run their numpy
code, which stays the reference: tests/identification/engine/test_kernel.py checks that both give
the same levels and weights to the bit and the same answers to whole requests.
"""

from __future__ import annotations

from types import ModuleType

from . import model

compiled: ModuleType | None
try:
    from . import _kernel as compiled  # type: ignore[attr-defined, no-redef]
except ImportError:  # not built: the numpy path
    compiled = None

if compiled is not None:
    # The kernel has the level codes compiled in: refuse it if model.py's differ (test_kernel checks
    # compare.py's similarity classes).
    for code, value in compiled.CODES.items():
        assert getattr(model, code, value) == value, code
    assert compiled.PAIR_COLUMNS[4:12] == (
        "telling",
        "ends_a",
        "ends_e",
        "listed",
        "consonants",
        "without_vowels",
        "article_stem",
        "particle_stem",
    ), "Tables.name_traits gives these, in this order"
