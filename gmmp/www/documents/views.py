"""Laissez-passer pages: issue, extend, re-issue, revoke, PDF, the public verification page, the border
scan and the published public keys. Thin views over gmmp.documents' actions and selectors."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from gmmp.audit.services import access_log_record
from gmmp.cases.actions import TransitionRefused, case_issue_laissez_passer
from gmmp.cases.perms import actor_may
from gmmp.cases.selectors import case_get_for_user
from gmmp.cases.workflow import Actor, transition_allowed
from gmmp.core.ratelimit import client_address, rate_limit_hit
from gmmp.documents.actions import (
    CHANGEABLE_STATES,
    lpc_extend,
    lpc_photo_exception_record,
    lpc_refuse_arrival,
    lpc_reissue,
    lpc_revoke,
    lpc_use,
    photo_exception_allowed,
    photo_exception_for,
)
from gmmp.documents.keys import key_store
from gmmp.documents.models import LpcStatus
from gmmp.documents.render import lpc_pdf
from gmmp.documents.selectors import (
    Verdict,
    lpc_current,
    lpc_get_for_user,
    lpc_photo_check,
    lpc_verify,
)
from gmmp.www.downloads import logged_download

from .forms import (
    BorderRefusalForm,
    BorderScanForm,
    ExtendForm,
    IssueForm,
    PhotoExceptionForm,
    ReissueForm,
    RevokeForm,
    VerifyForm,
)


def _rate_limited(request) -> int:
    """0 when the client may verify now, else the seconds to wait (shared cache, per client address)."""
    limit, window = settings.LPC_VERIFY_RATE
    return rate_limit_hit(f"lpc-verify:{client_address(request)}", limit=limit, window=window)


def _verify_url(request) -> str:
    return request.build_absolute_uri(reverse("documents:verify"))


def _log_verification(
    request, result, *, method: str, channel: str = "web", extra: dict | None = None
) -> None:
    access_log_record(
        user=request.user,
        action="verify",
        object_type="laissez_passer",
        object_id=result.lpc.number if result.lpc else "",
        channel=channel,
        detail={
            "status": result.status,
            "reason": getattr(result, "reason", ""),
            "method": method,
            **(extra or {}),
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: anyone holding the document (border police, a carrier) checks it without an account.
    The answer shows the photo and the name for a visual check, and nothing more."""
    data = request.POST if request.method == "POST" else (request.GET if request.GET.get("p") else None)
    if data is not None and "p" in data and "payload" not in data:
        data = {"payload": data["p"]}
    form = VerifyForm(data)
    result = photo_check = None
    if data is not None:
        wait = _rate_limited(request)
        if wait:
            response = render(request, "documents/rate_limited.html", {"wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            clean = form.cleaned_data
            result = lpc_verify(text=clean["payload"], number=clean["number"], check_code=clean["check_code"])
            _log_verification(request, result, method="seal" if clean["payload"] else "code")
            if result.lpc is not None:
                photo_check = lpc_photo_check(result.lpc, clean["payload"])
    status = 400 if data is not None and not form.is_valid() else 200
    return render(
        request,
        "documents/verify.html",
        {
            "form": form,
            "result": result,
            "photo": photo_check.data_uri if photo_check else None,
            "photo_check": photo_check,
        },
        status=status,
    )


@login_not_required
@require_GET
def public_keys(request):
    """The public keys that verify every laissez-passer ever issued (the current one and the retired)."""
    response = JsonResponse(key_store().public_document(), json_dumps_params={"indent": 2})
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _form_page(request, case, form, run, *, title, submit, logged, lpc=None, multipart=False, danger=False):
    """A form about a case's document: a valid POST runs the action (`run()` returns the success
    message) and goes back to the case; a refusal or an invalid form shows the page again (400). The page
    shows the case, so every call is a read, logged (`logged`: what the access log names)."""
    if request.method == "POST" and form.is_valid():
        try:
            message = run()
        except TransitionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, message)
            return redirect("cases:detail", reference=case.reference)
    access_log_record(user=request.user, action="view", **logged)
    return render(
        request,
        "documents/form.html",
        {
            "case": case,
            "lpc": lpc,
            "form": form,
            "title": title,
            "submit": submit,
            "multipart": multipart,
            "danger": danger,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def issue(request, reference):
    case = case_get_for_user(user=request.user, reference=reference)
    ok, why = transition_allowed(request.user, case, "issue_laissez_passer")
    if not ok:
        messages.error(request, why)
        return redirect("cases:detail", reference=case.reference)
    form = IssueForm(request.POST or None, request.FILES or None, case=case)

    def run():
        case_issue_laissez_passer(case=case, user=request.user, **form.action_kwargs())
        return _("Laissez-passer %(number)s délivré.") % {"number": lpc_current(case).number}

    return _form_page(
        request,
        case,
        form,
        run,
        title=_("Délivrer le laissez-passer consulaire"),
        submit=_("Délivrer et signer"),
        logged={"object_type": "case", "object_id": case.reference},
        multipart=True,
    )


@require_http_methods(["GET", "POST"])
def photo_exception(request, reference):
    """A supervisor of the consulate records why this case's laissez-passer will have no photo."""
    case = case_get_for_user(user=request.user, reference=reference)
    ok, why = photo_exception_allowed(request.user, case)
    if not ok:
        messages.error(request, why)
        return redirect("cases:detail", reference=case.reference)
    if photo_exception_for(case) is not None:
        messages.info(request, _("Une exception est déjà enregistrée pour cette demande."))
        return redirect("cases:detail", reference=case.reference)
    form = PhotoExceptionForm(request.POST or None)

    def run():
        lpc_photo_exception_record(case=case, user=request.user, reason=form.cleaned_data["reason"])
        return _("Exception enregistrée : le laissez-passer pourra être délivré sans photo.")

    return _form_page(
        request,
        case,
        form,
        run,
        title=_("Autoriser un laissez-passer sans photo"),
        submit=_("Enregistrer l'exception"),
        logged={"object_type": "case", "object_id": case.reference},
        danger=True,
    )


def _managed(request, number):
    lpc = lpc_get_for_user(user=request.user, number=number)
    ok, why = actor_may(request.user, lpc.case, Actor.ASSIGNED_CONSULATE)
    if not ok:
        raise Http404
    return lpc


def _lpc_form_view(request, number, *, form_class, title, submit, run, multipart=False, danger=False):
    lpc = _managed(request, number)
    if lpc.status != LpcStatus.ISSUED or lpc.case.state not in CHANGEABLE_STATES:
        messages.error(request, _("Ce laissez-passer ne peut plus être modifié."))
        return redirect("cases:detail", reference=lpc.case.reference)
    form = form_class(request.POST or None, request.FILES or None, lpc=lpc)
    return _form_page(
        request,
        lpc.case,
        form,
        lambda: run(lpc, form),
        title=title,
        submit=submit,
        logged={
            "object_type": "laissez_passer",
            "object_id": lpc.number,
            "detail": {"case": lpc.case.reference},
        },
        lpc=lpc,
        multipart=multipart,
        danger=danger,
    )


@require_http_methods(["GET", "POST"])
def extend(request, number):
    def run(lpc, form):
        lpc_extend(
            lpc=lpc,
            user=request.user,
            valid_to=form.cleaned_data["valid_to"],
            comment=form.cleaned_data["comment"],
        )
        return _("Laissez-passer %(number)s prolongé jusqu'au %(date)s.") % {
            "number": lpc.number,
            "date": lpc.valid_to.strftime("%d/%m/%Y"),
        }

    return _lpc_form_view(
        request,
        number,
        form_class=ExtendForm,
        title=_("Prolonger le laissez-passer"),
        submit=_("Prolonger"),
        run=run,
    )


@require_http_methods(["GET", "POST"])
def reissue(request, number):
    def run(lpc, form):
        kwargs = form.action_kwargs()
        new = lpc_reissue(lpc=lpc, user=request.user, **kwargs)
        return _("Laissez-passer %(new)s délivré en remplacement du %(old)s, révoqué.") % {
            "new": new.number,
            "old": lpc.number,
        }

    return _lpc_form_view(
        request,
        number,
        form_class=ReissueForm,
        title=_("Remplacer le laissez-passer"),
        submit=_("Délivrer le nouveau laissez-passer"),
        run=run,
        multipart=True,
    )


@require_http_methods(["GET", "POST"])
def revoke(request, number):
    def run(lpc, form):
        lpc_revoke(
            lpc=lpc,
            user=request.user,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
        return _("Laissez-passer %(number)s révoqué.") % {"number": lpc.number}

    return _lpc_form_view(
        request,
        number,
        form_class=RevokeForm,
        title=_("Révoquer le laissez-passer"),
        submit=_("Révoquer"),
        run=run,
        danger=True,
    )


@require_GET
def pdf(request, number):
    lpc = lpc_get_for_user(user=request.user, number=number)
    return logged_download(
        request,
        lpc_pdf(lpc, verify_url=_verify_url(request)),
        content_type="application/pdf",
        filename=f"{lpc.number}.pdf",
        inline=True,
        object_type="laissez_passer",
        object_id=lpc.number,
        detail={"case": lpc.case.reference, "format": "pdf"},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def border_scan(request):
    """Arrival in Morocco, in two steps. The scan shows the holder's photo, name and the validity first;
    the officer then confirms the arrival (the readmission, the document used) or refuses it with a
    recorded reason. A document already used is flagged at the scan itself."""
    if not actor_may(request.user, None, Actor.BORDER_POLICE)[0]:
        raise Http404
    op = request.POST.get("op", "check")
    form = BorderScanForm(request.POST or None)
    refusal = BorderRefusalForm(request.POST if op == "refuse" else None)
    result = photo_check = checked = None
    if request.method == "POST" and form.is_valid():
        payload = form.cleaned_data["payload"]
        try:
            if op == "confirm":
                result = lpc_use(seal=payload, user=request.user, comment=form.cleaned_data["comment"])
            elif op == "refuse" and refusal.is_valid():
                result = lpc_refuse_arrival(
                    seal=payload,
                    user=request.user,
                    reason=refusal.cleaned_data["reason"],
                    comment=refusal.cleaned_data["refusal_comment"],
                )
            else:
                checked = lpc_verify(text=payload)
                if checked.status == LpcStatus.USED:
                    # A second presentation is flagged at once, whatever the officer does next.
                    result, checked = lpc_use(seal=payload, user=request.user), None
        except TransitionRefused as exc:
            messages.error(request, exc.message)
        shown = result or checked
        if shown is not None:
            access_log_record(
                user=request.user,
                action="verify",
                object_type="laissez_passer",
                object_id=shown.lpc.number if shown.lpc else "",
                detail={
                    "status": shown.status,
                    "method": "border_scan",
                    "step": op,
                    "accepted": getattr(result, "accepted", False),
                },
            )
            if shown.lpc is not None:
                photo_check = lpc_photo_check(shown.lpc, payload)
        if result is not None:
            form = BorderScanForm()  # ready for the next traveller
    return render(
        request,
        "documents/border.html",
        {
            "form": form,
            "result": result,
            "checked": checked,
            "refusal": refusal,
            "photo": photo_check.data_uri if photo_check else None,
            "photo_check": photo_check,
            "Verdict": Verdict,
        },
    )
