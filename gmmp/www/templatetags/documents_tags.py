"""Placeholder until the documents feature lands: the case page calls {% lpc_panel case %}."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def lpc_panel(context, case):
    return ""
