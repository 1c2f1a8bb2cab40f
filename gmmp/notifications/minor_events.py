"""Who hears of what on the protected track of unaccompanied minors: an on-commit effect of the minors'
workflow, like the case ledger's rules (case_events.py).

Stricter than the adult track: only the people named on the child's case (and the clerks of its court,
who act for the judge) are told of its steps; the supervisors of the organisations involved are told
that a case was opened, with a link to its access log (what they may read), never to the child's data.
A notification carries the case's reference and the step, never a name. The actor is never told of
their own act.
"""

from gmmp.minors.models import MinorCase
from gmmp.minors.perms import NAMED, SUPERVISED
from gmmp.minors.workflow import MINORS_WORKFLOW, TRANSITIONS
from gmmp.organisations.enums import Role
from gmmp.organisations.models import User

from .enums import NotificationKind as N
from .services import notify

# Who the overdue follow-up report is asked of (the Moroccan side that follows the child after the handover).
FOLLOWUP_NAMED = ("child_services_officer", "consulate_officer")


def _active(ids) -> list[User]:
    return list(User.objects.filter(pk__in=[i for i in ids if i], is_active=True).order_by("pk"))


def named_people(case: MinorCase, fields=NAMED) -> list[User]:
    return _active(getattr(case, f"{f}_id") for f in fields)


def court_clerks(case: MinorCase) -> list[User]:
    return list(
        User.objects.filter(organisation_id=case.court_id, role=Role.COURT_CLERK, is_active=True).order_by(
            "pk"
        )
    )


def supervisors(case: MinorCase) -> list[User]:
    orgs = {getattr(case, f"{org}_id") for org in SUPERVISED} - {None}
    return list(
        User.objects.filter(organisation_id__in=orgs, role=Role.SUPERVISOR, is_active=True).order_by("pk")
    )


def _without(users: list[User], actor) -> list[User]:
    seen, out = set(), []
    for user in users:
        if user.pk not in seen and (actor is None or user.pk != actor.pk):
            seen.add(user.pk)
            out.append(user)
    return out


def minor_event_notify(event) -> int:
    """The notifications of one event of a child's ledger (idempotent: `minor-event:<id>` is the key)."""
    case = MinorCase.objects.get(pk=event.case_id)
    key, at, actor = f"minor-event:{event.pk}", event.at, event.actor
    link = {"link": "minors:detail", "link_reference": case.reference}

    def tell(kind, users, params, suffix=""):
        return len(
            notify(
                key=key + suffix,
                kind=kind,
                users=_without(users, actor),
                case_reference=case.reference,
                params=params,
                at=at,
            )
        )

    if event.kind == "referred":
        sent = tell(N.MINOR_REFERRED, named_people(case) + court_clerks(case), link)
        return sent + tell(
            N.MINOR_CASE_OPENED,
            supervisors(case),
            {"link": "minors:access_log", "link_reference": case.reference},
            ":supervisors",
        )
    if event.kind == "followup_reminder":
        return tell(
            N.MINOR_FOLLOWUP_LATE, named_people(case, FOLLOWUP_NAMED), {**link, "which": event.reason}
        )
    if event.kind in TRANSITIONS:
        return tell(N.MINOR_STEP, named_people(case) + court_clerks(case), {**link, "step": event.kind})
    return 0


def _on_minor_event(outcome) -> None:
    minor_event_notify(outcome.event)


def subscribe() -> None:
    if _on_minor_event not in MINORS_WORKFLOW.effects:
        MINORS_WORKFLOW.on_commit(_on_minor_event)
