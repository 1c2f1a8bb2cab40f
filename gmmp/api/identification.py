"""Register search for the Moroccan side's systems: /api/v1/register/…"""

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from gmmp.cases.selectors import case_get_for_user
from gmmp.cases.validation import PARTIAL_DATE_PATTERN, partial_date_clean, partial_date_in_future
from gmmp.identification.engine import Query
from gmmp.identification.perms import register_search_allowed
from gmmp.identification.services import query_from_case, register_engine, register_search

from .auth import require_scope
from .schemas import READ_ERRORS, WRITE_ERRORS, SchemaPattern

router = Router(tags=["register"])


def _given(field: str) -> dict:
    return {"required": [field], "properties": {field: {"minLength": 1}}}


class SearchIn(Schema):
    """At least a name, an alias or a parent's name (422 otherwise): stated as `anyOf`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                _given("first_name"),
                _given("last_name"),
                {"required": ["aliases"], "properties": {"aliases": {"minItems": 1}}},
                _given("father_first_name"),
                _given("mother_last_name"),
            ]
        },
    )

    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    aliases: list[str] = Field(default_factory=list, max_length=20)
    sex: str = Field("", pattern="^(M|F|)$")
    birth_date: Annotated[str, SchemaPattern(f"^(?:{PARTIAL_DATE_PATTERN})?$")] = Field(
        "", max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    birth_place: str = Field("", max_length=120)
    father_first_name: str = Field("", max_length=100)
    mother_first_name: str = Field("", max_length=100)
    mother_last_name: str = Field("", max_length=100)
    limit: int = Field(5, ge=1, le=20)

    @field_validator("birth_date")
    @classmethod
    def _partial(cls, value: str) -> str:
        from django.core.exceptions import ValidationError

        try:
            return partial_date_clean(value)
        except ValidationError as exc:
            kind = "date_in_future" if partial_date_in_future(value.strip()) else "partial_date"
            raise PydanticCustomError(kind, exc.messages[0]) from None


class FieldOut(Schema):
    field: str
    outcome: str
    weight: float
    query_value: str
    record_value: str
    note: str  # a code (engine/explain.py), "" when there is nothing to add
    note_args: dict[str, str]


class CandidateOut(Schema):
    rank: int
    national_id: str
    score: float
    probability: float
    band: str
    band_reason: str  # a code (engine/bands.py REASONS)
    confidence: float  # bits beyond the strong bar (negative: short of it)
    record: dict[str, str]
    explanation: list[FieldOut]


class SearchOut(Schema):
    model_version: str
    register_size: int
    candidates: list[CandidateOut]


def _check(request) -> None:
    require_scope(request, "register:search")
    ok, why = register_search_allowed(request.user)
    if not ok:
        raise HttpError(403, why)


def _answer(request, query: Query, limit: int, case_reference: str = "") -> dict:
    engine = register_engine()
    candidates = register_search(
        user=request.user, query=query, limit=limit, channel="api", case_reference=case_reference
    )
    return {
        "model_version": engine.model_version,
        "register_size": engine.count,
        "candidates": [
            {
                "rank": i,
                "national_id": c.national_id,
                "score": c.score,
                "probability": c.probability,
                "band": c.band,
                "band_reason": c.band_reason,
                "confidence": c.confidence,
                "record": c.record,
                "explanation": [vars(f) for f in c.explanation],
            }
            for i, c in enumerate(candidates, start=1)
        ],
    }


@router.post(
    "/search", response={200: SearchOut, **WRITE_ERRORS}, summary="Search the register for one person"
)
def search(request, body: SearchIn):
    _check(request)
    if not (
        body.first_name or body.last_name or body.aliases or body.father_first_name or body.mother_last_name
    ):
        raise HttpError(422, _("Indiquez au moins un nom, un alias ou le nom d'un parent."))
    data = body.dict(exclude={"limit"})
    return _answer(request, Query(**data), body.limit)


@router.post(
    "/cases/{reference}/search",
    response={200: SearchOut, **READ_ERRORS},
    summary="Search the register with the identity declared in a request",
)
def case_search(request, reference: str, limit: int = 5):
    _check(request)
    case = case_get_for_user(user=request.user, reference=reference)
    return _answer(request, query_from_case(case), max(1, min(limit, 20)), case_reference=case.reference)
