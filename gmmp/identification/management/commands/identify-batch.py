import time

from django.core.management.base import BaseCommand, CommandError

from gmmp.identification.engine import BatchInputError, identify_batch
from gmmp.identification.services import register_engine


class Command(BaseCommand):
    help = (
        "Identify a file of requests: QUERIES.csv (request_id, first_name, last_name, aliases, sex, birth_date, "
        "birth_place, father_first_name, mother_first_name, mother_last_name) → RESULTS.csv (request_id, rank, "
        "national_id, score, band, why), at most 5 candidates per request, best first."
    )

    def add_arguments(self, parser):
        parser.add_argument("queries")
        parser.add_argument("--out", required=True)
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes sharing the memory-mapped index (e.g. the number of cores)",
        )

    def handle(self, *args, queries, out, workers, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be 1 or more")
        engine = register_engine()
        if engine.count == 0:
            raise CommandError("The register is empty: run `gmmp register import FILE.csv` first.")
        started = time.perf_counter()
        try:
            n = identify_batch(engine, queries, out, workers=workers)
        except BatchInputError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{n} requests answered in {seconds:.1f} s → {out}"))
