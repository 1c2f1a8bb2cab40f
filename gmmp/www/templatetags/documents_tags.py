"""{% lpc_panel case %}: the laissez-passer panel of the case page (current document, status, validity,
links to the PDF and, for the issuing consulate, to extend, replace or revoke it)."""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from gmmp.cases.enums import CaseState
from gmmp.cases.perms import actor_may
from gmmp.cases.workflow import Actor, transition_allowed
from gmmp.core import clock
from gmmp.documents.actions import CHANGEABLE_STATES, photo_exception_allowed, photo_exception_for
from gmmp.documents.models import LpcStatus
from gmmp.documents.selectors import lpc_history, verdict_message

register = template.Library()


def _status_label(status: str) -> str:
    return {
        "valid": _("Valable"),
        "expired": _("Expiré"),
        "not_yet_valid": _("Pas encore valable"),
        LpcStatus.REVOKED: _("Révoqué"),
        LpcStatus.USED: _("Utilisé"),
    }.get(status, status)


@register.simple_tag(takes_context=True)
def lpc_panel(context, case):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    documents = list(lpc_history(case))
    can_issue = transition_allowed(user, case, "issue_laissez_passer")[0]
    if not documents and not can_issue:
        return ""
    lpc = documents[0] if documents else None
    status = lpc.status_on(clock.today()) if lpc else ""
    can_manage = bool(
        lpc
        and lpc.status == LpcStatus.ISSUED
        and case.state in CHANGEABLE_STATES
        and actor_may(user, case, Actor.ASSIGNED_CONSULATE)[0]
    )
    return render_to_string(
        "documents/_lpc_panel.html",
        {
            "case": case,
            "lpc": lpc,
            "older": documents[1:],
            "status": status,
            "status_label": _status_label(status) if lpc else "",
            "status_message": verdict_message(status) if lpc else "",
            "can_issue": can_issue,
            # Before issuance: the supervisor's exception for a document without a photo, or the way to it.
            "photo_exception": bool(can_issue and not lpc and photo_exception_for(case)),
            "can_except_photo": bool(can_issue and not lpc and photo_exception_allowed(user, case)[0]),
            "can_manage": can_manage,
            # The arrival is confirmed by scanning the document, which also marks it used.
            "can_scan": bool(
                lpc and case.state == CaseState.DEPARTED and actor_may(user, case, Actor.BORDER_POLICE)[0]
            ),
        },
        request=request,
    )
