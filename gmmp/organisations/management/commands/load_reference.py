from django.core.management.base import BaseCommand

from gmmp.core.reference import policy_load
from gmmp.organisations.reference import departements_load, jurisdictions_load, organisations_load


class Command(BaseCommand):
    help = "Load (or reload) départements, organisations, the jurisdiction map and the configurable rules."

    def handle(self, *args, **options):
        self.stdout.write(f"départements: {departements_load()}")
        self.stdout.write(f"organisations: {organisations_load()}")
        self.stdout.write(f"jurisdiction periods: {jurisdictions_load()}")
        self.stdout.write(f"policy values: {policy_load()}")
