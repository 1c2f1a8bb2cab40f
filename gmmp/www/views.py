from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from gmmp.cases.perms import user_sees_personal_data


def home(request):
    """Each user lands where their work is."""
    user = request.user
    if user_sees_personal_data(user):
        return redirect("cases:list")
    for name in ("indicators:dashboard", "documents:verify"):
        try:
            return redirect(reverse(name))
        except NoReverseMatch:
            continue
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "www/home.html")
