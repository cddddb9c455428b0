"""Build the interaction summary again from the officers' logs (after a restore, or a change of
TIME_ZONE); ``--check`` only compares it with the logs."""

from django.core.management.base import BaseCommand, CommandError

from reports.services.summary import summary_differences, summary_rebuild


class Command(BaseCommand):
    help = "Rebuild the dashboard's interaction summary from the interactions (or --check it)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare only; exit 1 if it differs.")

    def handle(self, *args, check: bool, **options):
        if check:
            differences = summary_differences()
            if differences:
                raise CommandError(f"The summary differs from the interactions in {len(differences)} rows.")
            self.stdout.write("The summary matches the interactions.")
            return
        rows = summary_rebuild()
        self.stdout.write(f"Summary rebuilt: {rows} rows.")
