"""Audit pages: the ledger's tamper evidence for the central auditors of both sides; who read a case
file (supervisors, the data protection officer); the subject-access export (the DPO)."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from gmmp.audit.services import access_log_record
from gmmp.core.ledger_chain import chain_head, chain_verify, published_heads
from gmmp.organisations.enums import OrganisationKind as K
from gmmp.organisations.enums import Role

from .export import subject_access_export
from .perms import access_log_case_get, is_dpo
from .selectors import access_log_for_case


def may_audit_ledger(user) -> bool:
    """Central administrations of both sides (central officers and supervisors): the ledger feeds the
    figures both governments sign, so both can check it."""
    return (
        user.is_authenticated
        and user.is_active
        and user.org_kind == K.CENTRAL
        and user.role in {Role.CENTRAL, Role.SUPERVISOR}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def ledger(request):
    """The current head, the signed heads published each day (outside the database), and on request
    a full verification. Shows counts and macs only: no personal data."""
    if not may_audit_ledger(request.user):
        raise Http404
    count, mac = chain_head()
    report = chain_verify() if request.method == "POST" else None
    heads = list(reversed(published_heads()))[:30]
    return render(
        request,
        "audit/ledger.html",
        {"count": count, "mac": mac, "heads": heads, "report": report},
    )


@never_cache
@require_GET
def case_access_log(request, reference):
    """Who read this file: for supervisors (cases their organisation sees) and the data protection
    officer. Reading the access log is itself a read, logged."""
    case = access_log_case_get(user=request.user, reference=reference)
    if case is None:
        raise Http404
    rows = access_log_for_case(case)[:500]
    access_log_record(user=request.user, action="view", object_type="access_log", object_id=case.reference)
    return render(
        request,
        "audit/access_log.html",
        {"case": case, "rows": rows, "may_export": is_dpo(request.user)},
    )


@never_cache
@require_GET
def subject_export(request, reference):
    """Subject-access export for the data protection officer: everything held about the person."""
    case = access_log_case_get(user=request.user, reference=reference) if is_dpo(request.user) else None
    if case is None:
        raise Http404
    access_log_record(user=request.user, action="export", object_type="case", object_id=case.reference)
    response = JsonResponse(
        subject_access_export(case), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-subject-access.json"'
    response["Cache-Control"] = "no-store"
    return response
