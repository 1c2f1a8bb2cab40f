import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gmmp.cases.enums import EvidenceCategory, EvidenceKind, Sex
from gmmp.cases.models import Case, Evidence, partial_date_validator
from gmmp.core import clock
from gmmp.core.models import PolicyKeys, policy_value
from gmmp.documents import photos
from gmmp.documents.actions import holder_from_case, photo_exception_for
from gmmp.documents.models import HOLDER_FIELDS, ArrivalRefusal, LaissezPasser, RevocationReason
from gmmp.www.forms import TextRulesMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HolderFields(TextRulesMixin, forms.Form):
    holder_last_name = forms.CharField(label=_("Nom"), max_length=100)
    holder_first_names = forms.CharField(label=_("Prénom(s)"), max_length=150)
    holder_name_ar = forms.CharField(
        label=_("Nom en caractères arabes"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
        help_text=_("Facultatif : imprimé tel quel dans la colonne arabe."),
    )
    holder_birth_date = forms.CharField(
        label=_("Date de naissance"),
        max_length=10,
        required=False,
        validators=[partial_date_validator],
        help_text=_("AAAA, AAAA-MM ou AAAA-MM-JJ."),
    )
    holder_birth_place = forms.CharField(label=_("Lieu de naissance"), max_length=120, required=False)
    holder_sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices, required=False)


class PhotoFields(TextRulesMixin, forms.Form):
    photo = forms.FileField(
        label=_("Photo du titulaire"),
        required=False,
        help_text=_("JPEG ou PNG, de face ; elle est réduite pour l'impression."),
    )
    photo_evidence = forms.TypedChoiceField(
        label=_("… ou une photo déjà jointe à la demande"), coerce=int, required=False, empty_value=None
    )

    @property
    def photo_field(self) -> forms.TypedChoiceField:
        field = self.fields["photo_evidence"]
        assert isinstance(field, forms.TypedChoiceField)
        return field

    def _photo_choices(self, case: Case):
        items = Evidence.objects.filter(case=case, content_type__startswith="image/").filter(
            Q(category=EvidenceCategory.PHOTO) | Q(kind=EvidenceKind.PHOTO)
        )
        return [("", "—")] + [
            (e.pk, f"{e.original_name} ({e.uploaded_at:%d/%m/%Y})") for e in items.order_by("-uploaded_at")
        ]

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return photos.photo_normalise(upload.read(photos.MAX_INPUT_BYTES + 1))

    def action_kwargs(self) -> dict:
        """The form's data as the action takes them: an uploaded photo wins over a chosen one."""
        data = dict(self.cleaned_data)
        photo = data.pop("photo")
        evidence = data.pop("photo_evidence")
        return {**data, "photo": photo, "photo_evidence": None if photo else evidence}


class ValidityFields(TextRulesMixin, forms.Form):
    valid_from = forms.DateField(label=_("Valable du"), widget=DATE)
    valid_to = forms.DateField(label=_("Valable jusqu'au"), widget=DATE)
    destination = forms.CharField(label=_("Destination"), max_length=80, initial="Maroc")

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and start < clock.today():
            self.add_error("valid_from", _("La validité ne peut pas commencer avant aujourd'hui."))
        if start and end and end < start:
            self.add_error("valid_to", _("La fin de validité précède son début."))
        return data


def _document_initial(holder: dict, destination: str) -> dict:
    """A new document's form, pre-filled: the holder, the default validity from today, the destination."""
    today = clock.today()
    end = today + dt.timedelta(days=policy_value(PolicyKeys.LPC_VALIDITY, today) - 1)
    return {**holder, "valid_from": today, "valid_to": end, "destination": destination}


class IssueForm(HolderFields, PhotoFields, ValidityFields):
    """Issuance for an identified case: the identity as the consulate established it, pre-filled."""

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("initial", _document_initial(holder_from_case(case), "Maroc"))
        super().__init__(*args, **kwargs)
        self.photo_field.choices = self._photo_choices(case)
        self.case = case

    def clean(self):
        data = super().clean()
        if (
            not data.get("photo")
            and not data.get("photo_evidence")
            and "photo" not in self.errors
            and photo_exception_for(self.case) is None
        ):
            raise ValidationError(
                _(
                    "Joignez la photo du titulaire, ou choisissez une photo de la demande : le "
                    "laissez-passer doit porter la photo de la personne."
                ),
                code="photo_required",
            )
        return data


