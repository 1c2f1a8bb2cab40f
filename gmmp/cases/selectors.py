"""Reads of cases. Every read goes through `Case.objects.visible_to(user)`: a case that is not the
user's answers exactly like a case that does not exist."""

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple, cast

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import get_language

from gmmp.core import clock
from gmmp.core.models import PolicyKeys, policy_reader, policy_value
from gmmp.organisations.models import localized_name

from . import deadlines
from .comments import comments_open
from .enums import RELEASING_KINDS, RIGHTS_KINDS
from .models import URGENCY_FAR, Case, CaseEvent, LegalEvent, full_name
from .perms import user_reads_case_files, user_sees_arrivals_only
from .workflow import AWAITING_CONSULATE, DETENTION_RELEVANT


def case_get_for_user(*, user, reference: str) -> Case:
    """The whole case file. 404 for a user who may not read case files (border police), as for a
    case that is not theirs."""
    if not user_reads_case_files(user):
        raise Http404("No case matches the given query.")
    return case_get_for_action(user=user, reference=reference)


def case_ref_get_for_user(*, user, reference: str) -> Case:
    """Like `case_get_for_user` (same rule, same 404), for reads that need nothing of the file but the
    case itself (its timeline): the id, reference and state only, without the four organisations (a
    96-column row the ORM took ~2 ms to compile, 40 % of the API timeline's time)."""
    if not user_reads_case_files(user):
        raise Http404("No case matches the given query.")
    case = Case.objects.visible_to(user).only("id", "reference", "state").filter(reference=reference).first()
    if case is None:
        raise Http404("No case matches the given query.")
    return case


