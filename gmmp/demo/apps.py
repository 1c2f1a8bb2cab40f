from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "gmmp.demo"
    label = "demo"
    verbose_name = "Demo data"
