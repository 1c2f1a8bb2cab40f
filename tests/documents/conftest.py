import io

import pytest
from PIL import Image, ImageDraw


@pytest.fixture(autouse=True)
def isolated_documents(settings, tmp_path):
    """Each test signs with its own keys and stores photos in its own directory."""
    settings.LPC_KEYS_DIR = str(tmp_path / "keys")
    settings.MEDIA_ROOT = str(tmp_path / "files")
    settings.LPC_VERIFY_RATE = (1000, 60)


def photo_bytes(fmt: str = "JPEG", size=(420, 540)) -> bytes:
    """A small synthetic portrait (a face-like drawing, not a real person)."""
    image = Image.new("RGB", size, (220, 220, 215))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.28, h * 0.15, w * 0.72, h * 0.6), fill=(150, 120, 100))
    draw.rectangle((w * 0.18, h * 0.62, w * 0.82, h), fill=(40, 50, 70))
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def photo():
    return photo_bytes()
