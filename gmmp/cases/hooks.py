"""Extension points the case workflow offers to apps that depend on it (they register in ready()).

The cases app must not import the documents app: the dependency goes the other way.
"""

import datetime as dt
from collections.abc import Callable

_lpc_issuer: Callable[..., dict] | None = None
_departure_checker: Callable[..., str] | None = None


def register_lpc_issuer(fn: Callable[..., dict]) -> None:
    global _lpc_issuer
    _lpc_issuer = fn


def register_departure_checker(fn: Callable[..., str]) -> None:
    global _departure_checker
    _departure_checker = fn


def lpc_issue(*, case, user, **fields) -> dict:
    """Make the laissez-passer for `case`; return what the ledger should record (number, validity)."""
    if _lpc_issuer is None:
        return {}
    return _lpc_issuer(case=case, user=user, **fields)


def departure_check(*, case, departure_date: dt.date) -> str:
    """'' when a departure on that date is possible, else the reason (e.g. the LPC does not cover it)."""
    if _departure_checker is None:
        return ""
    return _departure_checker(case=case, departure_date=departure_date)


_erasers: list[Callable[..., None]] = []


def register_personal_data_eraser(fn: Callable[..., None]) -> None:
    """Apps holding personal data about a case (e.g. the laissez-passer photo) erase it when asked."""
    if fn not in _erasers:
        _erasers.append(fn)


def personal_data_erase(*, case, stage: int) -> None:
    for fn in _erasers:
        fn(case=case, stage=stage)
