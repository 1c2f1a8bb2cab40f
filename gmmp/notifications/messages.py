"""The words of a notification, in the reader's language: the kind's label and, where it helps, a
non-personal detail (a date, a decision). Shared by the inbox and the e-mails."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .enums import NotificationKind as N


def _date(value: str) -> str:
    try:
        return date_format(dt.date.fromisoformat(value[:10]), "d/m/Y")
    except (TypeError, ValueError):
        return ""


def sentence(kind: str, params: dict) -> str:
    label = str(N(kind).label) if kind in N.values else kind
    detail = ""
    if kind == N.DECISION and params.get("decision"):
        from gmmp.cases.enums import Decision

        if params["decision"] in Decision.values:
            detail = str(Decision(params["decision"]).label)
    elif kind in (N.DEPARTURE_SCHEDULED,) and params.get("date"):
        detail = _("le %(date)s") % {"date": _date(params["date"])}
    elif kind in (N.INTERVIEW_SCHEDULED, N.INTERVIEW_CHANGED, N.INTERVIEW_CONFIRMED) and params.get("date"):
        detail = _("le %(date)s") % {"date": _date(params["date"])}
    elif kind in (N.REPLY_DUE_SOON, N.REPLY_OVERDUE) and params.get("date"):
        detail = _("réponse attendue le %(date)s") % {"date": _date(params["date"])}
    elif kind == N.RELEASE_SOON_NO_LPC and params.get("date"):
        detail = _("libération au plus tard le %(date)s") % {"date": _date(params["date"])}
    elif kind == N.LPC_EXPIRING and params.get("date"):
        detail = _("valable jusqu'au %(date)s") % {"date": _date(params["date"])}
    elif kind == N.GOVERNANCE_ACTION_DUE and params.get("date"):
        detail = _("échéance le %(date)s") % {"date": _date(params["date"])}
    elif kind == N.QUARTER_CLOSED and params.get("quarter"):
        detail = params["quarter"]
    elif kind == N.MINOR_STEP and params.get("step"):
        from gmmp.minors.workflow import TRANSITIONS

        if params["step"] in TRANSITIONS:
            detail = str(TRANSITIONS[params["step"]].label)
    elif kind == N.MINOR_FOLLOWUP_LATE and params.get("which"):
        detail = _("suivi à 3 mois") if params["which"] == "3m" else _("suivi à 12 mois")
    elif kind == N.LEDGER_MISMATCH and params.get("problems"):
        detail = _("%(count)s anomalie(s) ; détail : « gmmp ledger verify » et le journal") % {
            "count": params["problems"]
        }
    return f"{label} : {detail}" if detail else label
