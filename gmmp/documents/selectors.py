"""Reads of laissez-passer. Access goes through the case: a document of a case the user may not see
answers exactly like a document that does not exist (404)."""

import base64
import datetime as dt
import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _

from gmmp.cases import safeguard
from gmmp.cases.enums import CaseState, EventKind
from gmmp.cases.models import Case
from gmmp.cases.perms import user_reads_case_files
from gmmp.core import clock

from . import photos
from .keys import key_store
from .models import LaissezPasser, LpcStatus
from .seal import MalformedSeal, SealStatus, photo_digest, seal_check, seal_decode


def lpc_current(case: Case) -> LaissezPasser | None:
    """The document in force for the case (issued, not revoked nor used), if any."""
    return (
        LaissezPasser.objects.filter(case=case, status=LpcStatus.ISSUED).select_related("consulate").first()
    )


def lpc_latest(case: Case) -> LaissezPasser | None:
    return (
        LaissezPasser.objects.filter(case=case)
        .select_related("consulate")
        .order_by("-issued_at", "-pk")
        .first()
    )


def lpc_history(case: Case):
    return (
        LaissezPasser.objects.filter(case=case)
        .select_related("consulate", "issued_by")
        .order_by("-issued_at", "-pk")
    )


def lpc_get_for_user(*, user, number: str) -> LaissezPasser:
    """The document record with its PDF: for those who read case files (border police check a
    document with the verification, which shows the name and photo, not the record)."""
    if not user_reads_case_files(user):
        raise Http404("No laissez-passer matches the given query.")
    lpc = (
        LaissezPasser.objects.filter(number=number, case__in=Case.objects.visible_to(user))
        .select_related("case", "consulate", "issued_by", "case__consulate", "case__prefecture")
        .first()
    )
    if lpc is None:
        raise Http404("No laissez-passer matches the given query.")
    return lpc


def lpc_photo_data_uri(lpc: LaissezPasser) -> str:
    data = photos.photo_read(lpc.photo_storage_name)
    return "data:image/jpeg;base64," + base64.b64encode(data).decode() if data else ""


class PhotoSeal:
    MATCH = "match"  # the photo shown is the one whose digest the seal signed
    MISMATCH = "mismatch"  # the photo on record is not the one signed: do not rely on it
    NONE_SEALED = "none_sealed"  # issued without a photo (a supervisor's recorded exception)
    NOT_SEALED = "not_sealed"  # a seal from before photos were sealed
    MISSING = "missing"  # a photo was sealed but the record has none any more


@dataclass(frozen=True)
class PhotoCheck:
    data_uri: str
    status: str

    @property
    def message(self) -> str:
        return {
            PhotoSeal.MATCH: _("Photo conforme au cachet électronique du document."),
            PhotoSeal.MISMATCH: _("ATTENTION : la photo enregistrée ne correspond pas à celle du cachet."),
            PhotoSeal.NONE_SEALED: _("Document délivré sans photo."),
            PhotoSeal.NOT_SEALED: _("Cachet ancien : il ne contient pas l'empreinte de la photo."),
            PhotoSeal.MISSING: _("ATTENTION : le cachet contient une photo que le dossier n'a plus."),
        }[self.status]


def lpc_photo_check(lpc: LaissezPasser, seal_text: str = "") -> PhotoCheck:
    """The photo to show with a verification, and whether it is the one sealed (the seal presented, or
    the one on record when the number and check code were typed)."""
    data = photos.photo_read(lpc.photo_storage_name)
    uri = "data:image/jpeg;base64," + base64.b64encode(data).decode() if data else ""
    try:
        sealed_data = seal_decode(seal_text or lpc.seal)[0]
    except MalformedSeal:
        return PhotoCheck(uri, PhotoSeal.NOT_SEALED)
    sealed = sealed_data.photo
    if sealed_data.version == "1":
        status = PhotoSeal.NOT_SEALED
    elif not sealed:
        status = PhotoSeal.NONE_SEALED if not data else PhotoSeal.MISMATCH
    elif not data:
        status = PhotoSeal.MISSING
    else:
        status = PhotoSeal.MATCH if hmac.compare_digest(photo_digest(data), sealed) else PhotoSeal.MISMATCH
    return PhotoCheck(uri, status)


class Verdict:
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    USED = "used"
    FORGED = "forged"


REVERSED = "identification_reversed"  # a Verification's reason: the holder's identification was reversed


