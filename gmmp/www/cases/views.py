"""Case pages: thin views over the domain's selectors and actions."""

import csv
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gmmp.audit.services import access_log_record
from gmmp.cases import actions
from gmmp.cases.actions import TransitionRefused
from gmmp.cases.evidence import evidence_read
from gmmp.cases.perms import evidence_actor_may, user_sees_arrivals_only, user_sees_personal_data
from gmmp.cases.selectors import (
    CASE_ROW_VALUES,
    CASE_SORTS,
    CappedPaginator,
    arrival_get_for_user,
    arrivals_for_user,
    case_deadlines,
    case_deadlines_many,
    case_get_for_user,
    case_legal_timeline,
    case_list_for_user,
    case_rows,
    case_timeline,
)
from gmmp.cases.workflow import OPEN, TRANSITIONS, transition_allowed, transitions_available
from gmmp.core import clock
from gmmp.core.models import policy_reader
from gmmp.organisations.enums import OrganisationKind as K
from gmmp.www.downloads import case_file_download
from gmmp.www.templatetags.cases_tags import case_state_label, partial_date_display

from .forms import TRANSITION_FORMS, CaseFilterForm, CaseForm, EvidenceForm, OptionalEvidenceForm
from .pending import pending_drop, pending_get, pending_keep

PAGE_SIZE = 50


def _list_title(user) -> str:
    return {
        K.PREFECTURE: _("Demandes de ma préfecture"),
        K.CONSULATE: _("File d'attente du consulat"),
        K.CRA: _("Personnes retenues au centre"),
        K.BORDER_POLICE: _("Laissez-passer délivrés et arrivées attendues"),
    }.get(user.org_kind, _("Toutes les demandes"))


