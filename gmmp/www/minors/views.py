"""Pages of the protected track: thin views over gmmp.minors' selectors and actions.

Every page that shows a child's data goes through `minor_get_for_user` (404 for missing and not-yours
alike, the read logged). Supervisors of the organisations involved reach only the access log page, which
shows no personal data. Central readers and the secretariat reach only the aggregates (small-cell rule).
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Field
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gmmp.cases.evidence import evidence_read
from gmmp.core import clock
from gmmp.core.http import private_file
from gmmp.indicators import minors as minors_indicators
from gmmp.indicators import periods
from gmmp.indicators.access import may_read_indicators
from gmmp.minors import actions, forms
from gmmp.minors.actions import MinorRefused
from gmmp.minors.enums import DesignationReason, MinorState
from gmmp.minors.models import MinorCase
from gmmp.minors.perms import (
    designation_slots_for,
    may_read_access_log,
    may_refer,
    supervises_children_cases,
    user_sees_children,
)
from gmmp.minors.selectors import (
    minor_access_log,
    minor_document_for_user,
    minor_followup_late,
    minor_get_for_supervisor,
    minor_get_for_user,
    minor_list_for_user,
    minor_timeline,
)
from gmmp.minors.workflow import STEPS, TRANSITIONS, steps_awaiting, transition_allowed
from gmmp.organisations.enums import OrganisationKind as K
from gmmp.organisations.models import Organisation, User


@require_http_methods(["GET"])
def minor_list(request):
    user = request.user
    if user_sees_children(user):
        cases = minor_list_for_user(user=user, open_only=request.GET.get("open") == "1")
        today = clock.today()
        rows = [(c, minor_followup_late(c, today), steps_awaiting(user, c)) for c in cases]
        return render(
            request,
            "minors/list.html",
            {
                "rows": rows,
                "awaiting": sum(1 for _case, _late, steps in rows if steps),
                "can_refer": may_refer(user)[0],
            },
        )
    if supervises_children_cases(user):
        # Reference and step only: who read each case is one click away, the child's data is not shown.
        org = user.organisation_id
        cases = (
            MinorCase.objects.filter(ase_id=org)
            | MinorCase.objects.filter(court_id=org)
            | MinorCase.objects.filter(consulate_id=org)
            | MinorCase.objects.filter(child_services_id=org)
        ).only("reference", "state", "created_at")
        return render(request, "minors/supervision.html", {"cases": cases.order_by("-created_at")[:500]})
    raise Http404


@require_http_methods(["GET", "POST"])
def referral_new(request):
    """Referral by the département's child welfare or the juge des enfants. Anyone else who suspects a
    person is a minor (the adult track links here) is told who refers, and nothing is recorded."""
    user = request.user
    allowed, why = may_refer(user)
    if not allowed:
        departement = user.organisation.departement if user.organisation_id else None
        contacts = (
            Organisation.objects.filter(
                kind__in=[K.CHILD_WELFARE, K.JUVENILE_COURT], is_active=True, departement=departement
            )
            if departement
            else Organisation.objects.none()
        )
        return render(request, "minors/referral_info.html", {"why": why, "contacts": contacts})
    form = forms.ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.minor_refer(user=user, data=form.domain_data())
        except MinorRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Signalement %(ref)s enregistré : le consulat compétent (%(consulate)s) est saisi.")
                % {"ref": case.reference, "consulate": case.consulate.display_name},
            )
            return redirect("minors:detail", reference=case.reference)
    status = 400 if request.method == "POST" else 200
    return render(request, "minors/referral.html", {"form": form}, status=status)


def _detail_context(request, case, bound=None):
    user = request.user
    step_forms = []
    for name, transition in TRANSITIONS.items():
        if not transition_allowed(user, case, name)[0]:
            continue
        form = bound[1] if bound and bound[0] == name else forms.step_form(name)
        step_forms.append({"transition": transition, "form": form, "open": bool(bound and bound[0] == name)})
    state_index = STEPS.index(case.state) if case.state in STEPS else -1
    return {
        "case": case,
        "steps": [
            {"state": s, "label": MinorState(s).label, "done": i <= state_index} for i, s in enumerate(STEPS)
        ],
        "step_forms": step_forms,
        "events": minor_timeline(case),
        "documents": case.documents.all(),
        "late": minor_followup_late(case, clock.today()),
        "can_read_log": may_read_access_log(user, case),
        "register_step": transition_allowed(user, case, "identify")[0]
        or transition_allowed(user, case, "trace_family")[0],
    }


@require_http_methods(["GET"])
def minor_detail(request, reference):
    case = minor_get_for_user(user=request.user, reference=reference)
    return render(request, "minors/detail.html", _detail_context(request, case))


@require_POST
def minor_step(request, reference, name):
    case = minor_get_for_user(user=request.user, reference=reference)
    if name not in TRANSITIONS:
        raise Http404
    form = forms.step_form(name, request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.STEP_ACTIONS[name](case=case, user=request.user, **form.action_kwargs())
        except MinorRefused as exc:
            messages.error(request, exc.message)
            status = 403 if exc.code == "forbidden" else 409
            return render(
                request, "minors/detail.html", _detail_context(request, case, (name, form)), status=status
            )
        messages.success(request, _("Étape enregistrée : %(step)s.") % {"step": TRANSITIONS[name].label})
        return redirect("minors:detail", reference=case.reference)
    return render(request, "minors/detail.html", _detail_context(request, case, (name, form)), status=400)


@require_http_methods(["GET"])
def register_candidates(request, reference):
    """The register searched by the child's names and by the parents' names (same engine as adults)."""
    case = minor_get_for_user(user=request.user, reference=reference)
    if not (
        transition_allowed(request.user, case, "identify")[0]
        or transition_allowed(request.user, case, "trace_family")[0]
    ):
        raise Http404
    from gmmp.minors.identification import minor_register_search

    try:
        results = minor_register_search(case=case, user=request.user)
    except FileNotFoundError:
        results = None
    return render(request, "minors/register.html", {"case": case, "results": results})


@require_http_methods(["GET"])
def document_download(request, reference, document_id):
    document = minor_document_for_user(user=request.user, reference=reference, document_id=document_id)
    return private_file(
        evidence_read(document.storage_name),
        content_type=document.content_type,
        filename=document.original_name,
    )


def _slot_label(slot: str):
    field = MinorCase._meta.get_field(slot)
    assert isinstance(field, Field)  # a designation slot is a foreign key of the case, not a reverse relation
    return field.verbose_name


def _designations(user, case) -> list[dict]:
    """The named places the user may give to a colleague on this case, with who holds each now."""
    return [
        {
            "slot": slot,
            "label": _slot_label(slot),
            "current": getattr(case, slot),
            "candidates": actions.designation_candidates(case=case, slot=slot).exclude(
                pk=getattr(case, f"{slot}_id")
            ),
        }
        for slot in designation_slots_for(user, case)
    ]


@require_http_methods(["GET"])
def access_log(request, reference):
    user = request.user
    case = minor_get_for_supervisor(user=user, reference=reference)
    return render(
        request,
        "minors/access_log.html",
        {
            "case": case,
            "entries": minor_access_log(case)[:500],
            "designations": _designations(user, case),
            "reasons": DesignationReason.choices,
        },
    )


@require_POST
def designate(request, reference):
    """A supervisor (or the court's clerk, for the judge) names a colleague on the case."""
    case = minor_get_for_supervisor(user=request.user, reference=reference)
    raw = request.POST.get("officer", "")
    officer = User.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    try:
        actions.minor_officer_designate(
            case=case,
            user=request.user,
            slot=request.POST.get("slot", ""),
            officer=officer,
            reason=request.POST.get("reason", ""),
        )
    except MinorRefused as exc:
        if exc.code == "forbidden":  # not this user's place to give: refused, like any act not theirs
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Désignation enregistrée : la personne désignée a désormais accès au dossier.")
        )
    return redirect("minors:access_log", reference=case.reference)


