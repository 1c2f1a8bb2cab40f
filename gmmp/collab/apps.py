from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollabConfig(AppConfig):
    name = "gmmp.collab"
    label = "collab"
    verbose_name = _("Travail en commun sur une demande")

    def ready(self):
        # Messages, interview notes and protection records are personal data: erased with the case's.
        from gmmp.cases import hooks

        from .retention import collab_personal_data_erase

        hooks.register_personal_data_eraser(collab_personal_data_erase)
