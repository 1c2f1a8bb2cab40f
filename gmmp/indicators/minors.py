"""Indicators of the protected track for unaccompanied minors, with the same definition machinery.

Each indicator is an `Indicator` (id, version, written definition in French, Arabic and English, one
computation) registered in the common registry, computed from the minors' own ledger
(`minors.MinorEvent`), never from a child's record. They are not in the readmission core set (ORDER):
they are published in their own table and report chapter.

Small-cell rule: figures on children are small and could point at a child, so every published figure
below 5 (zero included) is shown as "< 5", in the dashboard, the CSV, the API and the report. Raw
counts never leave this module: `MinorsTable.as_dict()` and `published()` apply the rule.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Case as DbCase
from django.db.models import Count, IntegerField, Max, Q, Value, When
from django.utils.translation import gettext as _

from gmmp.minors.models import MinorEvent
from gmmp.organisations.models import Organisation

from .computations import EventCount
from .definitions import Indicator, get, register
from .periods import Period

SMALL_CELL_THRESHOLD = 5
SMALL_CELL = "< 5"
THEME = "minors"
THEME_TITLE = {"fr": "Mineurs non accompagnés", "ar": "القاصرون غير المصحوبين", "en": "Unaccompanied minors"}
SMALL_CELL_RULE = {
    "fr": "Règle des petits effectifs : tout chiffre inférieur à 5 (zéro compris) est publié « < 5 », pour "
    "qu'aucun enfant ne puisse être reconnu. Les chiffres sont calculés à partir du registre des événements du "
    "parcours protégé, qui ne contient aucune donnée personnelle.",
    "ar": "قاعدة الأعداد الصغيرة: يُنشر كل رقم أقل من 5 (بما في ذلك الصفر) على شكل «< 5»، حتى لا يمكن التعرف على أي "
    "طفل. تُحتسب الأرقام انطلاقاً من سجل أحداث المسار المحمي، الذي لا يتضمن أي معطيات شخصية.",
    "en": "Small-cell rule: every figure below 5 (zero included) is published as '< 5', so that no child can be "
    "recognised. Figures are computed from the ledger of the protected track's events, which holds no "
    "personal data.",
}
BREAKDOWNS = ("none", "month", "consulate")


def _indicator(id, name, definition, computation: EventCount) -> Indicator:
    return register(
        Indicator(
            id=id,
            version=1,
            theme=THEME,
            unit="count",
            name=name,
            definition=definition,
            computation=computation,
            core=False,
        )
    )


INDICATORS: list[Indicator] = [
    _indicator(
        "minors_referred",
        {"fr": "Enfants signalés", "ar": "الأطفال المُبلَّغ عنهم", "en": "Children referred"},
        {
            "fr": "Signalements de mineurs non accompagnés par l'aide sociale à l'enfance ou le juge des enfants "
            "pendant la période. Attribution : consulat compétent inscrit au signalement.",
            "ar": "التبليغات عن قاصرين غير مصحوبين من طرف مصالح المساعدة الاجتماعية للطفولة أو قاضي الأحداث خلال الفترة. "
            "النسبة: القنصلية المختصة المسجلة عند التبليغ.",
            "en": "Unaccompanied minors referred by child welfare (ASE) or the juvenile judge during the period. "
            "Attribution: the competent consulate recorded at referral.",
        },
        EventCount("referred"),
    ),
    _indicator(
        "minors_identified",
        {
            "fr": "Enfants identifiés par les consulats",
            "ar": "الأطفال الذين حددت القنصليات هويتهم",
            "en": "Children identified by consulates",
        },
        {
            "fr": "Identifications positives (ressortissant marocain) prononcées par le référent protection de "
            "l'enfance du consulat pendant la période.",
            "ar": "عمليات تحديد الهوية الإيجابية (مواطن مغربي) التي قام بها المكلف بحماية الطفولة بالقنصلية خلال الفترة.",
            "en": "Positive identifications (Moroccan national) made by the consulate's child-protection officer "
            "during the period.",
        },
        EventCount("identify", Q(reason="identified")),
    ),
    _indicator(
        "minors_families_traced",
        {"fr": "Familles retrouvées", "ar": "الأسر التي تم العثور عليها", "en": "Families traced"},
        {
            "fr": "Recherches familiales conclues « famille retrouvée » pendant la période. Les recherches conclues "
            "autrement (non retrouvée, refus, danger) ne comptent pas ici.",
            "ar": "عمليات البحث عن الأسرة التي انتهت بـ«العثور على الأسرة» خلال الفترة. لا تُحتسب هنا عمليات البحث التي "
            "انتهت بنتيجة أخرى (لم يُعثر عليها، رفض، خطر).",
            "en": "Family tracing concluded 'family found' during the period. Tracing with another outcome (not "
            "found, refuses, unsafe) does not count here.",
        },
        EventCount("trace_family", Q(reason="found")),
    ),
    _indicator(
        "minors_screening_positive",
        {
            "fr": "Repérages positifs (vulnérabilité, traite) orientés",
            "ar": "حالات الرصد الإيجابية (هشاشة، اتجار) المُحالة",
            "en": "Positive screenings (vulnerability, trafficking) referred",
        },
        {
            "fr": "Repérages de vulnérabilité et de traite conclus positifs pendant la période, chacun orienté vers "
            "le service compétent.",
            "ar": "عمليات رصد الهشاشة والاتجار بالبشر التي كانت نتيجتها إيجابية خلال الفترة، وأحيلت كل منها على المصلحة المختصة.",
            "en": "Vulnerability and trafficking screenings concluded positive during the period, each referred to "
            "the competent service.",
        },
        EventCount("screen", Q(reason="positive")),
    ),
    _indicator(
        "minors_decisions_return",
        {
            "fr": "Décisions du juge : retour",
            "ar": "قرارات القاضي: العودة",
            "en": "Judge's decisions: return",
        },
        {
            "fr": "Décisions du juge des enfants ordonnant le retour, rendues pendant la période.",
            "ar": "قرارات قاضي الأحداث القاضية بالعودة، الصادرة خلال الفترة.",
            "en": "Juvenile judge's decisions ordering the return, made during the period.",
        },
        EventCount("decide", Q(reason="return")),
    ),
    _indicator(
        "minors_decisions_stay",
        {
            "fr": "Décisions du juge : maintien en France",
            "ar": "قرارات القاضي: البقاء في فرنسا",
            "en": "Judge's decisions: stay in France",
        },
        {
            "fr": "Décisions du juge des enfants ordonnant le maintien en France, rendues pendant la période.",
            "ar": "قرارات قاضي الأحداث القاضية بالبقاء في فرنسا، الصادرة خلال الفترة.",
            "en": "Juvenile judge's decisions ordering the child to stay in France, made during the period.",
        },
        EventCount("decide", Q(reason="stay")),
    ),
    _indicator(
        "minors_decisions_inquiry",
        {
            "fr": "Décisions du juge : complément d'enquête",
            "ar": "قرارات القاضي: تعميق البحث",
            "en": "Judge's decisions: further inquiry",
        },
        {
            "fr": "Décisions du juge des enfants ordonnant un complément d'enquête, rendues pendant la période.",
            "ar": "قرارات قاضي الأحداث القاضية بتعميق البحث، الصادرة خلال الفترة.",
            "en": "Juvenile judge's decisions ordering further inquiry, made during the period.",
        },
        EventCount("decide", Q(reason="inquiry")),
    ),
    _indicator(
        "minors_handovers_confirmed",
        {
            "fr": "Retours avec remise confirmée",
            "ar": "عمليات العودة مع تسليم مؤكد",
            "en": "Returns with confirmed hand-over",
        },
        {
            "fr": "Remises d'enfants confirmées par les services marocains de protection de l'enfance (date, lieu, "
            "personne qui a reçu l'enfant) pendant la période.",
            "ar": "عمليات تسليم الأطفال التي أكدتها المصالح المغربية لحماية الطفولة (التاريخ، المكان، الشخص المستقبِل) خلال الفترة.",
            "en": "Hand-overs of children confirmed by Moroccan child-protection services (date, place, receiving "
            "person) during the period.",
        },
        EventCount("confirm_handover"),
    ),
    _indicator(
        "minors_followups_in_time",
        {
            "fr": "Suivis reçus dans les délais",
            "ar": "تقارير التتبع المتوصل بها في الآجال",
            "en": "Follow-ups received in time",
        },
        {
            "fr": "Rapports de suivi à 3 et 12 mois reçus pendant la période au plus tard à leur date d'échéance "
            "(3 et 12 mois après la remise).",
            "ar": "تقارير التتبع بعد 3 و12 شهراً المتوصل بها خلال الفترة في أجل لا يتعدى تاريخ استحقاقها (3 و12 شهراً بعد التسليم).",
            "en": "3- and 12-month follow-up reports received during the period on or before their due date (3 and "
            "12 months after the hand-over).",
        },
        EventCount(("record_followup_3m", "record_followup_12m"), Q(reason="in_time")),
    ),
    _indicator(
        "minors_followups_late",
        {
            "fr": "Suivis reçus en retard",
            "ar": "تقارير التتبع المتوصل بها متأخرة",
            "en": "Follow-ups received late",
        },
        {
            "fr": "Rapports de suivi à 3 et 12 mois reçus pendant la période après leur date d'échéance.",
            "ar": "تقارير التتبع بعد 3 و12 شهراً المتوصل بها خلال الفترة بعد تاريخ استحقاقها.",
            "en": "3- and 12-month follow-up reports received during the period after their due date.",
        },
        EventCount(("record_followup_3m", "record_followup_12m"), Q(reason="late")),
    ),
]
ORDER = [i.id for i in INDICATORS]


def published(value: int | None):
    """The small-cell rule: a count below 5 is published as '< 5'."""
    if value is None or value < SMALL_CELL_THRESHOLD:
        return SMALL_CELL
    return value


@dataclass
class MinorsRow:
    key: str
    label: str
    counts: Counter = field(default_factory=Counter)

    def published(self, indicator_id: str):
        return published(self.counts.get(indicator_id, 0))


@dataclass
class MinorsTable:
    period: Period
    breakdown: str
    indicators: list[Indicator]
    rows: list[MinorsRow]
    total: MinorsRow
    high_water: int

    @property
    def versions(self) -> dict[str, int]:
        return {i.id: i.version for i in self.indicators}

    def lines(self, lang: str = "fr") -> list[dict]:
        """One line per indicator: its published figure in each row, then in total (the page, the report)."""
        return [
            {
                "id": i.id,
                "name": i.text("name", lang),
                "cells": [r.published(i.id) for r in self.rows],
                "total": self.total.published(i.id),
            }
            for i in self.indicators
        ]

    def as_dict(self, lang: str = "fr") -> dict:
        """The published figures: small cells as '< 5', never a raw count below 5."""

        def row(r: MinorsRow) -> dict:
            return {
                "key": r.key,
                "label": r.label,
                "figures": {i.id: r.published(i.id) for i in self.indicators},
            }

        return {
            "period": self.period.as_dict(),
            "breakdown": self.breakdown,
            "ledger_high_water": self.high_water,
            "versions": self.versions,
            "small_cell_rule": SMALL_CELL_RULE.get(lang) or SMALL_CELL_RULE["fr"],
            "indicators": [i.as_dict(lang) for i in self.indicators],
            "total": row(self.total),
            "rows": [row(r) for r in self.rows],
        }


class MinorsFilterError(ValueError):
    pass


def _count(indicator: Indicator) -> EventCount:
    assert isinstance(indicator.computation, EventCount)  # every indicator of this module is a count (above)
    return indicator.computation


def resolve(versions: dict[str, int] | None = None) -> list[Indicator]:
    versions = versions or {}
    return [get(i, versions.get(i)) for i in ORDER if not versions or i in versions]


def ledger_high_water() -> int:
    return MinorEvent.objects.aggregate(m=Max("pk"))["m"] or 0


def compute(
    period: Period,
    *,
    breakdown: str = "none",
    versions: dict[str, int] | None = None,
    high_water: int | None = None,
) -> MinorsTable:
    """One aggregation over the period's events of the kinds needed, by consulate and month."""
    if breakdown not in BREAKDOWNS:
        raise MinorsFilterError(_("Ventilation inconnue : %(name)s.") % {"name": breakdown})
    indicators = resolve(versions)
    high_water = ledger_high_water() if high_water is None else high_water
    months = period.months()
    month_keys = [f"{m:%Y-%m}" for m in months]
    counts = [_count(i) for i in indicators]
    kinds = sorted({k for c in counts for k in c.kinds})
    qs = MinorEvent.objects.order_by().filter(
        pk__lte=high_water, at__gte=period.start, at__lt=period.end, kind__in=kinds
    )
    month = (
        Value(0, output_field=IntegerField())
        if len(months) == 1
        else DbCase(
            *(When(at__lt=period.month_end(m), then=Value(n)) for n, m in enumerate(months[:-1])),
            default=Value(len(months) - 1),
            output_field=IntegerField(),
        )
    )
    aggregates = {f"n_{n}": Count("pk", filter=c.selection()) for n, c in enumerate(counts)}
    by_key: dict[str | int, Counter] = defaultdict(Counter)  # a month, a consulate's id, or "all"
    total: Counter[str] = Counter()
    for values in qs.annotate(month=month).values("consulate_id", "month").annotate(**aggregates):
        # django-stubs types the row with the values() keys only, not the aggregates' (given as **kwargs).
        row = cast(Mapping[str, Any], values)
        keys: dict[str, str | int] = {
            "none": "all",
            "month": month_keys[row["month"]],
            "consulate": row["consulate_id"],
        }
        key = keys[breakdown]
        for n, i in enumerate(indicators):
            by_key[key][i.id] += row[f"n_{n}"]
            total[i.id] += row[f"n_{n}"]
    rows = []
    if breakdown == "month":
        rows = [MinorsRow(k, k, by_key.get(k, Counter())) for k in month_keys]
    elif breakdown == "consulate":
        orgs = Organisation.objects.in_bulk([k for k in by_key])
        rows = sorted(
            (MinorsRow(orgs[k].code, orgs[k].display_name, c) for k, c in by_key.items()),
            key=lambda r: r.label,
        )
    return MinorsTable(
        period, breakdown, indicators, rows, MinorsRow("all", _("Ensemble"), total), high_water
    )
