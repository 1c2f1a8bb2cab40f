from django.apps import AppConfig


class IdentificationConfig(AppConfig):
    name = "gmmp.identification"
    label = "identification"
