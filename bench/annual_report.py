"""``python -m bench.annual_report``: the annual program report for a year of 100,000 interactions
(and 80,000 the year before, for the comparison column), with demographics kept: the page's server
time and query count over repeated requests, and the PDF's build. On a throwaway test database.

    python -m bench.annual_report [--interactions 100000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import time
import uuid


def _fill(interactions: int):
    from django.contrib.auth import get_user_model

    from district.models import AcademicYear, School, Student, StudentDemographics
    from incidents.models import (
        Category,
        Initiator,
        Interaction,
        InteractionStudent,
        OfficerRole,
        RecordClass,
    )
    from officers.models import Agency, Assignment, Officer

    rng = random.Random(1)  # noqa: S311 - the same fictional district every run, not a secret
    before = AcademicYear.objects.create(
        name="2024-2025", start_date=datetime.date(2024, 7, 1), end_date=datetime.date(2025, 6, 30)
    )
    last = AcademicYear.objects.create(
        name="2025-2026", start_date=datetime.date(2025, 7, 1), end_date=datetime.date(2026, 6, 30)
    )
    schools = [School.objects.create(code=f"B{i}", name=f"Bench school {i}", level="high") for i in range(20)]
    agency = Agency.objects.create(name="Bench agency")
    author = get_user_model().objects.create(username="bench-sro")
    officers = [
        Officer.objects.create(agency=agency, badge_number=f"X{i}", given_name="A", family_name=f"O{i}")
        for i in range(20)
    ]
    for i, officer in enumerate(officers):
        for year in (before, last):
            Assignment.objects.create(
                officer=officer, school=schools[i], academic_year=year,
                start_date=year.start_date, end_date=year.end_date,
            )  # fmt: skip
    students = Student.objects.bulk_create(
        Student(sourced_id=f"b{i}", student_number=f"b{i}", given_name="S", family_name=f"N{i}",
                school=schools[i % 20])
        for i in range(20000)
    )  # fmt: skip
    StudentDemographics.objects.bulk_create(
        StudentDemographics(
            student=s, disability=rng.choice(["none", "none", "idea", "section_504"]),
            sex=rng.choice(["female", "male"]),
            race_ethnicity=rng.choice(["white", "black", "hispanic"]),
            english_learner=rng.random() < 0.1,
        )
        for s in students
    )  # fmt: skip
    categories = list(Category.objects.all())
    tz = datetime.UTC
    for year, count in ((last, interactions), (before, interactions * 4 // 5)):
        rows = [
            Interaction(
                key=uuid.uuid4(), officer=officers[k % 20], author=author, school=schools[k % 20],
                occurred_at=datetime.datetime.combine(
                    year.start_date + datetime.timedelta(days=rng.randrange(360)), datetime.time(14),
                    tzinfo=tz,
                ),
                officer_role=rng.choice(list(OfficerRole)), category=rng.choice(categories),
                initiator=rng.choice(list(Initiator)), duration_minutes=15 + k % 30,
                record_class=RecordClass.SCHOOL, anonymous_students=k % 3,
            )
            for k in range(count)
        ]  # fmt: skip
        made = Interaction.objects.bulk_create(rows, batch_size=5000)
        links = []
        for k, interaction in enumerate(made[: count // 3]):
            action = rng.choice(["none"] * 8 + ["referral", "warning"])
            links.append(
                InteractionStudent(
                    interaction=interaction, student=students[(k * 7) % 20000], involvement="involved",
                    outcome="resolved", action=action, crdc_referral=action == "referral",
                )
            )  # fmt: skip
        InteractionStudent.objects.bulk_create(links, batch_size=5000)
    return last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "sro_program.settings.test"
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import (
        CaptureQueriesContext,
        override_settings,
        setup_databases,
        teardown_databases,
    )

    from district.roles import Role
    from reports.models import ReportBuild
    from reports.services import annual
    from reports.views.annual import annual_report_page

    config = setup_databases(verbosity=0, interactive=False)
    try:
        with override_settings(SRO_DEMOGRAPHICS_ENABLED=True):
            year = _fill(args.interactions)
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.create(username="bench-coordinator")
            user.groups.add(Group.objects.get(name=Role.COORDINATOR.label))
            user = get_user_model().objects.get(pk=user.pk)
            times = []
            for _ in range(args.repeat):
                request = RequestFactory().get(f"/reports/annual/{year.pk}/")
                request.user, request.session = user, {}
                request._messages = FallbackStorage(request)
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = annual_report_page(request, year.pk)
                    times.append(time.perf_counter() - started)
                assert response.status_code == 200
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            median = statistics.median(times)
            print(f"annual report page, {args.interactions:,} interactions: median {median:.2f} s, "
                  f"95th percentile {p95:.2f} s, {len(queries)} queries")  # fmt: skip
            # Celery runs eagerly under the test settings: the request claims the row and builds it.
            started = time.perf_counter()
            build = annual.report_pdf_request(year=year, school=None, user=user)
            seconds = time.perf_counter() - started
            build = ReportBuild.objects.get(pk=build.pk)
            status = f"{build.get_status_display().lower()} {build.problem}".strip()
            print(f"annual report PDF (figures, HTML and WeasyPrint): {seconds:.2f} s, "
                  f"{len(build.pdf or b''):,} bytes, {status}")  # fmt: skip
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
