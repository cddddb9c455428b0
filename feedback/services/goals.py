"""Writes for the program's goals: how a goal is measured by a campaign's rounds, and the goal rounds
of an academic year (a baseline round, a mid-year pulse and an end-of-year round per campaign)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Goal
from district.models import AcademicYear
from feedback.models import (
    Campaign,
    CampaignKind,
    Figure,
    GoalMeasure,
    Phase,
    QuestionKind,
    Round,
    RoundStatus,
)
from feedback.services.surveys import survey_lock_for_round

# The kind of question each figure is read from.
FIGURE_KINDS = {
    Figure.MEAN: QuestionKind.SCALE,
    Figure.AGREE: QuestionKind.SCALE,
    Figure.YES: QuestionKind.YES_NO,
}


@transaction.atomic
def goal_measure_set(
    *, goal: Goal, campaign: Campaign, theme: str, figure: str, target: Decimal | None = None
) -> GoalMeasure:
    """Say how a goal is measured: ``figure`` over the answers to ``campaign``'s questions on ``theme``.
    Refused when the campaign's survey asks no question that the figure can be read from."""
    if campaign.kind != CampaignKind.RECURRING:
        raise ValidationError({"campaign": "Choose a recurring campaign: an event has no goal rounds."})
    kind = FIGURE_KINDS[Figure(figure)]
    if not campaign.survey.questions.filter(theme=theme, kind=kind).exists():
        raise ValidationError(
            {
                "theme": f"The survey “{campaign.survey}” asks no {QuestionKind(kind).label.lower()} "
                "question on this theme, so this figure cannot be read from it."
            }
        )
    if target is not None:
        low, high = (1, 5) if figure == Figure.MEAN else (0, 100)
        if not low <= target <= high:
            raise ValidationError({"target": f"A target for this figure is between {low} and {high}."})
    measure, _created = GoalMeasure.objects.update_or_create(
        goal=goal, defaults={"campaign": campaign, "theme": theme, "figure": figure, "target": target}
    )
    return measure


PHASE_TAKEN = "This campaign already has its {phase} round in {year}."


@transaction.atomic
def goal_round_set_up(
    *, campaign: Campaign, academic_year: AcademicYear, phase: str, opens_on: datetime.date
) -> Round:
    """Make the campaign's round on ``opens_on`` the ``phase`` round of ``academic_year``: a round that
    already opens that day is tagged, otherwise a new one is scheduled (beat opens it on the day).
    One round of each phase per campaign and year (the database's constraint says so)."""
    if campaign.kind != CampaignKind.RECURRING:
        raise ValidationError("An event's round cannot be a goal round.")
    if not academic_year.contains(opens_on):
        span = f"{academic_year.start_date} to {academic_year.end_date}"
        raise ValidationError({"opens_on": f"Choose a day in {academic_year} ({span})."})
    label = Phase(phase).label.lower()
    survey_lock_for_round(survey_id=campaign.survey_id)
    existing = Round.objects.select_for_update().filter(campaign=campaign, opens_on=opens_on).first()
    if existing is not None and existing.phase and existing.phase != phase:
        taken = existing.get_phase_display().lower()
        raise ValidationError({"opens_on": f"The round of that day is already the {taken} round."})
    try:
        with transaction.atomic():  # a savepoint: a lost race leaves the caller's transaction usable
            if existing is None:
                return Round.objects.create(
                    campaign=campaign,
                    opens_on=opens_on,
                    status=RoundStatus.SCHEDULED,
                    phase=phase,
                    academic_year=academic_year,
                )
            existing.phase, existing.academic_year = phase, academic_year
            existing.save(update_fields=["phase", "academic_year"])
            return existing
    except IntegrityError as error:
        if "feedback_round_one_phase_per_year" in str(error):
            raise ValidationError({"phase": PHASE_TAKEN.format(phase=label, year=academic_year)}) from None
        if "feedback_round_once_per_day" in str(error):
            raise ValidationError({"opens_on": "Another round of this campaign opens that day."}) from None
        raise
