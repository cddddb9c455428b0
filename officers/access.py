"""Who may open what in the officers app: one door per protected model, asked by the views, the
templates (``{% load access %}``, ``user|may:"officers.<rule>"``) and the navigation alike, so each
rule is written once.

- ``may_*(user)`` answers whether the user may use a page or section at all; a view refuses with 403
  when not (``sro_program.views_support.requires``) and a template shows no link to it.
- ``*_for_user(user)`` are the rows of a model the user may see; list pages filter by them, so rows
  outside the user's scope are never loaded.
- ``*_get_for_user(user, pk)`` is one row, or 404 for a row outside the user's scope.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from district.roles import Role
from district.selectors import academic_year_current, schools_for_administration
from officers.models import (
    Agency,
    Assignment,
    Candidate,
    Officer,
    OfficerLeave,
    OfficerStatus,
    Panelist,
    Scorecard,
    SelectionCycle,
    SessionParticipant,
    TrainingRecord,
    TrainingSession,
)

# --- Officers and agencies --------------------------------------------------------------------


def may_view_officers(user) -> bool:
    return user.has_perm("officers.view_officer")


def may_add_officer(user) -> bool:
    return user.has_perm("officers.add_officer")


def officers_for_user(*, user) -> QuerySet[Officer]:
    """Coordinators see every officer; a supervisor the agency's; an SRO themself; an administrator
    the officers assigned to their schools this academic year (not in earlier years: an officer's
    leave and training are no business of a school the officer has left)."""
    if user.has_role(Role.COORDINATOR):
        return Officer.objects.all()
    query = Q(pk__in=[])
    if user.has_role(Role.AGENCY_SUPERVISOR):
        query |= Q(agency__supervisors=user)
    if user.has_role(Role.ADMINISTRATOR):
        year = academic_year_current()
        if year is not None:
            # One Q in one filter(): school and year must hold for the same assignment.
            schools = schools_for_administration(user=user)
            query |= Q(assignments__school__in=schools, assignments__academic_year=year)
    if user.has_role(Role.SRO):
        query |= Q(user=user)
    return Officer.objects.filter(query).distinct()


def officer_get_for_user(*, user, pk: int) -> Officer:
    """The officer, or 404 if the user may not see them."""
    return get_object_or_404(officers_for_user(user=user).select_related("agency", "user"), pk=pk)


def may_view_officer(*, user, officer_id: int | None) -> bool:
    """Whether a link to the officer's page would open (for links from other pages)."""
    if officer_id is None or not may_view_officers(user):
        return False
    return officers_for_user(user=user).filter(pk=officer_id).exists()


def officers_supervised_by(*, user) -> QuerySet[Officer]:
    """Officers whose records the user manages: a coordinator all, a supervisor their agency's."""
    if user.has_role(Role.COORDINATOR):
        return Officer.objects.all()
    if user.has_role(Role.AGENCY_SUPERVISOR):
        return Officer.objects.filter(agency__supervisors=user)
    return Officer.objects.none()


def officers_editable_by(*, user) -> QuerySet[Officer]:
    """Officers whose whole record the user may change: coordinators all, supervisors their agency's."""
    if not user.has_perm("officers.change_officer"):
        return Officer.objects.none()
    return officers_supervised_by(user=user)


def officer_edit_mode(*, user, officer: Officer) -> str | None:
    """``"full"`` (the whole record), ``"contact"`` (an SRO's own phone and email) or ``None``."""
    if officers_editable_by(user=user).filter(pk=officer.pk).exists():
        return "full"
    if officer.user_id is not None and officer.user_id == user.pk:
        return "contact"
    return None


def may_view_agencies(user) -> bool:
    return user.has_perm("officers.view_agency")


def may_add_agency(user) -> bool:
    return user.has_perm("officers.add_agency")


def may_change_agency(user) -> bool:
    return user.has_perm("officers.change_agency")


def agencies_for_user(*, user) -> QuerySet[Agency]:
    """Coordinators see every agency; anyone else the agencies they supervise or whose officers they see."""
    if user.has_role(Role.COORDINATOR):
        return Agency.objects.all()
    visible_officers = officers_for_user(user=user).values("agency_id")
    return Agency.objects.filter(Q(supervisors=user) | Q(pk__in=visible_officers)).distinct()


def agency_get_for_user(*, user, pk: int) -> Agency:
    """The agency, or 404 if the user may not see it."""
    return get_object_or_404(agencies_for_user(user=user), pk=pk)


# --- Selection --------------------------------------------------------------------------------


def may_view_selection(user) -> bool:
    # A principal on an interview panel reaches selection through the panel seat alone.
    return user.has_perm("officers.view_selectioncycle") or user.panel_seats.exists()


def may_manage_selection(user) -> bool:
    """Coordinator actions: open and cancel, criteria, panel, the decision."""
    return user.has_perm("officers.add_selectioncycle")


