"""Delete the roster uploads that outlived their import, such as those kept by earlier versions."""

from django.core.management.base import BaseCommand

from district.services.roster_import import roster_uploads_purge


class Command(BaseCommand):
    help = (
        "Delete the uploaded roster exports of finished imports, and any upload that no waiting import "
        "holds. The import pages keep showing each import's name, size, checksum, counts and problems."
    )

    def handle(self, *args, **options):
        deleted = roster_uploads_purge()
        self.stdout.write(f"Deleted {deleted} roster upload{'s' if deleted != 1 else ''}.")
