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


API_PREFIX = "/api/"


class ApiJsonErrorsMiddleware:
    """Under /api/ every answer is JSON `{code, message}`, including the ones Django writes itself: an
    unknown address (404), a method the address does not take (405, with its `Allow` header) and, in
    production, an unexpected server error (500, logged as Django logs it). An address written without
    its final slash is served as the documented one (no redirect, which would turn a POST into a GET)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        self._add_missing_slash(request)
        response = self.get_response(request)
        if response.status_code in (404, 405) and not _is_json(response):
            return self._json_error(request, response)
        return response

    @staticmethod
    def _add_missing_slash(request) -> None:
        from django.urls import Resolver404, resolve

        path = request.path_info
        if path.endswith("/"):
            return
        try:
            resolve(path)
        except Resolver404:
            try:
                resolve(path + "/")
            except Resolver404:
                return
            request.path_info = path + "/"
            request.path = request.path + "/"

    @staticmethod
    def _json_error(request, response):
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        if response.status_code == 404:
            body = {"code": "not_found", "message": _("Cette adresse n'existe pas dans l'API.")}
            return JsonResponse(body, status=404)
        allowed = response.get("Allow", "")
        body = {
            "code": "method_not_allowed",
            "message": _("Méthode %(method)s non acceptée à cette adresse (acceptées : %(allowed)s).")
            % {"method": request.method, "allowed": allowed},
        }
        answer = JsonResponse(body, status=405)
        if allowed:
            answer["Allow"] = allowed
        return answer

    def process_exception(self, request, exception):
        """An unexpected error under /api/ answers JSON, not the site's HTML page (in DEBUG, Django's
        own page stays: it is what a developer wants). Logged exactly as Django logs it."""
        from django.conf import settings

        if settings.DEBUG or not request.path_info.startswith(API_PREFIX):
            return None
        import logging
        import sys

        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=sys.exc_info(), extra={"status_code": 500}
        )
        return JsonResponse(
            {
                "code": "server_error",
                "message": _("Erreur interne : elle est enregistrée ; réessayez plus tard."),
            },
            status=500,
        )


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")
