"""A file chosen on the filing form survives a validation error elsewhere on the page.

A browser cannot keep a chosen file across a reload. When the rest of the form has errors but the file
itself passed the evidence check, its content is kept encrypted in the evidence store under a name no
evidence row holds, and the session remembers it by a random token that the form carries back. On the
next submission without a new file, the kept file is used; once the request is recorded it is deleted.
A kept file nobody comes back for is an orphan of the store: the daily sweep deletes it after a day.
"""

import secrets
import uuid

from cryptography.fernet import InvalidToken

from gmmp.cases.evidence import evidence_dir, evidence_read, evidence_write

SESSION_KEY = "pending_evidence"


def pending_keep(session, *, name: str, content: bytes, content_type: str) -> str:
    storage = f"pending-{uuid.uuid4().hex}"
    evidence_write(storage, content)
    token = secrets.token_urlsafe(16)
    kept = session.get(SESSION_KEY, {})
    kept[token] = {"name": name, "content_type": content_type, "storage": storage}
    session[SESSION_KEY] = kept
    return token


def pending_get(session, token: str) -> dict | None:
    """{name, content, content_type} of the file kept under `token` in this session, or None."""
    entry = session.get(SESSION_KEY, {}).get(token or "")
    if entry is None:
        return None
    try:
        content = evidence_read(entry["storage"])
    except (FileNotFoundError, InvalidToken):
        return None
    return {"name": entry["name"], "content": content, "content_type": entry["content_type"]}


def pending_drop(session, token: str) -> None:
    kept = session.get(SESSION_KEY, {})
    entry = kept.pop(token or "", None)
    if entry is not None:
        (evidence_dir() / entry["storage"]).unlink(missing_ok=True)
        session[SESSION_KEY] = kept
