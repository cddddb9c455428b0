"""Reads for selection by fit: which cycles a user may see, what a panelist may see of others'
scores, and the results computed by the database (mean, population standard deviation, min-max)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min, Prefetch, Q, QuerySet, StdDev
from django.http import Http404
from django.shortcuts import get_object_or_404

from district.roles import Role
from officers.models import (
    Candidate,
    CandidateStatus,
    FitCriterion,
    Panelist,
    Score,
    Scorecard,
    SelectionCycle,
)


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


def may_manage_cycle(*, user) -> bool:
    """Coordinator actions: criteria, panel, results at any time, the decision."""
    return user.has_perm("officers.add_selectioncycle")


def _coordinator_or_agency(*, user, cycle: SelectionCycle, permission: str) -> bool:
    """The coordinator, or a supervisor of the cycle's agency, holding ``permission``."""
    if not user.has_perm(permission):
        return False
    return user.has_role(Role.COORDINATOR) or cycle.agency.supervisors.filter(pk=user.pk).exists()


def may_nominate(*, user, cycle: SelectionCycle) -> bool:
    """The coordinator, or a supervisor of the cycle's agency holding the permission."""
    return _coordinator_or_agency(user=user, cycle=cycle, permission="officers.add_candidate")


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


def candidate_get_for_cycle(*, cycle: SelectionCycle, pk: int) -> Candidate:
    return get_object_or_404(cycle.candidates.all(), pk=pk)


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
    """Whose aggregate and others' scores the user may see: ``None`` means all (the coordinator)."""
    if may_manage_cycle(user=user):
        return None
    return submitted_candidate_ids(panelist=panelist_for(user=user, cycle=cycle))


def scorecards_visible(*, user, cycle: SelectionCycle, candidate: Candidate) -> QuerySet[Scorecard]:
    """Submitted scorecards for a candidate: the coordinator always, a panelist once they submitted
    their own for that candidate, anyone else never. A panelist's own draft is theirs alone."""
    visible = visible_candidate_ids(user=user, cycle=cycle)
    cards = Scorecard.objects.filter(candidate=candidate, submitted_at__isnull=False)
    if visible is not None and candidate.pk not in visible:
        cards = cards.none()
    ordered = Score.objects.select_related("criterion").order_by("criterion__position", "criterion_id")
    scores = Prefetch("scores", queryset=ordered)
    return cards.select_related("panelist__user").prefetch_related(scores)


def scorecard_for(*, panelist: Panelist, candidate: Candidate) -> Scorecard | None:
    return Scorecard.objects.filter(panelist=panelist, candidate=candidate).prefetch_related("scores").first()


@dataclass
class Spread:
    """Mean, population standard deviation and range of a set of scores."""

    mean: float | None = None
    stddev: float | None = None
    low: int | None = None
    high: int | None = None
    count: int = 0


@dataclass
class CandidateResult:
    candidate: Candidate
    overall: Spread
    scorecards_submitted: int
    rows: list[tuple[FitCriterion, Spread]] = field(default_factory=list)
    rank: int | None = None


def _spread(row: dict | None) -> Spread:
    if not row:
        return Spread()
    return Spread(
        mean=float(row["mean"]) if row["mean"] is not None else None,
        stddev=float(row["stddev"]) if row["stddev"] is not None else None,
        low=row["low"],
        high=row["high"],
        count=row["n"],
    )


_AGGREGATES = {
    "mean": Avg("value"),
    "stddev": StdDev("value", sample=False),
    "low": Min("value"),
    "high": Max("value"),
    "n": Count("id"),
}


def cycle_results(
    *, cycle: SelectionCycle, candidate_ids: set[int] | None = None
) -> tuple[list[FitCriterion], list[CandidateResult]]:
    """Each candidate's results from submitted scorecards, ranked by overall mean (higher first),
    ties broken by lower spread, then by name. Four queries whatever the number of scores;
    ``candidate_ids`` narrows the rows (to what a panelist may see)."""
    criteria = list(cycle.criteria.all())
    # A withdrawn candidate keeps their record but is no longer ranked.
    candidates = cycle.candidates.exclude(status=CandidateStatus.WITHDRAWN)
    if candidate_ids is not None:
        candidates = candidates.filter(pk__in=candidate_ids)
    candidates = list(candidates)
    submitted = Score.objects.filter(
        scorecard__candidate__in=[c.pk for c in candidates], scorecard__submitted_at__isnull=False
    )
    per_criterion = {
        (row["scorecard__candidate_id"], row["criterion_id"]): row
        for row in submitted.values("scorecard__candidate_id", "criterion_id").annotate(**_AGGREGATES)
    }
    overall = {
        row["scorecard__candidate_id"]: row
        for row in submitted.values("scorecard__candidate_id").annotate(
            cards=Count("scorecard", distinct=True), **_AGGREGATES
        )
    }
    results = [
        CandidateResult(
            candidate=candidate,
            overall=_spread(overall.get(candidate.pk)),
            scorecards_submitted=overall.get(candidate.pk, {}).get("cards", 0),
            rows=[(c, _spread(per_criterion.get((candidate.pk, c.pk)))) for c in criteria],
        )
        for candidate in candidates
    ]

    def order(result: CandidateResult):
        unscored = result.overall.mean is None
        return (
            unscored,
            -(result.overall.mean or 0),
            result.overall.stddev or 0,
            result.candidate.family_name.lower(),
            result.candidate.given_name.lower(),
        )

    results.sort(key=order)
    for position, result in enumerate(results, start=1):
        if result.overall.mean is not None:
            result.rank = position
    return criteria, results


def cycle_progress(*, cycle: SelectionCycle) -> dict:
    """Counts for the cycle page: candidates (not withdrawn), panelists, scorecards submitted out of
    those due."""
    in_the_running = ~Q(candidates__status=CandidateStatus.WITHDRAWN)
    counts = SelectionCycle.objects.filter(pk=cycle.pk).aggregate(
        candidates=Count("candidates", filter=in_the_running, distinct=True),
        panelists=Count("panelists", distinct=True),
    )
    counts["submitted"] = (
        Scorecard.objects.filter(candidate__cycle=cycle, submitted_at__isnull=False)
        .exclude(candidate__status=CandidateStatus.WITHDRAWN)
        .count()
    )
    counts["due"] = counts["candidates"] * counts["panelists"]
    return counts
