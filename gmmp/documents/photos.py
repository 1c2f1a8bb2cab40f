"""The holder's photo: checked, normalised to a small JPEG, stored encrypted under the data directory.

Normalising (size, format, no EXIF) keeps the PDF light and fast to render, and the public
verification page can show the photo inline without serving any file publicly.
"""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from gmmp.core.files import file_store

PHOTO_BOX = (300, 375)  # 4:5, the proportion of a 35 × 45 mm identity photo
MAX_INPUT_BYTES = 10 * 1024 * 1024


def _photo_names():
    from .models import LaissezPasser

    return LaissezPasser.objects.exclude(photo_storage_name="").values_list("photo_storage_name", flat=True)


PHOTO_FILES = file_store("lpc-photos", _photo_names)
_photo_dir = PHOTO_FILES.directory


def photo_normalise(data: bytes) -> bytes:
    """A JPEG of at most PHOTO_BOX pixels, or ValidationError for anything that is not a photo."""
    if not data:
        raise ValidationError(_("La photo est vide."), code="empty")
    if len(data) > MAX_INPUT_BYTES:
        raise ValidationError(_("La photo dépasse 10 Mo."), code="too_large")
    try:
        opened = Image.open(io.BytesIO(data))
        if opened.format not in {"JPEG", "PNG"}:
            raise ValidationError(_("La photo doit être une image JPEG ou PNG."), code="bad_type")
        opened.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("La photo doit être une image JPEG ou PNG."), code="bad_type") from exc
    image = opened.convert("RGB")
    image.thumbnail(PHOTO_BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def photo_store(jpeg: bytes) -> tuple[str, str]:
    """(storage name, sha256) of the stored, encrypted photo."""
    return PHOTO_FILES.write(jpeg)


def photo_read(storage_name: str) -> bytes | None:
    return PHOTO_FILES.read_if_any(storage_name)
