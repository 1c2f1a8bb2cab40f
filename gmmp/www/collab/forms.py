from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gmmp.cases.enums import InterviewMode
from gmmp.cases.evidence import evidence_check
from gmmp.collab.enums import EscalationReason, NotHeldReason, ProtectionKind


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    attachment = forms.FileField(label=_("Pièce jointe (PDF, JPEG ou PNG)"), required=False)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        data, content_type = evidence_check(upload)
        return (upload.name, data, content_type)


class InterviewForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=10, max_value=240, initial=45)
    mode = forms.ChoiceField(label=_("Modalité"), choices=InterviewMode.choices)
    room = forms.CharField(label=_("Salle"), required=False, max_length=120)
    video_link = forms.URLField(label=_("Lien de visioconférence"), required=False, assume_scheme="https")
    interpreter_language = forms.CharField(
        label=_("Interprète : langue (vide si aucun)"), required=False, max_length=60
    )


class OutcomeForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("Issue"),
        choices=[("1", _("L'audition a eu lieu")), ("0", _("L'audition n'a pas eu lieu"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    not_held_reason = forms.ChoiceField(
        label=_("Si elle n'a pas eu lieu : pourquoi"),
        choices=[("", "—"), *NotHeldReason.choices],
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes de l'agent"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("held") is False and not data.get("not_held_reason"):
            raise ValidationError(_("Indiquez pourquoi l'audition n'a pas eu lieu."))
        return data


class EscalationForm(forms.Form):
    def __init__(self, *args, grounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.ChoiceField(
            label=_("Motif"), choices=[(g, EscalationReason(g).label) for g in grounds]
        )
        self.fields["comment"] = forms.CharField(
            label=_("Précisions (sans donnée personnelle)"),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Réponse"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)


class ProtectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=ProtectionKind.choices)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
