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
