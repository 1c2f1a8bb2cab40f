"""Scoped API tokens: `gmmp_<prefix>_<secret>`; the secret is stored hashed (SHA-256, it is random)."""

import datetime as dt
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from gmmp.core.errors import Refused

from .models import ApiToken, User


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, scopes: list[str], expires_at=None) -> tuple[ApiToken, str]:
    prefix = secrets.token_hex(5)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    return token, f"gmmp_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, prefix: str) -> ApiToken:
    """Revoke the token with this prefix (revoking twice keeps the first date)."""
    token = ApiToken.objects.select_for_update().filter(prefix=prefix).first()
    if token is None:
        raise Refused(f"No token has the prefix {prefix!r}.", code="unknown_token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


LAST_USED_PRECISION = dt.timedelta(minutes=1)


def api_token_authenticate(raw: str) -> ApiToken | None:
    try:
        marker, prefix, secret = raw.split("_", 2)
    except ValueError:
        return None
    if marker != "gmmp":
        return None
    token = ApiToken.objects.select_related("user", "user__organisation").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    now = timezone.now()
    if token.revoked_at or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    # "Last used" to the minute: one write a minute per token, not one per call.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_revoke_leaked(raw: str) -> bool:
    """Revoke the token `raw` if it is genuine (it was seen where credentials must never be)."""
    token = api_token_authenticate(raw)
    if token is None:
        return False
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return True
