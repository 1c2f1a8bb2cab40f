"""Every user changes their own password (the old one, then the new one twice, Django's validators)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("www:home")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.required_css_class = "required"
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["error_forms"] = [context["form"]]
        return context

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps the session (update_session_auth_hash)
        messages.success(self.request, _("Mot de passe changé."))
        return response
