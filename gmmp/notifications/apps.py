from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gmmp.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import case_events, minor_events

        case_events.subscribe()
        minor_events.subscribe()
