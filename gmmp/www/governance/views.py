"""The GMMP's meetings and the follow-up of what they decided."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gmmp.core import clock
from gmmp.governance.actions import (
    GovernanceRefused,
    action_item_update_status,
    may_manage_governance,
    may_read_governance,
)
from gmmp.governance.models import ActionItem, ActionStatus
from gmmp.governance.selectors import followup_for, meeting_get, meetings_timeline
from gmmp.indicators.report import fmt_change, fmt_ratio, fmt_value
from gmmp.organisations.enums import Side


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("État"), choices=ActionStatus.choices)
    note = forms.CharField(
        label=gettext_lazy("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def status_form_post(request, form: forms.Form, update, *, saved: str) -> None:
    """A tracked item's status form (action, recommendation), posted: `update(cleaned_data)` and `saved`
    as the message, or the message that says why not (a refusal for lack of rights is a 403)."""
    if not form.is_valid():
        messages.error(request, _("État invalide."))
        return
    try:
        update(form.cleaned_data)
    except GovernanceRefused as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, saved)


def require_reader(request):
    if not may_read_governance(request.user):
        raise PermissionDenied(
            _("Le suivi du GMMP est réservé aux administrations centrales et à son secrétariat.")
        )


def _lang() -> str:
    return (get_language() or "fr")[:2]


def meetings(request):
    require_reader(request)
    return render(request, "governance/meetings.html", {"timeline": meetings_timeline()})


def meeting_detail(request, pk: int):
    require_reader(request)
    meeting = meeting_get(pk)
    if meeting is None:
        raise Http404
    participants = list(meeting.participants.all())
    return render(
        request,
        "governance/meeting.html",
        {
            "meeting": meeting,
            "delegations": [
                (side_label, [p for p in participants if p.side == side])
                for side, side_label in Side.choices
                if any(p.side == side for p in participants)
            ],
            "today": clock.today(),
        },
    )


def followup(request, pk: int | None = None):
    """Before a meeting (or the next one): what was decided last time and where each action stands."""
    require_reader(request)
    meeting = None
    if pk is not None:
        meeting = meeting_get(pk)
        if meeting is None:
            raise Http404
    today = clock.today()
    data = followup_for(meeting, today)
    lang = _lang()
    tracks = [
        {
            "name": t.indicator.text("name", lang),
            "id": t.indicator.id,
            "version": t.indicator.version,
            "then_period": t.then_period.code,
            "now_period": t.now_period.code,
            "then": fmt_value(t.indicator, t.then),
            "then_ratio": fmt_ratio(t.then),
            "now": fmt_value(t.indicator, t.now),
            "now_ratio": fmt_ratio(t.now),
            "change": fmt_change(t.indicator, t.now, t.then),
        }
        for t in data["tracks"]
    ]
    names = {t["id"]: t["name"] for t in tracks}
    can_manage = may_manage_governance(request.user)[0]
    rows = [
        {
            "action": a,
            "indicator": names.get(a.indicator_id, a.indicator_id),
            "overdue": a.is_overdue(today),
            "last_note": next((u.note for u in reversed(list(a.updates.all())) if u.note), ""),
            "form": ActionStatusForm(initial={"status": a.status}, prefix=f"a{a.pk}") if can_manage else None,
        }
        for a in data["actions"]
    ]
    return render(
        request,
        "governance/followup.html",
        {
            # data first: its raw "tracks" (Figure objects) must not replace the formatted ones below
            **data,
            "meeting": meeting,
            "today": today,
            "rows": rows,
            "tracks": tracks,
        },
    )


@require_POST
def action_update(request, pk: int):
    require_reader(request)
    action = get_object_or_404(ActionItem, pk=pk)
    form = ActionStatusForm(request.POST, prefix=f"a{pk}")
    back = request.POST.get("next") or "governance:followup_next"
    status_form_post(
        request,
        form,
        lambda data: action_item_update_status(user=request.user, action=action, **data),
        saved=_("Action mise à jour."),
    )
    if back.startswith("/"):
        return redirect(back)
    return redirect("governance:followup_next")
