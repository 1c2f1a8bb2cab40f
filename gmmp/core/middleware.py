import functools
import zoneinfo

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.utils import timezone


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    """Every page needs a login unless its view opts out with @login_not_required.

    The API authenticates each call itself (token or session, see gmmp.api.auth) and answers 401 in
    JSON instead of redirecting to the login page; its NinjaAPI denies by default (global `auth`).
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


@functools.lru_cache(maxsize=16)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


class RulesReadOnceMiddleware:
    """The configurable rules are read at most once a request (core.models.rules_read_once)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from gmmp.core.models import rules_read_once

        with rules_read_once():
            return self.get_response(request)


class DisplayTimezoneMiddleware:
    """Times are stored in UTC and shown (and typed in forms) in the reader's time zone: the user's
    `display_time_zone` (their choice, else their organisation's), the platform's for anyone else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        name = getattr(user, "display_time_zone", "") if authenticated else ""
        timezone.activate(_zone(name or settings.DISPLAY_TIME_ZONE))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SecondFactorRequiredMiddleware:
    """With MFA_REQUIRED, a logged-in user without a verified second factor can only reach the
    enrolment page (and log out). On the API such a session gets a JSON 401 (the API's own session
    authentication refuses it too); a call with an `Authorization` header is judged by its token."""

    ALLOWED_PREFIXES = (
        "/account/security/",
        "/logout/",
        "/login/",
        "/static/",
        "/i18n/",
        "/healthz",
        "/lpc/verify",
        "/lpc/keys.json",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path_info.startswith(self.ALLOWED_PREFIXES)
        ):
            if request.path_info.startswith("/api/"):
                if request.headers.get("Authorization"):
                    return self.get_response(request)
                from django.http import JsonResponse
                from django.utils.translation import gettext as _

                return JsonResponse(
                    {
                        "code": "second_factor_required",
                        "message": _(
                            "Second facteur requis : confirmez votre connexion avec votre code avant "
                            "d'utiliser l'API."
                        ),
                    },
                    status=401,
                )
            from django.shortcuts import redirect

            return redirect("account_security")
        return self.get_response(request)


class SessionIdleTimeoutMiddleware:
    """A session unused for SESSION_IDLE_SECONDS ends (on top of SESSION_COOKIE_AGE, the absolute limit).

    The last activity travels in a signed cookie rather than in the session row, so that a page view
    writes nothing to the database. Pages warn two minutes before (static/gmmp/session.js, from
    `data-session-idle` on <body>); a request after the limit logs out and leads to the login page
    with a message, or, on the API, continues unauthenticated (401). A client that drops the cookie
    only keeps its session to the absolute limit. Time is the server's real time: this is about the
    session, not about the domain's dates."""

    COOKIE = "gmmp_seen"
    SALT = "session-idle"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        user = getattr(request, "user", None)
        idle = settings.SESSION_IDLE_SECONDS
        if not idle or user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        try:
            last = int(request.get_signed_cookie(self.COOKIE, default="0", salt=self.SALT))
        except ValueError:
            last = 0
        if last and now - last > idle:
            from django.contrib import messages
            from django.contrib.auth import logout
            from django.contrib.auth.views import redirect_to_login
            from django.utils.translation import gettext as _

            logout(request)
            if request.path_info.startswith("/api/"):
                response = self.get_response(request)
            else:
                messages.warning(request, _("Votre session a expiré après une période d'inactivité."))
                response = redirect_to_login(request.get_full_path())
            response.delete_cookie(self.COOKIE)
            return response
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.set_signed_cookie(
                self.COOKIE,
                str(now),
                salt=self.SALT,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response
