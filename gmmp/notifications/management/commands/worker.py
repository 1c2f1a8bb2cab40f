"""The background worker: runs the queued tasks (django-tasks' database backend, through its own
worker), starts the daily jobs when their hour comes, and sends the e-mails that are due again.

    gmmp worker              # run until stopped (SIGTERM/Ctrl-C: finishes the task in hand)
    gmmp worker --once       # one round, then exit (tests, cron-like use)
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from gmmp.notifications import scheduler
from gmmp.notifications.delivery import emails_send_due

SWEEP_EVERY = 60.0  # seconds between two sweeps of e-mails due again


class Command(BaseCommand):
    help = "Run the background worker (queued tasks, daily jobs, e-mail retries)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=2.0, help="seconds to wait when idle")
        parser.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(self, *args, interval, once, **options):
        self.running = True

        def stop(signum, frame):
            self.running = False

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
            self.stdout.write(f"GMMP worker running (every {interval:g}s when idle); stop with Ctrl-C.")
        self.worker_id = f"gmmp-{get_random_string(12)}"  # unique across the pool
        last_sweep = 0.0
        while self.running:
            if not once:
                close_old_connections()  # a long-running process: drop dead or expired connections
            started = scheduler.tick()
            if started:
                self.stdout.write(f"daily jobs queued: {', '.join(started)}")
            self._run_queued()
            if once or time.monotonic() - last_sweep >= SWEEP_EVERY:
                swept = emails_send_due()
                last_sweep = time.monotonic()
                if any(swept.values()):
                    self.stdout.write(f"e-mails swept: {swept}")
                self._run_queued()
            if once:
                return
            time.sleep(interval)

    def _run_queued(self):
        """Claim and run every ready task, one at a time, with django-tasks' own database worker (its claim
        under an exclusive transaction, its way of running a task and recording the result)."""
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        while self.running:
            try:
                with exclusive_transaction(ready.db):
                    task_result = ready.get_locked()
                    if task_result is not None:
                        task_result.claim(self.worker_id)
            except OperationalError as exc:
                if is_locked_database_exception(exc):
                    return  # SQLite busy: next round
                raise
            if task_result is None:
                return
            worker.run_task(task_result)
