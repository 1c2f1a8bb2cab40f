"""Middleware of the API's credentials: tokens travel in the Authorization header, never in a URL."""

from gmmp.core.logfilters import TOKEN_PATTERN

# Query parameters named like a credential ("key" alone is too common: the indicators' drill-down uses it).
CREDENTIAL_PARAMS = {
    "token",
    "access_token",
    "api_key",
    "apikey",
    "password",
    "secret",
    "authorization",
}


class NoCredentialsInUrlMiddleware:
    """A credential in a URL ends up in proxies' and servers' logs and in browser histories: such a
    request is refused (400) before it reaches a view, and the token it carried is revoked, since it
    must now be taken as leaked. Tokens are accepted only in the Authorization header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if query and (
            TOKEN_PATTERN.search(query) or any(k.lower() in CREDENTIAL_PARAMS for k in request.GET)
        ):
            from django.http import JsonResponse
            from django.utils.translation import gettext as _

            for raw in TOKEN_PATTERN.findall(query):
                from gmmp.organisations.tokens import api_token_revoke_leaked  # noqa: PLC0415

                api_token_revoke_leaked(raw)
            return JsonResponse(
                {
                    "code": "credentials_in_url",
                    "message": _(
                        "Ne mettez jamais d'identifiant ni de jeton dans une adresse : utilisez l'en-tête "
                        "Authorization. Un jeton ainsi exposé est révoqué."
                    ),
                },
                status=400,
            )
        return self.get_response(request)
