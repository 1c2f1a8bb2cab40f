from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "gmmp.api"
    label = "gmmp_api"  # "api" alone is too likely to clash with a third-party app
    verbose_name = _("API")
