"""The access log's own retention: rows older than `retention.access_log_days` are deleted; when a case
is anonymised, the register searches made for it (which list the national ids shown) go with it.

The log is append-only in the database (a PostgreSQL trigger refuses UPDATE and DELETE); these two
deletions, and only they, open it for their own transaction (SET LOCAL gmmp.access_log_retention)."""

import contextlib
import datetime as dt

from django.db import connection, transaction
from django.db.models import Q

from gmmp.core.models import PolicyKeys, policy_value

from .models import AccessLog


@contextlib.contextmanager
def _retention_deletes():
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL gmmp.access_log_retention = 'on'")
        yield


def access_log_expired(*, today: dt.date):
    limit = today - dt.timedelta(days=policy_value(PolicyKeys.RETENTION_ACCESS_LOG_DAYS, today))
    return AccessLog.objects.filter(at__date__lt=limit)


def access_log_retention_apply(*, today: dt.date, dry_run: bool = False) -> int:
    expired = access_log_expired(today=today)
    if dry_run:
        return expired.count()
    with _retention_deletes():
        return expired.retention_delete()


def access_log_forget_case_register_ids(*, reference: str) -> int:
    """At anonymisation: the register searches and records read for this case (national ids)."""
    rows = AccessLog.objects.filter(object_type="register").filter(
        Q(object_id=reference) | Q(detail__case=reference)
    )
    with _retention_deletes():
        return rows.retention_delete()
