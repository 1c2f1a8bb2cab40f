from django.apps import AppConfig


class MobilityConfig(AppConfig):
    name = "gmmp.mobility"
    label = "mobility"

    def ready(self):
        # The mobility indicators join the shared definition registry (indicators never imports this app).
        from . import indicators

        indicators.register_all()
        # The workers' identity is erased on its own rule when `gmmp retention` runs.
        from gmmp.core.retention import retention_sweep_register

        from .retention import workers_retention_apply

        retention_sweep_register("workers", workers_retention_apply)
