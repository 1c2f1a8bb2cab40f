"""gmmp backup FILE — one archive of the database, encrypted files, keys and register index."""

from pathlib import Path

from django.core.management.base import BaseCommand

from gmmp.core.backup import backup_write


class Command(BaseCommand):
    help = "Write one archive (tar.gz, mode 0600) of the database, files, keys and register index."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        manifest = backup_write(Path(file))
        self.stdout.write(
            f"Backup written to {file}: {manifest['objects']} database objects, "
            f"data: {', '.join(manifest['data']) or 'none'}. Keep it as you keep the keys it holds."
        )
