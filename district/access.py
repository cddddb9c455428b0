"""Who may open what in the district app: one door per protected model, asked by the views, the
templates (``{% load access %}``, ``user|may:"district.<rule>"``) and the navigation alike, so each
rule is written once.

- ``may_*(user)`` answers whether the user may use a page or section at all; a view refuses with 403
  when not (``sro_program.views_support.requires``) and a template shows no link to it.
- ``*_for_user(user)`` are the rows of a model the user may see; list pages filter by them, so rows
  outside the user's scope are never loaded.
- ``*_get_for_user(user, pk)`` is one row, or 404 for a row outside the user's scope.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import AccessLog, RosterImport, Student
from .roles import Role
from .selectors import sees_every_school

# --- The roster -------------------------------------------------------------------------------


def may_view_roster(user) -> bool:
    """Coordinators and administrators: the roles with an educational interest in student records."""
    return user.has_perm("district.view_student") and user.has_role(Role.COORDINATOR, Role.ADMINISTRATOR)


def students_for_user(*, user) -> QuerySet[Student]:
    """Students the user may see by legitimate educational interest (coordinators, administrators).

    SROs reach students through their own logs and assignments (officers and incidents apps).
    """
    if sees_every_school(user):
        return Student.objects.all()
    if user.has_role(Role.ADMINISTRATOR):
        return Student.objects.filter(school__administrators=user)
    return Student.objects.none()


def student_get_for_user(*, user, pk: int) -> Student:
    """The student, or 404 if the user may not see them."""
    return get_object_or_404(students_for_user(user=user).select_related("school"), pk=pk)


# --- The access log ---------------------------------------------------------------------------


def may_view_access_log(user) -> bool:
    """Who opened a student's records is the coordinator's to review."""
    return user.has_perm("district.view_accesslog")


def access_log_for_student(*, user, student: Student) -> QuerySet[AccessLog]:
    """Who opened, listed or exported ``student``'s records, newest first; empty without the rule.

    ``student`` comes from ``student_get_for_user``, so the student is one the user may see.
    """
    if not may_view_access_log(user):
        return AccessLog.objects.none()
    return AccessLog.objects.filter(student=student).select_related("user").order_by("-at", "-pk")


# --- Roster imports ---------------------------------------------------------------------------


def may_view_roster_imports(user) -> bool:
    return user.has_perm("district.view_rosterimport")


def may_import_roster(user) -> bool:
    """Upload a OneRoster export (the coordinator)."""
    return user.has_perm("district.add_rosterimport")


def roster_imports_for_user(*, user) -> QuerySet[RosterImport]:
    """Imports the user may see: all of them for those who may view imports (coordinators)."""
    if not may_view_roster_imports(user):
        return RosterImport.objects.none()
    return RosterImport.objects.select_related("uploaded_by")


def roster_import_get_for_user(*, user, pk: int) -> RosterImport:
    """The import, or 404 if the user may not see it."""
    return get_object_or_404(roster_imports_for_user(user=user), pk=pk)
