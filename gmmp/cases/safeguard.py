"""The guard against the wrong person (DOMAIN: a wrong positive identification sends a person to a
country that is not theirs; a non-Moroccan once travelled on an authentic laissez-passer).

A laissez-passer for a person identified from a register proposal that was not `strong` against the
request as filed, with no proof of nationality (passport, CNIE) in the file, needs one more piece of
evidence first: a consular interview that was held, or a second consular officer's confirmation
(`case_confirm_identification`, someone other than the officer who decided). Once an identification is
reversed (`case_identification_reversed`), no laissez-passer is issued and no departure is
scheduled on it, and the border refuses its document (`identification_reversed_after`).

An identified decision that names a register record without a band (recorded before bands were kept, or
by a caller that did not compute it) counts as not strong: the guard fails closed. A decision that names
no register record rests on documents or an interview, recorded in the file, and is not guarded here.
"""

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from gmmp.core.errors import Refused

from .enums import CaseState, EventKind, EvidenceCategory, IdentificationBand


def identification_event(case):
    """The decision event that identified the person (the latest), or None."""
    return (
        case.events.filter(kind=EventKind.DECIDE, to_state=CaseState.IDENTIFIED).order_by("-sequence").first()
    )


def identification_reversed(case, decided=None) -> bool:
    decided = decided or identification_event(case)
    if decided is None:
        return False
    return case.events.filter(kind=EventKind.IDENTIFICATION_REVERSED, sequence__gt=decided.sequence).exists()


IDENTIFIED_OR_REVERSED = Q(kind=EventKind.DECIDE, to_state=CaseState.IDENTIFIED) | Q(
    kind=EventKind.IDENTIFICATION_REVERSED
)


def identification_reversed_after(case_ref="case_id") -> Subquery:
    """For an outer row with a case (`case_ref`): the kind of the case's latest identification or reversal
    event, `identification_reversed` when the identification in force is reversed (one subquery, for
    the border's and the public verification's one lookup)."""
    from .models import CaseEvent

    return Subquery(
        CaseEvent.objects.filter(IDENTIFIED_OR_REVERSED, case_id=OuterRef(case_ref))
        .order_by("-sequence")
        .values("kind")[:1]
    )


def reversal_check(case) -> None:
    """Refuse (`Refused`) to end a journey on a reversed identification (the border's readmission)."""
    if identification_reversed(case):
        raise Refused(
            _(
                "L'identification de cette personne a été infirmée : la réadmission ne peut pas reposer sur elle."
            ),
            code="identification_reversed",
        )


def identification_needs_safeguard(case, decided=None) -> bool:
    """Whether the identification rests on a register proposal that was not strong, without proof documents."""
    decided = decided or identification_event(case)
    if decided is None:
        return False
    details = decided.details or {}
    if not details.get("register_match") or details.get("register_band") == IdentificationBand.STRONG:
        return False
    return not case.evidence.filter(category=EvidenceCategory.PROOF).exists()


def identification_safeguard_met(case, decided) -> bool:
    """A held interview on this case, or a confirmation by another officer after the decision."""
    held = case.events.filter(kind=EventKind.INTERVIEW_OUTCOME, details__held=True).exists()
    if held:
        return True
    return (
        case.events.filter(kind=EventKind.IDENTIFICATION_CONFIRMED, sequence__gt=decided.sequence)
        .exclude(actor_id=decided.actor_id)
        .exists()
    )


def identification_check(case) -> None:
    """Refuse (`Refused`) a laissez-passer or a departure the identification does not support."""
    decided = identification_event(case)
    if decided is None:
        return
    if identification_reversed(case, decided):
        raise Refused(
            _(
                "L'identification de cette personne a été infirmée : aucun laissez-passer ni départ ne "
                "peut reposer sur elle."
            ),
            code="identification_reversed",
        )
    if identification_needs_safeguard(case, decided) and not identification_safeguard_met(case, decided):
        raise Refused(
            _(
                "La personne a été identifiée sur une proposition du registre qui n'était pas forte, sans "
                "document d'identité au dossier : une audition tenue ou la confirmation d'un second agent "
                "consulaire est nécessaire avant le laissez-passer."
            ),
            code="identification_unconfirmed",
        )
