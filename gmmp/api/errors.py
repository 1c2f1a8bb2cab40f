"""Errors are JSON with a stable `code` and a readable `message` (in the request's language)."""

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from gmmp.cases.actions import TransitionRefused


class ApiError(Exception):
    """An error with its own stable code (and optional details) where the generic ones say too little."""

    def __init__(self, status: int, code: str, message: str, details=None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def error(api, request, status: int, code: str, message: str, details=None):
    body = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, body, status=status)


# A refused action: 403 when it is not this caller's to do, 422 when what was sent cannot be accepted,
# 409 otherwise (the case is not in a state that allows it).
REFUSAL_STATUS = {
    "forbidden": 403,
    "invalid_field": 422,
    "invalid_reason": 422,
    "reason_required": 422,
    "invalid_decision": 422,
    "invalid_outcome": 422,
    "invalid_consulate": 422,
    "minor_in_adult_track": 422,
    "departed_at_required": 422,
    "date_in_future": 422,
    "reference_required": 422,
    "beyond_cap": 422,
    "photo_required": 422,
    "duplicate_request": 409,
    "video_link_required": 422,
    "too_long": 422,
    "invalid_kind": 422,
    "invalid_date": 422,
    # legal mobility's own codes (figures, seasonal contracts)
    "invalid": 422,
    # the children's track: a missing piece of information or screening answers that contradict each
    # other are the request's fault; a wrong step or nobody designated is a conflict (409, the default)
    "screening_inconsistent": 422,
    "missing": 422,
    "worker_mismatch": 409,
}


# django-ninja's own wording (English, with the parser's detail in DEBUG) for a body it cannot read.
NINJA_UNPARSABLE_BODY = "Cannot parse request body"


def install_error_handlers(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def _validation(request, exc):
        return error(api, request, 422, "invalid_input", _("Certaines données sont invalides."), exc.errors)

    @api.exception_handler(ValidationError)
    def _django_validation(request, exc):
        details = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return error(api, request, 422, "invalid_input", _("Certaines données sont invalides."), details)

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        from .auth import session_second_factor_missing

        if not request.headers.get("Authorization") and session_second_factor_missing(request):
            return error(
                api,
                request,
                401,
                "second_factor_required",
                _(
                    "Second facteur requis : confirmez votre connexion avec votre code avant d'utiliser l'API."
                ),
            )
        return error(
            api,
            request,
            401,
            "unauthenticated",
            _("Authentification requise : jeton absent, invalide ou expiré."),
        )

    @api.exception_handler(MultiPartParserError)
    def _bad_multipart(request, exc):
        # A multipart body without a boundary (or otherwise broken) is the caller's error, in JSON.
        return error(
            api,
            request,
            400,
            "bad_request",
            _("Corps multipart illisible : limite (boundary) absente ou invalide."),
        )

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request, exc):
        return error(api, request, 413, "too_large", _("La requête dépasse la taille maximale acceptée."))

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return error(api, request, 404, "not_found", _("Aucune demande ne correspond."))

    @api.exception_handler(TransitionRefused)
    def _refused(request, exc):
        return error(
            api,
            request,
            REFUSAL_STATUS.get(exc.code, 409),
            exc.code,
            exc.message,
            getattr(exc, "details", None),
        )

    @api.exception_handler(ApiError)
    def _api_error(request, exc):
        return error(api, request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(HttpError)
    def _http(request, exc):
        codes = {
            400: "bad_request",
            403: "forbidden",
            404: "not_found",
            409: "conflict",
            413: "too_large",
            422: "invalid_input",
            429: "rate_limited",
        }
        message = str(exc)
        if exc.status_code == 400 and message.startswith(NINJA_UNPARSABLE_BODY):
            message = _(
                "Corps de la requête illisible : envoyez du JSON valide (Content-Type: application/json)."
            )
        return error(api, request, exc.status_code, codes.get(exc.status_code, "error"), message)
