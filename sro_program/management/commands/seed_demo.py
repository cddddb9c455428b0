"""Load the demo district: every app's demo seeds, lowest app first, in one transaction.

A project app may have a ``demo`` module, and more parts beside it named ``demo_<part>`` (for example
``officers/demo_training.py``), each with ``seed(*, rng, scale) -> dict``. The dict holds
``"created"`` (what was new: ``{what: how many}``) and, when the seed makes accounts, ``"users"``
(their usernames, which get the demo password); a plain ``{what: how many}`` is read as
``"created"``. Apps run in INSTALLED_APPS order, which lists them lowest first; within an app,
``demo`` runs first and the parts after it in name order. So every seed finds the rows it builds on.
Each module gets its own random stream, seeded from a fixed number and its name, so one module's data
never shifts because another drew more or fewer numbers.

Running the command again changes nothing: every seed finds its rows by natural key. Seeds call no
service that sends mail, so the demo never sends email (and every demo address is on a domain
reserved for examples anyway).
"""

from __future__ import annotations

import os
import pkgutil
import random
import time
from importlib import import_module
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from district.demo import DEMO_PASSWORD

SEED = 20_260_701


def demo_modules() -> list[ModuleType]:
    """The project apps' demo modules in the order they run (see the module's docstring)."""
    modules = []
    for app_config in apps.get_app_configs():
        if Path(app_config.path).parent != Path(settings.BASE_DIR):
            continue  # a third-party app
        names = {info.name for info in pkgutil.iter_modules([app_config.path])}
        parts = sorted(name for name in names if name.startswith("demo_"))
        for name in (["demo"] if "demo" in names else []) + parts:
            modules.append(import_module(f"{app_config.name}.{name}"))
    return modules


def demo_password(explicit: str | None = None) -> str:
    """``--password``, else the DEMO_PASSWORD environment variable, else the documented default."""
    return explicit or os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError:
        scale = 0
    if not 0 < scale <= 1000:
        raise CommandError(f"--scale must be a number above 0 (and at most 1000), not {value!r}.")
    return scale


class Command(BaseCommand):
    help = (
        "Load the demo district (schools, years, roster, agency, officers, assignments and one account "
        "per role). Safe to run again: it adds only what is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1.0,
            help="Size of the district: 1 is the demo (about 3,000 students, a year of logs), 0.05 is "
            "enough for tests; above 1 it grows into the benchmark's: 10 is 30,000 students, 52 schools, "
            "60 officers, ten years and a million interactions.",
        )
        parser.add_argument(
            "--password",
            help=f"Password of every demo account (default: $DEMO_PASSWORD, else {DEMO_PASSWORD!r}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even under the production settings (never on a database with real students).",
        )

    def handle(self, *args, scale: float, password: str | None, force: bool, **options) -> None:
        self.verbosity = options["verbosity"]
        if settings.SETTINGS_MODULE.endswith(".production") and not force:
            raise CommandError(
                "Refusing to load invented students into a production database; pass --force if this "
                "server is a demo."
            )
        password = demo_password(password)
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("The demo password is too weak: " + " ".join(exc.messages)) from exc

        started = time.monotonic()
        self._say(f"Loading the demo district (scale {scale:g})...")
        with transaction.atomic():
            # Two runs at once (two terminals) would race on the same natural keys; take turns.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('sro_program.seed_demo'))")
            usernames: list[str] = []
            for module in demo_modules():
                rng = random.Random(f"{SEED}:{module.__name__}")  # noqa: S311 (invented data, not secrets)
                result = module.seed(rng=rng, scale=scale)
                created = result.get("created", result)
                usernames += result.get("users", [])
                self._say(f"  {_label(module)}: {_summary(created)}")
            changed = _passwords_set(usernames, password)
        if changed:
            self._say(f"  demo password set on {changed} account{'s' if changed != 1 else ''}")
        self._say(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s."))

    def _say(self, message: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(message)


def _label(module: ModuleType) -> str:
    """``district.demo`` -> "district"; ``officers.demo_training`` -> "officers, training"."""
    app, _, name = module.__name__.rpartition(".")
    part = name.removeprefix("demo").removeprefix("_").replace("_", " ")
    return f"{app}, {part}" if part else app


def _summary(created: dict[str, int]) -> str:
    """{"schools": 8, "schedule_days": 1} -> "8 schools, 1 schedule day created"."""
    parts = []
    for what, count in created.items():
        if isinstance(count, int) and count:
            label = what.replace("_", " ")
            parts.append(f"{count:,} {label if count > 1 else _singular(label)}")
    return ", ".join(parts) + " created" if parts else "nothing new"


def _singular(plural: str) -> str:
    if plural.endswith("ies"):
        return plural[:-3] + "y"
    return plural.removesuffix("s")


def _passwords_set(usernames: list[str], password: str) -> int:
    """Give the demo accounts ``password`` where they do not have it yet; return how many changed.

    Accounts set by an earlier run share one hash, so this checks one hash per distinct value, not
    one per account (each check is deliberately slow), and hashes the new password once.
    """
    accounts = get_user_model().objects.filter(username__in=usernames)
    hashes = set(accounts.values_list("password", flat=True))
    # check_password() spends a full hash even on an unusable one (against timing attacks): skip those.
    stale = [h for h in hashes if not is_password_usable(h) or not check_password(password, h)]
    if not stale:
        return 0
    return accounts.filter(password__in=stale).update(password=make_password(password))
