from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from gmmp.api.api import api
from gmmp.core.views import healthz, robots
from gmmp.www.accounts.password import PasswordChangeView
from gmmp.www.accounts.views import LoginView, preferences, security
from gmmp.www.urls import feature_patterns

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots, name="robots"),
    # Browsers ask for /favicon.ico whatever the page says: the platform's icon.
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url="/static/gmmp/favicon.svg", permanent=True)),
        name="favicon",
    ),
    path("api/v1/", api.urls),
    # Public: the login page and the public verification page have the language switcher too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The admin signs in through the platform's login (password + second factor), never its own form.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("login/", LoginView.as_view(), name="login"),
    path("account/security/", security, name="account_security"),
    path("account/preferences/", preferences, name="account_preferences"),
    path("account/password/", PasswordChangeView.as_view(), name="password_change"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("gmmp.www.urls")),
    *feature_patterns,
]
