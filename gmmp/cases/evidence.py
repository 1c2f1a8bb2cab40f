"""Evidence files: checked (type by content, size), stored encrypted under the data directory."""

import hashlib
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _fernet() -> Fernet:
    return Fernet(settings.FILE_ENCRYPTION_KEY.encode())


def evidence_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def evidence_check(upload) -> tuple[bytes, str]:
    """Read and check an uploaded file; return its bytes and its content type, or raise ValidationError."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("Le fichier dépasse la taille maximale de %(max)s Mo.")
            % {"max": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    data = upload.read(settings.EVIDENCE_MAX_BYTES + 1)
    if len(data) > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("Le fichier dépasse la taille maximale de %(max)s Mo.")
            % {"max": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    if not data:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    for content_type, magic in settings.EVIDENCE_CONTENT_TYPES.items():
        if data.startswith(magic):
            return data, content_type
    raise ValidationError(
        _("Type de fichier refusé : seuls les PDF, JPEG et PNG sont acceptés."), code="bad_type"
    )


def evidence_write(storage_name: str, data: bytes) -> str:
    (evidence_dir() / storage_name).write_bytes(_fernet().encrypt(data))
    return hashlib.sha256(data).hexdigest()


def evidence_read(storage_name: str) -> bytes:
    return _fernet().decrypt((evidence_dir() / storage_name).read_bytes())
