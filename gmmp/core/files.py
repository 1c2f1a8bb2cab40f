"""Files stored encrypted (Fernet) under the data directory: evidence, laissez-passer photos.

A file and the row that names it cannot commit together: a file is written before its row, and
removed only after the transaction that forgets its row has committed (`delete_on_commit`), so that a
rollback never keeps a row whose file is gone. What a rolled-back transaction leaves behind (a file no
row names) is swept by `orphans_sweep`, for every store, by the daily retention run.
"""

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.db import transaction


def _fernet() -> Fernet:
    return Fernet(str(settings.FILE_ENCRYPTION_KEY).encode())


class EncryptedFileStore:
    """One folder of encrypted files under MEDIA_ROOT; `known_names()` lists the names rows point to."""

    def __init__(self, folder: str, known_names: Callable[[], Iterable[str]]):
        self.folder = folder
        self.known_names = known_names

    def directory(self) -> Path:
        path = Path(settings.MEDIA_ROOT) / self.folder
        path.mkdir(parents=True, exist_ok=True)
        return path

    def write(self, data: bytes, name: str | None = None) -> tuple[str, str]:
        """Store `data` encrypted; (storage name, sha256 of the clear bytes)."""
        name = name or uuid.uuid4().hex
        (self.directory() / name).write_bytes(_fernet().encrypt(data))
        return name, hashlib.sha256(data).hexdigest()

    def read(self, name: str) -> bytes:
        return _fernet().decrypt((self.directory() / name).read_bytes())

    def read_if_any(self, name: str) -> bytes | None:
        """The clear bytes, or None when there is no name or no file."""
        if not name or not (self.directory() / name).exists():
            return None
        return self.read(name)

    def discard(self, names: Iterable[str]) -> None:
        """Remove at once files whose rows a rollback has already undone (a refused filing's evidence)."""
        for name in names:
            if name:
                (self.directory() / name).unlink(missing_ok=True)

    def delete_on_commit(self, names: Iterable[str]) -> None:
        """Remove these files once the current transaction has committed (at once outside one)."""
        paths = [self.directory() / name for name in names if name]

        def unlink() -> None:
            for path in paths:
                path.unlink(missing_ok=True)

        transaction.on_commit(unlink)

    def orphans(self, *, older_than_seconds: float) -> list[Path]:
        """Files no row names. Recent files may belong to a transaction still running: only older ones."""
        known = set(self.known_names())
        limit = time.time() - older_than_seconds
        return [
            p
            for p in self.directory().iterdir()
            if p.is_file() and p.name not in known and p.stat().st_mtime < limit
        ]


STORES: list[EncryptedFileStore] = []


def file_store(folder: str, known_names: Callable[[], Iterable[str]]) -> EncryptedFileStore:
    """Declare a store; every declared store is swept by `orphans_sweep`."""
    store = EncryptedFileStore(folder, known_names)
    STORES.append(store)
    return store


def orphans_find(*, older_than_seconds: float = 86400) -> list[Path]:
    return [path for store in STORES for path in store.orphans(older_than_seconds=older_than_seconds)]


def orphans_sweep(*, older_than_seconds: float = 86400, dry_run: bool = False) -> int:
    found = orphans_find(older_than_seconds=older_than_seconds)
    if not dry_run:
        for path in found:
            path.unlink(missing_ok=True)
    return len(found)
