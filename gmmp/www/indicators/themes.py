"""The dashboard's theme tabs: legal mobility (students, seasonal workers) and irregular migration, computed
through the same definitions as the readmission indicators (gmmp.indicators.domains)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gmmp.core import clock
from gmmp.indicators import chapters, domains, periods
from gmmp.indicators.access import may_read_indicators


def tabs(current: str, lang: str) -> list[dict]:
    from django.urls import reverse

    out = [
        {"id": "", "label": _("Réadmission"), "url": reverse("indicators:dashboard"), "active": current == ""}
    ]
    for s in domains.SETS.values():
        out.append(
            {
                "id": s.id,
                "label": s.text(lang),
                "url": reverse("indicators:theme", args=[s.id]),
                "active": current == s.id,
            }
        )
    return out


def theme(request, set_id: str):
    if not may_read_indicators(request.user):
        raise PermissionDenied(
            _("Les indicateurs sont réservés aux administrations centrales et au secrétariat du GMMP.")
        )
    if set_id not in domains.SETS:
        raise Http404
    lang = (get_language() or "fr")[:2]
    lang = lang if lang in ("fr", "ar", "en") else "fr"
    indicator_set = domains.SETS[set_id]
    text = request.GET.get("period") or periods.last_complete_quarter(clock.today()).code
    breakdown = request.GET.get("breakdown") or next(iter(indicator_set.breakdowns), "none")
    context = {
        "tabs": tabs(set_id, lang),
        "period_text": text,
        "breakdowns": [("month", _("Mois"))]
        + [(k, v.get(lang) or v["fr"]) for k, v in indicator_set.breakdowns.items()],
        "breakdown": breakdown,
        "title": indicator_set.text(lang),
    }
    try:
        period = periods.parse(text)
        if breakdown not in ("month", *indicator_set.breakdowns):
            raise ValueError(_("Ventilation inconnue : %(name)s.") % {"name": breakdown})
    except (periods.PeriodError, ValueError) as exc:
        context["error"] = str(exc)
        return render(request, "indicators/theme.html", context, status=400)
    context["theme_data"] = chapters.theme_block(set_id, period, lang, breakdown=breakdown)
    return render(request, "indicators/theme.html", context)
