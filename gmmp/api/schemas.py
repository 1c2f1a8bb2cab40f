"""Schemas of the HTTP API (pydantic, through django-ninja): what a caller may send and what it gets.

Input schemas forbid unknown fields (a typo such as `birthdate` is an error, not silently dropped),
strip strings and check what can be checked without the database: partial dates against the real
calendar, date order, enum values. Each problem is reported on its own field (422, see errors.py).
"""

import datetime as dt
import re
from typing import Annotated, Any, ClassVar

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from gmmp.cases.enums import (
    PROOF_KINDS,
    AgeBasis,
    AgeFinding,
    CaseState,
    Decision,
    DepartureFailure,
    DepartureOutcome,
    EvidenceCategory,
    EvidenceKind,
    InterviewMode,
    LegalEventKind,
    LegalOutcome,
    ReleaseCause,
    ReversalReason,
    Sex,
    WithdrawalReason,
)
from gmmp.cases.validation import (
    EARLIEST_RECORD_DATE,
    PARTIAL_DATE_PATTERN,
    field_text_pattern,
    field_text_problem,
    partial_date_in_future,
    partial_date_problem,
    removal_dates_check,
)
from gmmp.core import clock, dateformats
from gmmp.core.text import blank_pattern, white_space_class


def Text(max_length: int, *, required: bool = False) -> StringConstraints:  # noqa: N802 - read like a type
    """The rules of a text field, written `Annotated[str, Text(100)]` (a call is not a type for mypy):
    stripped, at most `max_length` characters, not empty when `required`."""
    return StringConstraints(strip_whitespace=True, min_length=1 if required else 0, max_length=max_length)


Comment = Annotated[str, Text(2000)]
OrgCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


def _error(kind: str, message: str) -> PydanticCustomError:
    # Braces would be read as placeholders by pydantic: messages here never contain any.
    return PydanticCustomError(kind, message)


def partial_date_check(value: str) -> str:
    """'' or YYYY, YYYY-MM, YYYY-MM-DD naming a real day, not after today (the domain's rule)."""
    problem = partial_date_problem(value)
    if problem:
        raise _error("date_in_future" if partial_date_in_future(value) else "partial_date", problem)
    return value


class SchemaPattern:
    """States a rule the field's validator checks as the schema's `pattern` (the server keeps its own
    check and message)."""

    def __init__(self, pattern: str):
        self.pattern = pattern

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        schema["pattern"] = self.pattern
        return schema


_SPACE = f"[{white_space_class()}]*"

# Base64 as `base64.b64decode(validate=True)` reads it (white space around is stripped first).
BASE64_PATTERN = f"^{_SPACE}(?:[A-Za-z0-9+/]{{4}})*(?:[A-Za-z0-9+/]{{2}}==|[A-Za-z0-9+/]{{3}}=)?{_SPACE}$"

# YYYY, YYYY-MM or YYYY-MM-DD naming a real day, not after today: the one partial-date type of the API.
PartialDate = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=10),
    AfterValidator(partial_date_check),
    SchemaPattern(f"^{_SPACE}(?:{PARTIAL_DATE_PATTERN})?{_SPACE}$"),
]


