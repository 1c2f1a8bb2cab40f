"""The inbox: the user's notifications, newest first; opening one marks it read and goes to its case."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gmmp.cases.perms import user_reads_case_files
from gmmp.cases.selectors import CappedPaginator
from gmmp.notifications.messages import sentence
from gmmp.notifications.models import NotificationPreference
from gmmp.notifications.selectors import notification_get_for_user, notifications_for_user
from gmmp.notifications.services import notification_mark_read, preference_set

PAGE_SIZE = 50


def _target(note, user) -> str:
    if note.case_id:
        if not user_reads_case_files(user):
            # Border police are told of expected arrivals but read no case file: their arrivals page.
            return reverse("cases:list")
        return reverse("cases:detail", args=[note.case_reference])
    params = note.params or {}
    link = params.get("link")
    if link:
        try:
            # A page of one object that is not an adult case (a child's case): its reference as argument.
            return reverse(link, args=[params["link_reference"]] if params.get("link_reference") else None)
        except NoReverseMatch:
            pass
    return reverse("notifications:inbox")


@require_GET
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    # Counted up to the cap (a user's notifications only grow): past it, "Page n" and no total.
    page = CappedPaginator(
        notifications_for_user(user=request.user, unread_only=unread_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [{"note": n, "text": sentence(n.kind, n.params)} for n in page.object_list]
    return render(
        request, "notifications/inbox.html", {"page": page, "rows": rows, "unread_only": unread_only}
    )


@require_GET
def open_notification(request, pk):
    note = notification_get_for_user(user=request.user, pk=pk)
    notification_mark_read(user=request.user, notification_ids=[note.pk])
    return redirect(_target(note, request.user))


@require_POST
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    count = notification_mark_read(user=request.user, notification_ids=ids)
    messages.success(request, _("%(n)s notification(s) marquée(s) comme lue(s).") % {"n": count})
    return redirect("notifications:inbox")


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=gettext_lazy("Recevoir aussi les notifications par courriel"), required=False
    )


@require_http_methods(["GET", "POST"])
def preferences(request):
    current = NotificationPreference.objects.filter(user=request.user).first()
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"email_enabled": current.email_enabled if current else True},
    )
    if request.method == "POST" and form.is_valid():
        preference_set(user=request.user, email_enabled=form.cleaned_data["email_enabled"])
        messages.success(request, _("Préférences enregistrées."))
        return redirect("notifications:inbox")
    return render(
        request, "notifications/preferences.html", {"form": form, "has_email": bool(request.user.email)}
    )
