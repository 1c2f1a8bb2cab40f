"""Legal mobility and irregular migration pages: figures entered or imported by the services entitled to;
the seasonal programme's contracts for OFII and ANAPEC officers only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gmmp.indicators.access import may_read_indicators
from gmmp.mobility import actions, imports, perms
from gmmp.mobility.enums import ContractStatus
from gmmp.mobility.errors import MobilityRefused
from gmmp.mobility.models import Complaint
from gmmp.mobility.selectors import (
    contract_get_for_user,
    contract_list_for_user,
    irregular_figures,
    visa_figures_history,
)

from .forms import (
    CheckForm,
    ComplaintCloseForm,
    ComplaintForm,
    ContractNewForm,
    DateForm,
    IrregularForm,
    UploadForm,
    VisaForm,
)


def _figures_reader(request):
    if not (may_read_indicators(request.user) or perms.may_see_workers(request.user)):
        raise PermissionDenied(
            _("Ces chiffres sont réservés aux administrations centrales et au secrétariat du GMMP.")
        )


def index(request):
    if not (may_read_indicators(request.user) or perms.may_see_workers(request.user)):
        raise PermissionDenied(
            _(
                "Ces pages sont réservées aux administrations centrales, au secrétariat du GMMP et aux agents du programme saisonnier."
            )
        )
    return render(
        request,
        "mobility/index.html",
        {
            "figures": may_read_indicators(request.user),
            "workers": perms.may_see_workers(request.user),
        },
    )


def _rejects_response(report, name: str) -> HttpResponse:
    response = HttpResponse(report.rejects_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _figure_page(request, figures: imports.Figures, form_class, history, template, rejects_name):
    """Shared shape of the visa and irregular pages: a hand-entry form, a CSV upload, the figures with versions."""
    _figures_reader(request)
    allowed = figures.may_record(request.user)[0]
    form, upload = form_class(), UploadForm()
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(_("Votre rôle ne permet pas de saisir ces chiffres."))
        if "file" in request.FILES:
            upload = UploadForm(request.POST, request.FILES)
            if upload.is_valid():
                f = upload.cleaned_data["file"]
                try:
                    report = imports.figures_import(
                        figures, user=request.user, data=f.read(), filename=f.name
                    )
                except imports.ImportRefused as exc:
                    upload.add_error("file", str(exc))
                else:
                    if report.rejects:
                        messages.warning(request, report.summary())
                        return _rejects_response(report, rejects_name)
                    messages.success(request, report.summary())
                    return redirect(request.path)
        else:
            form = form_class(request.POST)
            if form.is_valid():
                data = dict(form.cleaned_data)
                try:
                    data[figures.key] = figures.parse_key(data[figures.key])
                    _row, outcome = figures.record(user=request.user, **data)
                except ValueError as exc:
                    form.add_error(None, str(exc))
                except MobilityRefused as exc:
                    if exc.code == "forbidden":
                        raise PermissionDenied(exc.message) from exc
                    form.add_error(None, exc.message)
                else:
                    messages.success(
                        request,
                        {
                            "created": _("Chiffre enregistré."),
                            "corrected": _("Chiffre corrigé ; le précédent est conservé."),
                            "unchanged": _("Chiffre identique à celui en vigueur : rien n'a changé."),
                        }[outcome],
                    )
                    return redirect(request.path)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        template,
        {"form": form, "upload": upload, "rows": history[:300], "allowed": allowed},
        status=status,
    )


def visas(request):
    return _figure_page(
        request, imports.VISAS, VisaForm, visa_figures_history(), "mobility/visas.html", "visas-rejets.csv"
    )


def irregular(request):
    return _figure_page(
        request,
        imports.IRREGULAR,
        IrregularForm,
        irregular_figures(),
        "mobility/irregular.html",
        "migration-irreguliere-rejets.csv",
    )


def _officer(request):
    if not perms.may_see_workers(request.user):
        raise PermissionDenied(perms.may_act_on_programme(request.user)[1])


def contracts(request):
    _officer(request)
    status = request.GET.get("status", "")
    if status not in ContractStatus.values:
        status = ""
    rows = contract_list_for_user(user=request.user, status=status)[:500]
    return render(
        request,
        "mobility/contracts.html",
        {"rows": rows, "status": status, "statuses": ContractStatus.choices},
    )


def contract_new(request):
    """A season's contract, with the worker when the ANAPEC reference is new (one action, all or nothing)."""
    _officer(request)
    form = ContractNewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                contract = actions.seasonal_contract_register(user=request.user, **form.cleaned_data)
            except MobilityRefused as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Contrat enregistré."))
                return redirect("mobility:contract", pk=contract.pk)
        status = 400
    return render(
        request,
        "mobility/contract_new.html",
        {
            "form": form,
            "error_forms": [form],
            "identity": [form[name] for name in form.IDENTITY],
            "contract_fields": [form[name] for name in form.CONTRACT],
        },
        status=status,
    )


def contract_detail(request, pk: int, forms: dict | None = None, status: int = 200):
    contract = contract_get_for_user(user=request.user, pk=pk)
    if contract is None:
        raise Http404
    forms = forms or {}
    return render(
        request,
        "mobility/contract.html",
        {
            "contract": contract,
            "date_form": forms.get("date", DateForm()),
            "check_form": forms.get("check", CheckForm()),
            "complaint_form": forms.get("complaint", ComplaintForm()),
            "close_form": ComplaintCloseForm(),
        },
        status=status,
    )


ACTS = {
    "arrival": (
        DateForm,
        "date",
        lambda u, c, d: actions.contract_record_arrival(user=u, contract=c, on=d["on"]),
    ),
    "return": (
        DateForm,
        "date",
        lambda u, c, d: actions.contract_record_return(user=u, contract=c, on=d["on"]),
    ),
    "no-return": (None, "date", lambda u, c, d: actions.contract_record_no_return(user=u, contract=c)),
    "check": (CheckForm, "check", lambda u, c, d: actions.rights_check_record(user=u, contract=c, **d)),
    "complaint": (
        ComplaintForm,
        "complaint",
        lambda u, c, d: actions.complaint_file(user=u, contract=c, **d),
    ),
}


@require_POST
def contract_act(request, pk: int, what: str):
    contract = contract_get_for_user(user=request.user, pk=pk)
    if contract is None or what not in ACTS:
        raise Http404
    form_class, slot, act = ACTS[what]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return contract_detail(request, pk, {slot: form}, status=400)
    try:
        act(request.user, contract, form.cleaned_data if form else {})
    except MobilityRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Enregistré."))
    return redirect("mobility:contract", pk=pk)


@require_POST
def complaint_close(request, pk: int):
    complaint = Complaint.objects.filter(pk=pk).only("contract_id").first()
    contract = complaint and contract_get_for_user(user=request.user, pk=complaint.contract_id)
    if contract is None or complaint is None:
        raise Http404
    form = ComplaintCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez l'issue et la date."))
    else:
        try:
            actions.complaint_close(user=request.user, complaint=complaint, **form.cleaned_data)
            messages.success(request, _("Plainte close."))
        except MobilityRefused as exc:
            messages.error(request, exc.message)
    return redirect(reverse("mobility:contract", args=[contract.pk]))
