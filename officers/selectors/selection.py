"""Reads for selection by fit: the scorecards a user may see (the rule is
``officers.access.visible_candidate_ids``) and the results computed by the database (mean,
population standard deviation, min-max)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min, Prefetch, Q, QuerySet, StdDev

from officers.access import visible_candidate_ids
from officers.models import (
    Candidate,
    CandidateStatus,
    FitCriterion,
    Panelist,
    Score,
    Scorecard,
    SelectionCycle,
)


def scorecards_visible(*, user, cycle: SelectionCycle, candidate: Candidate) -> QuerySet[Scorecard]:
    """Submitted scorecards for a candidate: a panelist (the coordinator too) once they submitted
    their own for that candidate, the coordinator off the panel always, anyone else never. A
    panelist's own draft is theirs alone."""
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