def cycles_for_user(*, user) -> QuerySet[SelectionCycle]:
    """Coordinators see every cycle; supervisors their agency's; a panelist the cycles they sit on."""
    if user.has_role(Role.COORDINATOR):
        return SelectionCycle.objects.all()
    query = Q(panelists__user=user)
    if user.has_role(Role.AGENCY_SUPERVISOR) and user.has_perm("officers.view_selectioncycle"):
        query |= Q(agency__supervisors=user)
    return SelectionCycle.objects.filter(query).distinct()


def cycle_get_for_user(*, user, pk: int) -> SelectionCycle:
    """The cycle, or 404 for someone who may not see it."""
    return get_object_or_404(
        cycles_for_user(user=user).select_related("agency", "academic_year", "opened_by", "decided_by"),
        pk=pk,
    )


def candidate_get_for_cycle(*, cycle: SelectionCycle, pk: int) -> Candidate:
    """A candidate of a cycle the caller already opened through ``cycle_get_for_user``, or 404."""
    return get_object_or_404(cycle.candidates.all(), pk=pk)


def _coordinator_or_agency(*, user, cycle: SelectionCycle, permission: str) -> bool:
    """The coordinator, or a supervisor of the cycle's agency, holding ``permission``."""
    if not user.has_perm(permission):
        return False
    return user.has_role(Role.COORDINATOR) or cycle.agency.supervisors.filter(pk=user.pk).exists()


def may_propose_candidates(user) -> bool:
    """The nomination page at all; which cycles is ``may_nominate``."""
    return user.has_perm("officers.add_candidate")


def may_nominate(*, user, cycle: SelectionCycle) -> bool:
    """The coordinator, or a supervisor of the cycle's agency holding the permission."""
    return _coordinator_or_agency(user=user, cycle=cycle, permission="officers.add_candidate")


def may_withdraw_candidates(user) -> bool:
    return user.has_perm("officers.change_candidate")


def may_withdraw(*, user, cycle: SelectionCycle) -> bool:
    """Who may take a nominee out: the coordinator, or a supervisor of the cycle's agency."""
    return _coordinator_or_agency(user=user, cycle=cycle, permission="officers.change_candidate")


def panelist_for(*, user, cycle: SelectionCycle) -> Panelist | None:
    return Panelist.objects.filter(cycle=cycle, user=user).first()


def panelist_get_for_user(*, user, cycle: SelectionCycle) -> Panelist:
    """The user's seat on the panel, or 404: only panelists have scorecards."""
    panelist = panelist_for(user=user, cycle=cycle)
    if panelist is None:
        raise Http404("Not on this panel.")
    return panelist


def submitted_candidate_ids(*, panelist: Panelist | None) -> set[int]:
    """Candidates for whom this panelist has submitted a scorecard: the ones whose results they see."""
    if panelist is None:
        return set()
    return set(
        Scorecard.objects.filter(panelist=panelist, submitted_at__isnull=False).values_list(
            "candidate_id", flat=True
        )
    )


def visible_candidate_ids(*, user, cycle: SelectionCycle) -> set[int] | None:
    """Whose aggregate and others' scores the user may see; ``None`` means every candidate's.

    Blind scoring: a seat on the panel hides the others' scores until one's own scorecard for that
    candidate is submitted, whatever else the person may do, so a coordinator on the panel scores
    blind too. A coordinator off the panel sees every score at any time; anyone else none.
    """
    panelist = panelist_for(user=user, cycle=cycle)
    if panelist is not None:
        return submitted_candidate_ids(panelist=panelist)
    if may_manage_selection(user):
        return None
    return set()


def may_see_results(*, user, cycle: SelectionCycle) -> bool:
    """Whether the results page has anything to show the user (the link to it is shown only then)."""
    visible = visible_candidate_ids(user=user, cycle=cycle)
    return visible is None or bool(visible)


# --- Training ---------------------------------------------------------------------------------


def may_view_training(user) -> bool:
    return user.has_perm("officers.view_trainingrecord")


def may_view_courses(user) -> bool:
    return user.has_perm("officers.view_trainingcourse")


def may_manage_courses(user) -> bool:
    return user.has_perms(["officers.add_trainingcourse", "officers.change_trainingcourse"])


def may_set_training_minimum(user) -> bool:
    return user.has_perm("officers.change_trainingpolicy")


def may_verify_training(user) -> bool:
    """Verify and correct records (the coordinator)."""
    return user.has_perm("officers.change_trainingrecord")


def officers_for_record_entry(*, user) -> QuerySet[Officer]:
    """Officers for whom the user may add a record: coordinators any, supervisors their agency's,
    an SRO only themself. Administrators add none."""
    if not user.has_perm("officers.add_trainingrecord"):
        return Officer.objects.none()
    query = Q(pk__in=officers_supervised_by(user=user).values("pk"))
    if user.has_role(Role.SRO):
        query |= Q(user=user)
    return Officer.objects.filter(query).exclude(status=OfficerStatus.LEFT)