def case_get_for_action(*, user, reference: str) -> Case:
    """A visible case, for acting on it (a border officer confirming an arrival): the caller shows
    nothing of the file unless user_reads_case_files."""
    case = (
        Case.objects.visible_to(user)
        .select_related("prefecture", "consulate", "detention_place", "prefecture__departement")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404("No case matches the given query.")
    return case


# Orders a list may be sorted by (column → fields); "-" before the key sorts descending. Ties keep
# the urgency order, so a sorted list stays stable across pages.
CASE_SORTS = {
    "reference": ("reference",),
    "name": ("last_name", "first_names"),
    "birth": ("birth_date",),
    "state": ("state",),
    "detention_end": ("detention_end",),
    "reply_due": ("reply_due",),
    "departure": ("departure_date",),
}


# A list's "N demandes" counts up to this many rows: beyond, "plus de 10 000" (a COUNT(*) of the whole
# national list grows with the rows, 8–35 ms at 100,000 cases; a count of at most LIST_COUNT_CAP + 1
# rows does not). bench/RESULTS.md, "Load".
LIST_COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap` + 1 rows (`capped` then says "more than `cap`"). Past the
    cap the pages still go on: a page has a next one while it is full (the last page may be empty)."""

    def __init__(self, object_list, per_page, cap: int | None = None):
        super().__init__(object_list, per_page)
        self.cap = LIST_COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int:
        return cast(QuerySet, self.object_list).order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger("page") from exc  # get_page() shows the first page
        if number < 1:
            raise EmptyPage("page")  # get_page() shows the last page
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.capped:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)


class CappedPage(Page):
    def has_next(self) -> bool:
        paginator = cast(CappedPaginator, self.paginator)
        if paginator.capped and self.number >= paginator.num_pages:
            return len(self.object_list) == paginator.per_page
        return super().has_next()


def case_list_for_user(*, user, filters: dict | None = None, sort: str = "") -> QuerySet:
    """Visible cases, most urgent first (open before finished; then the earliest date that matters), or
    sorted by one of CASE_SORTS."""
    if not user_reads_case_files(user):
        return Case.objects.none()
    qs = Case.objects.visible_to(user).select_related("prefecture", "consulate")
    filters = filters or {}
    if filters.get("state"):
        qs = qs.filter(
            state__in=filters["state"] if isinstance(filters["state"], list | tuple) else [filters["state"]]
        )
    if filters.get("consulate"):
        qs = qs.filter(consulate__code=filters["consulate"])
    if filters.get("prefecture"):
        qs = qs.filter(prefecture__code=filters["prefecture"])
    if filters.get("departement"):
        qs = qs.filter(prefecture__departement__code=filters["departement"])
    if filters.get("created_from"):
        qs = qs.filter(created_at__date__gte=filters["created_from"])
    if filters.get("created_to"):
        qs = qs.filter(created_at__date__lte=filters["created_to"])
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(
            Q(reference__icontains=q) | Q(last_name__icontains=q) | Q(removal_order_reference__icontains=q)
        )
    if filters.get("open_only"):
        # open_rank=0 follows from the states; said for the planner (the urgency indexes start with it).
        qs = qs.filter(state__in=DETENTION_RELEVANT, open_rank=0)
    # Columns the database keeps (models.OPEN_RANK_SQL, URGENCY_DATE_SQL), indexed in this order.
    urgency = ("open_rank", "urgency_date", "created_at", "pk")
    key = (sort or "").lstrip("-")
    if key in CASE_SORTS:
        descending = sort.startswith("-")
        fields = [
            F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True) for f in CASE_SORTS[key]
        ]
        return qs.order_by(*fields, *urgency)
    return qs.order_by(*urgency)


@dataclass(frozen=True)
class CaseDeadlines:
    clock: deadlines.DetentionClock | None
    reply_due: dt.date | None
    awaiting_reply: bool
    urgency: deadlines.Urgency


def case_deadlines(
    case: "Case | CaseRow", today: dt.date | None = None, policy=policy_value, legal_events=None
) -> CaseDeadlines:
    """`legal_events`: the case's legal events in their order, when the caller has read them already (the
    case page's legal timeline, a page of cases); otherwise they are read here."""
    today = today or clock.today()
    detention = None
    if case.detention_start:
        # The judges' decisions of the current detention.
        events = cast(Case, case).legal_events.all() if legal_events is None else legal_events
        events = [e for e in events if e.on >= case.detention_start]
        detention = deadlines.detention_clock(
            case.detention_start, today, policy(PolicyKeys.DETENTION_STAGES, case.detention_start), events
        )
    awaiting = case.state in AWAITING_CONSULATE
    relevant = case.state in DETENTION_RELEVANT
    due = [case.reply_due if awaiting else None, detention.release_by if (detention and relevant) else None]
    return CaseDeadlines(
        clock=detention,
        reply_due=case.reply_due,
        awaiting_reply=awaiting,
        urgency=deadlines.urgency(
            today=today, due_dates=due, due_soon_days=policy(PolicyKeys.DUE_SOON_DAYS, today)
        ),
    )


class RowOrganisation(NamedTuple):
    pk: int
    display_name: str


# What a row of the web list reads (www/templatetags/cases_tags.case_list_rows and the deadlines), as
# one tuple a case: 50 model instances and their 100 organisations were ~2.5 ms of a list page, the
# tuples ~1.2 ms (bench/RESULTS.md, "Load, fifth pass").
CASE_ROW_VALUES = (
    *("pk", "reference", "state", "sex", "last_name", "first_names", "birth_date", "detention_start"),
    *("detention_end", "reply_due", "prefecture_id", "consulate_id"),
    *(f"{org}__{name}" for org in ("prefecture", "consulate") for name in ("name", "name_ar", "name_en")),
)


class CaseRow:
    """A case as a list row reads it, from one tuple of CASE_ROW_VALUES (`case_rows`)."""

    __slots__ = (
        *("pk", "reference", "state", "sex", "last_name", "first_names", "birth_date", "detention_start"),
        *("detention_end", "reply_due", "prefecture_id", "consulate_id", "prefecture", "consulate"),
    )

    def __init__(self, values: tuple, lang: str):
        (self.pk, self.reference, self.state, self.sex, self.last_name, self.first_names, self.birth_date,
         self.detention_start, self.detention_end, self.reply_due, self.prefecture_id, self.consulate_id,
         pref_name, pref_ar, pref_en, cons_name, cons_ar, cons_en) = values  # fmt: skip
        self.prefecture = RowOrganisation(
            self.prefecture_id, localized_name(pref_name, pref_ar, pref_en, lang)
        )
        self.consulate = (
            RowOrganisation(self.consulate_id, localized_name(cons_name, cons_ar, cons_en, lang))
            if self.consulate_id
            else None
        )

    @property
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_names)


def case_rows(values) -> list[CaseRow]:
    """The list rows of tuples read with `values_list(*CASE_ROW_VALUES)`."""
    lang = (get_language() or "fr")[:2]
    return [CaseRow(row, lang) for row in values]


def case_deadlines_many(cases) -> list[tuple["Case | CaseRow", CaseDeadlines]]:
    """Deadlines of a page of cases: the rules read once (one query), not per case or date, and the
    judges' decisions of the detained ones in one query (only what the clock reads; not a
    prefetch_related, which builds a filtered queryset per case)."""
    policy = policy_reader()
    today = clock.today()
    cases = list(cases)
    events: dict[int, list[LegalEvent]] = {}
    detained = [case.pk for case in cases if case.detention_start]
    if detained:
        for event in LegalEvent.objects.filter(case_id__in=detained).only(
            "id", "case_id", "kind", "on", "extended_to"
        ):  # the model's order (on, recorded_at, pk)
            events.setdefault(event.case_id, []).append(event)
    return [(case, case_deadlines(case, today, policy, events.get(case.pk, []))) for case in cases]


def case_timeline(case: Case) -> list:
    """The case's events, oldest first, each with its readable comment in `comment_text`."""
    return comments_open(
        CaseEvent.objects.filter(case=case).select_related("actor", "actor_organisation").order_by("sequence")
    )


def case_legal_timeline(case: Case) -> dict:
    """The person's legal timeline for the case page: judicial events and the rights log, and what is
    pending (a suspensive appeal or an asylum claim forbids any departure)."""
    events = list(case.legal_events.select_related("recorded_by").order_by("on", "recorded_at", "pk"))
    releases = [e for e in events if e.kind in RELEASING_KINDS]
    return {
        "events": events,
        "judicial": [e for e in events if e.kind not in RIGHTS_KINDS],
        "rights": [e for e in events if e.kind in RIGHTS_KINDS],
        "pending": deadlines.pending_suspensive(events),
        "pending_events": deadlines.pending_suspensive_events(events),
        # The latest release recorded (the case is "released" until the procedure resumes or is withdrawn).
        "release": releases[-1] if releases else None,
    }


def ledger_verify(case: Case) -> tuple[bool, int | None]:
    """Recompute the hash chain of one case: (True, None) or (False, the first broken sequence)."""
    return CaseEvent.verify(case)


def arrivals_for_user(*, user) -> QuerySet:
    """Border police: the journeys to Morocco still expected (document issued, departure scheduled or
    done), soonest departure first. Only what a check at the post needs is read from these rows."""
    if not user_sees_arrivals_only(user):
        return Case.objects.none()
    return (
        Case.objects.visible_to(user)
        .only(
            "id",
            "reference",
            "state",
            "last_name",
            "first_names",
            "departure_date",
            "departure_port",
            "arrival_port",
            "carrier",
            "transport_number",
        )
        .order_by(Coalesce("departure_date", Value(URGENCY_FAR)), "reference")
    )


def arrival_get_for_user(*, user, reference: str) -> Case:
    case = arrivals_for_user(user=user).filter(reference=reference).first()
    if case is None:
        raise Http404("No case matches the given query.")
    return case