@require_http_methods(["GET"])
def case_list(request):
    user = request.user
    if not user_sees_personal_data(user):
        raise Http404
    if user_sees_arrivals_only(user):
        return _arrival_list(request)
    central = user.org_kind == K.CENTRAL
    form = CaseFilterForm(request.GET or None, show_org_filters=central)
    filters = form.cleaned_data if form.is_valid() else {}
    untouched = not (set(request.GET) - {"sort", "page"})
    if user.org_kind == K.CONSULATE and untouched:
        filters = {"open_only": True}
    sort = request.GET.get("sort", "")
    if sort.lstrip("-") not in CASE_SORTS:
        sort = ""
    cases = case_list_for_user(user=user, filters=filters, sort=sort)
    if request.GET.get("format") == "csv":
        return _case_list_csv(request, cases, filters, sort)
    page = CappedPaginator(cases.values_list(*CASE_ROW_VALUES), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = case_deadlines_many(case_rows(page.object_list))
    access_log_record(
        user=user, action="list", object_type="case", detail={"count": len(rows), "page": page.number}
    )
    query = request.GET.copy()
    query.pop("page", None)
    without_sort = query.copy()
    without_sort.pop("sort", None)
    without_sort.pop("format", None)
    # A column naming the user's own organisation says nothing: left out.
    columns = _list_columns(user)
    return render(
        request,
        "cases/list.html",
        {
            "title": _list_title(user),
            "form": form,
            "page": page,
            "rows": rows,
            "count_cap": number_format(page.paginator.cap, force_grouping=True),
            "central": central,
            "query": query.urlencode(),
            "open_only": filters.get("open_only", False),
            "columns": columns,
            # The cells' labels (small screens), translated once per page rather than once per row.
            "labels": {key: str(label) for key, label, _sort in LIST_COLUMNS},
            "sort": sort,
            "sort_links": _sort_links(without_sort.urlencode(), sort),
            "csv_query": (without_sort.urlencode() + "&" if without_sort else "")
            + (f"sort={sort}&" if sort else "")
            + "format=csv",
        },
    )


LIST_COLUMNS = (
    ("reference", gettext_lazy("Référence"), "reference"),
    ("person", gettext_lazy("Personne"), "name"),
    ("birth", gettext_lazy("Né(e)"), "birth"),
    ("prefecture", gettext_lazy("Préfecture"), ""),
    ("consulate", gettext_lazy("Consulat"), ""),
    ("state", gettext_lazy("État"), "state"),
    ("detention_end", gettext_lazy("Fin de rétention"), "detention_end"),
    ("reply_due", gettext_lazy("Réponse attendue"), "reply_due"),
    ("urgency", gettext_lazy("Urgence"), ""),
)


def _list_columns(user) -> list[str]:
    # Border police never reach this list (their arrivals page, _arrival_list).
    hidden = {K.PREFECTURE: {"prefecture"}, K.CONSULATE: {"consulate"}}.get(user.org_kind, set())
    return [key for key, _label, _sort in LIST_COLUMNS if key not in hidden]


def _sort_links(base: str, current: str) -> dict:
    """Per sortable column: the link that sorts by it (ascending, or descending when already ascending)
    and the aria-sort state."""
    out: dict[str, dict[str, Any]] = {}
    for key, label, sort_key in LIST_COLUMNS:
        if not sort_key:
            out[key] = {"label": label}
            continue
        ascending = current == sort_key
        descending = current == "-" + sort_key
        target = "-" + sort_key if ascending else sort_key
        out[key] = {
            "label": label,
            "url": "?" + (base + "&" if base else "") + "sort=" + target,
            "aria": "ascending" if ascending else "descending" if descending else "",
        }
    return out


CSV_MAX_ROWS = 10_000


def _case_list_csv(request, cases, filters: dict, sort: str) -> HttpResponse:
    """The list as filtered and sorted, as a spreadsheet file; the export is logged (personal data)."""
    rows = list(cases[: CSV_MAX_ROWS + 1])
    truncated = len(rows) > CSV_MAX_ROWS
    rows = rows[:CSV_MAX_ROWS]
    access_log_record(
        user=request.user,
        action="export",
        object_type="case",
        detail={
            "format": "csv",
            "count": len(rows),
            "truncated": truncated,
            "filters": {k: str(v) for k, v in filters.items() if v},
            "sort": sort,
        },
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gmmp-demandes-{clock.today():%Y%m%d}.csv"'
    response.write("\ufeff")  # spreadsheets read UTF-8 (Arabic names, accents) with the BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Référence"),
            _("Nom"),
            _("Prénom(s)"),
            _("Né(e)"),
            _("Préfecture"),
            _("Consulat"),
            _("État"),
            _("Fin de rétention"),
            _("Réponse attendue"),
        ]
    )
    for case in rows:
        writer.writerow(
            [
                case.reference,
                case.last_name,
                case.first_names,
                partial_date_display(case.birth_date),
                case.prefecture.display_name,
                case.consulate.display_name if case.consulate_id else "",
                case_state_label(case),
                f"{case.detention_end:%d/%m/%Y}" if case.detention_end else "",
                f"{case.reply_due:%d/%m/%Y}" if case.reply_due else "",
            ]
        )
    return response


def _arrival_list(request):
    """Border police: the expected arrivals, with only what a check at the post needs."""
    arrivals = arrivals_for_user(user=request.user)
    page = CappedPaginator(arrivals, PAGE_SIZE).get_page(request.GET.get("page"))
    arriving_today = list(arrivals.filter(departure_date=clock.today())[:100])
    access_log_record(
        user=request.user,
        action="list",
        object_type="arrival",
        detail={"count": len(page.object_list) + len(arriving_today), "page": page.number},
    )
    return render(
        request,
        "cases/arrivals.html",
        {"title": _list_title(request.user), "page": page, "arriving_today": arriving_today},
    )


def _arrival_detail(request, reference):
    from gmmp.documents.selectors import lpc_current, lpc_photo_data_uri

    case = arrival_get_for_user(user=request.user, reference=reference)
    lpc = lpc_current(case)
    access_log_record(user=request.user, action="view", object_type="arrival", object_id=case.reference)
    return render(
        request,
        "cases/arrival.html",
        {
            "case": case,
            "lpc": lpc,
            "photo": lpc_photo_data_uri(lpc) if lpc else "",
            "action_forms": _action_forms(request.user, case),
        },
    )


