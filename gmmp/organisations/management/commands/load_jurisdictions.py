from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gmmp.organisations.reference import DATA, ReferenceDataError, jurisdictions_load


class Command(BaseCommand):
    help = (
        "Load a jurisdiction map (CSV: departement, consulate, valid_from, valid_to, confirmed, source). "
        "The periods of every département in the file replace the current ones; nothing changes on error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DATA / "jurisdictions.csv"))

    def handle(self, *args, file, **options):
        try:
            n = jurisdictions_load(path=Path(file))
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{n} jurisdiction periods loaded from {file}"))