class ExtendForm(TextRulesMixin, forms.Form):
    valid_to = forms.DateField(label=_("Nouvelle fin de validité"), widget=DATE)
    comment = forms.CharField(
        label=_("Motif"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Par exemple : vol reporté."),
    )

    def __init__(self, *args, lpc: LaissezPasser, **kwargs):
        kwargs.setdefault("initial", {"valid_to": max(lpc.valid_to, clock.today()) + dt.timedelta(days=15)})
        super().__init__(*args, **kwargs)
        self.lpc = lpc

    def clean_valid_to(self):
        value = self.cleaned_data["valid_to"]
        if value <= self.lpc.valid_to:
            raise ValidationError(
                _("La nouvelle fin de validité doit être postérieure à l'actuelle (%(date)s).")
                % {"date": self.lpc.valid_to.strftime("%d/%m/%Y")}
            )
        return value


class ReissueForm(HolderFields, PhotoFields, ValidityFields):
    comment = forms.CharField(label=_("Motif du remplacement"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, lpc: LaissezPasser, **kwargs):
        holder = {field: getattr(lpc, field) for field in HOLDER_FIELDS}
        kwargs.setdefault("initial", _document_initial(holder, lpc.destination))
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _("Laissez vide pour reprendre la photo du laissez-passer remplacé.")
        self.photo_field.choices = self._photo_choices(lpc.case)


class RevokeForm(TextRulesMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Motif"),
        choices=[(v, label) for v, label in RevocationReason.choices if v != RevocationReason.REISSUED],
    )
    comment = forms.CharField(label=_("Précisions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, lpc: LaissezPasser | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lpc = lpc

    def clean(self):
        data = super().clean()
        if data.get("reason") == RevocationReason.OTHER and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Précisez le motif de la révocation."))
        return data


class VerifyForm(TextRulesMixin, forms.Form):
    """Either what the QR code holds (scanned or pasted), or the number and the check code typed by hand."""

    payload = forms.CharField(
        label=_("Contenu du code QR"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false", "autofocus": True}
        ),
        help_text=_("Scannez le code QR du laissez-passer (le lecteur saisit le texte ici) ou collez-le."),
    )
    number = forms.CharField(
        label=_("Numéro du laissez-passer"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    check_code = forms.CharField(
        label=_("Code de contrôle"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        payload = (data.get("payload") or "").strip()
        number, code = (data.get("number") or "").strip(), (data.get("check_code") or "").strip()
        if not payload and not (number and code):
            raise ValidationError(
                _("Scannez ou collez le code QR, ou saisissez le numéro et le code de contrôle."),
                code="empty",
            )
        data["payload"], data["number"], data["check_code"] = payload, number, code
        return data


class BorderScanForm(TextRulesMixin, forms.Form):
    payload = forms.CharField(
        label=_("Contenu du code QR"),
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false", "autofocus": True}
        ),
        help_text=_("Scannez le code QR du laissez-passer présenté à l'arrivée."),
    )
    comment = forms.CharField(label=_("Observation"), required=False, max_length=500)


class BorderRefusalForm(forms.Form):
    reason = forms.ChoiceField(label=_("Motif du refus"), choices=[("", "—"), *ArrivalRefusal.choices])
    refusal_comment = forms.CharField(label=_("Observation"), required=False, max_length=500)


class PhotoExceptionForm(TextRulesMixin, forms.Form):
    """A supervisor's exception: this case's laissez-passer may be issued without the holder's photo."""

    reason = forms.CharField(
        label=_("Motif de l'exception"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Pourquoi aucune photo ne peut être jointe (elle sera apposée et tamponnée à la main). "
            "Le motif est conservé dans l'historique de la demande."
        ),
    )
