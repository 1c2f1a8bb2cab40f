"""Every change to a laissez-passer happens here (keyword-only, atomic, acting user as argument).

Issuance is the case transition `case_issue_laissez_passer`: it locks the case, checks the actor and
calls `lpc_issue` through the hook registered in apps.py. Extension, re-issue, revocation and use are
changes of the document only; each locks the case row, then the document, and appends one event to
the case ledger in the same transaction ("lpc_extended", "lpc_reissued", "lpc_revoked", "lpc_used").
"""

import datetime as dt
import logging
import secrets
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gmmp.cases.actions import TransitionRefused, case_confirm_readmission, event_note, event_record
from gmmp.cases.enums import CaseState, EventKind, EvidenceCategory, EvidenceKind
from gmmp.cases.evidence import evidence_read
from gmmp.cases.models import Case, CaseEvent, Evidence
from gmmp.cases.perms import actor_may
from gmmp.cases.workflow import Actor
from gmmp.core import clock
from gmmp.core.models import PolicyKeys, policy_value
from gmmp.organisations.enums import Role

from . import photos
from .keys import key_store
from .models import HOLDER_FIELDS, ArrivalRefusal, LaissezPasser, LpcCounter, LpcStatus, RevocationReason
from .seal import PHOTO_DIGEST_HEX, SealData, seal_make

logger = logging.getLogger(__name__)

# The document can change only while the person has not left: after departure it is evidence.
CHANGEABLE_STATES = frozenset(
    {CaseState.LPC_ISSUED, CaseState.DEPARTURE_SCHEDULED, CaseState.DEPARTURE_FAILED}
)
CHECK_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand
DEFAULT_DESTINATION = "Maroc"


def local_datetime(moment: dt.datetime) -> str:
    return timezone.localtime(moment, zoneinfo.ZoneInfo(settings.DISPLAY_TIME_ZONE)).strftime(
        "%d/%m/%Y %H:%M"
    )


def _check_code() -> str:
    return "".join(secrets.choice(CHECK_CODE_ALPHABET) for _i in range(8))


