"""Free text in the ledger (comments, questions, answers, reasons) is encrypted with a key of its own
case, and that key is destroyed when retention anonymises the case (crypto-shredding): the immutable
ledger then holds text nobody can read, and its hashes and chain still verify.

The same goes for the personal values an event's details carry (a corrected name's old and new value, a
birth date an age decision changed, the reference of a court decision): `value_seal` when writing,
`details_open` (through `comments_open`) when showing.

The per-case keys are kept wrapped with the file-encryption key (held outside the database): a copy of
the database alone reads no comment either.
"""

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.translation import gettext as _

from gmmp.core import clock

PREFIX = "enc1:"


def _wrapper() -> Fernet:
    return Fernet(settings.FILE_ENCRYPTION_KEY.encode())


def _case_key(case_id: int, *, create: bool) -> Fernet | None:
    from .models import CaseKey

    row = CaseKey.objects.filter(case_id=case_id).first()
    if row is None:
        if not create:
            return None
        key = Fernet.generate_key()
        row, _created = CaseKey.objects.get_or_create(
            case_id=case_id, defaults={"wrapped": _wrapper().encrypt(key).decode()}
        )
    if row.destroyed_at is not None:
        return None
    return Fernet(_wrapper().decrypt(row.wrapped.encode()))


def comment_seal(*, case_id: int, text: str) -> str:
    """What the ledger stores for `text` (inside the transaction that writes the event)."""
    if not text:
        return ""
    key = _case_key(case_id, create=True)
    if key is None:
        # The case was anonymised (its key destroyed): a later comment is born shredded, nobody reads it.
        return PREFIX
    return PREFIX + key.encrypt(text.encode()).decode()


def comment_open(stored: str, key: Fernet | None) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption
    if key is None:
        return _("[texte effacé]")
    try:
        return key.decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        return _("[texte illisible]")


def value_seal(*, case_id: int, value: Any) -> Any:
    """A personal value for an event's details, sealed like a comment (a non-text value as its JSON)."""
    if value in (None, "", [], {}):
        return value
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return comment_seal(case_id=case_id, text=text)


def details_open(details: Any, key: Fernet | None) -> Any:
    """The details with every sealed value opened (or marked erased once the case key is destroyed)."""
    if isinstance(details, str):
        return comment_open(details, key) if details.startswith(PREFIX) else details
    if isinstance(details, dict):
        return {k: details_open(v, key) for k, v in details.items()}
    if isinstance(details, list):
        return [details_open(v, key) for v in details]
    return details


def _sealed(event) -> bool:
    return event.comment.startswith(PREFIX) or PREFIX in json.dumps(event.details or {}, default=str)


def comments_open(events) -> list:
    """The events with their readable comment in `comment_text` and their details with personal values
    opened in `details_open` (one key lookup per case for the lot)."""
    events = list(events)
    keys: dict[int, Fernet | None] = {}
    for event in events:
        sealed = _sealed(event)
        if sealed and event.case_id not in keys:
            keys[event.case_id] = _case_key(event.case_id, create=False)
        key = keys.get(event.case_id)
        event.comment_text = comment_open(event.comment, key)
        event.details_open = details_open(event.details, key) if sealed else event.details
    return events


def case_key_destroy(*, case_id: int) -> None:
    """Crypto-shredding: the case's comments become unreadable for good."""
    from .models import CaseKey

    now = clock.now()
    CaseKey.objects.filter(case_id=case_id, destroyed_at__isnull=True).update(wrapped="", destroyed_at=now)
    # A case with no comment yet has no key: a destroyed one stands for it, so that a comment written
    # after the anonymisation is not given a new, readable key.
    CaseKey.objects.get_or_create(case_id=case_id, defaults={"wrapped": "", "destroyed_at": now})
