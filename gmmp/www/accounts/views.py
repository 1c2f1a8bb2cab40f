import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gmmp.core.errors import Refused
from gmmp.organisations.mfa import (
    recovery_codes_generate,
    recovery_codes_left,
    totp_device_confirm,
    totp_device_confirmed,
    totp_device_remove,
    totp_device_start,
    totp_verify,
)
from gmmp.organisations.preferences import user_preferences_set

from .forms import LoginForm, PreferencesForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "www/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        language = form.get_user().preferred_language
        if language:  # the language chosen in the preferences follows the user to any browser
            _remember_language(response, language)
        return response


def _remember_language(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_http_methods(["GET", "POST"])
def preferences(request):
    """The user's language (pages and e-mails) and the time zone their times are shown in."""
    user = request.user
    initial = {"language": user.preferred_language or get_language(), "time_zone": user.time_zone}
    form = PreferencesForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user_preferences_set(
                user=user, language=form.cleaned_data["language"], time_zone=form.cleaned_data["time_zone"]
            )
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            translation.activate(user.preferred_language)
            messages.success(request, _("Préférences enregistrées."))
            response = redirect("account_preferences")
            _remember_language(response, user.preferred_language)
            return response
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/preferences.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def security(request):
    """Enrol (QR code + first code) or remove the second factor; new recovery codes (shown once)."""
    user = request.user
    confirmed = totp_device_confirmed(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if confirmed is not None and "recovery" in request.POST:
            if totp_verify(confirmed, token):
                request.session["recovery_codes"] = recovery_codes_generate(user=user)
                return redirect("account_security")
            form.add_error("token", _("Code de vérification incorrect ou expiré."))
        elif confirmed is not None and "remove" in request.POST:
            if totp_device_remove(user=user, token=token):
                messages.success(request, _("Second facteur désactivé."))
                return redirect("account_security")
            form.add_error("token", _("Code de vérification incorrect ou expiré."))
        elif confirmed is None:
            device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
            if device is not None and totp_device_confirm(user=user, device=device, token=token):
                otp_login(request, device)
                messages.success(request, _("Second facteur activé : il sera demandé à chaque connexion."))
                request.session["recovery_codes"] = recovery_codes_generate(user=user)
                return redirect("account_security")
            form.add_error("token", _("Code de vérification incorrect ou expiré."))
    context = {
        "confirmed": confirmed,
        "form": form,
        # Shown once, right after they were made; never again.
        "recovery_codes": request.session.pop("recovery_codes", None),
        "recovery_left": recovery_codes_left(user) if confirmed else 0,
    }
    if confirmed is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None or request.method == "GET":
            device = totp_device_start(user=user)
        qr = segno.make(device.config_url, error="m")
        context["qr_svg"] = qr.svg_inline(scale=4, dark="#000", light="#fff")
        context["secret"] = base64.b32encode(device.bin_key).decode()
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/security.html", context, status=status)
