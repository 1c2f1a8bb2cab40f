from django.core.management.base import BaseCommand, CommandError

from gmmp.identification.engine import Query, format_candidates
from gmmp.identification.services import register_engine


class Command(BaseCommand):
    help = "Search the register for one person and print the candidates with their explanations."

    def add_arguments(self, parser):
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--born", default="", help="YYYY, YYYY-MM or YYYY-MM-DD")
        parser.add_argument("--place", default="", help="place of birth")
        parser.add_argument("--sex", default="", choices=["", "M", "F"])
        parser.add_argument("--father", default="", help="father's first name")
        parser.add_argument("--mother-first", default="", help="mother's first name")
        parser.add_argument("--mother-last", default="", help="mother's family name")
        parser.add_argument("--alias", action="append", default=[], help="another full name (repeatable)")
        parser.add_argument("--limit", type=int, default=5)

    def handle(self, *args, **o):
        if not (o["first_name"] or o["last_name"] or o["alias"] or o["father"]):
            raise CommandError(
                "Give at least a name (--first-name/--last-name), an --alias or the parents' names."
            )
        engine = register_engine()
        if engine.count == 0:
            raise CommandError("The register is empty: run `gmmp register import FILE.csv` first.")
        query = Query(
            first_name=o["first_name"],
            last_name=o["last_name"],
            aliases=o["alias"],
            sex=o["sex"],
            birth_date=o["born"],
            birth_place=o["place"],
            father_first_name=o["father"],
            mother_first_name=o["mother_first"],
            mother_last_name=o["mother_last"],
        )
        self.stdout.write(format_candidates(engine.search(query, limit=o["limit"])))
        self.stdout.write(f"(model {engine.model_version}, register of {engine.count} people)")