@require_http_methods(["GET", "POST"])
def case_new(request):
    user = request.user
    if user.org_kind != K.PREFECTURE:
        raise Http404
    form = CaseForm(request.POST or None)
    upload = request.FILES.get("evidence-file")
    token = request.POST.get("evidence-pending", "")
    kept = pending_get(request.session, token) if request.method == "POST" and upload is None else None
    evidence_form = OptionalEvidenceForm(
        request.POST or None, request.FILES or None, prefix="evidence", kept=kept
    )
    if request.method == "POST" and form.is_valid() and evidence_form.is_valid():
        try:
            case = actions.case_file(
                user=user,
                data=form.domain_data(),
                age_contest=form.age_contest(),
                duplicate_reason=form.cleaned_data["duplicate_reason"],
                evidence=evidence_form.evidence_if_any(),
                submit="submit" in request.POST,
            )
        except TransitionRefused as exc:
            messages.error(request, exc.message)
        else:
            pending_drop(request.session, token)
            if case.state == "draft":
                messages.success(request, _("Brouillon %(ref)s enregistré.") % {"ref": case.reference})
            elif case.consulate_id:
                messages.success(
                    request,
                    _("Demande %(ref)s transmise au %(consulate)s.")
                    % {"ref": case.reference, "consulate": case.consulate.display_name},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "Demande %(ref)s transmise : aucun consulat n'est compétent pour votre "
                        "département à cette date ; l'administration centrale marocaine "
                        "l'orientera."
                    )
                    % {"ref": case.reference},
                )
            return redirect("cases:detail", reference=case.reference)
    status = 400 if request.method == "POST" else 200
    kept_file = None
    if request.method == "POST" and upload is not None and not evidence_form.has_error("file"):
        # The file itself is fine: keep it so that the corrected form need not ask for it again.
        content = evidence_form.cleaned_data.get("content")
        if content:
            pending_drop(request.session, token)
            kept_file = {
                "name": upload.name,
                "token": pending_keep(
                    request.session,
                    name=upload.name,
                    content=content,
                    content_type=evidence_form.cleaned_data["content_type"],
                ),
            }
        else:
            evidence_form.ask_again(upload.name)
    elif kept is not None:
        kept_file = {"name": kept["name"], "token": token}
    return render(
        request,
        "cases/form.html",
        {
            "form": form,
            "evidence_form": evidence_form,
            "kept_file": kept_file,
            "error_forms": [form, evidence_form],
            "title": _("Nouvelle demande d'identification"),
            "duplicates": _duplicates_shown(user, form.duplicates),
        },
        status=status,
    )


def _duplicates_shown(user, duplicates) -> list[dict]:
    """The open cases a new request may duplicate; a link only to those the user may open."""
    visible = set(
        case_list_for_user(user=user).filter(pk__in=[c.pk for c in duplicates]).values_list("pk", flat=True)
    )
    return [
        {"reference": c.reference, "prefecture": c.prefecture.display_name, "visible": c.pk in visible}
        for c in duplicates
    ]


@require_http_methods(["GET", "POST"])
def case_edit(request, reference):
    case = case_get_for_user(user=request.user, reference=reference)
    if not transition_allowed(request.user, case, "submit")[0]:
        messages.error(request, _("Seul un brouillon de votre préfecture peut être modifié."))
        return redirect("cases:detail", reference=case.reference)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            actions.case_update_draft(
                case=case, user=request.user, data=form.domain_data(), age_contest=form.age_contest()
            )
        except TransitionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Brouillon enregistré."))
            return redirect("cases:detail", reference=case.reference)
    status = 400 if request.method == "POST" else 200
    _log_case_view(request, case)  # the form shows the whole draft
    return render(
        request,
        "cases/form.html",
        {
            "form": form,
            "case": case,
            "error_forms": [form],
            "title": _("Modifier le brouillon"),
            "duplicates": _duplicates_shown(request.user, form.duplicates),
        },
        status=status,
    )


# Transitions done on a feature's own page rather than with a form here: the laissez-passer is issued
# with its photo and validity, and readmission is confirmed by scanning the document at the border
# (which also marks it used).
FEATURE_PAGES = {
    "issue_laissez_passer": ("documents:issue", True),
    "confirm_readmission": ("documents:border_scan", False),
}
# Transitions whose form is in a panel of their own on the case page (identification_tags).
PANEL_ACTIONS = {"identification_reversed"}


