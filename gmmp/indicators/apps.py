from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "gmmp.indicators"
    label = "indicators"

    def ready(self):
        # The minors' indicators register their definitions in the common registry.
        from . import minors  # noqa: F401
