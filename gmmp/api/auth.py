"""API authentication: a scoped token (`Authorization: Bearer gmmp_<prefix>_<secret>`) for systems,
or the browser session (with CSRF) for the platform's own pages. Denied by default."""

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

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


def require_scope(request, scope: str) -> None:
    """A token must carry the scope; a browser session acts with the user's own rights."""
    token = getattr(request, "api_token", None)
    if token is not None and scope not in token.scopes:
        raise HttpError(403, _("Ce jeton n'a pas la portée « %(scope)s ».") % {"scope": scope})
