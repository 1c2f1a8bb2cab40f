"""The consulate's search of the register: pre-filled from the request, candidates explained field by
field beside the request, and the officer's decision (confirm one, or conclude "not found")."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gmmp.cases import actions
from gmmp.cases.actions import TransitionRefused
from gmmp.cases.selectors import case_get_for_user
from gmmp.cases.workflow import transition_allowed
from gmmp.identification.engine.columns import QUERY_FIELDS
from gmmp.identification.perms import register_search_allowed
from gmmp.identification.services import query_from_case, register_engine, register_record, register_search
from gmmp.www.cases.forms import DecideForm

from .forms import RegisterSearchForm, ReverseIdentificationForm, SecondConfirmForm

FIELDS = list(QUERY_FIELDS)


def _require_register(user):
    ok, _why = register_search_allowed(user)
    if not ok:
        raise Http404  # the register does not exist for the French side


def _results(request, form, case=None):
    candidates = []
    if form.is_bound and form.is_valid():
        candidates = register_search(
            user=request.user, query=form.query(), case_reference=case.reference if case else ""
        )
    engine = register_engine()
    return {
        "form": form,
        "candidates": candidates,
        "searched": form.is_bound and form.is_valid(),
        "model_version": engine.model_version,
        "register_size": engine.count,
        "case": case,
        "fields": FIELDS,
    }


@require_http_methods(["GET"])
def search(request):
    _require_register(request.user)
    form = RegisterSearchForm(request.GET or None)
    return render(request, "identification/search.html", _results(request, form))


@require_http_methods(["GET"])
def case_search(request, reference):
    _require_register(request.user)
    case = case_get_for_user(user=request.user, reference=reference)
    data = request.GET if request.GET else RegisterSearchForm.initial_from_query(query_from_case(case))
    form = RegisterSearchForm(data)
    context = _results(request, form, case)
    context["can_decide"] = transition_allowed(request.user, case, "decide")[0]
    return render(request, "identification/search.html", context)


@require_http_methods(["GET"])
def confirm(request, reference):
    """ "C'est cette personne" is the first step only: the decision form comes pre-filled from the register
    record, beside the request, and the officer still chooses and records the decision (second step, the
    case's own `decide` transition)."""
    _require_register(request.user)
    case = case_get_for_user(user=request.user, reference=reference)
    if not transition_allowed(request.user, case, "decide")[0]:
        raise Http404
    national_id = request.GET.get("national_id", "").strip()
    record = (
        register_record(user=request.user, national_id=national_id, case_reference=case.reference)
        if national_id
        else None
    )
    if record is None:
        messages.error(request, _("Cette personne n'est pas (ou plus) au registre : relancez la recherche."))
        return redirect("identification:case_search", reference=case.reference)
    form = DecideForm(
        prefix="decide",
        initial={
            "established_last_name": record.get("last_name", ""),
            "established_first_names": record.get("first_name", ""),
            "established_birth_date": record.get("birth_date", ""),
            "established_birth_place": record.get("birth_place", ""),
            "register_national_id": national_id,
            "register_model_version": register_engine().model_version,
        },
    )
    return render(
        request,
        "identification/confirm.html",
        {"case": case, "record": record, "form": form, "fields": FIELDS, "national_id": national_id},
    )


@require_POST
def not_found(request, reference):
    _require_register(request.user)
    case = case_get_for_user(user=request.user, reference=reference)
    try:
        actions.case_record_register_search(
            case=case,
            user=request.user,
            outcome="not_found",
            model_version=register_engine().model_version,
            candidates=int(request.POST.get("candidates", "0") or 0),
            comment=request.POST.get("comment", ""),
        )
    except TransitionRefused as exc:
        messages.error(request, exc.message)
        return redirect("identification:case_search", reference=case.reference)
    except ValueError:
        raise PermissionDenied from None
    messages.success(request, _("Conclusion enregistrée : personne non trouvée au registre."))
    return redirect("cases:detail", reference=case.reference)


def _case_post(request, reference, form_class, act, success: str):
    """A POST about a case's identification (checked form, the action, a message, back to the case)."""
    _require_register(request.user)
    case = case_get_for_user(user=request.user, reference=reference)
    form = form_class(request.POST)
    try:
        if not form.is_valid():
            raise TransitionRefused(
                " ".join(m for errors in form.errors.values() for m in errors), code="invalid_field"
            )
        act(case=case, user=request.user, **form.cleaned_data)
    except TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("cases:detail", reference=case.reference)


@require_POST
def second_confirm(request, reference):
    """A second consular officer confirms an identification made from a proposal that was not strong."""
    return _case_post(
        request,
        reference,
        SecondConfirmForm,
        actions.case_confirm_identification,
        _("Identification confirmée par un second agent."),
    )


@require_POST
def reverse_identification(request, reference):
    """The person is found not to be the one identified: recorded, counted, and it stops the document."""
    return _case_post(
        request,
        reference,
        ReverseIdentificationForm,
        actions.case_identification_reversed,
        _("Identification infirmée : c'est enregistré."),
    )
