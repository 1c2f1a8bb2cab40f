from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gmmp.mobility import imports
from gmmp.organisations.models import User


class Command(BaseCommand):
    help = (
        "Legal mobility and irregular migration figures: `mobility import-visas FILE --user U` (the visa system's "
        "monthly export) or `mobility import-irregular FILE --user U` (quarterly figures). Column contracts: "
        "gmmp/mobility/IMPORTS.md."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("import-visas", "import-irregular"):
            p = sub.add_parser(name)
            p.add_argument("file")
            p.add_argument("--user", required=True, help="login of the person importing (their rights apply)")
            p.add_argument("--rejects", help="where to write the rejected rows (default: FILE.rejets.csv)")

    def handle(self, *args, action, file, user, rejects=None, **options):
        importer = imports.visas_import if action == "import-visas" else imports.irregular_import
        account = User.objects.filter(username=user, is_active=True).select_related("organisation").first()
        if account is None:
            raise CommandError(f"Utilisateur inconnu : {user}")
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        try:
            report = importer(user=account, data=data, filename=path.name)
        except imports.ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
        if report.rejects:
            out = Path(rejects) if rejects else path.with_suffix(".rejets.csv")
            report.write_rejects(out)
            # The good rows are recorded; the exit status still tells a scheduled job that some were not.
            raise CommandError(f"{len(report.rejects)} ligne(s) rejetée(s), motifs dans {out}")
