"""The holder's photo: checked, normalised to a small JPEG, stored encrypted under the data directory.

Normalising (size, format, no EXIF) keeps the PDF light and fast to render, and the public
verification page can show the photo inline without serving any file publicly.
"""

import hashlib
import io
import uuid
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PHOTO_BOX = (300, 375)  # 4:5, the proportion of a 35 × 45 mm identity photo
MAX_INPUT_BYTES = 10 * 1024 * 1024


def _fernet() -> Fernet:
    return Fernet(settings.FILE_ENCRYPTION_KEY.encode())


def _photo_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "lpc-photos"
    path.mkdir(parents=True, exist_ok=True)
    return path


def photo_normalise(data: bytes) -> bytes:
    """A JPEG of at most PHOTO_BOX pixels, or ValidationError for anything that is not a photo."""
    if not data:
        raise ValidationError(_("La photo est vide."), code="empty")
    if len(data) > MAX_INPUT_BYTES:
        raise ValidationError(_("La photo dépasse 10 Mo."), code="too_large")
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in {"JPEG", "PNG"}:
            raise ValidationError(_("La photo doit être une image JPEG ou PNG."), code="bad_type")
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("La photo doit être une image JPEG ou PNG."), code="bad_type") from exc
    image = image.convert("RGB")
    image.thumbnail(PHOTO_BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def photo_store(jpeg: bytes) -> tuple[str, str]:
    """(storage name, sha256) of the stored, encrypted photo."""
    name = uuid.uuid4().hex
    (_photo_dir() / name).write_bytes(_fernet().encrypt(jpeg))
    return name, hashlib.sha256(jpeg).hexdigest()


def photo_read(storage_name: str) -> bytes | None:
    if not storage_name:
        return None
    path = _photo_dir() / storage_name
    if not path.exists():
        return None
    return _fernet().decrypt(path.read_bytes())
