from django import template
from django.db.models import Field
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gmmp.cases.enums import CaseState, EventKind
from gmmp.cases.workflow import TRANSITIONS

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


@register.simple_tag
def deadline_badge(d) -> str:
    """The urgency badge of a case's deadlines (`selectors.CaseDeadlines`), on the list rows and the case
    page: the earliest date that matters, said as a reply due or a release date, overdue / soon / later."""
    due = d.urgency.due_date
    if not due:
        return mark_safe('<span class="muted">—</span>')
    level = "overdue" if d.urgency.overdue else "soon" if d.urgency.due_soon else "ok"
    if d.awaiting_reply and due == d.reply_due:
        text = {
            "overdue": gettext("Réponse en retard (due le %(day)s)"),
            "soon": gettext("Réponse due bientôt : %(day)s"),
            "ok": gettext("Réponse due le %(day)s"),
        }[level]
    else:
        text = {
            "overdue": gettext("Fin de rétention dépassée (%(day)s)"),
            "soon": gettext("Libération proche : %(day)s"),
            "ok": gettext("Libération le %(day)s"),
        }[level]
    return format_html('<span class="badge {}">{}</span>', level, text % {"day": f"{due:%d/%m/%Y}"})


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


@register.simple_tag
def case_list_row(case, d, columns: list[str], labels: dict[str, str]) -> str:
    """The cells of one row of the case list (cases/list.html), written here rather than in the template:
    the template engine spent about 1 ms a row on them (50 rows a page). `columns`: the columns shown;
    `labels`: their headings, repeated on each cell for small screens."""
    cells = [
        format_html(
            '<td data-label="{}" class="ref"><a href="{}"><bdi dir="ltr">{}</bdi></a></td>',
            labels["reference"],
            reverse("cases:detail", args=[case.reference]),
            case.reference,
        ),
        format_html('<td data-label="{}">{}</td>', labels["person"], case.full_name),
        format_html(
            '<td data-label="{}" class="date"><bdi dir="ltr">{}</bdi></td>',
            labels["birth"],
            partial_date_display(case.birth_date) or "—",
        ),
    ]
    if "prefecture" in columns:
        cells.append(
            format_html(
                '<td data-label="{}" class="small">{}</td>',
                labels["prefecture"],
                case.prefecture.display_name,
            )
        )
    if "consulate" in columns:
        consulate = case.consulate.display_name if case.consulate_id else "—"
        cells.append(format_html('<td data-label="{}" class="small">{}</td>', labels["consulate"], consulate))
    cells.append(format_html('<td data-label="{}">{}</td>', labels["state"], case_state_label(case)))
    if "urgency" in columns:
        for key, value in (("detention_end", case.detention_end), ("reply_due", case.reply_due)):
            cells.append(
                format_html(
                    '<td data-label="{}" class="date"><bdi dir="ltr">{}</bdi></td>', labels[key], _day(value)
                )
            )
        cells.append(format_html('<td data-label="{}">{}</td>', labels["urgency"], deadline_badge(d)))
    return mark_safe("\n      ".join(cells))  # noqa: S308  (every part escaped by format_html)


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
    from gmmp.cases.enums import DepartureFailure, ReleaseCause, WithdrawalReason

    for choices in (WithdrawalReason, DepartureFailure, ReleaseCause):
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
