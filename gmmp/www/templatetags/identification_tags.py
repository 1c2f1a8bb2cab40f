from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gmmp.identification import texts

register = template.Library()

FIELD_LABELS = {
    "first_name": _("Prénom(s)"),
    "last_name": _("Nom"),
    "sex": _("Sexe"),
    "birth_date": _("Date de naissance"),
    "birth_place": _("Lieu de naissance"),
    "father_first_name": _("Prénom du père"),
    "mother_first_name": _("Prénom de la mère"),
    "mother_last_name": _("Nom de la mère"),
}
OUTCOME_LABELS = {
    "exact": _("identique"),
    "variant": _("variante connue"),
    "fuzzy": _("proche"),
    "partial": _("partielle"),
    "disagree": _("différente"),
    "missing": _("inconnue"),
}


@register.filter
def field_label(name: str) -> str | Promise:
    return FIELD_LABELS.get(name, name)


@register.filter
def outcome_label(name: str) -> str | Promise:
    return OUTCOME_LABELS.get(name, name)


@register.filter
def note_text(explanation) -> str:
    """A field's note (an engine code with its arguments) in the page's language."""
    return texts.note_text(explanation.note, explanation.note_args)


@register.filter
def reason_text(code: str) -> str:
    return texts.reason_text(code)


@register.filter
def plain_reading(band: str) -> str:
    return texts.plain_reading(band)


@register.filter
def confidence_percent(confidence: float) -> int:
    return texts.confidence_percent(confidence)


@register.simple_tag(takes_context=True)
def identification_safeguard_panel(context, case, events=None):
    """The guard against the wrong person on the case page: what the identification still needs before a
    laissez-passer (a held interview or a second officer's confirmation), its reversal, and the forms of
    the consulate (second confirmation, reversal) where the user may act. `events`: all the case's
    events when the page has read them already (its timeline): the decision and its reversal are found
    among them rather than read again (the same rule as `safeguard.identification_event`)."""
    from django.template.loader import render_to_string

    from gmmp.cases import safeguard
    from gmmp.cases.enums import Actor, CaseState, EventKind, ReversalReason
    from gmmp.cases.perms import actor_may
    from gmmp.cases.workflow import transition_allowed

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    if events is None:
        decided = safeguard.identification_event(case)
    else:  # the latest decision that identified the person
        decisions = [e for e in events if e.kind == EventKind.DECIDE and e.to_state == CaseState.IDENTIFIED]
        decided = max(decisions, key=lambda e: e.sequence, default=None)
    if decided is None:
        return ""
    if events is None:
        reversal = (
            case.events.filter(kind=EventKind.IDENTIFICATION_REVERSED, sequence__gt=decided.sequence)
            .order_by("sequence")
            .first()
        )
    else:  # the first reversal after it
        reversals = [
            e for e in events if e.kind == EventKind.IDENTIFICATION_REVERSED and e.sequence > decided.sequence
        ]
        reversal = min(reversals, key=lambda e: e.sequence, default=None)
    needs = reversal is None and safeguard.identification_needs_safeguard(case, decided)
    met = needs and safeguard.identification_safeguard_met(case, decided)
    consulate = actor_may(user, case, Actor.ASSIGNED_CONSULATE)[0]
    can_confirm = (
        needs and not met and case.state == CaseState.IDENTIFIED and consulate and user.pk != decided.actor_id
    )
    can_reverse = reversal is None and transition_allowed(user, case, "identification_reversed")[0]
    if not (needs or reversal or can_reverse):
        return ""
    return render_to_string(
        "identification/_safeguard_panel.html",
        {
            "case": case,
            "needs": needs,
            "met": met,
            "awaiting_second": needs and not met and consulate and user.pk == decided.actor_id,
            "reversal": reversal,
            "reversal_label": ReversalReason(reversal.reason).label
            if reversal and reversal.reason in ReversalReason.values
            else "",
            "can_confirm": can_confirm,
            "can_reverse": can_reverse,
            "reasons": ReversalReason.choices,
        },
        request=request,
    )
