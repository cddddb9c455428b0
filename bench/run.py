"""``make bench``: how long the heavy paths take, on a throwaway PostgreSQL database.

Measured, on a database of their own: importing a generated OneRoster export (a first import on
the empty database, an unchanged re-import, and one that deactivates the small demo's students).
Then, on another: building the demo district at a given scale (and a second run that adds nothing),
and the pages of ``bench.pages.PAGES`` (server time in the process, median and 95th percentile of
repeated requests, their query count, and the bare SQL floor behind the same figures), and the
roster pages. Prints a table and writes it to ``bench/results/latest.md``; changes no real data.

    python -m bench.run [--scale 10] [--repeat 30] [--students 20000] [--no-roster] [--keep-db]
    python -m bench.run --quick     # scale 0.5, 5 repeats, 2,000 roster students: a minute or so

Scale 10 is the benchmark's district: 52 schools, 60 officers, 30,000 students, ten years and a
million interactions, 200,000 survey answers. The district's database is
``test_<DATABASE_URL's name>_bench``; ``--keep-db`` keeps it for the next run, whose seed then adds
nothing.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def _roster_pages(client, repeat: int) -> list[tuple[str, str]]:
    """The pages ``make bench`` has timed since the roster work: medians and query counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from district.models import Student

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
        rows.append(
            (f"GET {label}", f"{statistics.median(times) * 1000:.0f} ms median, {len(queries)} queries")
        )
    return rows


def _counts() -> str:
    from district.models import School, Student
    from feedback.models import Answer
    from incidents.models import Interaction, InteractionStudent
    from officers.models import Officer

    officers = Officer.objects.filter(status="active").count()
    students = Student.objects.filter(active=True).count()
    rows = InteractionStudent.objects.count()
    return (
        f"{School.objects.count()} schools, {officers} active officers, {students:,} active students, "
        f"{Interaction.objects.count():,} interactions ({rows:,} student rows), "
        f"{Answer.objects.count():,} survey answers"
    )


def _machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1, 5, 15 min)"


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _roster_imports(students: int) -> list[tuple[str, str]]:
    """The roster import on a database of its own: a first bulk import on an empty database, as a
    district's first sync would be, an unchanged re-import, and one that deactivates the students of
    the small demo district, who are missing from the export."""
    from django.core.management import call_command

    from bench.roster import generate_export, import_export
    from district.models import Student

    results = []
    with tempfile.TemporaryDirectory() as folder:
        path = generate_export(Path(folder), students=students)
        seconds, _ = _timed(import_export, path)
        results.append((f"roster import, {students:,} students (bulk)", f"{seconds:.1f} s"))
        seconds, _ = _timed(import_export, path)
        results.append(("roster re-import, unchanged", f"{seconds:.1f} s"))
        call_command("seed_demo", scale=1, verbosity=0)
        # A bulk export is the whole roster: every demo student is missing from it, so has left.
        leaving = Student.objects.filter(active=True).count() - students
        seconds, _ = _timed(import_export, path)
        results.append((f"roster import deactivating {leaving:,} students who left", f"{seconds:.1f} s"))
    return results


def _district(*, scale: float, repeat: int) -> tuple[str, list, list[tuple[str, str]]]:
    """Seed the district (twice: the second run adds nothing) and time the pages on it."""
    from django.core.management import call_command
    from django.db import connection

    from bench import pages as bench_pages

    results = []
    seconds, _ = _timed(call_command, "seed_demo", scale=scale, verbosity=0)
    results.append((f"seed_demo --scale {scale:g}", f"{seconds:.1f} s"))
    seconds, _ = _timed(call_command, "seed_demo", scale=scale, verbosity=0)
    results.append(("seed_demo again (changes nothing)", f"{seconds:.1f} s"))
    with connection.cursor() as cursor:
        # The steady state autovacuum keeps: statistics, and the visibility map that lets a count
        # read an index alone.
        cursor.execute("VACUUM ANALYZE")
    data = _counts()
    ctx = bench_pages.context_for()
    clients = {
        "coordinator": bench_pages.signed_in_client(ctx.coordinator),
        "sro": bench_pages.signed_in_client(ctx.sro),
    }
    measures = [bench_pages.measure(page, ctx, clients, repeat) for page in bench_pages.PAGES]
    results += _roster_pages(clients["coordinator"], max(3, repeat // 3))
    return data, measures, results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=None, help="demo district scale (10: the benchmark's)")
    parser.add_argument("--repeat", type=int, default=None, help="requests per page (30; 5 with --quick)")
    parser.add_argument("--students", type=int, default=None, help="students in the generated roster export")
    parser.add_argument("--no-roster", action="store_true", help="skip the roster imports")
    parser.add_argument(
        "--keep-db", action="store_true", help="keep the district's database for the next run"
    )
    parser.add_argument("--quick", action="store_true", help="a small district and few repeats")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.md", help="where the table goes")
    args = parser.parse_args(argv)
    scale = args.scale if args.scale is not None else (0.5 if args.quick else 10)
    repeat = args.repeat if args.repeat is not None else (5 if args.quick else 30)
    students = args.students if args.students is not None else (2_000 if args.quick else 20_000)

    os.environ["DJANGO_SETTINGS_MODULE"] = "sro_program.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, teardown_databases

    from bench import pages as bench_pages

    # Databases of its own, never the test suite's (which may be running at the same time).
    name = f"test_{settings.DATABASES['default']['NAME']}_bench"
    results: list[tuple[str, str]] = []
    if not args.no_roster:
        settings.DATABASES["default"]["TEST"]["NAME"] = f"{name}_roster"
        config = setup_databases(verbosity=0, interactive=False)
        try:
            results += _roster_imports(students)
        finally:
            teardown_databases(config, verbosity=0)
    settings.DATABASES["default"]["TEST"]["NAME"] = name
    config = setup_databases(verbosity=0, interactive=False, keepdb=args.keep_db)
    try:
        data, measures, district_results = _district(scale=scale, repeat=repeat)
        results += district_results
    finally:
        teardown_databases(config, verbosity=0, keepdb=args.keep_db)

    width = max(len(label) for label, _ in results)
    other = "\n".join(f"{label.ljust(width)}  {value}" for label, value in results)
    report = "\n".join(
        [
            f"# make bench, scale {scale:g} ({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
            f"commit {_git_commit()})",
            "",
            f"Data: {data}.",
            f"Machine: {_machine()}. Server time measured in the process (Django's test client: "
            f"middleware, views, templates; no network), {repeat} requests per page after a warm-up.",
            "",
            bench_pages.table(measures),
            "",
            "```",
            other,
            "```",
            "",
        ]
    )
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(f"Written to {args.output}")


if __name__ == "__main__":
    main()
