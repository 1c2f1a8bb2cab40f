"""/api/v1/indicators: the same figures as the dashboard, as JSON (aggregates only, no personal data)."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from gmmp.core import clock
from gmmp.indicators import definitions, domains, engine, periods
from gmmp.indicators.access import may_read_indicators

from .auth import require_scope
from .errors import ApiError
from .schemas import READ_ERRORS, one_of

router = Router(tags=["indicators"])
SCOPE = "indicators:read"


def _reader(request) -> None:
    require_scope(request, SCOPE)
    if not may_read_indicators(request.user):
        raise HttpError(
            403, _("Les indicateurs sont réservés aux administrations centrales et au secrétariat du GMMP.")
        )


def _lang(lang: str | None) -> str:
    lang = (lang or get_language() or "fr")[:2]
    return lang if lang in definitions.LANGS else "fr"


@router.get(
    "/definitions",
    response={200: dict, **READ_ERRORS},
    summary="Every indicator definition, all versions, in French, Arabic and English",
)
def indicator_definitions(request):
    _reader(request)
    return {
        "general_rules": definitions.GENERAL_RULES,
        "indicators": [ind.as_dict() for i in definitions.ORDER for ind in definitions.REGISTRY[i].values()],
        # Legal mobility and irregular migration: same definitions, figures at /api/v1/mobility/figures/{set}
        "themes": [
            {"id": t.id, "chapter": t.chapter, "title": t.title, "indicators": list(t.ids)}
            for t in domains.SETS.values()
        ],
        "theme_indicators": [ind.as_dict() for ind in domains.all_indicators()],
    }


@router.get(
    "/figures",
    response={200: dict, **READ_ERRORS},
    summary="The core set for a period, with a breakdown; numerator and denominator beside each rate",
)
def indicator_figures(
    request,
    period: str | None = Query(
        None, pattern=periods.PATTERN, description="2025Q1, 2025-03, 2025 or 2025-01-01..2025-03-31"
    ),
    breakdown: str = Query("none", pattern=one_of(engine.BREAKDOWNS)),
    consulate: str = "",
    departement: str = "",
    prefecture: str = "",
    lang: str | None = None,
):
    _reader(request)
    try:
        chosen = periods.parse(period) if period else periods.last_complete_quarter(clock.today())
    except periods.PeriodError as exc:
        raise ApiError(422, exc.code, str(exc)) from exc
    filters = engine.Filters(
        consulates=(consulate,) if consulate else (),
        prefectures=(prefecture,) if prefecture else (),
        departements=(departement,) if departement else (),
    )
    try:
        table = engine.compute(chosen, breakdown=breakdown, filters=filters)
    except engine.FilterError as exc:
        raise ApiError(422, exc.code, str(exc)) from exc
    return table.as_dict(_lang(lang))