def _iso_date_only(value):
    # pydantic would read 0 or "0" as 1970-01-01 (a Unix time): a date here is written YYYY-MM-DD.
    if isinstance(value, dt.date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        return value
    raise _error("date_format", _("Date attendue au format AAAA-MM-JJ."))


def _iso_datetime_only(value):
    if isinstance(value, dt.datetime) or (
        isinstance(value, str)
        and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", value)
    ):
        return value
    raise _error(
        "datetime_format", _("Date et heure attendues au format ISO 8601, avec le décalage horaire.")
    )


def _json_integer(value):
    # An integer as JSON Schema means it (2 or 2.0), not a string or a boolean, which pydantic would take.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


WholeNumber = Annotated[int, BeforeValidator(_json_integer)]
# A count stored in a PositiveIntegerField: 0 to the largest the column holds on every database (PostgreSQL's
# integer; SQLite would take more and PostgreSQL would then fail with a server error). Written on the field,
# `Field(ge=0, le=COUNT_MAX)`: inside the Annotated type pydantic would not state it in the JSON schema.
COUNT_MAX = 2_147_483_647
Date = Annotated[dt.date, BeforeValidator(_iso_date_only)]
# A removal order or a detention: a day from 1990 (EARLIEST_RECORD_DATE; not after today: the check's).
RecordDate = Annotated[Date, SchemaPattern(f"^{dateformats.RECORD_DAY}$")]
DateTime = Annotated[AwareDatetime, BeforeValidator(_iso_datetime_only)]


def _text_rules(value, field: str):
    if isinstance(value, str):
        problem = field_text_problem(field, value)
        if problem:
            raise _error("text_rules", problem)
    elif isinstance(value, list):
        for item in value:
            _text_rules(item, field)
    return value


def _string_schemas(prop: dict):
    """The plain text schemas in a property's schema: itself, an array's items, a nullable's branch
    (not enums, dates or fields with a pattern of their own)."""
    if prop.get("type") == "string" and not prop.keys() & {"format", "enum", "const", "pattern"}:
        yield prop
    for branch in prop.get("anyOf", ()):
        yield from _string_schemas(branch)
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        yield from _string_schemas(prop["items"])


def _state_rules(schema: dict, cls) -> None:
    # The text rules the validator below applies, stated in the schema as the same rule's pattern, so
    # that what the schema calls valid is what the server accepts (schemathesis' positive data check);
    # and the class's rules between fields (`if`/`then`).
    for field, prop in schema.get("properties", {}).items():
        for text in _string_schemas(prop):
            text["pattern"] = field_text_pattern(field, required=text.get("minLength", 0) > 0)
    if cls.field_rules:
        schema["allOf"] = list(cls.field_rules)


def one_of(values) -> str:
    """A pattern for a closed list of words (a query parameter's enum)."""
    return "^(?:" + "|".join(re.escape(v) for v in values) + ")$"


def when(field: str, values, then: dict) -> dict:
    """A rule between fields, in JSON schema: `then` holds when `field` is one of `values`."""
    values = [getattr(v, "value", v) for v in values]
    return {"if": {"properties": {field: {"enum": values}}, "required": [field]}, "then": then}


def filled(*fields: str) -> dict:
    """`then`: these fields are given, and not blank (text) or null (anything else)."""
    return {
        "required": list(fields),
        "properties": {
            field: {"not": {"anyOf": [{"type": "null"}, {"type": "string", "pattern": blank_pattern()}]}}
            for field in fields
        },
    }


def left_out(*fields: str) -> dict:
    """`then`: these fields are absent, null or blank."""
    return {
        "properties": {
            field: {"anyOf": [{"type": "null"}, {"type": "string", "pattern": blank_pattern()}]}
            for field in fields
        }
    }


class Strict(Schema):
    """Every input: unknown fields refused; every text held to the shared rules (gmmp.core.text: no
    control or bidi character, nothing invisible-only, a letter in a name), as in the web forms, after
    white space around it is stripped; the schema states them as a `pattern` on each text field."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra=_state_rules)
    # Rules between fields the validators below enforce, stated in the schema (`when(...)`).
    field_rules: ClassVar[tuple[dict, ...]] = ()

    @field_validator("*", mode="before")
    @classmethod
    def _raw_length(cls, value, info: ValidationInfo):
        """The schema's `maxLength` is read on the value as sent; stripping comes after it, so a value
        padded with spaces beyond the limit is refused as the schema says, not accepted once stripped."""
        if isinstance(value, str) and info.field_name is not None:
            field = cls.model_fields.get(info.field_name)
            limits = [
                m.max_length for m in (field.metadata if field else []) if getattr(m, "max_length", None)
            ]
            if limits and len(value) > min(limits):
                raise PydanticCustomError(
                    "string_too_long",
                    "String should have at most {max_length} characters",
                    {"max_length": min(limits)},
                )
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _clean_text(cls, value, info: ValidationInfo):
        assert info.field_name is not None  # a field validator is always called for a field
        return _text_rules(value, info.field_name)


# An endpoint that answers with a file (evidence, message attachments): the 200 in the OpenAPI document.
FILE_DOWNLOAD = {
    "responses": {
        200: {
            "description": "The file",
            "content": {
                kind: {"schema": {"type": "string", "format": "binary"}}
                for kind in ("application/pdf", "image/jpeg", "image/png")
            },
        }
    }
}

# ---------------------------------------------------------------------------------------------- errors


class ErrorDetail(Schema):
    loc: list[str | int] = Field(description="Where the problem is, e.g. ['body', 'payload', 'birth_date'].")
    msg: str
    type: str


class ErrorOut(Schema):
    code: str = Field(description="Stable machine-readable code, e.g. not_found, invalid_state, forbidden.")
    message: str = Field(description="Readable message in the request's language.")
    details: Any = Field(None, description="For 422: one entry per invalid field (loc, msg, type).")


# The errors every operation may answer, all `{code, message}`: a read (no body), a write (a body that may
# be unreadable: 400), and the larger families of each router add to these.
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---------------------------------------------------------------------------------------------- input


# The evidence form's rule between category and kind (cases.validation.evidence_kind_problem), stated on
# the upload's multipart body as the pairs it allows (no `if`/`then`: schemathesis cannot judge those on
# a body that holds a file): a proof is a passport or a CNIE; a photograph is filed as one.
EVIDENCE_KIND_RULES = (
    {
        "anyOf": [
            {
                "properties": {
                    "category": {"const": EvidenceCategory.PROOF.value},
                    "kind": {"enum": sorted(PROOF_KINDS)},
                }
            },
            {
                "properties": {
                    "category": {"const": EvidenceCategory.PHOTO.value},
                    "kind": {"const": EvidenceKind.PHOTO.value},
                }
            },
            {
                "properties": {
                    "category": {
                        "enum": [
                            c.value
                            for c in EvidenceCategory
                            if c not in (EvidenceCategory.PROOF, EvidenceCategory.PHOTO)
                        ]
                    },
                    "kind": {"enum": [k.value for k in EvidenceKind if k != EvidenceKind.PHOTO]},
                }
            },
        ]
    },
)


class AgeContestIn(Strict):
    """A contested age: what was established against the declared birth date, and on what basis."""

    finding: AgeFinding = Field(description="adult or minor (a minor is never filed in this track).")
    basis: AgeBasis
    reference: Annotated[str, Text(80, required=True)] = Field(
        description="Reference of the document or decision."
    )
    decided_on: Date | None = None


class CaseCreateIn(Strict):
    """A new identification request. Saved as a draft, or submitted at once with `submit: true`."""

    last_name: Annotated[str, Text(100, required=True)]
    first_names: Annotated[str, Text(150, required=True)]
    earlier_names: Annotated[str, Text(200)] = ""
    aliases: list[Annotated[str, Text(150, required=True)]] = Field(default_factory=list, max_length=20)
    sex: Sex = Sex.UNKNOWN
    birth_date: PartialDate = Field("", description="YYYY, YYYY-MM or YYYY-MM-DD: a year alone is enough.")
    birth_place: Annotated[str, Text(120)] = ""
    father_first_name: Annotated[str, Text(100)] = ""
    mother_first_name: Annotated[str, Text(100)] = ""
    mother_last_name: Annotated[str, Text(100)] = ""
    nationality_claimed: Annotated[str, Text(60)] = ""
    languages: Annotated[str, Text(200)] = ""
    civil_status: Annotated[str, Text(60)] = ""
    spouse_name: Annotated[str, Text(150)] = ""
    physical_description: Annotated[str, Text(2000)] = ""
    removal_order_reference: Annotated[str, Text(60, required=True)]
    removal_order_date: RecordDate
    detention_start: RecordDate | None = None
    detention_place: OrgCode | None = Field(
        None, description="Code of the retention centre (CRA), e.g. CRA-VINCENNES."
    )
    submit: bool = Field(False, description="Submit the request at once; if that fails, nothing is saved.")
    age_contested: AgeContestIn | None = Field(
        None,
        description="When the declared birth date could make the person a minor, filing is refused (422 "
        "minor_in_adult_track) unless the age was established as adult: give the basis and reference.",
    )
    duplicate_reason: Annotated[str, Text(500)] = Field(
        "",
        description="An open case for the same removal order or the same names and birth date makes the "
        "filing fail with 409 duplicate_request; give a reason to file anyway.",
    )

    @field_validator("removal_order_date")
    @classmethod
    def _order_not_in_future(cls, value: dt.date) -> dt.date:
        problem = removal_dates_check(removal_order_date=value, detention_start=None, today=clock.today())
        if problem:
            kind = "date_in_future" if value > clock.today() else "date_range"
            raise _error(kind, problem["removal_order_date"])
        return value

    @field_validator("detention_start")
    @classmethod
    def _detention_in_order(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        order = info.data.get("removal_order_date")
        problem = removal_dates_check(
            removal_order_date=order, detention_start=value, today=clock.today()
        ).get("detention_start")
        if problem:
            if value and value > clock.today():
                kind = "date_in_future"
            elif value and value < EARLIEST_RECORD_DATE:
                kind = "date_range"
            else:
                kind = "date_order"
            raise _error(kind, problem)
        return value


class CaseListFilters(Schema):
    state: list[CaseState] | None = Field(None, description="One or more states (repeat the parameter).")
    # An empty value means "no filter", as an HTML form sends it.
    consulate: Annotated[str, Text(40)] | None = None
    prefecture: Annotated[str, Text(40)] | None = None
    departement: Annotated[str, StringConstraints(strip_whitespace=True, max_length=3)] | None = None
    created_from: Date | None = None
    created_to: Date | None = None
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = Field(
        None, description="Part of the reference, the last name or the removal order reference."
    )
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)

    @field_validator("created_to")
    @classmethod
    def _period_ordered(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("created_from")
        if value is not None and start is not None and value < start:
            raise _error("date_order", _("La fin de la période précède son début."))
        return value


class EmptyIn(Strict):
    """No field."""


class EstablishedIdentityIn(Strict):
    last_name: Annotated[str, Text(100)] = ""
    first_names: Annotated[str, Text(150)] = ""
    birth_date: PartialDate = ""
    birth_place: Annotated[str, Text(120)] = ""


class DecideIn(Strict):
    decision: Decision
    comment: Comment = ""
    register_national_id: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=20, pattern=r"^[A-Za-z0-9-]*$")
    ] = ""
    register_model_version: Annotated[str, Text(40)] = ""
    established: EstablishedIdentityIn | None = Field(
        None,
        description="The identity as the consulate established it (identified only); blanks keep the declared one.",
    )

    field_rules = (
        when(
            "decision",
            [d for d in Decision if d != Decision.IDENTIFIED],
            left_out("register_national_id", "register_model_version", "established"),
        ),
    )

    @field_validator("register_national_id", "register_model_version", "established")
    @classmethod
    def _only_when_identified(cls, value, info: ValidationInfo):
        if value and info.data.get("decision") not in (None, Decision.IDENTIFIED):
            raise _error("identified_only", _("Ce champ ne s'applique qu'à une personne identifiée."))
        return value


class RouteIn(Strict):
    consulate: OrgCode = Field(description="Code of the consulate general, e.g. CG-PARIS.")
    comment: Comment = ""


class RerouteIn(Strict):
    consulate: OrgCode = Field(description="Code of the new consulate general, e.g. CG-LYON.")
    reason: Annotated[str, Text(2000, required=True)]


class ScheduleInterviewIn(Strict):
    at: DateTime = Field(description="Date and time with its offset, e.g. 2026-12-01T10:00:00+01:00.")
    mode: InterviewMode
    comment: Comment = ""

    @field_validator("at")
    @classmethod
    def _not_past(cls, value: dt.datetime) -> dt.datetime:
        if value < clock.now():
            raise _error("date_in_past", _("L'audition ne peut pas être programmée dans le passé."))
        return value


class RequestInformationIn(Strict):
    question: Annotated[str, Text(2000, required=True)]


class AnswerInformationIn(Strict):
    answer: Annotated[str, Text(4000, required=True)]


class ScheduleDepartureIn(Strict):
    departure_date: Date
    carrier: Annotated[str, Text(80, required=True)]
    transport_number: Annotated[str, Text(20, required=True)]
    departure_port: Annotated[str, Text(80, required=True)]
    arrival_port: Annotated[str, Text(80, required=True)]
    escort: bool = False

    @field_validator("departure_date")
    @classmethod
    def _not_past(cls, value: dt.date) -> dt.date:
        if value < clock.today():
            raise _error("date_in_past", _("Le départ ne peut pas être programmé dans le passé."))
        return value


class RecordDepartureIn(Strict):
    outcome: DepartureOutcome
    departed_at: DateTime = Field(
        description="When it actually happened (or failed), with its offset. Before the scheduled date: "
        "409 before_scheduled_date unless correction_reason says why."
    )
    correction_reason: Annotated[str, Text(500)] = ""
    failure_reason: DepartureFailure | None = Field(
        None, validate_default=True, description="Required when failed."
    )
    comment: Comment = ""

    field_rules = (
        when("outcome", [DepartureOutcome.FAILED], filled("failure_reason")),
        when("outcome", [DepartureOutcome.DEPARTED], left_out("failure_reason")),
    )

    @field_validator("failure_reason")
    @classmethod
    def _reason_with_failure(cls, value, info: ValidationInfo):
        outcome = info.data.get("outcome")
        if value is not None and outcome == DepartureOutcome.DEPARTED:
            raise _error("failed_only", _("Une raison d'échec ne s'applique qu'à un départ en échec."))
        if value is None and outcome == DepartureOutcome.FAILED:
            raise _error("reason_required", _("Indiquez la raison de l'échec du départ."))
        return value


class LegalEventIn(Strict):
    """One fact of the person's legal situation. Each kind needs its own fields (422 otherwise)."""

    kind: LegalEventKind
    on: Date = Field(description="Day of the decision, claim or fact.")
    reference: Annotated[str, Text(80)] = Field(
        "", description="Reference of the decision, appeal or claim (required but for rights)."
    )
    extended_to: Date | None = Field(
        None, description="extension_granted: the new end of the authorised detention."
    )
    suspensive: bool | None = Field(
        None, description="appeal_lodged: whether removal is suspended until judgment."
    )
    outcome: LegalOutcome | None = Field(None, description="appeal_decided, asylum_decided.")
    language: Annotated[str, Text(60)] = Field("", description="rights_informed, interpreter.")
    counsel: Annotated[str, Text(150)] = Field(
        "", description="counsel_contacted: the lawyer or association."
    )
    comment: Comment = ""


class ReleaseIn(Strict):
    kind: LegalEventKind = Field(
        LegalEventKind.RELEASED, description="released, extension_refused or release_ordered (judge)."
    )
    on: Date
    reference: Annotated[str, Text(80, required=True)]
    cause: ReleaseCause | None = Field(None, description="Required for kind released; judge otherwise.")
    comment: Comment = ""


class ResumeIn(Strict):
    detention_start: Date | None = Field(None, description="When the person is placed in detention again.")
    detention_place: OrgCode | None = None
    comment: Comment = ""


class ExtendReplyDeadlineIn(Strict):
    reason: Annotated[str, Text(2000, required=True)]


class CorrectIdentityIn(Strict):
    """The declared identity fields to change (only those given), and why."""

    reason: Annotated[str, Text(2000, required=True)]
    last_name: Annotated[str, Text(100, required=True)] | None = None
    first_names: Annotated[str, Text(150, required=True)] | None = None
    earlier_names: Annotated[str, Text(200)] | None = None
    aliases: list[Annotated[str, Text(150, required=True)]] | None = None
    sex: Sex | None = None
    birth_date: PartialDate | None = None
    birth_place: Annotated[str, Text(120)] | None = None
    father_first_name: Annotated[str, Text(100)] | None = None
    mother_first_name: Annotated[str, Text(100)] | None = None
    mother_last_name: Annotated[str, Text(100)] | None = None
    nationality_claimed: Annotated[str, Text(60)] | None = None
    languages: Annotated[str, Text(200)] | None = None
    civil_status: Annotated[str, Text(60)] | None = None
    spouse_name: Annotated[str, Text(150)] | None = None
    physical_description: Annotated[str, Text(2000)] | None = None

    @field_validator("birth_date")
    @classmethod
    def _birth_date(cls, value):
        return partial_date_check(value) if value is not None else value


class AssessAgeIn(Strict):
    finding: AgeFinding = Field(
        description="minor: the request leaves the adult track (withdrawn, reason minor)."
    )
    basis: AgeBasis
    reference: Annotated[str, Text(80, required=True)]
    decided_on: Date | None = None
    birth_date: PartialDate = Field("", description="The birth date the basis establishes, if any.")
    comment: Comment = ""

    @field_validator("birth_date")
    @classmethod
    def _birth_date(cls, value: str) -> str:
        return partial_date_check(value)


class WithdrawIn(Strict):
    reason: WithdrawalReason
    comment: Comment = Field("", validate_default=True, description="Required when the reason is 'other'.")

    field_rules = (when("reason", [WithdrawalReason.OTHER], filled("comment")),)

    @field_validator("comment")
    @classmethod
    def _other_needs_comment(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("reason") == WithdrawalReason.OTHER and not value:
            raise _error("comment_required", _("Précisez le motif du retrait dans le commentaire."))
        return value


class CommentIn(Strict):
    comment: Comment = ""


# ---------------------------------------------------------------------------------------------- output


class OrganisationRef(Schema):
    code: str
    name: str


class DetentionClockOut(Schema):
    start: dt.date
    days_elapsed: int
    stage_days: int | None = Field(
        description="The stage the detention is in (4, 30, 60…); null past the cap."
    )
    stage_end: dt.date | None = Field(description="When the current stage ends: a judge extends, or release.")
    release_by: dt.date = Field(description="The date by which the person will be released (hard cap).")
    days_left: int
    ended: bool


class UrgencyOut(Schema):
    overdue: bool
    due_soon: bool
    due_date: dt.date | None = Field(
        description="The earliest date that matters: the reply due or the release."
    )


class DeadlinesOut(Schema):
    detention: DetentionClockOut | None
    reply_due: dt.date | None
    awaiting_reply: bool
    urgency: UrgencyOut


class ActionOut(Schema):
    name: str
    label: str
    method: str = "POST"
    url: str


class EvidenceOut(Schema):
    id: int
    category: EvidenceCategory
    kind: EvidenceKind
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    download_url: str


class IdentityOut(Schema):
    last_name: str
    first_names: str
    earlier_names: str
    aliases: list[str]
    sex: Sex
    birth_date: str
    birth_place: str
    father_first_name: str
    mother_first_name: str
    mother_last_name: str
    nationality_claimed: str
    languages: str
    civil_status: str
    spouse_name: str
    physical_description: str
    age_finding: str = Field(description="'' or adult/minor: a contested age established on a basis.")
    age_basis: str
    age_reference: str
    age_decided_on: dt.date | None


class EstablishedIdentityOut(Schema):
    last_name: str
    first_names: str
    birth_date: str
    birth_place: str
    register_national_id: str
    register_model_version: str


class DepartureOut(Schema):
    departure_date: dt.date | None
    carrier: str
    transport_number: str
    departure_port: str
    arrival_port: str
    escort: bool


class LegalEventOut(Schema):
    kind: LegalEventKind
    kind_label: str
    on: dt.date = Field(
        description="The day of the decision, claim or release (not the day it was recorded)."
    )
    reference: str
    extended_to: dt.date | None = Field(
        description="extension_granted: the detention is authorised until then."
    )
    suspensive: bool | None = Field(description="appeal_lodged: whether the appeal suspends any removal.")
    outcome: LegalOutcome | None = Field(description="appeal_decided, asylum_decided.")
    cause: ReleaseCause | None = Field(description="Releases (released, extension_refused, release_ordered).")
    language: str
    counsel: str
    recorded_at: dt.datetime


class ReleaseOut(Schema):
    kind: LegalEventKind
    on: dt.date
    cause: ReleaseCause
    cause_label: str
    reference: str
    current: bool = Field(description="The case is in state released (the procedure has not resumed).")


class LegalOut(Schema):
    events: list[LegalEventOut] = Field(
        description="The person's legal timeline, oldest first: judges' decisions on detention, appeals against "
        "the removal order, asylum claims, releases and the rights log."
    )
    pending_suspensive: list[LegalEventOut] = Field(
        description="Suspensive appeals and asylum claims still awaiting their decision: while any is pending, no "
        "departure may be scheduled or recorded (codes suspensive_appeal_pending, asylum_claim_pending)."
    )
    departure_blocked: bool = Field(description="True while pending_suspensive is not empty.")
    release: ReleaseOut | None = Field(description="The latest release recorded, if any.")
    detention_end: dt.date | None = Field(
        description="The release date: end of the detention period a judge actually authorised (not the cap), or "
        "the day of the recorded release. A departure must be strictly before it (code after_release)."
    )


class CaseOut(Schema):
    reference: str
    state: CaseState
    state_label: str
    prefecture: OrganisationRef
    consulate: OrganisationRef | None
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    routed_at: dt.datetime | None
    decided_at: dt.datetime | None
    identity: IdentityOut
    removal_order_reference: str
    removal_order_date: dt.date
    detention_start: dt.date | None
    detention_place: OrganisationRef | None
    interview_at: dt.datetime | None
    interview_mode: InterviewMode | None
    established: EstablishedIdentityOut | None
    departure: DepartureOut | None
    deadlines: DeadlinesOut
    actions: list[ActionOut] = Field(description="What the caller may do now, with where to do it.")
    evidence: list[EvidenceOut]
    legal: LegalOut = Field(
        description="The person's legal situation (issue #11): what decides whether a departure may happen."
    )


class ReversalIn(Strict):
    reason: ReversalReason
    comment: Comment = Field("", description="Required when the reason is 'other'.")

    field_rules = (when("reason", [ReversalReason.OTHER], filled("comment")),)


class ReasonIn(Strict):
    reason: Comment = Field(description="Why (kept encrypted in the case ledger).")


class CaseEventOut(Schema):
    """An event that leaves the case in its state (a confirmation, a reversal, an exception)."""

    reference: str
    kind: str
    event_sequence: int


class TransitionOut(Schema):
    reference: str
    transition: str
    state: CaseState
    state_label: str
    event_sequence: int = Field(description="The ledger event the transition recorded.")
    case: CaseOut | None = Field(
        description="The case after the transition; null when it left the caller's view (e.g. re-routed elsewhere)."
    )


class CaseSummaryOut(Schema):
    reference: str
    state: CaseState
    state_label: str
    prefecture: str
    consulate: str | None
    last_name: str
    first_names: str
    birth_date: str
    created_at: dt.datetime
    detention_end: dt.date | None
    reply_due: dt.date | None
    urgency: UrgencyOut
    url: str


class CaseListOut(Schema):
    total: int = Field(
        description="The cases matching, counted up to 10,000: beyond, 10,000 and `total_capped` is true "
        "(a count of every row grew with the national list; page on with `offset` while pages are full)."
    )
    total_capped: bool = Field(False, description="More cases match than `total` says (over 10,000).")
    limit: int
    offset: int
    items: list[CaseSummaryOut]


class EventOut(Schema):
    sequence: int
    at: dt.datetime
    kind: str
    from_state: str
    to_state: str
    actor: str | None = Field(description="Username of the acting user.")
    actor_organisation: str | None
    actor_side: str
    reason: str
    comment: str
    details: dict
