"""Extension points the case workflow offers to apps that depend on it (they register in ready()).

The cases app must not import the documents app: the dependency goes the other way.
"""

import datetime as dt
from collections.abc import Callable, Iterable

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


_minor_track_opener: Callable | None = None


def register_minor_track_opener(fn: Callable) -> None:
    """The minors app opens the protected case of a person whose age was established as a minor's."""
    global _minor_track_opener
    _minor_track_opener = fn


def minor_track_open(*, case, user, birth_date: str = "", basis: str = "", reference: str = "") -> str:
    """Open the child's case in the protected track (in the caller's transaction); its reference, or '' when
    no opener is registered."""
    if _minor_track_opener is None:
        return ""
    child = _minor_track_opener(case=case, user=user, birth_date=birth_date, basis=basis, reference=reference)
    return child.reference


_erasers: list[Callable[..., None]] = []


def register_personal_data_eraser(fn: Callable[..., None]) -> None:
    """Apps holding personal data about a case (e.g. the laissez-passer photo) erase it when asked."""
    if fn not in _erasers:
        _erasers.append(fn)


def personal_data_erase(*, case, stage: int) -> None:
    for fn in _erasers:
        fn(case=case, stage=stage)


_evidence_namers: list[Callable[[], Iterable[str]]] = []


def register_evidence_names(fn: Callable[[], Iterable[str]]) -> None:
    """Apps that keep files in the evidence store (the minors' judicial decisions) name them, so that the
    sweep of orphan files never takes them for leftovers of a rolled-back transaction."""
    if fn not in _evidence_namers:
        _evidence_namers.append(fn)


def evidence_names_elsewhere() -> set[str]:
    return {name for fn in _evidence_namers for name in fn()}


_reversal_handlers: list[Callable[..., dict | None]] = []


def register_identification_reversal_handler(fn: Callable[..., dict | None]) -> None:
    """Apps that hold something resting on an identification (the laissez-passer) act when it is reversed."""
    if fn not in _reversal_handlers:
        _reversal_handlers.append(fn)


def identification_reversed(*, case, user) -> dict:
    """Called inside the reversal's transaction, the case row locked, before its event is written: what
    the handlers did goes into that event's details (one event per action)."""
    done: dict = {}
    for fn in _reversal_handlers:
        done.update(fn(case=case, user=user) or {})
    return done
