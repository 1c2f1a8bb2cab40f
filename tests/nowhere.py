"""Search the whole database for a piece of text: retention must leave no name behind anywhere."""

from django.apps import apps
from django.core import serializers


def tables_mentioning(*needles: str) -> list[str]:
    """The models (app_label.Model) whose rows, serialised, still contain any of `needles`."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        dump = serializers.serialize("json", model._base_manager.all(), ensure_ascii=False)
        if any(needle in dump for needle in needles):
            found.append(model._meta.label)
    return found
