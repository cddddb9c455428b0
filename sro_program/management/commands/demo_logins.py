"""Print where the demo is running and one account per role to sign in with.

The accounts come from each app's ``demo.LOGINS``; the password is the one ``seed_demo`` used (the
same ``--password`` / DEMO_PASSWORD / default rule).
"""

from __future__ import annotations

import textwrap

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from district.roles import Role

from .seed_demo import demo_modules, demo_password

WIDTH = 100


def demo_logins() -> list:
    """Every app's featured demo accounts, in the order of the roles."""
    logins = [login for module in demo_modules() for login in getattr(module, "LOGINS", [])]
    order = list(Role)
    return sorted(logins, key=lambda login: order.index(login.role))


class Command(BaseCommand):
    help = "Print the demo's address and one sign-in per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--address", default="http://127.0.0.1:8000/", help="Where the app answers.")
        parser.add_argument("--password", help="The password given to seed_demo, if not the default.")

    def handle(self, *args, address: str, password: str | None, **options) -> None:
        logins = demo_logins()
        password = demo_password(password)
        missing = _missing_usernames([login.username for login in logins])
        out = self.stdout.write
        rule = "=" * WIDTH

        out(rule)
        out(self.style.SUCCESS(f"SRO Program Manager: open {address}"))
        out(f"Sign in as any of these; every demo account's password is {password}")
        out("")
        name_width = max(len(login.username) for login in logins) + 2
        role_width = max(len(login.role.label) for login in logins) + 2
        indent = " " * (2 + name_width + role_width)
        out(f"  {'username':<{name_width}}{'role':<{role_width}}what they see")
        for login in logins:
            sees = login.sees + (" [not found: run manage.py seed_demo]" if login.username in missing else "")
            lines = textwrap.wrap(sees, width=WIDTH - len(indent))
            out(f"  {login.username:<{name_width}}{login.role.label:<{role_width}}{lines[0]}")
            for line in lines[1:]:
                out(indent + line)
        out("")
        for note, literal in _notes():
            out(textwrap.fill(note, width=WIDTH))
            if literal:
                # A path or address is printed whole on its own line, never wrapped, so that it can be
                # copied (and found) however long the folder's name is.
                out(f"  {literal}")
        out(rule)


def _notes() -> list[tuple[str, str]]:
    """Each note's prose (wrapped to the page) and a path or name to print unwrapped after it."""
    notes = []
    if settings.SRO_REQUIRE_SECOND_FACTOR:
        notes.append(
            (
                "Coordinators, SROs and administrators set up a second factor (an authenticator app) at "
                "their first sign-in.",
                "",
            )
        )
    else:
        notes.append(
            (
                "Second-factor sign-in is relaxed in this demo (SRO_REQUIRE_SECOND_FACTOR is False): the "
                "password alone signs every role in.",
                "",
            )
        )
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        notes.append(
            (
                "Email is not sent: each message is written as a file in this folder:",
                str(settings.EMAIL_FILE_PATH),
            )
        )
    else:
        notes.append(("Email goes out through this backend:", settings.EMAIL_BACKEND))
    return notes


def _missing_usernames(usernames: list[str]) -> set[str]:
    try:
        found = get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True)
        return set(usernames) - set(found)
    except DatabaseError:
        return set()  # printing the logins must not fail because the database is still starting
