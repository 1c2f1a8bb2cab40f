from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "gmmp.indicators"
    label = "indicators"