def _require_reader(request):
    if not may_read_indicators(request.user):
        raise PermissionDenied(
            _("Les indicateurs sont réservés aux administrations centrales et au secrétariat du GMMP.")
        )


def _table(request):
    try:
        period = periods.parse(request.GET.get("period") or periods.last_complete_quarter(clock.today()).code)
        breakdown = request.GET.get("breakdown") or "none"
        return minors_indicators.compute(period, breakdown=breakdown), None
    except (periods.PeriodError, minors_indicators.MinorsFilterError) as exc:
        return None, str(exc)


def _lang() -> str:
    lang = (get_language() or "fr")[:2]
    return lang if lang in ("fr", "ar", "en") else "fr"


@require_http_methods(["GET"])
def indicators(request):
    _require_reader(request)
    table, error = _table(request)
    if table is None:
        return render(request, "minors/indicators.html", {"error": error}, status=400)
    lang = _lang()
    data = table.as_dict(lang)
    return render(
        request,
        "minors/indicators.html",
        {
            "table": data,
            "lines": table.lines(lang),
            "definitions": [(i.text("name", lang), i.text("definition", lang)) for i in table.indicators],
            "rule": data["small_cell_rule"],
            "period": table.period,
            "breakdown": table.breakdown,
            "query": request.GET.urlencode(),
        },
    )


@require_http_methods(["GET"])
def indicators_csv(request):
    _require_reader(request)
    table, error = _table(request)
    if table is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    lang = _lang()
    data = table.as_dict(lang)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="gmmp-mineurs-{table.period.code}-{table.breakdown}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["row", *[i.id for i in table.indicators]])
    for row in [*data["rows"], data["total"]]:
        writer.writerow([row["key"], *[row["figures"][i.id] for i in table.indicators]])
    return response
