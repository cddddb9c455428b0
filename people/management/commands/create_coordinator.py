"""Create the first coordinator of a new district (or another one), who then invites everyone else."""

from __future__ import annotations

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from people.services.access import coordinator_create

PASSWORD_VARIABLE = "COORDINATOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a coordinator account. Asks for the password twice; with --no-input, reads it from "
        f"the {PASSWORD_VARIABLE} environment variable instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Do not prompt: read the password from {PASSWORD_VARIABLE}.",
        )

    def handle(self, *args, username, email, first_name, last_name, interactive, **options):
        password = self._password(interactive)
        try:
            user = coordinator_create(
                username=username, email=email, first_name=first_name, last_name=last_name, password=password
            )
        except ValidationError as error:
            lines = [
                f"{name}: {message}" if name != "__all__" else message
                for name, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("No account was created.\n" + "\n".join(lines)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Coordinator {user.username} ({user.email}) created. They sign in at /account/login/ "
                "and set up two-factor sign-in."
            )
        )

    def _password(self, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(f"No account was created: set {PASSWORD_VARIABLE} to the password.")
            return password
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password (again): ")
        if first != second:
            raise CommandError("No account was created: the two passwords differ.")
        if not first:
            raise CommandError("No account was created: the password is empty.")
        return first
