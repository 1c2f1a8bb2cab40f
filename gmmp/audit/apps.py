from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gmmp.audit"
    label = "audit"

    def ready(self):
        # The access log's own retention rule runs with every other one (`gmmp retention`).
        from gmmp.core.retention import retention_sweep_register

        from .retention import access_log_retention_apply

        retention_sweep_register("access_log", access_log_retention_apply)
