from django.contrib.auth.middleware import LoginRequiredMiddleware


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    """Every page needs a login unless its view opts out with @login_not_required.

    The API authenticates each call itself (token or session, see gmmp.api.auth) and answers 401 in
    JSON instead of redirecting to the login page; its NinjaAPI denies by default (global `auth`).
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
