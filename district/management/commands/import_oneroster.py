"""Import a OneRoster 1.1 export from the command line, now, whatever its size."""

from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from district.models import ImportStatus
from district.oneroster.reading import zip_folder
from district.oneroster.schema import RosterFileError
from district.services.roster_import import roster_import_create


class Command(BaseCommand):
    help = (
        "Import a OneRoster 1.1 CSV export (a zip file or a folder of CSV files) into the roster. "
        "Runs at once; prints what changed, or every rejected row and exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", type=Path, help="The export: a .zip file or a folder holding manifest.csv."
        )

    def handle(self, *args, path: Path, **options):
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            if path.is_dir():
                # Kept as a zip, like an upload, so the import list can show where it came from.
                upload = ContentFile(zip_folder(path), name=f"{path.name}.zip")
                roster_import = roster_import_create(
                    uploaded_by=None, file=upload, original_name=f"{path.name}/", in_background=False
                )
            else:
                with path.open("rb") as handle:
                    roster_import = roster_import_create(
                        uploaded_by=None, file=File(handle, name=path.name), in_background=False
                    )
        except RosterFileError as exc:
            raise CommandError(str(exc)) from exc

        if roster_import.status != ImportStatus.SUCCEEDED:
            for error in roster_import.errors:
                where = ":".join(
                    str(part) for part in (error["file"], error["line"]) if part not in ("", None)
                )
                field = f" {error['field']}" if error["field"] else ""
                self.stderr.write(f"{where or 'export'}{field}: {error['reason']}")
            if roster_import.errors_not_kept:
                self.stderr.write(f"... and {roster_import.errors_not_kept} more.")
            count = roster_import.errors_total
            raise CommandError(
                f"Roster import {roster_import.pk} rejected: {count} problem{'s' if count != 1 else ''}; "
                "nothing was written."
            )
        summary = roster_import.summary
        self.stdout.write(f"Roster import {roster_import.pk} ({summary['mode']}): imported.")
        self.stdout.write(f"{'':22}{'created':>9}{'updated':>9}{'deactivated':>13}{'unchanged':>11}")
        for row in summary["counts"]:
            self.stdout.write(
                f"{row['label']:22}{row['created']:>9}{row['updated']:>9}{row['deactivated']:>13}{row['unchanged']:>11}"
            )
        links = summary["guardian_links"]
        self.stdout.write(f"Guardian links: {links['added']} added, {links['removed']} removed.")
        if not summary["demographics_stored"]:
            self.stdout.write(
                "Sex and race/ethnicity not kept (DEMOGRAPHICS_ENABLED is off); birth dates kept."
            )
