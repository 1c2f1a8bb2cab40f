from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "gmmp.documents"
    label = "documents"
