"""E-mail copies of notifications: sent by the worker after the commit, retried, never twice.

The claim (`pending` → `sending`) commits before the mail server is contacted, so two workers (or a
task and the retry sweep) cannot both send; success marks `sent`. A failure the mail server reports
puts the row back to `pending` with a later `next_attempt_at` (backoff), up to MAX_ATTEMPTS. A row left
`sending` by a worker that died mid-send may or may not have gone out: it is marked `failed` rather
than sent again (never twice beats at least once for these messages; the inbox still has it).
The message carries the case reference and the kind of event, never a name.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from gmmp.core import clock

from .enums import DeliveryStatus
from .messages import sentence
from .models import EmailDelivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STALE_CLAIM = dt.timedelta(minutes=15)


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 60))


def _claim(notification_id: int) -> EmailDelivery | None:
    with transaction.atomic():
        row = (
            EmailDelivery.objects.select_for_update()
            .select_related("notification", "notification__recipient")
            .filter(notification_id=notification_id)
            .first()
        )
        if row is None or row.status != DeliveryStatus.PENDING or row.next_attempt_at > clock.now():
            return None
        row.status = DeliveryStatus.SENDING
        row.claimed_at = clock.now()
        row.attempts += 1
        row.save(update_fields=["status", "claimed_at", "attempts"])
        return row


def email_message(row: EmailDelivery) -> EmailMessage:
    note = row.notification
    lang = note.recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(lang):
        what = sentence(note.kind, note.params)
        subject = (
            _("[GMMP] %(reference)s : %(what)s") % {"reference": note.case_reference, "what": what}
            if note.case_reference
            else _("[GMMP] %(what)s") % {"what": what}
        )
        link = f"{settings.GMMP_BASE_URL.rstrip('/')}/notifications/{note.pk}/"
        body = "\n\n".join(
            [
                what + (f" ({note.case_reference})" if note.case_reference else ""),
                _("Consultez la plateforme GMMP : %(link)s") % {"link": link},
                _(
                    "Ce message ne contient aucune donnée personnelle. Vous pouvez désactiver les courriels "
                    "dans vos préférences de notification."
                ),
            ]
        )
    message = EmailMessage(subject=subject, body=body, to=[row.to_address])
    # The same id on every attempt: a mail system that sees it twice can drop the copy.
    message.extra_headers["Message-ID"] = f"<gmmp-notification-{note.pk}@{settings.GMMP_MAIL_DOMAIN}>"
    return message


def email_deliver(notification_id: int, *, connection=None) -> str:
    """Send one notification's e-mail if it is due; returns the row's status afterwards."""
    row = _claim(notification_id)
    if row is None:
        current = EmailDelivery.objects.filter(notification_id=notification_id).values("status").first()
        return current["status"] if current else ""
    try:
        (connection or get_connection()).send_messages([email_message(row)])
    except Exception as exc:  # the mail server's refusal or absence; retried later
        failed = row.attempts >= MAX_ATTEMPTS
        row.status = DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING
        row.next_attempt_at = clock.now() + backoff(row.attempts)
        row.last_error = type(exc).__name__[:200]
        row.save(update_fields=["status", "next_attempt_at", "last_error"])
        logger.warning("e-mail for notification %s failed (attempt %s)", notification_id, row.attempts)
        return row.status
    row.status = DeliveryStatus.SENT
    row.sent_at = clock.now()
    row.last_error = ""
    row.save(update_fields=["status", "sent_at", "last_error"])
    return row.status


def emails_send_due(*, limit: int = 200) -> dict:
    """The worker's sweep: send what is due (first tries that could not be queued, and retries), and
    give up on claims left by a worker that died mid-send."""
    now = clock.now()
    stale = EmailDelivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    abandoned = stale.update(status=DeliveryStatus.FAILED, last_error="interrupted; not resent")
    due = list(
        EmailDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("notification_id", flat=True)[:limit]
    )
    results: dict[str, int] = {}
    if due:
        connection = get_connection()
        for notification_id in due:
            status = email_deliver(notification_id, connection=connection)
            results[status] = results.get(status, 0) + 1
    return {"abandoned": abandoned, **results}
