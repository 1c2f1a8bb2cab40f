from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gmmp.audit"
    label = "audit"
