"""Who may open what in the incidents app: one door per model, asked by the views, the templates
(``{% load access %}{% if user|may:"incidents.<rule>" %}``) and the navigation alike.

Student names follow legitimate educational interest: the officer who wrote a record, coordinators,
and administrators of the student's own school see them; agency supervisors and everyone else see
counts only, so they get no page that lists or opens a record at all.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from district.roles import Role
from district.selectors import schools_for_administration
from incidents.models import (
    Case,
    Category,
    Disclosure,
    FollowUp,
    Incident,
    IncidentPerson,
    IncidentType,
    Interaction,
    InteractionStudent,
    Referral,
)


def may_log_interaction(user) -> bool:
    """The quick log (an SRO; the page says so when the account has no officer record yet)."""
    return user.has_perm("incidents.add_interaction")


def may_view_interactions(user) -> bool:
    return user.has_perm("incidents.view_interaction")


def interactions_for_user(*, user) -> QuerySet[Interaction]:
    """Coordinators see every record; an SRO the records they wrote; an administrator those at their
    schools or naming a student of their schools. Nobody else sees any."""
    if not may_view_interactions(user):
        return Interaction.objects.none()
    if user.has_role(Role.COORDINATOR):
        return Interaction.objects.all()
    query = Q(pk__in=[])
    if user.has_role(Role.SRO):
        query |= Q(author=user)
    if user.has_role(Role.ADMINISTRATOR):
        schools = schools_for_administration(user=user)
        naming = InteractionStudent.objects.filter(student__school__in=schools)
        query |= Q(school__in=schools) | Q(pk__in=naming.values("interaction_id"))
    return Interaction.objects.filter(query)


def interaction_get_for_user(*, user, pk: int) -> Interaction:
    """The record, or 404 for someone who may not see it."""
    return get_object_or_404(
        interactions_for_user(user=user).select_related("school", "category", "officer", "author"), pk=pk
    )


def student_ids_named_for(*, user, interaction: Interaction, student_rows) -> set[int]:
    """Which of the record's students the user may see by name; the others are shown as a count."""
    named = [row for row in student_rows if row.student_id is not None]  # none after retention
    if user.has_role(Role.COORDINATOR) or interaction.author_id == user.pk:
        return {row.student_id for row in named}
    if user.has_role(Role.ADMINISTRATOR):
        schools = set(schools_for_administration(user=user).values_list("pk", flat=True))
        return {row.student_id for row in named if row.student.school_id in schools}
    return set()


def may_edit_interaction(*, user, interaction: Interaction) -> bool:
    """The writing officer, within the week after writing it (never once identities are removed)."""
    return (
        user.has_perm("incidents.change_interaction")
        and interaction.author_id == user.pk
        and interaction.editable_now
    )


def may_add_addendum(*, user, interaction: Interaction) -> bool:
    return (
        user.has_perm("incidents.add_addendum")
        and interaction.author_id == user.pk
        and interaction.identities_removed_at is None
    )


def may_export_interactions(user) -> bool:
    """The CSV export names students of every school: coordinators only."""
    return user.has_perm("incidents.export_interaction")


def may_disclose_interaction(*, user, interaction: Interaction) -> bool:
    """Record a hand-over of a record: its writing officer, or a coordinator."""
    if not user.has_perm("incidents.add_disclosure"):
        return False
    return interaction.author_id == user.pk or user.has_role(Role.COORDINATOR)


def may_view_disclosures(user) -> bool:
    """The register of a student: coordinators and administrators (of the student's school, which
    ``district.selectors.student_get_for_user`` decides)."""
    return user.has_perm("incidents.view_disclosure") and user.has_perm("district.view_student")


def disclosures_of_student(*, user, student) -> QuerySet[Disclosure]:
    """Every disclosure that carried ``student`` (one the user may see), newest first."""
    if not may_view_disclosures(user):
        return Disclosure.objects.none()
    return Disclosure.objects.filter(
        pk__in=Disclosure.students.through.objects.filter(student=student).values("disclosure_id")
    ).select_related("recorded_by")


def may_manage_retention(user) -> bool:
    """Set the retention rule and confirm the removal of identities (the coordinator)."""
    return user.has_perm("incidents.change_retentionrule")


# --- Cases ----------------------------------------------------------------------------------------


def may_view_cases(user) -> bool:
    return user.has_perm("incidents.view_case")


def may_open_case(user) -> bool:
    return user.has_perm("incidents.add_case")


def may_view_overdue_follow_ups(user) -> bool:
    """The program-wide list of overdue follow-ups: the coordinator."""
    return user.has_perm("incidents.view_followup") and user.has_role(Role.COORDINATOR)


