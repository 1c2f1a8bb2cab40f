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


class DisplayTimezoneMiddleware:
    """Times are stored in UTC and shown (and typed in forms) in the display time zone."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.zone = zoneinfo.ZoneInfo(settings.DISPLAY_TIME_ZONE)

    def __call__(self, request):
        timezone.activate(self.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SecondFactorRequiredMiddleware:
    """With MFA_REQUIRED, a logged-in user without a verified second factor can only reach the
    enrolment page (and log out); the API's tokens are a separate, scoped credential."""

    ALLOWED_PREFIXES = (
        "/account/security/",
        "/logout/",
        "/login/",
        "/static/",
        "/i18n/",
        "/healthz",
        "/api/",
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
            from django.shortcuts import redirect

            return redirect("account_security")
        return self.get_response(request)
