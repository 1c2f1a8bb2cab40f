"""The second factor: TOTP devices (django-otp), one per user, confirmed by a first valid code."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


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
    return True
