"""API authentication: a scoped token (`Authorization: Bearer gmmp_<prefix>_<secret>`) for systems,
or the browser session (with CSRF) for the platform's own pages. Denied by default.

A session reaches the API only with the same proof as a page: with the second factor required (or
enrolled), a session that typed only the password is refused (401 `second_factor_required`). A call
that carries an `Authorization` header is judged on that header alone: a revoked or expired token is
401, never a fallback to the session's CSRF check (which would answer 403 "CSRF")."""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from gmmp.cases.models import Case
from gmmp.cases.selectors import case_get_for_user
from gmmp.organisations.tokens import api_token_authenticate


class ApiKeyAuth(HttpBearer):
    openapi_description = (
        "Scoped API token: `Authorization: Bearer gmmp_<prefix>_<secret>` (see `gmmp api_token`)."
    )

    def authenticate(self, request, token):
        found = api_token_authenticate(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found
        return found.user


def session_second_factor_missing(request) -> bool:
    """True when this logged-in session lacks the second factor it needs to read anything."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if user.is_verified():
        return False
    from gmmp.organisations.mfa import totp_device_confirmed

    return settings.MFA_REQUIRED or totp_device_confirmed(user) is not None


class VerifiedSessionAuth(SessionAuth):
    """The browser session, only when no credential header was sent and the second factor is satisfied."""

    def __call__(self, request):
        if request.headers.get("Authorization"):
            return None
        if session_second_factor_missing(request):
            return None
        return super().__call__(request)


def require_scope(request, scope: str) -> None:
    """A token must carry the scope; a browser session acts with the user's own rights."""
    token = getattr(request, "api_token", None)
    if token is not None and scope not in token.scopes:
        raise HttpError(403, _("Ce jeton n'a pas la portée « %(scope)s ».") % {"scope": scope})


def scoped_case(request, reference: str, scope: str) -> Case:
    """The case, when the token has `scope` and the caller sees the case (404 otherwise, missing or not)."""
    require_scope(request, scope)
    return case_get_for_user(user=request.user, reference=reference)
