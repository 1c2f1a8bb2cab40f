"""The compiled loops (``_kernel.pyx``, built by ``pip install -e .`` / ``make setup``), or None.

When it is built, compare.py and candidates.py hand their per-row work to it; otherwise (a tree
not rebuilt since the kernel was added, an interpreter without a compiler) they run their numpy
code, which stays the reference: tests/identification/engine/test_kernel.py checks that both give
the same levels and weights to the bit and the same answers to whole requests.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from types import ModuleType

from . import model

compiled: ModuleType | None
try:
    from . import _kernel as compiled  # type: ignore[attr-defined, no-redef]
except ImportError:  # not built: the numpy path
    compiled = None


def built_before_its_source(module: ModuleType | None) -> bool:
    """A module compiled before its `.pyx` last changed (a pull or a branch switch without `make setup`):
    its loops may not be the ones the numpy code now mirrors, so it is not used."""
    built = getattr(module, "__file__", None)
    if not built:
        return False
    source = Path(__file__).with_name("_kernel.pyx")
    return source.exists() and source.stat().st_mtime > Path(built).stat().st_mtime


if built_before_its_source(compiled):
    warnings.warn(
        "engine/_kernel.pyx changed after it was built: the numpy path is used; run make setup",
        RuntimeWarning,
        stacklevel=1,
    )
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
