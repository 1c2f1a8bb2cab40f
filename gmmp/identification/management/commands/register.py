from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gmmp.identification.engine import RegisterImportError, RegisterStore, generate_register


class Command(BaseCommand):
    help = "The population register: `register import FILE.csv` (idempotent upsert) or `register generate`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import (upsert by national_id) a register CSV")
        imp.add_argument("file")
        imp.add_argument("--rejects", help="where to write the rejected rows (default: beside the file)")
        imp.add_argument("--no-progress", action="store_true")
        gen = sub.add_parser("generate", help="write a synthetic, plainly fictitious register CSV")
        gen.add_argument("--people", type=int, required=True)
        gen.add_argument("--out", required=True)
        gen.add_argument("--seed", type=int, default=1)
        sub.add_parser("info", help="what the register holds now")
        dup = sub.add_parser("duplicates", help="probable duplicate pairs (Splink dedupe on DuckDB)")
        dup.add_argument("--threshold", type=float, default=0.9, help="minimum probability (default 0.9)")
        dup.add_argument("--limit", type=int, default=100)

    def handle(self, *args, action, **options):
        store = RegisterStore(settings.REGISTER_DIR)
        if action == "import":
            try:
                report = store.import_csv(
                    options["file"], rejects_path=options.get("rejects"), progress=not options["no_progress"]
                )
            except RegisterImportError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS(report.summary()))
        elif action == "generate":
            if options["people"] <= 0:
                raise CommandError("--people must be a positive number")
            path = generate_register(options["people"], options["seed"], Path(options["out"]))
            self.stdout.write(self.style.SUCCESS(f"{options['people']} fictitious people written to {path}"))
        elif action == "duplicates":
            self._duplicates(options)
        else:
            gen = store.generation()
            self.stdout.write(
                f"register: {store.count()} people; generation: {gen.path.name if gen else 'none'}; "
                f"directory: {settings.REGISTER_DIR}"
            )

    def _duplicates(self, options):
        from gmmp.identification.duplicates import DuplicatesUnavailable, find_duplicates

        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold must be between 0 and 1")
        try:
            pairs = find_duplicates(settings.REGISTER_DIR, threshold=options["threshold"])
        except DuplicatesUnavailable as exc:
            raise CommandError(str(exc)) from exc
        store = RegisterStore(settings.REGISTER_DIR)
        for pair in pairs[: options["limit"]]:
            a, b = store.get(pair.national_id_a) or {}, store.get(pair.national_id_b) or {}
            self.stdout.write(
                f"{pair.national_id_a}  {pair.national_id_b}  p={pair.probability:.4f}  weight {pair.match_weight:.1f}"
            )
            for field, level in pair.levels.items():
                self.stdout.write(
                    f"   {field:<18} {level:<28} {a.get(field, '') or '—'} | {b.get(field, '') or '—'}"
                )
        self.stdout.write(f"{len(pairs)} probable duplicate pair(s) at p >= {options['threshold']}")
