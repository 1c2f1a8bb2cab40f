from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gmmp.minors import enums
from gmmp.minors.workflow import TRANSITIONS

register = template.Library()

REASONS = {
    **dict(enums.FamilyOutcome.choices),
    **dict(enums.AgeConclusion.choices),
    **dict(enums.ScreeningResult.choices),
    **dict(enums.Recommendation.choices),
    **dict(enums.JudicialOutcome.choices),
    **dict(enums.ReceivingKind.choices),
    **dict(enums.ClosureReason.choices),
    **dict(enums.FollowUp.choices),
    **dict(enums.DesignationReason.choices),
}


@register.filter
def minor_event_label(event) -> str:
    if event.kind in TRANSITIONS:
        return str(TRANSITIONS[event.kind].label)
    return {
        "referred": pgettext("enfant signalé", "Signalement"),
        "followup_reminder": _("Relance : rapport de suivi en retard"),
        "officer_designated": _("Changement de personne désignée"),
        "retention_applied": _("Données de l'enfant effacées (durée de conservation écoulée)"),
    }.get(event.kind, event.kind)


@register.filter
def minor_reason_label(event) -> str:
    extra = {
        "identified": _("identifié"),
        "not_identified": _("non identifié"),
        "child_welfare": _("par l'aide sociale à l'enfance"),
        "court": _("par le juge des enfants"),
        "adult_track": _("depuis une demande d'identification (âge de mineur établi)"),
        "in_time": _("dans les délais"),
        "late": _("en retard"),
    }
    return str(extra.get(event.reason) or REASONS.get(event.reason, event.reason))


LISTS = {"trafficking": enums.TraffickingIndicator, "vulnerabilities": enums.Vulnerability}


@register.filter
def minor_list_labels(values, which: str) -> str:
    """A list of codes in words, e.g. `["debt", "forced_crime"]|minor_list_labels:"trafficking"` (the page
    showed the codes)."""
    choices = dict(LISTS[which].choices)
    return ", ".join(str(choices.get(v, v)) for v in values)
