from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "gmmp.cases"
    label = "cases"
