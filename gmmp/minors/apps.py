from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinorsConfig(AppConfig):
    name = "gmmp.minors"
    label = "minors"
    verbose_name = _("Mineurs non accompagnés")
    default_auto_field = "django.db.models.BigAutoField"