def may_add_training_record(user) -> bool:
    """The add-a-record page: only for someone with an officer to add it for."""
    return officers_for_record_entry(user=user).exists()


def may_add_training_record_for(*, user, officer: Officer) -> bool:
    return officers_for_record_entry(user=user).filter(pk=officer.pk).exists()


def training_records_for_user(*, user) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(officer__in=officers_for_user(user=user))


def training_record_get_for_user(*, user, pk: int) -> TrainingRecord:
    return get_object_or_404(
        training_records_for_user(user=user).select_related("officer", "course", "verified_by", "session"),
        pk=pk,
    )


def may_view_sessions(user) -> bool:
    return user.has_perm("officers.view_trainingsession")


def may_manage_sessions(user) -> bool:
    return user.has_perms(["officers.add_trainingsession", "officers.change_trainingsession"])


def sessions_for_user(*, user) -> QuerySet[TrainingSession]:
    """Coordinators see every session; others the sessions they (or their officers) are invited to."""
    sessions = TrainingSession.objects.select_related("course").annotate(
        invited=Count("participants", distinct=True)
    )
    if user.has_role(Role.COORDINATOR):
        return sessions
    officers = officers_for_user(user=user)
    invited = SessionParticipant.objects.filter(Q(user=user) | Q(officer__in=officers)).values("session_id")
    return sessions.filter(pk__in=invited)


def session_get_for_user(*, user, pk: int) -> TrainingSession:
    return get_object_or_404(sessions_for_user(user=user), pk=pk)


# --- Assignments, coverage and leave ----------------------------------------------------------


def may_view_assignments(user) -> bool:
    return user.has_perm("officers.view_assignment")


def may_change_assignments(user) -> bool:
    """Create, change and end assignments (the coordinator)."""
    return user.has_perms(["officers.add_assignment", "officers.change_assignment"])


def may_view_coverage(user) -> bool:
    """Coverage shows every school's officers and their leave: coordinators and administrators only
    (an administrator sees their own schools' rows, as ``coverage_schools_for_user`` narrows)."""
    return may_view_assignments(user) and user.has_role(Role.COORDINATOR, Role.ADMINISTRATOR)


def assignments_for_user(*, user) -> QuerySet[Assignment]:
    """Coordinators see all; administrators their schools'; supervisors their agency's; an SRO theirs."""
    if user.has_role(Role.COORDINATOR):
        return Assignment.objects.all()
    query = Q(pk__in=[])
    if user.has_role(Role.ADMINISTRATOR):
        query |= Q(school__in=schools_for_administration(user=user))
    if user.has_role(Role.AGENCY_SUPERVISOR):
        query |= Q(officer__agency__supervisors=user)
    if user.has_role(Role.SRO):
        query |= Q(officer__user=user)
    return Assignment.objects.filter(query).distinct()


def assignment_get_for_user(*, user, pk: int) -> Assignment:
    return get_object_or_404(
        assignments_for_user(user=user).select_related("officer__agency", "school", "academic_year"), pk=pk
    )


def assignment_ids_openable(*, user, ids) -> set[int]:
    """Which of ``ids`` the user may open (one query), so a page links only to those."""
    if not may_view_assignments(user):
        return set()
    return set(assignments_for_user(user=user).filter(pk__in=list(ids)).values_list("pk", flat=True))


def may_view_leave(user) -> bool:
    return user.has_perm("officers.view_officerleave")


def leaves_for_user(*, user) -> QuerySet[OfficerLeave]:
    return OfficerLeave.objects.filter(officer__in=officers_for_user(user=user)).select_related("officer")


def leave_get_for_user(*, user, pk: int) -> OfficerLeave:
    return get_object_or_404(leaves_for_user(user=user), pk=pk)


def officers_for_leave_entry(*, user) -> QuerySet[Officer]:
    """Coordinators record leave for any serving officer; a supervisor for the agency's."""
    if not user.has_perm("officers.add_officerleave"):
        return Officer.objects.none()
    return Officer.objects.filter(
        status__in=[OfficerStatus.ACTIVE, OfficerStatus.ON_LEAVE],
        pk__in=officers_supervised_by(user=user).values("pk"),
    ).select_related("agency")


def may_record_leave(user) -> bool:
    """The record-leave page: only for someone with an officer to record it for."""
    return officers_for_leave_entry(user=user).exists()


def leave_ids_editable(*, user, leaves) -> set[int]:
    """Which of ``leaves`` the user may change (one query), so the list links only to those."""
    if not user.has_perm("officers.change_officerleave"):
        return set()
    officers = set(
        officers_for_leave_entry(user=user)
        .filter(pk__in={leave.officer_id for leave in leaves})
        .values_list("pk", flat=True)
    )
    return {leave.pk for leave in leaves if leave.officer_id in officers}


def may_change_leave(*, user, leave: OfficerLeave) -> bool:
    return bool(leave_ids_editable(user=user, leaves=[leave]))
