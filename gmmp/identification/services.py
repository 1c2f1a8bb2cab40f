"""The platform's use of the identification engine: one memory-mapped engine per process, searches
checked and logged. The engine itself (engine/) knows nothing of users or cases."""

import threading

from django.conf import settings

from gmmp.audit.services import access_log_record

from .engine import Candidate, Engine, Query

_lock = threading.Lock()
_engine: Engine | None = None


def register_engine() -> Engine:
    """The engine over the register generation in force; switches when the register is re-imported."""
    global _engine
    with _lock:
        if _engine is None or str(_engine.directory) != str(settings.REGISTER_DIR):
            _engine = Engine.open(settings.REGISTER_DIR)
        else:
            _engine.refresh()
        return _engine


def query_from_case(case) -> Query:
    """The register query for the person of a file: an adult's case, or a child's (which has no aliases)."""
    return Query(
        first_name=case.first_names,
        last_name=case.last_name,
        aliases=list(getattr(case, "aliases", None) or []),
        sex=case.sex if case.sex in ("M", "F") else "",
        birth_date=case.birth_date,
        birth_place=case.birth_place,
        father_first_name=case.father_first_name,
        mother_first_name=case.mother_first_name,
        mother_last_name=case.mother_last_name,
    )


BAND_SEARCH_DEPTH = 10


def register_band_for(*, case, national_id: str) -> str:
    """How the register record `national_id` stands against the request as filed: its band among the
    engine's proposals for the case's own fields, or `weak` when it is not among them (the officer found
    it another way: by the parents, other fields, another search). Computed by the platform at the
    decision, so that the guard against the wrong person never trusts a band sent by a client."""
    for candidate in register_engine().search(query_from_case(case), limit=BAND_SEARCH_DEPTH):
        if candidate.national_id == national_id:
            return candidate.band
    return "weak"


def register_search(
    *, user, query: Query, limit: int = 5, channel: str = "web", case_reference: str = ""
) -> list[Candidate]:
    """Search the register for `user` (permission checked by the caller); every search is logged,
    with the case it was for and the national ids shown, never the names searched."""
    candidates = register_engine().search(query, limit=limit)
    access_log_record(
        user=user,
        action="search",
        object_type="register",
        object_id=case_reference,
        channel=channel,
        detail={"shown": [c.national_id for c in candidates]},
    )
    return candidates


def register_record(*, user, national_id: str, channel: str = "web", case_reference: str = "") -> dict | None:
    record = _store().get(national_id)
    if record is not None:
        access_log_record(
            user=user,
            action="view",
            object_type="register",
            object_id=national_id,
            channel=channel,
            detail={"case": case_reference},
        )
    return record


def _store():
    from .engine import RegisterStore

    return RegisterStore(settings.REGISTER_DIR)
