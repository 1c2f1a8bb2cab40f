"""Manage scoped API tokens for system-to-system calls.

    gmmp api_token create --user USERNAME --name NAME --scopes cases:read,cases:write [--days N]
    gmmp api_token list [--user USERNAME]
    gmmp api_token revoke PREFIX

The token is printed once, at creation: only a hash of its secret is stored.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gmmp.core.errors import Refused
from gmmp.organisations.models import ApiToken, ApiTokenScope, User
from gmmp.organisations.tokens import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke scoped API tokens (Authorization: Bearer gmmp_<prefix>_<secret>)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("--user", required=True, help="Username the token acts as.")
        create.add_argument("--name", required=True, help="What the token is for, e.g. the calling system.")
        create.add_argument(
            "--scopes", required=True, help="Comma-separated: " + ", ".join(ApiTokenScope.values)
        )
        create.add_argument("--days", type=int, default=None, help="Expire after N days (default: never).")
        listing = sub.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("--user", default=None, help="Only this user's tokens.")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        return {"create": self._create, "list": self._list, "revoke": self._revoke}[action](**options)

    def _create(self, *, user, name, scopes, days, **_):
        found = User.objects.filter(username=user).first()
        if found is None:
            raise CommandError(f"No user is named {user!r}.")
        if not found.is_active:
            raise CommandError(f"User {user!r} is inactive.")
        wanted = [s.strip() for s in scopes.split(",") if s.strip()]
        unknown = sorted(set(wanted) - set(ApiTokenScope.values))
        if not wanted or unknown:
            raise CommandError(
                f"Unknown or missing scopes: {', '.join(unknown) or '(none given)'}. "
                f"Known scopes: {', '.join(ApiTokenScope.values)}."
            )
        if not name.strip():
            raise CommandError("The token needs a name.")
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        expires = timezone.now() + dt.timedelta(days=days) if days else None
        token, raw = api_token_create(user=found, name=name.strip()[:100], scopes=wanted, expires_at=expires)
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.prefix} for {found.username} ({', '.join(token.scopes)}), "
            f"expires {token.expires_at.isoformat() if token.expires_at else 'never'}. "
            "It is shown only now: store it safely."
        )

    def _list(self, *, user, **_):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if user:
            tokens = tokens.filter(user__username=user)
        now = timezone.now()
        for t in tokens:
            if t.revoked_at:
                status = f"revoked {t.revoked_at:%Y-%m-%d}"
            elif t.expires_at and t.expires_at <= now:
                status = f"expired {t.expires_at:%Y-%m-%d}"
            else:
                status = f"active until {t.expires_at:%Y-%m-%d}" if t.expires_at else "active"
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            self.stdout.write(
                f"{t.prefix}\t{t.user.username}\t{t.name}\t{','.join(t.scopes)}\t{status}\tlast used {used}"
            )

    def _revoke(self, *, prefix, **_):
        try:
            token = api_token_revoke(prefix=prefix.strip())
        except Refused as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Token {token.prefix} ({token.name}) revoked at {token.revoked_at:%Y-%m-%d %H:%M} UTC."
        )
