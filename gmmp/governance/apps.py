from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "gmmp.governance"
    label = "governance"
