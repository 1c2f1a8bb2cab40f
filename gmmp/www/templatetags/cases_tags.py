from html import escape

from django import template
from django.db.models import Field
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gmmp.cases.enums import CaseState, EventKind
from gmmp.cases.workflow import TRANSITIONS
from gmmp.core.http import reverse_each

register = template.Library()


@register.filter
def event_label(event) -> str | Promise:
    from gmmp.cases.enums import LegalEventKind

    if event.kind in TRANSITIONS:
        return TRANSITIONS[event.kind].label
    try:
        return EventKind(event.kind).label
    except ValueError:
        pass
    if event.kind in LegalEventKind.values:
        return LegalEventKind(event.kind).label
    return event.kind


@register.filter
def field_label(name: str) -> str | Promise:
    """The label of a case field (for the corrections shown in the timeline)."""
    from gmmp.cases.models import Case

    try:
        field = Case._meta.get_field(name)
    except Exception:
        return name
    return field.verbose_name if isinstance(field, Field) else name


# States whose wording speaks of the person: agreed with the person's sex (French and Arabic both mark it).
GENDERED_STATES = {
    CaseState.IDENTIFIED: {
        "M": pgettext_lazy("homme", "Identifié comme ressortissant marocain"),
        "F": pgettext_lazy("femme", "Identifiée comme ressortissante marocaine"),
        "X": _("Identifié(e) comme ressortissant(e) marocain(e)"),
    },
    CaseState.NOT_NATIONAL: {
        "M": pgettext_lazy("homme", "Non ressortissant marocain"),
        "F": pgettext_lazy("femme", "Non ressortissante marocaine"),
        "X": _("Non ressortissant(e) marocain(e)"),
    },
}


@register.filter
def case_state_label(case) -> str:
    """The case's state, in words agreeing with the person's sex where the wording speaks of them."""
    forms = GENDERED_STATES.get(case.state)
    if forms:
        return str(forms.get(case.sex) or forms["X"])
    try:
        return str(CaseState(case.state).label)  # not get_state_display(): ~20× cheaper, once per list row
    except ValueError:
        return case.state


# The deadline badge's text: what is due (a reply, the release) and how soon.
DEADLINE_TEXTS = {
    ("reply", "overdue"): gettext_noop("Réponse en retard (due le %(day)s)"),
    ("reply", "soon"): gettext_noop("Réponse due bientôt : %(day)s"),
    ("reply", "ok"): gettext_noop("Réponse due le %(day)s"),
    ("release", "overdue"): gettext_noop("Fin de rétention dépassée (%(day)s)"),
    ("release", "soon"): gettext_noop("Libération proche : %(day)s"),
    ("release", "ok"): gettext_noop("Libération le %(day)s"),
}


@register.simple_tag
def deadline_badge(d) -> str:
    """The urgency badge of a case's deadlines (`selectors.CaseDeadlines`), on the list rows and the case
    page: the earliest date that matters, said as a reply due or a release date, overdue / soon / later."""
    due = d.urgency.due_date
    if not due:
        return mark_safe('<span class="muted">—</span>')
    level = "overdue" if d.urgency.overdue else "soon" if d.urgency.due_soon else "ok"
    kind = "reply" if d.awaiting_reply and due == d.reply_due else "release"
    text = gettext(DEADLINE_TEXTS[kind, level])  # one translation looked up (once per list row)
    return mark_safe(f'<span class="badge {level}">{escape(text % {"day": f"{due:%d/%m/%Y}"})}</span>')  # noqa: S308


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


@register.simple_tag
def case_list_rows(rows, columns: list[str], labels: dict[str, str]) -> str:
    """The rows (<tr>) of the case list (cases/list.html), written here rather than in the template: the
    template engine spent about 1 ms a row on them (50 rows a page), and format_html a tenth of that.
    Every value is escaped (the standard library's `html.escape`, which Django's `escape` wraps); the detail link is reversed once a page (`reverse_each`). `rows`: (case,
    deadlines) pairs (`selectors.case_deadlines_many`); `columns`: the columns shown; `labels`: their
    headings, repeated on each cell for small screens."""
    label = {key: escape(value) for key, value in labels.items()}
    detail = reverse_each("cases:detail", "reference")
    org_names: dict[int, str] = {}
    state_labels: dict[tuple[str, str], str] = {}

    def org_name(org) -> str:
        if org.pk not in org_names:
            org_names[org.pk] = escape(org.display_name)
        return org_names[org.pk]

    out = []
    for case, d in rows:
        ref = escape(case.reference)
        url = escape(detail(case.reference))
        cells = [
            f'<td data-label="{label["reference"]}" class="ref"><a href="{url}"><bdi dir="ltr">{ref}</bdi></a></td>',
            f'<td data-label="{label["person"]}">{escape(case.full_name)}</td>',
            f'<td data-label="{label["birth"]}" class="date"><bdi dir="ltr">'
            f"{escape(partial_date_display(case.birth_date) or '—')}</bdi></td>",
        ]
        if "prefecture" in columns:
            cells.append(
                f'<td data-label="{label["prefecture"]}" class="small">{org_name(case.prefecture)}</td>'
            )
        if "consulate" in columns:
            consulate = org_name(case.consulate) if case.consulate_id else "—"
            cells.append(f'<td data-label="{label["consulate"]}" class="small">{consulate}</td>')
        key = (case.state, case.sex)
        if key not in state_labels:
            state_labels[key] = escape(case_state_label(case))
        cells.append(f'<td data-label="{label["state"]}">{state_labels[key]}</td>')
        if "urgency" in columns:
            for name, value in (("detention_end", case.detention_end), ("reply_due", case.reply_due)):
                cells.append(
                    f'<td data-label="{label[name]}" class="date"><bdi dir="ltr">{_day(value)}</bdi></td>'
                )
            cells.append(f'<td data-label="{label["urgency"]}">{deadline_badge(d)}</td>')
        out.append("<tr>\n      " + "\n      ".join(cells) + "\n    </tr>")
    return mark_safe("\n    ".join(out))  # noqa: S308  (every value escaped above)


@register.filter
def state_label(value: str) -> str | Promise:
    try:
        return CaseState(value).label
    except ValueError:
        return value


@register.simple_tag
def optional_url(name, *args) -> str:
    """The URL of a feature page, or '' when that feature is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def reason_label(value: str) -> str | Promise:
    from gmmp.cases.enums import (
        DepartureFailure,
        LegalEventKind,
        ReleaseCause,
        ReversalReason,
        WithdrawalReason,
    )
    from gmmp.collab.enums import EscalationReason

    # The history showed the legal events' and escalations' codes ("extension_granted", "reply_overdue").
    for choices in (
        WithdrawalReason,
        DepartureFailure,
        ReleaseCause,
        LegalEventKind,
        EscalationReason,
        ReversalReason,
    ):
        try:
            return choices(value).label
        except ValueError:
            continue
    return value


@register.filter
def partial_date_display(value) -> str:
    """A partial date as people write it: '2005-12-17' → 17/12/2005, '2005-12' → 12/2005, '2005' → 2005."""
    if not value:
        return ""
    parts = str(value).split("-")
    if not all(p.isdigit() for p in parts):
        return str(value)
    return "/".join(reversed(parts))
