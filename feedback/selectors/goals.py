"""The program's goals against the survey rounds that measure them: for each active goal of the
agreement, its figure at the baseline, mid-year and end-of-year rounds of an academic year, beside
its target. A figure read from fewer people than FEEDBACK_MIN_GROUP_SIZE is not shown. Three queries,
whatever the number of goals, rounds and answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from agreements.selectors.items import goals_active
from district.models import AcademicYear
from feedback.models import Answer, Figure, GoalMeasure, Phase, QuestionKind, Response, Round
from feedback.selectors.results import min_group_size


@dataclass
class PhaseFigure:
    phase: str
    round: Round | None
    people: int = 0  # respondents who answered at least one of the theme's questions
    value: float | None = None
    suppressed: bool = False
    reached: bool | None = None  # None: no target, or nothing to compare

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label


@dataclass
class GoalFigures:
    goal: object
    measure: GoalMeasure | None
    phases: list[PhaseFigure]

    @property
    def unit(self) -> str:
        if self.measure is None:
            return ""
        return "%" if Figure(self.measure.figure).is_share else " of 5"


def _figure(figure: str, tally: dict) -> float | None:
    if not tally or not tally["n"]:
        return None
    if figure == Figure.MEAN:
        return round(tally["total"] / tally["n"], 2)
    if figure == Figure.AGREE:
        return round(100 * tally["agree"] / tally["n"], 1)
    return round(100 * tally["total"] / tally["n"], 1)  # yes (1) / no (0): the share of yes


def goal_figures(
    *, year: AcademicYear | None, rounds: QuerySet[Round], responses: QuerySet[Response]
) -> list[GoalFigures]:
    """Each active goal with its figure per phase in ``year``, read from ``rounds`` and ``responses``
    (both already narrowed to what the viewer may see)."""
    goals = list(
        goals_active().select_related("survey_measure__campaign").order_by("agreement__title", "code")
    )
    measures = {}
    for goal in goals:
        try:
            measures[goal.pk] = goal.survey_measure
        except GoalMeasure.DoesNotExist:
            measures[goal.pk] = None
    campaign_ids = {m.campaign_id for m in measures.values() if m is not None}
    phase_rounds = {}
    if year is not None and campaign_ids:
        phase_rounds = {
            (r.campaign_id, r.phase): r
            for r in rounds.filter(academic_year=year, campaign_id__in=campaign_ids).exclude(phase="")
        }
    tallies: dict[tuple[int, str, str], dict] = {}
    if phase_rounds:
        round_ids = [r.pk for r in phase_rounds.values()]
        for row in (
            Answer.objects.filter(
                response__in=responses.filter(round_id__in=round_ids),
                question__kind__in=[QuestionKind.SCALE, QuestionKind.YES_NO],
                value__isnull=False,
            )
            .values("response__round_id", "question__theme", "question__kind")
            .annotate(
                n=Count("pk"),
                total=Sum("value"),
                agree=Count("pk", filter=Q(value__gte=4)),
                people=Count("response_id", distinct=True),
            )
            .order_by()
        ):
            key = (row["response__round_id"], row["question__theme"], row["question__kind"])
            tallies[key] = row
    minimum = min_group_size()
    result = []
    for goal in goals:
        measure = measures[goal.pk]
        phases = []
        for phase in Phase.values:
            round = phase_rounds.get((measure.campaign_id, phase)) if measure else None
            point = PhaseFigure(phase=phase, round=round)
            if measure is not None and round is not None:
                kind = QuestionKind.YES_NO if measure.figure == Figure.YES else QuestionKind.SCALE
                tally = tallies.get((round.pk, measure.theme, kind))
                point.people = tally["people"] if tally else 0
                if point.people < minimum:
                    point.suppressed = point.people > 0
                else:
                    point.value = _figure(measure.figure, tally)
                    if measure.target is not None and point.value is not None:
                        point.reached = point.value >= float(measure.target)
            phases.append(point)
        result.append(GoalFigures(goal=goal, measure=measure, phases=phases))
    return result
