"""Reads of district data, narrowed to what the user may see."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from .models import AcademicYear, AccessLog, Disability, RaceEthnicity, RosterImport, School, Sex, Student
from .roles import Role


def academic_year_current() -> AcademicYear | None:
    return AcademicYear.objects.filter(is_current=True).first()


def _sees_every_school(user) -> bool:
    return user.has_role(Role.COORDINATOR) or (user.has_role(Role.ADMINISTRATOR) and user.district_wide)


def schools_for_administration(*, user) -> QuerySet[School]:
    """Schools whose student records the user may see as a coordinator or administrator."""
    if _sees_every_school(user):
        return School.objects.all()
    if user.has_role(Role.ADMINISTRATOR):
        return School.objects.filter(administrators=user)
    return School.objects.none()


def students_for_user(*, user) -> QuerySet[Student]:
    """Students the user may see by legitimate educational interest (coordinators, administrators).

    SROs reach students through their own logs and assignments (officers and incidents apps).
    """
    if _sees_every_school(user):
        return Student.objects.all()
    if user.has_role(Role.ADMINISTRATOR):
        return Student.objects.filter(school__administrators=user)
    return Student.objects.none()


def student_get_for_user(*, user, pk: int) -> Student:
    return get_object_or_404(students_for_user(user=user).select_related("school"), pk=pk)


def access_log_for_student(*, user, student: Student) -> QuerySet[AccessLog]:
    """Who opened, listed or exported ``student``'s records, newest first; only for view_accesslog.

    ``student`` comes from ``student_get_for_user``, so the student is one the user may see.
    """
    if not user.has_perm("district.view_accesslog"):
        return AccessLog.objects.none()
    return AccessLog.objects.filter(student=student).select_related("user").order_by("-at", "-pk")


def roster_imports_for_user(*, user) -> QuerySet[RosterImport]:
    """Imports the user may see: all of them for holders of view_rosterimport (coordinators)."""
    if not user.has_perm("district.view_rosterimport"):
        return RosterImport.objects.none()
    return RosterImport.objects.select_related("uploaded_by")


def roster_import_get_for_user(*, user, pk: int) -> RosterImport:
    return get_object_or_404(roster_imports_for_user(user=user), pk=pk)


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
