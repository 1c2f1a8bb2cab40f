"""Evidence files: checked (type by content, size), stored encrypted under the data directory."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gmmp.core.files import file_store


def _evidence_names():
    from . import hooks
    from .models import Evidence

    # Other apps that keep files in this store (the minors' judicial decisions) name theirs.
    return {*Evidence.objects.values_list("storage_name", flat=True), *hooks.evidence_names_elsewhere()}


EVIDENCE_FILES = file_store("evidence", _evidence_names)
evidence_dir = EVIDENCE_FILES.directory


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
    return EVIDENCE_FILES.write(data, storage_name)[1]


def evidence_read(storage_name: str) -> bytes:
    return EVIDENCE_FILES.read(storage_name)