def _number_take(consulate, year: int) -> tuple[int, str]:
    """The next number of `consulate` in `year`: unique and without gaps.

    Two officers issuing at the same moment: the counter row lock makes the second wait for the
    first's commit and then read its value, so no number is given twice; the increment rolls back
    with a failed issuance, so no number is skipped.
    """
    counter = LpcCounter.objects.select_for_update().filter(consulate=consulate, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():  # savepoint: another issuer may create the row first
                LpcCounter.objects.create(consulate=consulate, year=year, last=0)
        except IntegrityError:
            pass
        counter = LpcCounter.objects.select_for_update().get(consulate=consulate, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{consulate.code}-{year}-{counter.last:05d}"


def _seal(lpc: LaissezPasser) -> tuple[str, str]:
    store = key_store()
    kid = store.ensure_key()
    data = SealData(
        kid=kid,
        number=lpc.number,
        last_name=lpc.holder_last_name,
        first_names=lpc.holder_first_names,
        birth_date=lpc.holder_birth_date,
        valid_from=lpc.valid_from,
        valid_to=lpc.valid_to,
        issuer=lpc.consulate.code,
        photo=lpc.photo_sha256[:PHOTO_DIGEST_HEX],
    )
    return kid, seal_make(data, store.sign)


def _photo_from_case(case: Case, evidence: Evidence | int | None) -> bytes | None:
    if evidence is not None:
        pk = evidence.pk if isinstance(evidence, Evidence) else evidence
        item = Evidence.objects.filter(case=case, pk=pk).first()
        if item is None or not item.content_type.startswith("image/"):
            raise TransitionRefused(_("Cette pièce n'est pas une photo de la demande."), code="invalid_photo")
        return evidence_read(item.storage_name)
    latest = (
        Evidence.objects.filter(case=case, content_type__startswith="image/")
        .filter(Q(category=EvidenceCategory.PHOTO) | Q(kind=EvidenceKind.PHOTO))
        .order_by("-uploaded_at")
        .first()
    )
    return evidence_read(latest.storage_name) if latest else None


def _photo_fields(data: bytes | None) -> dict:
    if data is None:
        return {"photo_storage_name": "", "photo_sha256": ""}
    from django.core.exceptions import ValidationError

    try:
        jpeg = photos.photo_normalise(data)
    except ValidationError as exc:
        raise TransitionRefused(exc.messages[0], code="invalid_photo") from exc
    name, digest = photos.photo_store(jpeg)
    return {"photo_storage_name": name, "photo_sha256": digest}


def _validity(valid_from: dt.date | None, valid_to: dt.date | None) -> tuple[dt.date, dt.date]:
    today = clock.today()
    valid_from = valid_from or today
    if valid_from < today:
        raise TransitionRefused(
            _("La validité ne peut pas commencer avant aujourd'hui."), code="invalid_validity"
        )
    if valid_to is None:
        valid_to = valid_from + dt.timedelta(days=policy_value(PolicyKeys.LPC_VALIDITY, valid_from) - 1)
    if valid_to < valid_from:
        raise TransitionRefused(_("La fin de validité précède son début."), code="invalid_validity")
    return valid_from, valid_to


def _ledger_details(lpc: LaissezPasser, **extra) -> dict:
    # No personal data in the ledger: the number and dates are enough to count and to audit.
    return {
        "number": lpc.number,
        "valid_from": lpc.valid_from.isoformat(),
        "valid_to": lpc.valid_to.isoformat(),
        "key_id": lpc.key_id,
        **extra,
    }


def _make(
    *,
    case: Case,
    user,
    holder: dict,
    photo: dict,
    valid_from,
    valid_to,
    destination: str,
    replaces: LaissezPasser | None = None,
) -> LaissezPasser:
    consulate = case.consulate
    now, year = clock.now(), clock.today().year
    valid_from, valid_to = _validity(valid_from, valid_to)
    sequence, number = _number_take(consulate, year)
    lpc = LaissezPasser(
        case=case,
        consulate=consulate,
        number=number,
        year=year,
        sequence=sequence,
        check_code=_check_code(),
        status=LpcStatus.ISSUED,
        destination=destination or DEFAULT_DESTINATION,
        valid_from=valid_from,
        valid_to=valid_to,
        issued_at=now,
        issued_by=user,
        replaces=replaces,
        **holder,
        **photo,
    )
    lpc.key_id, lpc.seal = _seal(lpc)
    lpc.full_clean(exclude=["case", "consulate", "issued_by", "replaces"])
    lpc.save()
    return lpc


def holder_from_case(case: Case) -> dict:
    """The identity as the consulate established it; the préfecture's declaration only as a fallback."""
    return {
        "holder_last_name": case.established_last_name or case.last_name,
        "holder_first_names": case.established_first_names or case.first_names,
        "holder_name_ar": "",
        "holder_birth_date": case.established_birth_date or case.birth_date,
        "holder_birth_place": case.established_birth_place or case.birth_place,
        "holder_sex": case.sex,
    }


def _holder(case: Case, given: dict) -> dict:
    """What was given, and the case's identity where nothing was."""
    holder = {field: given.get(field) or default for field, default in holder_from_case(case).items()}
    if not holder["holder_last_name"].strip():
        raise TransitionRefused(_("Le nom du titulaire est obligatoire."), code="invalid_holder")
    return holder


def lpc_issue(
    *,
    case: Case,
    user,
    holder_last_name: str = "",
    holder_first_names: str = "",
    holder_name_ar: str = "",
    holder_birth_date: str = "",
    holder_birth_place: str = "",
    holder_sex: str = "",
    photo: bytes | None = None,
    photo_evidence: Evidence | int | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    destination: str = "",
) -> dict:
    """Make the document. Called only by `case_issue_laissez_passer` (the registered issuer), inside its
    transaction with the case row locked and the actor checked. Returns the ledger event's details.

    Without a photo given, the case's latest photo is used; without any, issuance is refused unless a
    supervisor recorded an exception (`lpc_photo_exception_record`): the printed document then has an
    empty frame for a photo affixed and stamped by hand.
    """
    holder = _holder(
        case,
        {
            "holder_last_name": holder_last_name,
            "holder_first_names": holder_first_names,
            "holder_name_ar": holder_name_ar,
            "holder_birth_date": holder_birth_date,
            "holder_birth_place": holder_birth_place,
            "holder_sex": holder_sex,
        },
    )
    data = photo if photo is not None else _photo_from_case(case, photo_evidence)
    exception = None if data is not None else _photo_exception_required(case)
    lpc = _make(
        case=case,
        user=user,
        holder=holder,
        photo=_photo_fields(data),
        valid_from=valid_from,
        valid_to=valid_to,
        destination=destination,
    )
    extra = {"photo_exception": exception.sequence} if exception else {}
    return _ledger_details(lpc, has_photo=bool(lpc.photo_storage_name), **extra)


# Issuing without the holder's photo --------------------------------------------------------------
# The document must be bound to the person's photo (a non-Moroccan once travelled on an authentic LPC):
# without one, issuance is refused unless a supervisor of the consulate recorded an exception for the
# case, with its reason, in the case ledger. The exception holds for the case's documents (a re-issue
# too); the issuance event names the exception it relied on.

PHOTO_EXCEPTION_STATES = frozenset({CaseState.IDENTIFIED, *CHANGEABLE_STATES})


def photo_exception_for(case: Case) -> CaseEvent | None:
    """The supervisor's recorded exception that lets `case`'s laissez-passer be issued without a photo."""
    return (
        CaseEvent.objects.filter(case=case, kind=EventKind.LPC_PHOTO_EXCEPTION).order_by("-sequence").first()
    )


def _photo_exception_required(case: Case) -> CaseEvent:
    exception = photo_exception_for(case)
    if exception is None:
        raise TransitionRefused(
            _(
                "Le laissez-passer doit porter la photo du titulaire. Sans photo, il ne peut être délivré "
                "que sur une exception enregistrée par un superviseur du consulat."
            ),
            code="photo_required",
        )
    return exception


def photo_exception_allowed(user, case: Case) -> tuple[bool, str]:
    """Only a supervisor of the consulate the case is routed to records the exception."""
    ok, why = actor_may(user, case, Actor.ASSIGNED_CONSULATE)
    if ok and user.role != Role.SUPERVISOR:
        ok, why = False, _("Seul un superviseur du consulat peut autoriser un laissez-passer sans photo.")
    return ok, why


@transaction.atomic
def lpc_photo_exception_record(*, case: Case, user, reason: str) -> CaseEvent:
    """A supervisor of the consulate allows this case's laissez-passer without the holder's photo
    (why: no photo can be taken or obtained in time); one event in the case ledger, its reason kept
    encrypted like every comment."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("consulate").get(pk=case.pk)
    ok, why = photo_exception_allowed(user, locked)
    if not ok:
        raise TransitionRefused(why, code="forbidden")
    if locked.state not in PHOTO_EXCEPTION_STATES:
        raise TransitionRefused(
            _("Une exception pour un laissez-passer sans photo ne s'enregistre pas à l'état « %(state)s ».")
            % {"state": CaseState(locked.state).label},
            code="invalid_state",
        )
    if not reason.strip():
        raise TransitionRefused(
            _("Indiquez pourquoi le laissez-passer sera délivré sans photo."), code="reason_required"
        )
    if photo_exception_for(locked) is not None:
        raise TransitionRefused(
            _("Une exception est déjà enregistrée pour cette demande."), code="already_recorded"
        )
    return event_note(
        case=locked,
        user=user,
        kind=EventKind.LPC_PHOTO_EXCEPTION,
        comment=reason.strip(),
        details={"exception": "no_photo"},
    )


def _lock(lpc: LaissezPasser) -> tuple[Case, LaissezPasser]:
    # Case first, then document, always in this order: the case transitions take the case lock too,
    # so a departure cannot be scheduled on a document being revoked at the same moment.
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("consulate", "prefecture")
        .get(pk=lpc.case_id)
    )
    locked = LaissezPasser.objects.select_for_update(of=("self",)).select_related("consulate").get(pk=lpc.pk)
    return case, locked


def _require_consulate(user, case: Case) -> None:
    ok, why = actor_may(user, case, Actor.ASSIGNED_CONSULATE)
    if not ok:
        raise TransitionRefused(why, code="forbidden")


def _require_changeable(case: Case, lpc: LaissezPasser) -> None:
    if lpc.status != LpcStatus.ISSUED:
        raise TransitionRefused(
            _("Ce laissez-passer est « %(status)s » : il ne peut plus être modifié.")
            % {"status": lpc.get_status_display()},
            code="invalid_state",
        )
    if case.state not in CHANGEABLE_STATES:
        raise TransitionRefused(
            _("Le laissez-passer ne peut plus être modifié quand la demande est à l'état « %(state)s ».")
            % {"state": CaseState(case.state).label},
            code="invalid_state",
        )


def _copy_back(target: LaissezPasser, source: LaissezPasser) -> None:
    for field in LaissezPasser._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


@transaction.atomic
def lpc_extend(*, lpc: LaissezPasser, user, valid_to: dt.date, comment: str = "") -> LaissezPasser:
    """Push the end of validity back (the flight moved). The seal is signed again with the new dates."""
    case, locked = _lock(lpc)
    _require_consulate(user, case)
    _require_changeable(case, locked)
    if valid_to <= locked.valid_to:
        raise TransitionRefused(
            _("La nouvelle fin de validité doit être postérieure à l'actuelle (%(date)s).")
            % {"date": locked.valid_to.strftime("%d/%m/%Y")},
            code="invalid_validity",
        )
    if valid_to < clock.today():
        raise TransitionRefused(_("La nouvelle fin de validité est déjà passée."), code="invalid_validity")
    previous = locked.valid_to
    locked.valid_to = valid_to
    locked.extensions += 1
    locked.key_id, locked.seal = _seal(locked)
    locked.save(update_fields=["valid_to", "extensions", "key_id", "seal"])
    event_record(
        case=case,
        user=user,
        kind=EventKind.LPC_EXTENDED,
        comment=comment,
        details=_ledger_details(locked, previous_valid_to=previous.isoformat()),
    )
    _copy_back(lpc, locked)
    return lpc


def _revoke(lpc: LaissezPasser, user, reason: str) -> None:
    lpc.status = LpcStatus.REVOKED
    lpc.revoked_at = clock.now()
    lpc.revoked_by = user
    lpc.revocation_reason = reason
    lpc.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])


@transaction.atomic
def lpc_revoke(*, lpc: LaissezPasser, user, reason: str, comment: str = "") -> LaissezPasser:
    """Withdraw the document: verification answers "revoked" from now on and no departure can use it."""
    case, locked = _lock(lpc)
    _require_consulate(user, case)
    if reason not in RevocationReason.values or reason == RevocationReason.REISSUED:
        raise TransitionRefused(_("Indiquez le motif de la révocation."), code="reason_required")
    if reason == RevocationReason.OTHER and not comment.strip():
        raise TransitionRefused(_("Précisez le motif de la révocation."), code="reason_required")
    if locked.status != LpcStatus.ISSUED:
        raise TransitionRefused(
            _("Ce laissez-passer est « %(status)s » : il ne peut plus être révoqué.")
            % {"status": locked.get_status_display()},
            code="invalid_state",
        )
    if case.state in {CaseState.DEPARTED, CaseState.READMITTED}:
        raise TransitionRefused(
            _("La personne est déjà partie : le laissez-passer ne peut plus être révoqué."),
            code="invalid_state",
        )
    _revoke(locked, user, reason)
    event_record(
        case=case,
        user=user,
        kind=EventKind.LPC_REVOKED,
        reason=reason,
        comment=comment,
        details=_ledger_details(locked, reason=reason),
    )
    _copy_back(lpc, locked)
    return lpc


def lpc_revoke_on_reversal(*, case: Case, user) -> dict:
    """An identification is being reversed (the person is not the one identified): the document in force,
    if it has not been used on arrival, is revoked for identity doubt in the same transaction (the case
    row is already locked by the reversal), so that neither a departure nor the border scan can use it (a
    person who left is refused on arrival). Returns what goes into the reversal's event."""
    if case.state == CaseState.READMITTED:
        return {}
    lpc = (
        LaissezPasser.objects.select_for_update(of=("self",))
        .filter(case=case, status=LpcStatus.ISSUED)
        .first()
    )
    if lpc is None:
        return {}
    _revoke(lpc, user, RevocationReason.IDENTITY_DOUBT)
    return {"revoked_lpc": lpc.number}  # in the reversal's own event (one event per action)


@transaction.atomic
def lpc_reissue(
    *,
    lpc: LaissezPasser,
    user,
    comment: str = "",
    photo: bytes | None = None,
    photo_evidence: Evidence | int | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    destination: str = "",
    **holder_changes,
) -> LaissezPasser:
    """A new document with a new number (an error corrected, a lost document); the old one is revoked.
    What is not given is carried over from the old document; the validity starts again."""
    case, locked = _lock(lpc)
    _require_consulate(user, case)
    _require_changeable(case, locked)
    unknown = set(holder_changes) - set(HOLDER_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    holder = {field: holder_changes.get(field) or getattr(locked, field) for field in HOLDER_FIELDS}
    if photo is not None or photo_evidence is not None:
        photo_fields = _photo_fields(photo if photo is not None else _photo_from_case(case, photo_evidence))
    else:
        photo_fields = {"photo_storage_name": locked.photo_storage_name, "photo_sha256": locked.photo_sha256}
    if not photo_fields["photo_storage_name"]:
        _photo_exception_required(case)
    _revoke(locked, user, RevocationReason.REISSUED)
    new = _make(
        case=case,
        user=user,
        holder=holder,
        photo=photo_fields,
        valid_from=valid_from,
        valid_to=valid_to,
        destination=destination or locked.destination,
        replaces=locked,
    )
    event_record(
        case=case,
        user=user,
        kind=EventKind.LPC_REISSUED,
        comment=comment,
        details=_ledger_details(new, previous_number=locked.number),
    )
    _copy_back(lpc, locked)
    return new


@dataclass(frozen=True)
class ScanResult:
    """What the border officer's scan did: `accepted` only when the case became readmitted on this
    document (by this scan, or by this post's scan moments ago when the scan is repeated)."""

    accepted: bool
    status: str  # valid / expired / not_yet_valid / revoked / used / forged / refused
    message: str
    lpc: LaissezPasser | None = None
    case: Case | None = None


REPEAT_SCAN_SECONDS = 300


def _repeat_scan(lpc: LaissezPasser, user) -> bool:
    """The document was used moments ago at this very post (same border police organisation)."""
    if lpc.used_at is None or lpc.used_by_id is None:
        return False
    same_post = lpc.used_by_id == user.pk or (
        user.organisation_id is not None
        and lpc.used_by is not None
        and lpc.used_by.organisation_id == user.organisation_id
    )
    return same_post and (clock.now() - lpc.used_at).total_seconds() <= REPEAT_SCAN_SECONDS


def lpc_use(*, seal: str, user, comment: str = "") -> ScanResult:
    """The border police scan the document on arrival: the case becomes readmitted and the document used.

    A document already used is never accepted again; the attempt is flagged in the case ledger
    ("lpc_reuse_flagged") for the consulate and the préfecture to see. The same post scanning the
    same document again within REPEAT_SCAN_SECONDS (a double click, a network retry) gets the first
    scan's answer again: nothing is written and no fraud is flagged.
    """
    from .selectors import REVERSED, lpc_verify

    ok, why = actor_may(user, None, Actor.BORDER_POLICE)
    if not ok:
        raise TransitionRefused(why, code="forbidden")
    check = lpc_verify(text=seal)
    if check.lpc is None:
        return ScanResult(False, check.status, check.message)
    with transaction.atomic():
        case, locked = _lock(check.lpc)
        status = locked.status_on(clock.today())
        repeat = locked.status == LpcStatus.USED and _repeat_scan(locked, user)
        if locked.status == LpcStatus.ISSUED and case.state == CaseState.READMITTED:
            # Readmission already confirmed by hand: this document has done its one journey.
            locked.status, locked.used_at, locked.used_by = LpcStatus.USED, clock.now(), user
            locked.save(update_fields=["status", "used_at", "used_by"])
            event_record(
                case=case,
                user=user,
                kind=EventKind.LPC_USED,
                details=_ledger_details(locked, confirmed_without_scan=True),
            )
            status = LpcStatus.USED
        if repeat:
            assert locked.used_at is not None  # _repeat_scan: a repeated scan follows a first one
            return ScanResult(
                True,
                LpcStatus.USED,
                _(
                    "Réadmission déjà confirmée par votre poste le %(date)s (scan répété, rien de plus n'est enregistré)."
                )
                % {"date": local_datetime(locked.used_at)},
                locked,
                case,
            )
        if status == LpcStatus.USED:
            first_used_at = locked.used_at or clock.now()  # a used document has its date; never None here
            event_record(
                case=case,
                user=user,
                kind=EventKind.LPC_REUSE_FLAGGED,
                details={"number": locked.number, "first_used_at": first_used_at.isoformat()},
            )
            return ScanResult(
                False,
                status,
                _(
                    "Laissez-passer DÉJÀ UTILISÉ le %(date)s : présentation signalée, "
                    "entrée refusée sur ce document."
                )
                % {"date": local_datetime(first_used_at)},
                locked,
                case,
            )
        if status != "valid":
            return ScanResult(False, status, check.message, locked, case)
        if check.reason == REVERSED:  # the holder's identification is reversed: the document is worth nothing
            return ScanResult(False, check.status, check.message, locked, case)
        try:
            case_confirm_readmission(case=case, user=user, comment=comment, details={"lpc": locked.number})
        except TransitionRefused as exc:
            return ScanResult(False, "refused", exc.message, locked, case)
        locked.status = LpcStatus.USED
        locked.used_at = clock.now()
        locked.used_by = user
        locked.save(update_fields=["status", "used_at", "used_by"])
        event_record(
            case=case,
            user=user,
            kind=EventKind.LPC_USED,
            details=_ledger_details(locked),
        )
    return ScanResult(
        True,
        LpcStatus.USED,
        _("Réadmission confirmée : le laissez-passer est désormais utilisé."),
        locked,
        case,
    )


def lpc_refuse_arrival(*, seal: str, user, reason: str, comment: str = "") -> ScanResult:
    """The border officer, having compared photo, name and validity with the traveller, refuses the
    arrival: the document stays unused, the refusal and its reason go to the case ledger
    ("arrival_refused"), and the consulate and the préfecture are told."""
    from .selectors import lpc_verify

    ok, why = actor_may(user, None, Actor.BORDER_POLICE)
    if not ok:
        raise TransitionRefused(why, code="forbidden")
    if reason not in ArrivalRefusal.values:
        raise TransitionRefused(_("Indiquez le motif du refus."), code="reason_required")
    check = lpc_verify(text=seal)
    if check.lpc is None:
        return ScanResult(False, check.status, check.message)
    with transaction.atomic():
        case, locked = _lock(check.lpc)
        event_record(
            case=case,
            user=user,
            kind=EventKind.ARRIVAL_REFUSED,
            reason=reason,
            comment=comment,
            details={"number": locked.number},
        )
    return ScanResult(
        False,
        "refused",
        _("Arrivée refusée : le motif est enregistré ; le consulat et la préfecture sont prévenus."),
        locked,
        case,
    )


def lpc_departure_check(*, case: Case, departure_date: dt.date) -> str:
    """'' when the case's document in force covers `departure_date`, else why not (the hook of
    case_schedule_departure)."""
    lpc = LaissezPasser.objects.filter(case=case, status=LpcStatus.ISSUED).first()
    if lpc is None:
        return _("Aucun laissez-passer en vigueur pour cette demande : le départ ne peut pas être programmé.")
    if not (lpc.valid_from <= departure_date <= lpc.valid_to):
        return _(
            "Le laissez-passer %(number)s est valable du %(start)s au %(end)s : il ne couvre pas un départ le "
            "%(date)s. Demandez au consulat de le prolonger."
        ) % {
            "number": lpc.number,
            "start": lpc.valid_from.strftime("%d/%m/%Y"),
            "end": lpc.valid_to.strftime("%d/%m/%Y"),
            "date": departure_date.strftime("%d/%m/%Y"),
        }
    return ""
