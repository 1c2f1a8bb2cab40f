"""Who is told what: `notify` writes the inbox rows and the e-mail copies, and sends the e-mails after
the commit. Audiences are named by their place in a case (`prefecture`, `consulate`...), resolved to the
active members of that organisation who handle cases: never another préfecture, never the secretariat.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q

from gmmp.core import clock
from gmmp.organisations.enums import OrganisationKind as K
from gmmp.organisations.enums import Role, Side
from gmmp.organisations.models import User

from .enums import DeliveryStatus
from .models import EmailDelivery, Notification, NotificationPreference

logger = logging.getLogger(__name__)

CASE_WORKERS = {Role.AGENT, Role.SUPERVISOR}
CENTRAL_ROLES = {Role.CENTRAL, Role.SUPERVISOR, Role.AGENT}


class Audience:
    PREFECTURE = "prefecture"  # the filing préfecture
    CONSULATE = "consulate"  # the consulate the case is routed to
    CRA = "cra"  # the centre holding the person
    MA_CENTRAL = "ma_central"  # DMSF, Foreign Affairs
    FR_CENTRAL = "fr_central"  # DGEF
    BORDER = "border"  # Moroccan border police
    SECRETARIAT = "secretariat"  # the GMMP secretariat: never for a case
    PROGRAMME = "programme"  # OFII and ANAPEC officers of the seasonal programme: never for a case
    ADMINISTRATORS = "administrators"  # who runs the platform (role admin, staff): never for a case


def audience_filter(audience: str, case=None) -> Q:
    """The users of `audience` (for `case`), as a filter on User; nothing when the case has no such party."""
    active = Q(is_active=True)
    if audience == Audience.PREFECTURE and case is not None:
        return active & Q(organisation_id=case.prefecture_id, role__in=CASE_WORKERS)
    if audience == Audience.CONSULATE and case is not None and case.consulate_id:
        return active & Q(organisation_id=case.consulate_id, role__in=CASE_WORKERS)
    if audience == Audience.CRA and case is not None and case.detention_place_id:
        return active & Q(
            organisation_id=case.detention_place_id, organisation__kind=K.CRA, role__in=CASE_WORKERS
        )
    if audience == Audience.MA_CENTRAL:
        return active & Q(organisation__kind=K.CENTRAL, organisation__side=Side.MA, role__in=CENTRAL_ROLES)
    if audience == Audience.FR_CENTRAL:
        return active & Q(organisation__kind=K.CENTRAL, organisation__side=Side.FR, role__in=CENTRAL_ROLES)
    if audience == Audience.BORDER:
        return active & Q(organisation__kind=K.BORDER_POLICE, role__in={Role.BORDER_OFFICER, Role.SUPERVISOR})
    if audience == Audience.SECRETARIAT and case is None:
        return active & Q(organisation__kind=K.SECRETARIAT)
    if audience == Audience.PROGRAMME and case is None:
        return active & Q(role__in=["ofii_officer", "anapec_officer"])
    if audience == Audience.ADMINISTRATORS and case is None:
        return active & (Q(role=Role.ADMIN) | Q(is_staff=True))
    return Q(pk__in=[])


def recipients(audiences, case=None, exclude=None) -> list[User]:
    query = Q(pk__in=[])
    for audience in audiences:
        query |= audience_filter(audience, case)
    users = User.objects.filter(query).select_related("organisation")
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users.order_by("pk"))


def _email_wanted(user: User, preferences: dict) -> bool:
    return bool(user.email) and preferences.get(user.pk, True)


def notify(
    *,
    key: str,
    kind: str,
    users,
    case=None,
    case_reference: str = "",
    params: dict | None = None,
    at=None,
) -> list[Notification]:
    """Tell `users` that `kind` happened. Idempotent per (key, user): calling again adds nothing.
    E-mails are queued for the worker after the commit of the surrounding transaction."""
    users = list(users)
    if not users:
        return []
    now = at or clock.now()
    reference = case_reference or (case.reference if case is not None else "")
    preferences = dict(
        NotificationPreference.objects.filter(user__in=users).values_list("user_id", "email_enabled")
    )
    already = set(
        Notification.objects.filter(key=key, recipient__in=users).values_list("recipient_id", flat=True)
    )
    created, to_send = [], []
    for user in users:
        if user.pk in already:
            continue
        try:
            # A savepoint per row: a concurrent call that wrote the same (key, user) first wins quietly.
            with transaction.atomic():
                note = Notification.objects.create(
                    recipient=user,
                    kind=kind,
                    key=key,
                    case=case,
                    case_reference=reference,
                    params=params or {},
                    created_at=now,
                )
                EmailDelivery.objects.create(
                    notification=note,
                    to_address=user.email if _email_wanted(user, preferences) else "",
                    status=DeliveryStatus.PENDING
                    if _email_wanted(user, preferences)
                    else DeliveryStatus.SKIPPED,
                    next_attempt_at=now,
                )
        except IntegrityError:
            continue
        created.append(note)
        if _email_wanted(user, preferences):
            to_send.append(note.pk)
    if to_send:
        transaction.on_commit(lambda: _enqueue(to_send))
    return created


def _enqueue(notification_ids: list[int]) -> None:
    from .tasks import email_send

    try:
        email_send.enqueue(notification_ids)
    except Exception:  # the worker's sweep sends what could not be queued
        logger.exception("could not queue %d e-mail(s); the worker will retry", len(notification_ids))


def notification_mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's notifications (all unread ones when no ids) as read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=clock.now())


def notification_mark_case_read(*, user, case, kinds=None) -> int:
    qs = Notification.objects.filter(recipient=user, case=case, read_at__isnull=True)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return qs.update(read_at=clock.now())


def preference_set(*, user, email_enabled: bool) -> NotificationPreference:
    pref, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": email_enabled}
    )
    return pref
