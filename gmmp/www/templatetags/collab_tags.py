from django import template

from gmmp.collab import perms
from gmmp.collab.selectors import case_collab_summary

register = template.Library()


@register.inclusion_tag("collab/_case_panel.html", takes_context=True)
def collab_panel(context, case):
    user = context["request"].user
    summary = case_collab_summary(user=user, case=case)
    summary["may_escalate"] = perms.escalation_may_raise(user, case)[0] and case.state not in ("draft",)
    return {"case": case, "collab": summary}
