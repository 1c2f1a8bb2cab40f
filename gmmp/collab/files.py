"""Message attachments: the evidence checks (type by content, size), encrypted at rest in their own
directory (the evidence sweep would take them for orphans in the evidence one)."""

import hashlib
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings


def _fernet() -> Fernet:
    return Fernet(settings.FILE_ENCRYPTION_KEY.encode())


def attachment_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "messages"
    path.mkdir(parents=True, exist_ok=True)
    return path


def attachment_write(storage_name: str, data: bytes) -> str:
    (attachment_dir() / storage_name).write_bytes(_fernet().encrypt(data))
    return hashlib.sha256(data).hexdigest()


def attachment_read(storage_name: str) -> bytes:
    return _fernet().decrypt((attachment_dir() / storage_name).read_bytes())


def attachment_delete(storage_name: str) -> None:
    (attachment_dir() / storage_name).unlink(missing_ok=True)
