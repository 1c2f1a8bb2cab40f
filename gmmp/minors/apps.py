from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _document_names():
    from .models import MinorDocument

    return MinorDocument.objects.values_list("storage_name", flat=True)


class MinorsConfig(AppConfig):
    name = "gmmp.minors"
    label = "minors"
    verbose_name = _("Mineurs non accompagnés")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from gmmp.cases import hooks

        from .actions import minor_refer_from_adult_case

        hooks.register_minor_track_opener(minor_refer_from_adult_case)
        # The judge's decisions live in the evidence store: name them to its sweep of orphan files.
        hooks.register_evidence_names(_document_names)

        # The children's data is erased on its own rule when `gmmp retention` runs.
        from gmmp.core.retention import retention_sweep_register

        from .retention import minors_retention_apply

        retention_sweep_register("minors", minors_retention_apply)
