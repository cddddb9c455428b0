"""Who may open what in the feedback app: one door per protected model, asked by the views, the
templates (``{% load feedback_access %}``) and the navigation alike.

Coordinators run surveys and campaigns and see every result and the complaints register. An SRO
sees the results about themself and may ask for feedback on one event; an agency supervisor sees
the results about the agency's officers. Results are narrowed to the answers about the officers a
person may see, so an officer never sees a colleague's group in a shared round.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from district.roles import Role
from feedback.models import Campaign, Concern, ImprovementAction, Response, Round, Survey
from officers.models import Officer


def may_manage_feedback(user) -> bool:
    """Surveys, campaigns and the CSV export: coordinators."""
    return user.has_perm("feedback.add_campaign")


def may_view_results(user) -> bool:
    return user.has_perm("feedback.view_round")


def may_ask_for_event_feedback(user) -> bool:
    """A coordinator, or an SRO with an officer record, may open a one-event round."""
    if not user.has_perm("feedback.add_round"):
        return False
    return user.has_role(Role.COORDINATOR) or Officer.objects.filter(user=user).exists()


def may_add_action(user) -> bool:
    return user.has_perm("feedback.add_improvementaction")


def may_manage_concerns(user) -> bool:
    return user.has_perm("feedback.view_concern")


def surveys_for_user(*, user) -> QuerySet[Survey]:
    return Survey.objects.all() if may_manage_feedback(user) else Survey.objects.none()


def survey_get_for_user(*, user, pk: int) -> Survey:
    return get_object_or_404(surveys_for_user(user=user), pk=pk)


def campaigns_for_user(*, user) -> QuerySet[Campaign]:
    return Campaign.objects.all() if may_manage_feedback(user) else Campaign.objects.none()


def campaign_get_for_user(*, user, pk: int) -> Campaign:
    return get_object_or_404(campaigns_for_user(user=user).select_related("survey", "created_by"), pk=pk)


def result_officers_for_user(*, user) -> QuerySet[Officer] | None:
    """The officers whose results the user sees; ``None`` means every result (a coordinator)."""
    if user.has_role(Role.COORDINATOR):
        return None
    query = Q(pk__in=[])
    if user.has_role(Role.AGENCY_SUPERVISOR):
        query |= Q(agency__supervisors=user)
    if user.has_role(Role.SRO):
        query |= Q(user=user)
    return Officer.objects.filter(query)


def rounds_for_user(*, user) -> QuerySet[Round]:
    """Coordinators every round; others the rounds about an officer whose results they see."""
    if not may_view_results(user):
        return Round.objects.none()
    officers = result_officers_for_user(user=user)
    if officers is None:
        return Round.objects.all()
    return Round.objects.filter(campaign__officers__in=officers).distinct()


def round_get_for_user(*, user, pk: int) -> Round:
    """The round, or 404 outside the user's scope."""
    return get_object_or_404(rounds_for_user(user=user).select_related("campaign__survey"), pk=pk)


def responses_for_user(*, user) -> QuerySet[Response]:
    """The answers whose results the user sees: every one, or those about the user's officers."""
    officers = result_officers_for_user(user=user)
    if officers is None:
        return Response.objects.all()
    return Response.objects.filter(officer__in=officers)


def actions_for_user(*, user) -> QuerySet[ImprovementAction]:
    return ImprovementAction.objects.filter(round__in=rounds_for_user(user=user))


def concerns_for_user(*, user) -> QuerySet[Concern]:
    return Concern.objects.all() if may_manage_concerns(user) else Concern.objects.none()


def concern_get_for_user(*, user, pk: int) -> Concern:
    return get_object_or_404(concerns_for_user(user=user).select_related("officer", "school"), pk=pk)
