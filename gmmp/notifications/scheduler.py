"""Starts each daily job once a day, from its hour (local time) on: the (job, day) row is unique, so two
workers, or a restart, never start it twice. A worker started after the hour runs the day's jobs at once."""

import logging
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gmmp.core import clock

from .jobs import DAILY_JOBS
from .models import JobRun

logger = logging.getLogger(__name__)


def _zone():
    return zoneinfo.ZoneInfo(settings.DISPLAY_TIME_ZONE)


def jobs_due(now=None) -> list[str]:
    now = now or clock.now()
    local = timezone.localtime(now, timezone=_zone())
    done = set(JobRun.objects.filter(day=local.date()).values_list("job", flat=True))
    return [name for name, (at, _) in DAILY_JOBS.items() if name not in done and local.time() >= at]


def job_start(name: str, *, now=None) -> JobRun | None:
    """Record today's run of `name` and queue it; None when it has already started today."""
    from .tasks import daily_job

    now = now or clock.now()
    day = timezone.localtime(now, timezone=_zone()).date()
    try:
        with transaction.atomic():
            run = JobRun.objects.create(job=name, day=day, started_at=now)
    except IntegrityError:
        return None
    daily_job.enqueue(name, run.pk)
    logger.info("daily job %s queued for %s", name, day)
    return run


def tick(now=None) -> list[str]:
    return [name for name in jobs_due(now) if job_start(name, now=now) is not None]
