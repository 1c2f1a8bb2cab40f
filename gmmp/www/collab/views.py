"""The case's shared pages: thin views over collab's selectors and actions."""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gmmp.audit.services import access_log_record
from gmmp.cases.selectors import case_get_for_user
from gmmp.collab import actions, perms, selectors
from gmmp.collab.enums import InterviewStatus
from gmmp.collab.files import attachment_read
from gmmp.collab.models import MessageAttachment
from gmmp.core import clock
from gmmp.core.errors import Refused
from gmmp.www.downloads import case_file_download
from gmmp.www.forms import acted

from .forms import AnswerForm, EscalationForm, InterviewForm, MessageForm, OutcomeForm, ProtectionForm


def _posted(request):
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
def thread(request, reference):
    user = request.user
    case = selectors.thread_case_get_for_user(user=user, reference=reference)
    may_write, why_not = perms.thread_may_write(user, case)
    form = MessageForm(_posted(request), request.FILES or None)
    status = 200
    if request.method == "POST":
        if not may_write:
            raise Http404
        if form.is_valid():
            attachment = form.cleaned_data.get("attachment")
            if acted(
                request,
                lambda: actions.message_post(
                    case=case,
                    user=user,
                    body=form.cleaned_data["body"],
                    attachments=[attachment] if attachment else [],
                ),
                _("Message envoyé."),
            ):
                return redirect("collab:thread", reference=case.reference)
        status = 400
    read_before = selectors.thread_read_at(user=user, case=case)
    items = list(selectors.thread_messages(case=case))
    access_log_record(
        user=user,
        action="view",
        object_type="case_thread",
        object_id=case.reference,
        detail={"messages": len(items)},
    )
    actions.thread_mark_read(case=case, user=user)
    from gmmp.notifications.services import notification_mark_case_read

    notification_mark_case_read(user=user, case=case, kinds=["message"])
    rows = [
        {
            "message": m,
            "mine": m.author_id == user.pk,
            "unread": m.author_id != user.pk and (read_before is None or m.created_at > read_before),
        }
        for m in items
    ]
    return render(
        request,
        "collab/thread.html",
        {"case": case, "rows": rows, "form": form, "may_write": may_write, "why_not": why_not},
        status=status,
    )


@require_GET
def attachment(request, reference, pk):
    case = selectors.thread_case_get_for_user(user=request.user, reference=reference)
    item = get_object_or_404(MessageAttachment, pk=pk, message__case=case)
    return case_file_download(
        request, case, item, attachment_read, object_type="case_message_attachment", name="attachment"
    )


@require_http_methods(["GET", "POST"])
def interviews(request, reference):
    user = request.user
    case = case_get_for_user(user=user, reference=reference)
    may_schedule = perms.interview_may_schedule(user, case)[0]
    may_confirm = perms.interview_may_confirm(user, case)[0]
    items = list(selectors.interviews_for_case(case=case))
    current = next(
        (i for i in items if i.status in (InterviewStatus.PROPOSED, InterviewStatus.CONFIRMED)), None
    )
    schedule_form = InterviewForm(
        _posted(request) if request.POST.get("op") in ("schedule", "change") else None
    )
    outcome_form = OutcomeForm(_posted(request) if request.POST.get("op") == "outcome" else None)

    def context():
        return {
            "case": case,
            "items": items,
            "current": current,
            "may_schedule": may_schedule,
            "may_confirm": may_confirm,
            "schedule_form": schedule_form,
            "outcome_form": outcome_form,
        }

    if request.method == "POST":
        op = request.POST.get("op")
        try:
            # A change needs the planned interview (a stale page may post one cancelled meanwhile: 400 below).
            if (op == "schedule" or (op == "change" and current is not None)) and schedule_form.is_valid():
                slot = actions.Slot.of(schedule_form.cleaned_data)
                if op == "schedule":
                    actions.interview_schedule(case=case, user=user, slot=slot)
                else:
                    actions.interview_change(interview=current, user=user, slot=slot)
            elif op == "confirm" and current is not None:
                actions.interview_confirm(interview=current, user=user)
            elif op == "cancel" and current is not None:
                actions.interview_cancel(interview=current, user=user)
            elif op == "outcome" and current is not None and outcome_form.is_valid():
                actions.interview_record_outcome(interview=current, user=user, **outcome_form.cleaned_data)
            else:
                return render(request, "collab/interviews.html", context(), status=400)
        except Refused as exc:
            messages.error(request, exc.message)
            return redirect("collab:interviews", reference=case.reference)
        messages.success(request, _("Audition enregistrée."))
        return redirect("collab:interviews", reference=case.reference)
    access_log_record(user=user, action="view", object_type="case_interviews", object_id=case.reference)
    return render(request, "collab/interviews.html", context())


