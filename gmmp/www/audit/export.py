"""Subject-access export (GDPR art. 15 / Moroccan law 09-08 art. 7): everything the platform holds
about the person of one case, for the data protection officer to answer a request."""

import datetime as dt

from gmmp.cases.actions import REQUEST_FIELDS
from gmmp.cases.comments import comments_open
from gmmp.cases.models import Case

from .selectors import access_log_for_case

# What the préfecture filed (its detention place is among the organisations below), then what the workflow
# established.
CASE_FIELDS = [
    "reference",
    "state",
    *(f for f in REQUEST_FIELDS if f != "detention_place"),
    "detention_end",
    "established_last_name",
    "established_first_names",
    "established_birth_date",
    "established_birth_place",
    "register_national_id",
    "departure_date",
    "carrier",
    "transport_number",
    "departure_port",
    "arrival_port",
    "created_at",
]


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def subject_access_export(case: Case) -> dict:
    from gmmp.documents.models import LaissezPasser

    return {
        "case": {f: _plain(getattr(case, f, None)) for f in CASE_FIELDS if hasattr(case, f)},
        "organisations": {
            "prefecture": case.prefecture.code,
            "consulate": case.consulate.code if case.consulate else None,
        },
        "events": [
            {"at": e.at.isoformat(), "kind": e.kind, "reason": e.reason, "comment": e.comment_text}
            for e in comments_open(case.events.order_by("sequence"))
        ],
        "evidence": [
            {
                "category": ev.category,
                "kind": ev.kind,
                "name": ev.original_name,
                "added": ev.uploaded_at.isoformat(),
            }
            for ev in case.evidence.all()
        ],
        "laissez_passer": [
            {
                "number": lpc.number,
                "holder": lpc.holder_full_name,
                "holder_birth_date": lpc.holder_birth_date,
                "valid_from": lpc.valid_from.isoformat(),
                "valid_to": lpc.valid_to.isoformat(),
                "status": lpc.status,
            }
            for lpc in LaissezPasser.objects.filter(case=case)
        ],
        "reads": [
            {
                "at": log.at.isoformat(),
                "organisation": log.organisation_code,
                "action": log.action,
                "object": f"{log.object_type}:{log.object_id}",
                "channel": log.channel,
            }
            for log in access_log_for_case(case)
        ],
    }
