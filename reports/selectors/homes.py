"""What each role's home page adds from the program's figures: an administrator's dashboard summary,
an officer's open follow-ups and latest feedback, an agency supervisor's officers. Counts only; a
fixed number of queries whatever the data (bounded lists)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from district.roles import Role
from feedback.access import responses_for_user, rounds_for_user
from feedback.models import Invitation, InvitationStatus, Round, RoundStatus
from feedback.selectors.results import trend
from incidents.models import FollowUp
from officers.models import Officer, OfficerStatus
from officers.selectors import assignments_on
from officers.selectors.training import latest_records, required_courses
from reports.access import may_view_dashboard
from reports.selectors.dashboard import (
    EXPIRING_WITHIN_DAYS,
    cases_tile,
    comparison_period,
    dashboard_school_ids,
    default_period,
    interaction_figures,
)

FOLLOW_UPS_SHOWN = 10
ROUNDS_SHOWN = 3


def _rounds_with_results(*, user, rounds, responses) -> list[dict]:
    """Each round's invitations answered and its mean score (small groups hidden): three queries."""
    rounds = list(rounds)
    ids = [r.pk for r in rounds]
    rates = {
        row["round_id"]: row
        for row in Invitation.objects.filter(round_id__in=ids)
        .values("round_id")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(status=InvitationStatus.ANSWERED)))
    }
    points = {p.round.pk: p for p in trend(rounds=Round.objects.filter(pk__in=ids), responses=responses)}
    listed = []
    for r in rounds:
        rate = rates.get(r.pk, {"invited": 0, "answered": 0})
        listed.append({"round": r, **rate, "point": points.get(r.pk)})
    return listed


def administrator_home(*, user, today: datetime.date | None = None) -> dict:
    """The administrator's dashboard in brief: this term's interactions against last term, and open
    cases, at their schools."""
    if not (user.has_role(Role.ADMINISTRATOR) and may_view_dashboard(user)):
        return {}
    today = today or timezone.localdate()
    period = default_period(today=today)
    school_ids = dashboard_school_ids(user=user, school=None)
    figures = interaction_figures(school_ids=school_ids, period=period, comparison=comparison_period(period))
    return {
        "admin_summary": {"interactions": figures, "cases": cases_tile(user=user, today=today, school=None)}
    }


def officer_home(*, user, today: datetime.date | None = None) -> dict:
    """An SRO's open follow-ups (soonest first) and the latest feedback rounds about them."""
    if not user.has_role(Role.SRO):
        return {}
    today = today or timezone.localdate()
    open_follow_ups = FollowUp.objects.filter(owner=user, done_at__isnull=True)
    follow_ups = list(open_follow_ups.select_related("case").order_by("due_on", "pk")[:FOLLOW_UPS_SHOWN])
    counts = open_follow_ups.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    rounds = (
        rounds_for_user(user=user)
        .exclude(status=RoundStatus.SCHEDULED)
        .select_related("campaign")
        .order_by("-opens_on", "-pk")[:ROUNDS_SHOWN]
    )
    return {
        "sro_follow_ups": follow_ups,
        "sro_follow_up_counts": counts,
        "sro_feedback": _rounds_with_results(
            user=user, rounds=rounds, responses=responses_for_user(user=user)
        ),
    }


def supervisor_home(*, user, today: datetime.date | None = None) -> dict:
    """The agency's officers: where each works today, their required training standing, and the
    latest feedback rounds about them. Counts only, nothing about a student."""
    if not user.has_role(Role.AGENCY_SUPERVISOR):
        return {}
    today = today or timezone.localdate()
    officers = list(
        Officer.objects.filter(
            agency__supervisors=user, status__in=[OfficerStatus.ACTIVE, OfficerStatus.ON_LEAVE]
        ).order_by("family_name", "given_name", "pk")
    )
    ids = [o.pk for o in officers]
    schools: dict[int, list] = {}
    for assignment in assignments_on(day=today).filter(officer_id__in=ids).select_related("school"):
        schools.setdefault(assignment.officer_id, []).append(assignment)
    course_ids = list(required_courses().values_list("pk", flat=True))
    latest = latest_records(officer_ids=ids, course_ids=course_ids) if ids else {}
    soon = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    rows = []
    for officer in officers:
        standing = {"current": 0, "expiring": 0, "expired": 0, "missing": 0}
        for course_id in course_ids:
            record = latest.get((officer.pk, course_id))
            expires = record["expires_on"] if record else None
            if record is None:
                standing["missing"] += 1
            elif expires is not None and expires <= today:
                standing["expired"] += 1
            elif expires is not None and expires <= soon:
                standing["expiring"] += 1
            else:
                standing["current"] += 1
        rows.append({"officer": officer, "assignments": schools.get(officer.pk, []), **standing})
    rounds = (
        rounds_for_user(user=user)
        .exclude(status=RoundStatus.SCHEDULED)
        .select_related("campaign")
        .order_by("-opens_on", "-pk")[:ROUNDS_SHOWN]
    )
    return {
        "agency_officers": rows,
        "agency_courses": len(course_ids),
        "agency_feedback": _rounds_with_results(
            user=user, rounds=rounds, responses=responses_for_user(user=user)
        ),
    }
