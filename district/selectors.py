"""Reads of district data, narrowed to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import AcademicYear, RosterImport, School, Student
from .roles import Role


def academic_year_current() -> AcademicYear | None:
    return AcademicYear.objects.filter(is_current=True).first()


def schools_for_administration(*, user) -> QuerySet[School]:
    """Schools whose student records the user may see as a coordinator or administrator."""
    if user.has_role(Role.COORDINATOR) or (user.has_role(Role.ADMINISTRATOR) and user.district_wide):
        return School.objects.all()
    if user.has_role(Role.ADMINISTRATOR):
        return School.objects.filter(administrators=user)
    return School.objects.none()


def students_for_user(*, user) -> QuerySet[Student]:
    """Students the user may see by legitimate educational interest (coordinators, administrators).

    SROs reach students through their own logs and assignments (officers and incidents apps).
    """
    if user.has_role(Role.COORDINATOR) or (user.has_role(Role.ADMINISTRATOR) and user.district_wide):
        return Student.objects.all()
    if user.has_role(Role.ADMINISTRATOR):
        return Student.objects.filter(school__administrators=user)
    return Student.objects.none()


def student_get_for_user(*, user, pk: int) -> Student:
    return get_object_or_404(students_for_user(user=user).select_related("school"), pk=pk)


def roster_imports_for_user(*, user) -> QuerySet[RosterImport]:
    """Imports the user may see: all of them for holders of view_rosterimport (coordinators)."""
    if not user.has_perm("district.view_rosterimport"):
        return RosterImport.objects.none()
    return RosterImport.objects.select_related("uploaded_by")


def roster_import_get_for_user(*, user, pk: int) -> RosterImport:
    return get_object_or_404(roster_imports_for_user(user=user), pk=pk)