@require_GET
def calendar(request):
    user = request.user
    if not perms.interview_calendar_allowed(user):
        raise Http404
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = clock.today()
    monday = day - dt.timedelta(days=day.weekday())
    items = list(selectors.interview_calendar(consulate=user.organisation, week_start=monday))
    days = []
    for n in range(7):
        date = monday + dt.timedelta(days=n)
        days.append({"date": date, "items": [i for i in items if clock_local(i.starts_at).date() == date]})
    access_log_record(
        user=user, action="list", object_type="interview_calendar", detail={"week": monday.isoformat()}
    )
    return render(
        request,
        "collab/calendar.html",
        {
            "days": days,
            "monday": monday,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
        },
    )


def clock_local(moment):
    from django.utils import timezone

    return timezone.localtime(moment)


@require_http_methods(["GET", "POST"])
def escalation_new(request, reference):
    user = request.user
    case = case_get_for_user(user=user, reference=reference)
    if not perms.escalation_may_raise(user, case)[0]:
        raise Http404
    grounds = actions.escalation_grounds(case)
    form = EscalationForm(_posted(request), grounds=grounds)
    if request.method == "POST" and form.is_valid():
        done = _("Signalement transmis à l'administration centrale marocaine.")
        if acted(request, lambda: actions.escalation_raise(case=case, user=user, **form.cleaned_data), done):
            return redirect("cases:detail", reference=case.reference)
    history = list(case.escalations.select_related("raised_by_organisation", "answered_by_organisation"))
    return render(
        request,
        "collab/escalation_new.html",
        {"case": case, "form": form, "grounds": grounds, "history": history},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def escalations(request):
    user = request.user
    if not perms.escalations_page_allowed(user):
        raise Http404
    items = list(selectors.escalations_for_user(user=user))
    now = clock.now()
    rows = [{"e": e, "age": (now - e.raised_at).days} for e in items]
    may_answer = perms.escalation_may_answer(user)[0]
    if rows:
        access_log_record(user=user, action="list", object_type="escalation", detail={"count": len(rows)})
    return render(
        request,
        "collab/escalations.html",
        {
            "open_rows": [r for r in rows if r["e"].state == "open"],
            "answered_rows": [r for r in rows if r["e"].state != "open"][-50:],
            "may_answer": may_answer,
            "answer_form": AnswerForm(),
        },
    )


@require_POST
def escalation_answer(request, pk):
    escalation = selectors.escalation_get_for_user(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        answer = form.cleaned_data["answer"]
        acted(
            request,
            lambda: actions.escalation_answer(escalation=escalation, user=request.user, answer=answer),
            _("Réponse enregistrée."),
        )
    else:
        messages.error(request, _("La réponse ne peut pas être vide."))
    return redirect("collab:escalations")


@require_http_methods(["GET", "POST"])
def protection(request, reference):
    user = request.user
    case = case_get_for_user(user=user, reference=reference)
    if not perms.protection_may_read(user, case):
        raise Http404
    may_write = perms.protection_may_write(user, case)[0]
    form = ProtectionForm(_posted(request), initial={"on": clock.today()})
    if request.method == "POST" and may_write and form.is_valid():
        if acted(
            request,
            lambda: actions.protection_record(case=case, user=user, **form.cleaned_data),
            _("Fait enregistré."),
        ):
            return redirect("collab:protection", reference=case.reference)
    entries = list(selectors.protection_entries(case=case))
    access_log_record(user=user, action="view", object_type="case_protection", object_id=case.reference)
    return render(
        request,
        "collab/protection.html",
        {"case": case, "entries": entries, "form": form, "may_write": may_write},
        status=400 if request.method == "POST" else 200,
    )
