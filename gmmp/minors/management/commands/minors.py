from django.core.management.base import BaseCommand

from gmmp.minors.actions import minor_followups_remind


class Command(BaseCommand):
    help = "Protected track: `gmmp minors reminders` records a reminder for each overdue follow-up (daily)."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["reminders"])

    def handle(self, *args, what, **options):
        made = minor_followups_remind()
        self.stdout.write(f"{made} follow-up reminder(s) recorded.")
