"""gmmp restore FILE [--force] — bring a `gmmp backup` archive back into an empty database and data
directory (refuses a non-empty one unless --force, which replaces what is there)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gmmp.core.backup import backup_restore


class Command(BaseCommand):
    help = "Restore a `gmmp backup` archive into an empty database and data directory."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--force", action="store_true", help="Replace a non-empty database and data directory."
        )

    def handle(self, *args, file, force, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such archive: {file}")
        try:
            manifest = backup_restore(path, force=force)
        except FileExistsError as exc:
            raise CommandError(f"Refused: {exc}. Restore into an empty target, or give --force.") from None
        except (ValueError, OSError) as exc:
            raise CommandError(f"Cannot restore {file}: {exc}") from None
        self.stdout.write(
            f"Restored {manifest['objects']} database objects and data ({', '.join(manifest['data'])}) "
            f"from the backup of {manifest['created']}. Check it: gmmp ledger verify"
        )
