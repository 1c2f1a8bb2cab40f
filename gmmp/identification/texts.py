"""The engine's codes in the officer's language (the engine itself has no words: engine/explain.py,
engine/bands.py). French msgids, translated in the catalogues like every other string."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PLAIN_READING = {
    "strong": _("Très probablement la même personne"),
    "possible": _("Peut-être la même personne : à vérifier (documents ou entretien)"),
    "weak": _("Probablement pas la même personne"),
}
REASONS = {
    "strong": _("Les noms, la date de naissance et d'autres champs concordent."),
    "strong_through_parents": _(
        "Le nom déclaré diffère, mais les deux parents, la date et le lieu de naissance concordent."
    ),
    "runner_up_close": _("Un autre candidat, ou une personne absente du registre, reste trop vraisemblable."),
    "relative_not_excluded": _(
        "Le prénom, la date de naissance et le sexe ne suffisent pas à distinguer cette personne "
        "d'un frère ou d'une sœur."
    ),
    "false_name_needs_parents_and_birth": _(
        "Nom déclaré écarté : il faut les deux parents, la date complète et le lieu de naissance pour conclure."
    ),
    "sex_differs": _("Le sexe diffère."),
}
NOTES = {
    "read_swapped": _("prénom et nom inversés"),
    "read_one_field": _("nom complet écrit dans un seul champ"),
    "read_one_field_swapped": _("nom complet écrit dans un seul champ, inversé"),
    "read_alias": _("lu d'après l'alias « %(alias)s »"),
    "read_alias_swapped": _("lu d'après l'alias « %(alias)s », inversé"),
    "name_set_aside": _("nom déclaré écarté (faux nom ?)"),
    "date_day_month_swapped": _("jour et mois inversés"),
    "date_same_year_month": _("même année et même mois"),
    "date_same_year_partial": _("même année ; le reste est inconnu ou fixé au 1er janvier"),
    "date_same_year_other_day": _("même année, autre jour"),
    "date_one_year_apart": _("un an d'écart"),
    "date_unreadable": _("date illisible « %(value)s » ignorée"),
    "place_other_name": _("autre nom de %(place)s"),
    "place_district": _("quartier de %(place)s"),
    "place_spelling": _("graphie de %(place)s"),
}


def note_text(code: str, args: dict[str, str] | None = None) -> str:
    if not code:
        return ""
    text = NOTES.get(code)
    return str(text) % (args or {}) if text is not None else ""


def reason_text(code: str) -> str:
    return str(REASONS.get(code, ""))


def plain_reading(band: str) -> str:
    return str(PLAIN_READING.get(band, ""))


def confidence_percent(confidence: float) -> int:
    """The bar shown beside a candidate: 50 % exactly at the ``strong`` bar, +5 points per bit of
    evidence beyond it (full at 10 bits), -5 per bit short of it (never below 3 %, so it shows)."""
    return max(3, min(100, round(50 + 5 * confidence)))
