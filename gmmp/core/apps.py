from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gmmp.core"
    label = "core"
