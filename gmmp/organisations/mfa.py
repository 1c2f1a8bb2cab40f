"""The second factor: TOTP devices (django-otp), one per user, confirmed by a first valid code; and
single-use recovery codes (a static device) for the day the phone is lost."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def totp_device_confirmed(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_device_start(*, user) -> TOTPDevice:
    """The unconfirmed device being enrolled (a fresh secret each time enrolment starts over)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="GMMP", confirmed=False)


def totp_verify(device: TOTPDevice, token: str) -> bool:
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        return False
    allowed, _extra = device.verify_is_allowed()
    return bool(allowed) and device.verify_token(token)


@transaction.atomic
def totp_device_confirm(*, user, device: TOTPDevice, token: str) -> bool:
    if device.user_id != user.pk or not totp_verify(device, token):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def totp_device_remove(*, user, token: str) -> bool:
    device = totp_device_confirmed(user)
    if device is None or not totp_verify(device, token):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return True


@transaction.atomic
def recovery_codes_generate(*, user) -> list[str]:
    """A fresh set of single-use codes (the previous set stops working). Shown once; the database keeps
    only a keyed digest of each (a stolen database gives no usable code); each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    raw = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=_digest(code)) for code in raw])
    return [f"{code[:5]}-{code[5:]}" for code in raw]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_code_use(user, code: str) -> StaticDevice | None:
    """The device when `code` is one of the user's unused recovery codes (then spent), else None."""
    code = (code or "").strip().lower().replace(" ", "").replace("-", "")
    if not code:
        return None
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    allowed, _extra = device.verify_is_allowed()
    return device if allowed and device.verify_token(_digest(code)) else None


def _digest(code: str) -> str:
    # StaticToken.token holds 16 characters: 64 bits of an HMAC under the secret key.
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()[:16]
