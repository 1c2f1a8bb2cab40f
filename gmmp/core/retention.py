"""Storage limitation across the platform: one daily run, one sweep per app that holds personal data.

Each app that keeps personal data registers the sweep of its own rule (a `retention.*` policy value) in
its `ready()`; `gmmp retention` and the worker's daily job run the cases' two stages and then every
registered sweep. A sweep takes `today` and `dry_run` and returns how many records it erased (or would
erase), so that the dry run counts exactly what the run does.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

Sweep = Callable[..., int]
_sweeps: dict[str, Sweep] = {}


def retention_sweep_register(name: str, fn: Sweep) -> None:
    """Register `fn` under `name` (the name is the line the command prints, e.g. `access_log`)."""
    _sweeps[name] = fn


def retention_sweeps_run(*, today: dt.date, dry_run: bool) -> dict[str, int]:
    """Run every registered sweep in registration order; {name: count}."""
    return {name: fn(today=today, dry_run=dry_run) for name, fn in _sweeps.items()}


def erase_sweep(due: Callable[..., Any], erase: Callable[[int], object]) -> Sweep:
    """A sweep that erases, one by one, every row past its retention: `due(today=...)` is the query of those
    rows, `erase(pk)` the app's erasure action (its own transaction); unless `dry_run`. It counts them."""

    def sweep(*, today: dt.date, dry_run: bool = False) -> int:
        pks = list(due(today=today).values_list("pk", flat=True))
        if not dry_run:
            for pk in pks:
                erase(pk)
        return len(pks)

    return sweep
