from django.core.management.base import BaseCommand, CommandError

from gmmp.notifications.jobs import DAILY_JOBS


class Command(BaseCommand):
    help = "Run the daily jobs now, in this process (the worker runs them by itself each day)."

    def add_arguments(self, parser):
        parser.add_argument("--job", choices=sorted(DAILY_JOBS), help="only this job")

    def handle(self, *args, job=None, **options):
        names = [job] if job else list(DAILY_JOBS)
        for name in names:
            try:
                summary = DAILY_JOBS[name][1]()
            except Exception as exc:
                raise CommandError(f"{name}: {exc}") from exc
            self.stdout.write(f"{name}: {summary}")
