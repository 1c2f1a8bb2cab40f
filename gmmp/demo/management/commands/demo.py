import importlib
import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gmmp.cases.models import Case
from gmmp.demo.cases import demo_cases_create
from gmmp.demo.minors import demo_minors_create
from gmmp.demo.register import demo_register_prepare
from gmmp.demo.users import DEMO_PASSWORD, DEMO_USERS
from gmmp.organisations.models import Organisation, User


class Command(BaseCommand):
    help = "Load reference data, the demo users and ~500 fictitious cases over the last 12 months."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=500, help="number of demo cases (default 500)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--force", action="store_true", help="add cases even if the database already has some"
        )

    def handle(self, *args, cases, seed, force, **options):
        # One log line per transition is right in production, noise while loading 500 cases.
        logging.getLogger("gmmp.cases.actions").setLevel(logging.WARNING)
        logging.getLogger("gmmp.minors.actions").setLevel(logging.WARNING)
        if cases < 0:
            raise CommandError("--cases must be zero or more")
        call_command("migrate", verbosity=0)
        call_command("load_reference", stdout=self.stdout)
        for username, org_code, role, first, last in DEMO_USERS:
            user, _created = User.objects.get_or_create(username=username)
            user.organisation = Organisation.objects.get(code=org_code)
            user.role, user.first_name, user.last_name = role, first, last
            user.set_password(DEMO_PASSWORD)
            user.save()
        admin, _created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        admin.is_staff = admin.is_superuser = True
        admin.role = "admin"
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        for hook in (
            "gmmp.governance.seed:governance_seed",
            "gmmp.documents.demo:documents_demo_prepare",
            "gmmp.mobility.demo:mobility_demo_prepare",
            "gmmp.governance.demo:governance_demo_prepare",
        ):
            module, _sep, name = hook.partition(":")
            try:
                fn = getattr(importlib.import_module(module), name)
            except (ImportError, AttributeError):
                continue
            fn()
        size, people = demo_register_prepare()
        self.stdout.write(f"register: {size} fictitious people")
        if Case.objects.exists() and not force:
            self.stdout.write("Demo cases already present (use --force to add more).")
        else:
            made = demo_cases_create(count=cases, seed=seed, register_people=people)
            self.stdout.write(self.style.SUCCESS(f"{made} demo cases created."))
        minors = demo_minors_create(seed=seed)
        if minors:
            self.stdout.write(self.style.SUCCESS(f"{minors} demo unaccompanied minors' cases created."))
        # After the cases: apps that seed from them (notifications, the case thread...).
        for hook in ("gmmp.collab.demo:collab_demo_seed", "gmmp.notifications.demo:notifications_demo_seed"):
            module, _sep, name = hook.partition(":")
            try:
                fn = getattr(importlib.import_module(module), name)
            except (ImportError, AttributeError):
                continue
            fn(usernames=[u[0] for u in DEMO_USERS])
        self.stdout.write(
            f"Demo logins (password: {DEMO_PASSWORD}): " + ", ".join(u[0] for u in DEMO_USERS) + ", admin"
        )
