from django.apps import AppConfig


class MobilityConfig(AppConfig):
    name = "gmmp.mobility"
    label = "mobility"

    def ready(self):
        # The mobility indicators join the shared definition registry (indicators never imports this app).
        from . import indicators

        indicators.register_all()
