"""Background tasks (django-tasks, database backend): run by `gmmp worker`."""

from django.db import transaction
from django_tasks import task

from gmmp.core import clock

from .delivery import email_deliver


@task()
def email_send(notification_ids: list[int]) -> dict:
    results: dict[str, int] = {}
    for notification_id in notification_ids:
        status = email_deliver(notification_id)
        results[status] = results.get(status, 0) + 1
    return results


@task()
def daily_job(name: str, run_id: int) -> dict:
    from .jobs import DAILY_JOBS
    from .models import JobRun

    _, fn = DAILY_JOBS[name]
    run = JobRun.objects.get(pk=run_id)
    summary = fn(today=run.day)
    with transaction.atomic():
        JobRun.objects.filter(pk=run_id).update(finished_at=clock.now(), summary=summary)
    return summary
