from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "gmmp.documents"
    label = "documents"
    verbose_name = "Laissez-passer consulaires"

    def ready(self):
        # The case workflow calls us through its hooks; it never imports this app.
        from gmmp.cases import hooks

        from .actions import lpc_departure_check, lpc_issue
        from .retention import lpc_personal_data_erase

        hooks.register_lpc_issuer(lpc_issue)
        hooks.register_departure_checker(lpc_departure_check)
        hooks.register_personal_data_eraser(lpc_personal_data_erase)
        # The access log's own retention runs with the cases' (the audit app imports nothing, and
        # cases may not import it; documents may import both).
        from gmmp.audit.retention import access_log_retention_apply

        hooks.register_retention_sweeper(access_log_retention_apply)
