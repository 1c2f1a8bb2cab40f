from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "gmmp.organisations"
    label = "organisations"