def verdict_message(status: str) -> str:
    return {
        Verdict.VALID: _("Laissez-passer authentique et valable aujourd'hui."),
        Verdict.EXPIRED: _("Laissez-passer authentique mais EXPIRÉ : il ne permet plus le voyage."),
        Verdict.NOT_YET_VALID: _("Laissez-passer authentique mais PAS ENCORE VALABLE."),
        Verdict.REVOKED: _("Laissez-passer RÉVOQUÉ par le consulat : il ne permet pas le voyage."),
        Verdict.USED: _("Laissez-passer DÉJÀ UTILISÉ : il ne permet pas un second voyage."),
        Verdict.FORGED: _("Aucun laissez-passer authentique ne correspond : document FAUX ou altéré."),
    }[status]


@dataclass(frozen=True)
class Verification:
    status: str
    reason: str  # for a forgery: malformed, unknown_key, bad_signature, not_on_record, mismatch, bad_code
    lpc: LaissezPasser | None

    @property
    def typed_mismatch(self) -> bool:
        """A number and check code typed by hand that match no document: most often a typing slip, so the
        answer says that nothing matches and to check what was typed, not that the document is forged."""
        return self.status == Verdict.FORGED and self.reason == "bad_code"

    @property
    def display_status(self) -> str:
        return "no_match" if self.typed_mismatch else self.status

    @property
    def message(self) -> str:
        if self.reason == REVERSED:
            return _(
                "Laissez-passer SANS VALEUR : l'identification de son titulaire a été infirmée ; il ne permet "
                "pas le voyage."
            )
        if self.typed_mismatch:
            return _(
                "Aucun laissez-passer ne correspond à ce numéro et à ce code de contrôle. Vérifiez ce qui a "
                "été saisi (0 et O, 1 et I, 8 et B) ; si la saisie est exacte, le document n'est pas authentique."
            )
        return verdict_message(self.status)

    @property
    def authentic(self) -> bool:
        return self.status != Verdict.FORGED


def _forged(reason: str) -> Verification:
    return Verification(Verdict.FORGED, reason, None)


class _Found(TypedDict):
    case_state: str
    issuer_code: str
    identification: str | None  # the kind of the case's latest identification or reversal event


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    FoundLpc = WithAnnotations[LaissezPasser, _Found]
else:
    FoundLpc = LaissezPasser


def _find(number: str) -> "FoundLpc | None":
    # The public page's hot path: one indexed lookup, with just the two columns it needs from the
    # joined tables (a select_related of the whole case costs more to build than to run).
    return (
        LaissezPasser.objects.filter(number=number)
        .order_by()
        .annotate(
            case_state=F("case__state"),
            issuer_code=F("consulate__code"),
            identification=safeguard.identification_reversed_after(),
        )
        .first()
    )


def _on_record(lpc: "FoundLpc", today: dt.date) -> Verification:
    # A readmission confirmed without the scan (by hand on the case page) still ends the journey.
    if lpc.status == LpcStatus.ISSUED and lpc.case_state == CaseState.READMITTED:
        return Verification(Verdict.USED, "", lpc)
    # The holder's identification was reversed: the document is worth nothing, revoked or not (yet).
    if lpc.status == LpcStatus.ISSUED and lpc.identification == EventKind.IDENTIFICATION_REVERSED:
        return Verification(Verdict.REVOKED, REVERSED, lpc)
    return Verification(lpc.status_on(today), "", lpc)


def lpc_verify(
    *, text: str = "", number: str = "", check_code: str = "", today: dt.date | None = None
) -> Verification:
    """Online verification: the seal's signature (or the number with its check code), then the record's
    status, which alone knows about revocation, use and extensions."""
    today = today or clock.today()
    if text:
        check = seal_check(text, key_store().public_keys(), today)
        if check.status == SealStatus.FORGED:
            return _forged(check.reason)
        data = check.data
        if data is None:
            return _forged(check.reason)
        lpc = _find(data.number)
        if lpc is None:
            return _forged("not_on_record")
        # A genuine signature over other details than ours (an old key leaked?): not our document.
        # A record anonymised by retention has no identity to compare (its seal was cut): its
        # status alone answers.
        if lpc.seal and (data.issuer, data.last_name, data.first_names, data.birth_date, data.valid_from) != (
            lpc.issuer_code,
            lpc.holder_last_name,
            lpc.holder_first_names,
            lpc.holder_birth_date,
            lpc.valid_from,
        ):
            return _forged("mismatch")
        return _on_record(lpc, today)
    number = (number or "").strip().upper()
    code = (check_code or "").strip().upper().replace(" ", "").replace("-", "")
    lpc = _find(number) if number else None
    # Compare even when nothing was found, so that timing does not tell which numbers exist.
    expected = lpc.check_code if lpc else "X" * 8
    if not hmac.compare_digest(expected.encode(), code.encode()) or lpc is None:
        return _forged("bad_code")
    return _on_record(lpc, today)
