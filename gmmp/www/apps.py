from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "gmmp.www"
    label = "www"
