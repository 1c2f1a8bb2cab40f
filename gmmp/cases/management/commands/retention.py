import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from gmmp.cases.retention import retention_apply

# What each registered sweep (core.retention) counts, for the report line.
SWEEP_UNITS = {
    "access_log": "access-log rows past their retention",
    "workers": "seasonal workers' records",
    "minors": "children's cases",
}


class Command(BaseCommand):
    help = "Apply the retention rules (retention.* in the configurable rules) to finished cases. Run daily."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be erased, erase nothing"
        )
        parser.add_argument("--today", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, dry_run, today, **options):
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today must be a date written YYYY-MM-DD") from None
        report = retention_apply(today=day, dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        lines = [
            f"{report.full_erased} cases {verb} reduced to core data; {report.core_erased} {verb} anonymised; "
            f"{report.orphan_files} orphan files {verb} removed."
        ]
        for name, count in report.swept.items():
            lines.append(f"{name}: {count} {SWEEP_UNITS.get(name, 'records')} {verb} erased.")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
