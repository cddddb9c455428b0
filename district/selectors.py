"""Plain reads of district data. Who may see which students and imports is ``district.access``."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, QuerySet

from .models import AcademicYear, Disability, RaceEthnicity, School, Sex, Student
from .roles import Role


def academic_year_current() -> AcademicYear | None:
    return AcademicYear.objects.filter(is_current=True).first()


def sees_every_school(user) -> bool:
    """Coordinators and district-wide administrators see every school's records."""
    return user.has_role(Role.COORDINATOR) or (user.has_role(Role.ADMINISTRATOR) and user.district_wide)


def schools_for_administration(*, user) -> QuerySet[School]:
    """Schools whose student records the user may see as a coordinator or administrator."""
    if sees_every_school(user):
        return School.objects.all()
    if user.has_role(Role.ADMINISTRATOR):
        return School.objects.filter(administrators=user)
    return School.objects.none()


def demographic_table(*, students: QuerySet[Student], field: str) -> list[dict] | None:
    """Counts of ``students`` by one demographic field, for civil-rights style reporting.

    Returns None while the district keeps no demographics (DEMOGRAPHICS_ENABLED off). A count
    below SMALL_COUNT_THRESHOLD is suppressed (``count`` None, ``suppressed`` True); when only one
    cell was, the smallest published cell is suppressed too, so that subtracting from the total
    cannot give the hidden one away.
    """
    if not settings.SRO_DEMOGRAPHICS_ENABLED:
        return None
    choices = {
        "sex": Sex.choices,
        "race_ethnicity": RaceEthnicity.choices,
        "disability": Disability.choices,
        "english_learner": [
            (True, "English learner"),
            (False, "Not an English learner"),
            (None, "Not reported"),
        ],
    }[field]
    not_reported = None if field == "english_learner" else ""
    counts: dict = {}
    grouped = students.order_by().values(f"demographics__{field}").annotate(n=Count("id"))
    for row in grouped:
        value = row[f"demographics__{field}"]
        # No demographics row, or an empty value, is "not reported".
        key = not_reported if value in (None, "") else value
        counts[key] = counts.get(key, 0) + row["n"]
    threshold = settings.SRO_SMALL_COUNT_THRESHOLD
    rows = [{"value": value, "label": label, "count": counts.get(value, 0)} for value, label in choices]
    for row in rows:
        row["suppressed"] = 0 < row["count"] < threshold
    suppressed = [row for row in rows if row["suppressed"]]
    shown = [row for row in rows if not row["suppressed"] and row["count"]]
    # One suppressed cell beside a published total could be recovered by subtraction: hide the
    # next smallest published cell too.
    if len(suppressed) == 1 and shown:
        min(shown, key=lambda row: row["count"])["suppressed"] = True
    for row in rows:
        if row["suppressed"]:
            row["count"] = None
    return rows
