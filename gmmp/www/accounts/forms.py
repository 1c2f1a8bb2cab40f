from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from gmmp.organisations.mfa import recovery_code_use, totp_device_confirmed, totp_verify
from gmmp.organisations.models import TimeZone


class LoginForm(AuthenticationForm):
    """Password, then the 6-digit code for users who enrolled a second factor (or one of their
    single-use recovery codes)."""

    otp_token = forms.CharField(
        label=_("Code de vérification (application d'authentification)"),
        help_text=_("Téléphone perdu : saisissez un de vos codes de secours."),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        user = self.get_user()
        device = totp_device_confirmed(user) if user else None
        self.otp_device = None
        if device is not None:
            token = data.get("otp_token", "")
            if not token:
                raise forms.ValidationError(
                    _("Saisissez le code à 6 chiffres de votre application d'authentification."),
                    code="otp_required",
                )
            token = token.strip()
            if token.replace(" ", "").isdigit():
                self.otp_device = device if totp_verify(device, token) else None
            else:
                self.otp_device = recovery_code_use(user, token)
            if self.otp_device is None:
                raise forms.ValidationError(
                    _("Code de vérification incorrect ou expiré."), code="otp_invalid"
                )
        return data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code à 6 chiffres"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Langue des pages et des e-mails"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=_("Fuseau horaire des heures affichées"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        org = user.organisation
        default = TimeZone((org.time_zone if org else "") or settings.DISPLAY_TIME_ZONE).label
        self.fields["time_zone"].choices = [
            ("", _("Celui de mon organisation : %(zone)s") % {"zone": default}),
            *TimeZone.choices,
        ]
