from django import template
from django.urls import NoReverseMatch, reverse

from gmmp.cases.enums import CaseState, EventKind
from gmmp.cases.workflow import TRANSITIONS

register = template.Library()


@register.filter
def event_label(event) -> str:
    if event.kind in TRANSITIONS:
        return TRANSITIONS[event.kind].label
    try:
        return EventKind(event.kind).label
    except ValueError:
        return event.kind


@register.filter
def state_label(value: str) -> str:
    try:
        return CaseState(value).label
    except ValueError:
        return value


@register.simple_tag
def optional_url(name, *args) -> str:
    """The URL of a feature page, or '' when that feature is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def reason_label(value: str) -> str:
    from gmmp.cases.enums import DepartureFailure, WithdrawalReason

    for choices in (WithdrawalReason, DepartureFailure):
        try:
            return choices(value).label
        except ValueError:
            continue
    return value