def cases_for_user(*, user) -> QuerySet[Case]:
    """Coordinators see every case; an SRO the cases they are assigned to or opened; an
    administrator those at their schools or with a student of their schools."""
    if not may_view_cases(user):
        return Case.objects.none()
    if user.has_role(Role.COORDINATOR):
        return Case.objects.all()
    query = Q(pk__in=[])
    if user.has_role(Role.SRO):
        query |= Q(opened_by=user) | Q(
            pk__in=Case.officers.through.objects.filter(officer__user=user).values("case_id")
        )
    if user.has_role(Role.ADMINISTRATOR):
        schools = schools_for_administration(user=user)
        with_students = Case.students.through.objects.filter(student__school__in=schools).values("case_id")
        query |= Q(school__in=schools) | Q(pk__in=with_students)
    return Case.objects.filter(query)


def case_get_for_user(*, user, pk: int) -> Case:
    return get_object_or_404(cases_for_user(user=user).select_related("school", "opened_by"), pk=pk)


def may_work_case(*, user, case: Case) -> bool:
    """Add notes, follow-ups and referrals, change the status: a coordinator or an assigned officer."""
    if not user.has_perm("incidents.change_case"):
        return False
    if user.has_role(Role.COORDINATOR):
        return True
    return case.opened_by_id == user.pk or case.officers.filter(user=user).exists()


def case_student_ids_named_for(*, user, case: Case, students) -> set[int]:
    """The case's students the user may see by name (as for a record): the others are a count."""
    if user.has_role(Role.COORDINATOR) or may_work_case(user=user, case=case):
        return {student.pk for student in students}
    if user.has_role(Role.ADMINISTRATOR):
        schools = set(schools_for_administration(user=user).values_list("pk", flat=True))
        return {student.pk for student in students if student.school_id in schools}
    return set()


def follow_up_get_for_case(*, case: Case, pk: int) -> FollowUp:
    """A follow-up of a case the caller already opened through ``case_get_for_user``, or 404."""
    return get_object_or_404(case.follow_ups.all(), pk=pk)


def referral_get_for_case(*, case: Case, pk: int) -> Referral:
    return get_object_or_404(case.referrals.all(), pk=pk)


def may_manage_categories(user) -> bool:
    return user.has_perms(["incidents.add_category", "incidents.change_category"])


def category_get_for_user(*, user, pk: int) -> Category:
    if not may_manage_categories(user):
        raise Http404
    return get_object_or_404(Category, pk=pk)


# --- Incident reports -----------------------------------------------------------------------------


def may_view_incidents(user) -> bool:
    return user.has_perm("incidents.view_incident")


def may_write_incidents(user) -> bool:
    return user.has_perm("incidents.add_incident")


def incidents_for_user(*, user) -> QuerySet[Incident]:
    """As for interactions: coordinators all; an SRO the reports they wrote; an administrator those
    at their schools or naming a student of their schools."""
    if not may_view_incidents(user):
        return Incident.objects.none()
    if user.has_role(Role.COORDINATOR):
        return Incident.objects.all()
    query = Q(pk__in=[])
    if user.has_role(Role.SRO):
        query |= Q(author=user)
    if user.has_role(Role.ADMINISTRATOR):
        schools = schools_for_administration(user=user)
        naming = IncidentPerson.objects.filter(student__school__in=schools)
        query |= Q(school__in=schools) | Q(pk__in=naming.values("incident_id"))
    return Incident.objects.filter(query)


def incident_get_for_user(*, user, pk: int) -> Incident:
    return get_object_or_404(
        incidents_for_user(user=user).select_related(
            "school", "incident_type__parent", "officer", "interaction"
        ),
        pk=pk,
    )


def may_manage_incident_types(user) -> bool:
    """Add, rename, reorder and retire incident types (the coordinator)."""
    return user.has_perms(["incidents.add_incidenttype", "incidents.change_incidenttype"])


def incident_type_get_for_user(*, user, pk: int) -> IncidentType:
    if not may_manage_incident_types(user):
        raise Http404
    return get_object_or_404(IncidentType.objects.select_related("parent"), pk=pk)


def may_change_incident(*, user, incident: Incident) -> bool:
    return user.has_perm("incidents.change_incident") and incident.author_id == user.pk


def incident_student_ids_named_for(*, user, incident: Incident, people) -> set[int]:
    students = [person.student for person in people if person.student_id]
    if user.has_role(Role.COORDINATOR) or incident.author_id == user.pk:
        return {student.pk for student in students}
    if user.has_role(Role.ADMINISTRATOR):
        schools = set(schools_for_administration(user=user).values_list("pk", flat=True))
        return {student.pk for student in students if student.school_id in schools}
    return set()
