"""The Group's steering in the platform: the secretariat creates and edits meetings (agenda, decisions,
actions); the joint mission's recommendations followed against their indicators; the quarterly cooperation
assessment, each side's reading beside the figures, signed by both co-chairs. Every change goes through
gmmp.governance.actions."""

from collections.abc import Mapping

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gmmp.core import clock
from gmmp.governance import actions as gov
from gmmp.governance.models import (
    ActionStatus,
    CooperationAssessment,
    Meeting,
    MeetingKind,
    OutcomeKind,
    Recommendation,
    RecommendationStatus,
)
from gmmp.governance.selectors import assessment_figures, recommendations_with_trend
from gmmp.indicators import periods
from gmmp.indicators.report import fmt_change, fmt_ratio, fmt_value
from gmmp.organisations.enums import OrganisationKind, Side
from gmmp.organisations.models import Organisation

from .views import require_reader, status_form_post


def _lang() -> str:
    lang = (get_language() or "fr")[:2]
    return lang if lang in ("fr", "ar", "en") else "fr"


def _manager(request):
    require_reader(request)
    ok, why = gov.may_manage_governance(request.user)
    if not ok:
        raise PermissionDenied(why)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = list(gov.MEETING_DETAILS)
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


class AgendaForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Point (français)"), max_length=300)
    title_ar = forms.CharField(label=gettext_lazy("Point (arabe)"), max_length=300, required=False)
    title_en = forms.CharField(label=gettext_lazy("Point (anglais)"), max_length=300, required=False)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Nature"), choices=OutcomeKind.choices)
    text = forms.CharField(label=gettext_lazy("Texte (français)"), widget=forms.Textarea(attrs={"rows": 2}))
    text_ar = forms.CharField(
        label=gettext_lazy("Texte (arabe)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    text_en = forms.CharField(
        label=gettext_lazy("Texte (anglais)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Action (français)"), max_length=300)
    title_ar = forms.CharField(label=gettext_lazy("Action (arabe)"), max_length=300, required=False)
    title_en = forms.CharField(label=gettext_lazy("Action (anglais)"), max_length=300, required=False)
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Organisation responsable"), queryset=Organisation.objects.none()
    )
    due_date = forms.DateField(
        label=gettext_lazy("Échéance"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    indicator_id = forms.CharField(
        label=gettext_lazy("Indicateur visé (identifiant)"), max_length=60, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.filter(
            kind__in=[
                OrganisationKind.CENTRAL,
                OrganisationKind.SECRETARIAT,
                OrganisationKind.MOBILITY_AGENCY,
            ]
        ).order_by("name")


def _unique_key(base: str, model) -> str:
    key = slugify(base)[:70] or "item"
    candidate, n = key, 1
    while model.objects.filter(key=candidate).exists():
        n += 1
        candidate = f"{key}-{n}"
    return candidate


def meeting_new(request):
    _manager(request)
    form = MeetingForm(request.POST or None, initial={"kind": MeetingKind.TECHNICAL})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = gov.meeting_create(
                user=request.user,
                key=_unique_key(f"{data['kind']}-{data['date']}-{data['place']}", Meeting),
                **data,
            )
        except gov.GovernanceRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Réunion créée."))
            return redirect("governance:meeting_edit", pk=meeting.pk)
    return render(
        request,
        "governance/meeting_form.html",
        {"form": form, "meeting": None},
        status=400 if request.method == "POST" else 200,
    )


def _meeting_update(user, meeting, data):
    gov.meeting_update(user=user, meeting=meeting, **data)


def _agenda_item_add(user, meeting, data):
    gov.agenda_item_add(user=user, meeting=meeting, **data)


def _outcome_add(user, meeting, data):
    from gmmp.governance.models import Outcome

    key = _unique_key(f"{meeting.key}-{data['kind']}", Outcome)
    gov.outcome_add(user=user, meeting=meeting, key=key, **data)


def _action_add(user, meeting, data):
    from gmmp.governance.models import ActionItem

    key = _unique_key(f"{meeting.key}-{data['title'][:40]}", ActionItem)
    gov.action_item_create(user=user, meeting=meeting, key=key, status=ActionStatus.PLANNED, **data)


# The meeting page's sub-forms, by the POST's "what": the form, what saves it, what it says when saved.
MEETING_PARTS = {
    "meeting": (MeetingForm, _meeting_update, gettext_lazy("Réunion modifiée.")),
    "agenda": (AgendaForm, _agenda_item_add, gettext_lazy("Point ajouté à l'ordre du jour.")),
    "outcome": (OutcomeForm, _outcome_add, gettext_lazy("Recommandation ou décision ajoutée.")),
    "action": (
        ActionForm,
        _action_add,
        gettext_lazy("Action ajoutée ; son état se suit dans le suivi des décisions."),
    ),
}


def _meeting_part_form(what: str, meeting: Meeting, data=None) -> forms.BaseForm:
    form_class = MEETING_PARTS[what][0]
    if what == "meeting":  # a POST cleans into its own copy of the meeting
        return form_class(data, instance=Meeting.objects.get(pk=meeting.pk) if data is not None else meeting)
    return form_class(data, prefix=what)


def meeting_edit(request, pk: int):
    _manager(request)
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    forms_ = {what: _meeting_part_form(what, meeting) for what in MEETING_PARTS}
    status = 200
    if request.method == "POST":
        what = request.POST.get("what")
        if what not in MEETING_PARTS:
            raise Http404
        form = forms_[what] = _meeting_part_form(what, meeting, request.POST)
        if form.is_valid():
            _form_class, save, saved = MEETING_PARTS[what]
            try:
                save(request.user, meeting, form.cleaned_data)
            except gov.GovernanceRefused as exc:
                if exc.code == "forbidden":
                    raise PermissionDenied(exc.message) from exc
                form.add_error(None, exc.message)
            else:
                messages.success(request, saved)
                return redirect("governance:meeting_edit", pk=pk)
        status = 400
    meeting = Meeting.objects.prefetch_related("agenda", "outcomes", "actions__owner").get(pk=pk)
    return render(
        request,
        "governance/meeting_form.html",
        {"form": forms_["meeting"], "meeting": meeting, "forms": forms_},
        status=status,
    )


class RecommendationStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("État"), choices=RecommendationStatus.choices)
    note = forms.CharField(
        label=gettext_lazy("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def recommendations(request):
    require_reader(request)
    today, lang = clock.today(), _lang()
    can_manage = gov.may_manage_governance(request.user)[0]
    items = []
    for trend in recommendations_with_trend(today):
        rec = trend.recommendation
        rows = []
        for indicator_id, pairs in trend.series.items():
            if not pairs:
                continue
            indicator = pairs[0][0]
            baseline, latest = pairs[0][1], pairs[-1][1]
            rows.append(
                {
                    "id": indicator_id,
                    "version": indicator.version,
                    "name": indicator.text("name", lang),
                    "cells": [{"value": fmt_value(indicator, f), "ratio": fmt_ratio(f)} for _i, f in pairs],
                    "change": fmt_change(indicator, latest, baseline) if len(pairs) > 1 else ("—", "flat"),
                }
            )
        items.append(
            {
                "rec": rec,
                "periods": [trend.baseline.code, *(q.code for q in trend.quarters)],
                "rows": rows,
                "history": list(rec.updates.all()),
                "form": RecommendationStatusForm(initial={"status": rec.status}, prefix=f"r{rec.pk}")
                if can_manage
                else None,
            }
        )
    return render(request, "governance/recommendations.html", {"items": items, "today": today})


@require_POST
def recommendation_update(request, pk: int):
    require_reader(request)
    rec = get_object_or_404(Recommendation, pk=pk)
    form = RecommendationStatusForm(request.POST, prefix=f"r{pk}")
    status_form_post(
        request,
        form,
        lambda data: gov.recommendation_update_status(user=request.user, recommendation=rec, **data),
        saved=_("Recommandation mise à jour."),
    )
    return redirect("governance:recommendations")


def assessments(request):
    require_reader(request)
    if request.method == "POST":
        _manager(request)
        try:
            period = periods.parse_quarter(request.POST.get("quarter", ""))
            assessment = gov.assessment_open(user=request.user, quarter=period.first_day)
        except periods.PeriodError as exc:
            messages.error(request, str(exc))
        except gov.GovernanceRefused as exc:
            messages.error(request, exc.message)
        else:
            return redirect("governance:assessment", code=assessment.code)
    last = periods.last_complete_quarter(clock.today())
    return render(
        request,
        "governance/assessments.html",
        {
            "assessments": CooperationAssessment.objects.prefetch_related("readings"),
            "suggested": last.code,
            "can_open": gov.may_manage_governance(request.user)[0],
        },
    )


class ReadingForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Lecture des chiffres par votre partie"), widget=forms.Textarea(attrs={"rows": 6})
    )


def _assessment(code: str) -> CooperationAssessment:
    try:
        period = periods.parse_quarter(code)
    except periods.PeriodError as exc:
        raise Http404 from exc
    assessment = (
        CooperationAssessment.objects.filter(quarter=period.first_day)
        .prefetch_related("readings__signed_by")
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


def assessment_detail(request, code: str):
    require_reader(request)
    assessment = _assessment(code)
    my_side = next((s for s in ("FR", "MA") if gov.may_write_reading(request.user, s)[0]), None)
    readings = {r.side: r for r in assessment.readings.all()}
    form = (
        ReadingForm(initial={"text": readings[my_side].text if my_side in readings else ""})
        if my_side
        else None
    )
    status = 200
    if request.method == "POST":
        if my_side is None:
            raise PermissionDenied(gov.may_write_reading(request.user, "FR")[1])
        try:
            if request.POST.get("what") == "sign":
                gov.assessment_sign(
                    user=request.user,
                    assessment=assessment,
                    side=my_side,
                    signed_as=request.POST.get("signed_as", "")[:150],
                )
                messages.success(request, _("Signature enregistrée."))
                return redirect("governance:assessment", code=code)
            form = ReadingForm(request.POST)
            if form.is_valid():
                gov.assessment_reading_write(
                    user=request.user, assessment=assessment, side=my_side, text=form.cleaned_data["text"]
                )
                messages.success(request, _("Lecture enregistrée."))
                return redirect("governance:assessment", code=code)
            status = 400
        except gov.GovernanceRefused as exc:
            messages.error(request, exc.message)
            status = 409
    lang = _lang()
    sides = [(value, label, readings.get(value)) for value, label in Side.choices if value in ("MA", "FR")]
    co_chairs: Mapping[str, object] = (
        Meeting.objects.order_by("-date").values("co_chair_fr", "co_chair_ma").first() or {}
    )
    return render(
        request,
        "governance/assessment.html",
        {
            "assessment": assessment,
            "figures": assessment_figures(assessment, lang),
            "sides": sides,
            "my_side": my_side,
            "form": form,
            "signed_both": all(r and r.signed_at for _v, _l, r in sides),
            "co_chair": {"FR": co_chairs.get("co_chair_fr", ""), "MA": co_chairs.get("co_chair_ma", "")}.get(
                my_side or "", ""
            ),
        },
        status=status,
    )
