from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "gmmp.documents"
    label = "documents"
    verbose_name = "Laissez-passer consulaires"

    def ready(self):
        # The case workflow calls us through its hooks; it never imports this app.
        from gmmp.cases import hooks

        from .actions import lpc_departure_check, lpc_issue, lpc_revoke_on_reversal
        from .retention import lpc_personal_data_erase

        hooks.register_lpc_issuer(lpc_issue)
        hooks.register_departure_checker(lpc_departure_check)
        hooks.register_identification_reversal_handler(lpc_revoke_on_reversal)
        hooks.register_personal_data_eraser(lpc_personal_data_erase)
