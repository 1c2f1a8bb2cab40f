"""Demo data: the seeded cases have notified their parties as they were walked; here the older ones are
marked read, today's alerts are raised, and the seeded e-mails are not sent (the console would fill with
hundreds). Demo users get an address so that what they do during the demo is e-mailed (console)."""

import datetime as dt

from gmmp.core import clock

from .enums import DeliveryStatus
from .jobs import deadline_alerts, governance_reminders, lpc_expiry_warnings
from .models import EmailDelivery, Notification

RECENT = dt.timedelta(days=10)


def notifications_demo_seed(*, usernames=()) -> dict:
    from gmmp.organisations.models import User

    Notification.objects.filter(created_at__lt=clock.now() - RECENT, read_at__isnull=True).update(
        read_at=clock.now()
    )
    summary = {**deadline_alerts(), **lpc_expiry_warnings(), **governance_reminders()}
    EmailDelivery.objects.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SKIPPED, last_error="demo seed"
    )
    for user in User.objects.filter(username__in=list(usernames), email=""):
        user.email = f"{user.username}@demo.gmmp.localhost"
        user.save(update_fields=["email"])
    return summary