def _action_forms(user, case, bound: dict | None = None) -> list:
    forms: list[dict[str, object]] = []
    for transition in transitions_available(user, case):
        if transition.name in PANEL_ACTIONS:
            continue
        if transition.name in FEATURE_PAGES:
            name, with_reference = FEATURE_PAGES[transition.name]
            try:
                url = reverse(name, kwargs={"reference": case.reference} if with_reference else None)
            except NoReverseMatch:
                continue  # the feature is not installed
            forms.append({"transition": transition, "form": None, "url": url})
            continue
        form_class = TRANSITION_FORMS[transition.name]
        if bound and bound["name"] == transition.name:
            form = bound["form"]
        elif getattr(form_class, "needs_case", False):
            form = form_class(case=case, prefix=transition.name)
        else:
            form = form_class(prefix=transition.name)
        forms.append(
            {
                "transition": transition,
                "form": form,
                "url": None,
                "open": bool(bound and bound["name"] == transition.name),
            }
        )
    return forms


def _log_case_view(request, case) -> None:
    access_log_record(user=request.user, action="view", object_type="case", object_id=case.reference)


def _detail_context(request, case, bound=None) -> dict:
    """The case page, shown or re-shown with a form's errors: either way a read of the file, logged."""
    _log_case_view(request, case)
    legal = case_legal_timeline(case)
    return {
        "case": case,
        # The legal events read once for both (the timeline's order is the clock's); the rules in one query.
        "deadlines": case_deadlines(case, policy=policy_reader(), legal_events=legal["events"]),
        "legal": legal,
        "events": case_timeline(case),
        "evidence": case.evidence.select_related("uploaded_by").all(),
        "action_forms": _action_forms(request.user, case, bound),
        "can_add_evidence": _can_add_evidence(request.user, case),
        "evidence_form": EvidenceForm(prefix="evidence")
        if not (bound and bound["name"] == "evidence")
        else bound["form"],
        "is_draft_owner": transition_allowed(request.user, case, "submit")[0],
    }


def _can_add_evidence(user, case) -> bool:
    return case.state in OPEN and evidence_actor_may(user, case)[0]


@require_http_methods(["GET"])
def case_detail(request, reference):
    if user_sees_arrivals_only(request.user):
        return _arrival_detail(request, reference)
    case = case_get_for_user(user=request.user, reference=reference)
    return render(request, "cases/detail.html", _detail_context(request, case))


@require_POST
def case_transition(request, reference, name):
    case = case_get_for_user(user=request.user, reference=reference)
    if name not in TRANSITION_FORMS:
        raise Http404
    form_class = TRANSITION_FORMS[name]
    form = (
        form_class(request.POST, prefix=name, case=case)
        if getattr(form_class, "needs_case", False)
        else form_class(request.POST, prefix=name)
    )
    if form.is_valid():
        try:
            actions.ACTIONS[name](case=case, user=request.user, **form.action_kwargs())
        except TransitionRefused as exc:
            messages.error(request, exc.message)
            case.refresh_from_db()
        else:
            messages.success(request, _("« %(action)s » : fait.") % {"action": TRANSITIONS[name].label})
            return redirect("cases:detail", reference=case.reference)
    else:
        messages.error(request, _("Le formulaire contient des erreurs : corrigez-les ci-dessous."))
    context = _detail_context(request, case, bound={"name": name, "form": form})
    return render(request, "cases/detail.html", context, status=400)


@require_POST
def evidence_upload(request, reference):
    case = case_get_for_user(user=request.user, reference=reference)
    form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
    if form.is_valid():
        try:
            actions.evidence_add(case=case, user=request.user, **form.evidence())
        except TransitionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Pièce ajoutée."))
            return redirect("cases:detail", reference=case.reference)
    else:
        messages.error(request, _("La pièce n'a pas été ajoutée : corrigez les erreurs ci-dessous."))
    return render(
        request,
        "cases/detail.html",
        _detail_context(request, case, bound={"name": "evidence", "form": form}),
        status=400,
    )


@require_http_methods(["GET"])
def evidence_download(request, reference, evidence_id):
    case = case_get_for_user(user=request.user, reference=reference)
    item = get_object_or_404(case.evidence, pk=evidence_id)
    return case_file_download(request, case, item, evidence_read, object_type="evidence", name="evidence")
