"""``make bench``: how long the heavy paths take, on a throwaway PostgreSQL database.

Measured: building the demo district at a given scale, importing a generated OneRoster export
(first import and an unchanged re-import), and rendering the main pages (median of repeated
requests, with the number of queries each runs). Prints one table; changes no real data.

    python -m bench.run [--scale 10] [--students 20000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace


def _timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def _pages(repeat: int) -> list[tuple[str, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_otp import login as otp_login
    from django_otp.plugins.otp_static.models import StaticDevice

    from district.models import Student, User

    coordinator = User.objects.get(username="coordinator")
    client = Client()
    client.force_login(coordinator)
    device, _ = StaticDevice.objects.get_or_create(user=coordinator, name="bench")
    session = client.session
    otp_login(SimpleNamespace(session=session, user=coordinator), device)
    session.save()

    student = Student.objects.order_by("pk").first()
    urls = {
        "home (coordinator)": reverse("home"),
        "roster, page 1": reverse("district:student_list"),
        "roster, search": reverse("district:student_list") + "?q=an",
        "student record": reverse("district:student_detail", args=[student.pk]),
        "officer list": reverse("officers:officer_list"),
        "coverage today": reverse("officers:coverage"),
        "training matrix": reverse("officers:training_matrix"),
        "roster imports": reverse("district:import_list"),
    }
    rows = []
    for label, url in urls.items():
        client.get(url)  # warm-up
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                seconds, response = _timed(client.get, url)
            assert response.status_code == 200, (url, response.status_code)
            times.append(seconds)
        rows.append((label, statistics.median(times) * 1000, len(queries)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=10, help="demo district scale (1 = about 3,000 students)"
    )
    parser.add_argument("--students", type=int, default=20000, help="students in the generated roster export")
    parser.add_argument("--repeat", type=int, default=15, help="requests per page")
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "sro_program.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_databases, teardown_databases

    from bench.roster import generate_export, import_export

    config = setup_databases(verbosity=0, interactive=False)
    try:
        results: list[tuple[str, str]] = []
        from district.models import Student

        with tempfile.TemporaryDirectory() as folder:
            # The import runs first, on an empty database, as a district's first sync would.
            path = generate_export(Path(folder), students=args.students)
            seconds, _ = _timed(import_export, path)
            results.append((f"roster import, {args.students:,} students (bulk)", f"{seconds:.1f} s"))
            seconds, _ = _timed(import_export, path)
            results.append(("roster re-import, unchanged", f"{seconds:.1f} s"))

            seconds, _ = _timed(call_command, "seed_demo", scale=args.scale, verbosity=0)
            results.append((f"seed_demo --scale {args.scale:g}", f"{seconds:.1f} s"))
            seconds, _ = _timed(call_command, "seed_demo", scale=args.scale, verbosity=0)
            results.append(("seed_demo again (changes nothing)", f"{seconds:.1f} s"))

            # A bulk export is the whole roster: every demo student is missing from it, so has left.
            leaving = Student.objects.filter(active=True).count() - args.students
            seconds, _ = _timed(import_export, path)
            results.append((f"roster import deactivating {leaving:,} students who left", f"{seconds:.1f} s"))

        for label, milliseconds, queries in _pages(args.repeat):
            results.append((f"GET {label}", f"{milliseconds:.0f} ms median, {queries} queries"))
    finally:
        teardown_databases(config, verbosity=0)

    width = max(len(label) for label, _ in results)
    print(f"{'measure'.ljust(width)}  result")
    for label, value in results:
        print(f"{label.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
