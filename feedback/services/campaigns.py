"""Writes to campaigns: a recurring survey of an audience, or a one-event round with a shared link."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from district.models import School
from feedback.models import (
    Audience,
    Campaign,
    CampaignKind,
    Round,
    RoundStatus,
    Schedule,
    Survey,
)
from feedback.selectors.audience import audience_members
from feedback.services.surveys import survey_lock_for_round
from officers.models import Officer


def survey_usable(*, survey: Survey) -> None:
    """A survey with no questions cannot be sent."""
    if not survey.questions.exists():
        raise ValidationError({"survey": "This survey has no questions yet; add questions before using it."})


@transaction.atomic
def campaign_create(
    *,
    created_by,
    title: str,
    survey: Survey,
    officers: Sequence[Officer],
    schools: Sequence[School],
    anonymous: bool,
    schedule: str,
    dates: Sequence[datetime.date] = (),
    starts_on: datetime.date | None = None,
    open_days: int,
    reminders: int,
    reminder_spacing_days: int,
    student_share: int | None = None,
) -> Campaign:
    """Create a recurring campaign; refused when it could reach nobody. A student survey asks a
    random sample of ``student_share`` percent of the students in grade 6 and up in each round."""
    survey_usable(survey=survey)
    if survey.audience == Audience.STUDENTS:
        if not student_share:
            raise ValidationError(
                {"student_share": "Give the percent of students (grade 6 and up) to ask in each round."}
            )
    else:
        student_share = None  # only students are sampled
    if not officers and not schools:
        raise ValidationError("Choose at least one officer or one school.")
    if schedule == Schedule.DATES and not dates:
        raise ValidationError({"dates": "Give at least one date."})
    if schedule == Schedule.ONCE:
        raise ValidationError({"schedule": "A one-off round is asked for from an event."})
    if reminders and reminders * reminder_spacing_days >= open_days:
        raise ValidationError({"reminders": "The last reminder would go out after the round has closed."})
    campaign = Campaign.objects.create(
        title=title,
        survey=survey,
        anonymous=anonymous,
        schedule=schedule,
        dates=sorted(set(dates)),
        starts_on=starts_on or timezone.localdate(),
        open_days=open_days,
        reminders=reminders,
        reminder_spacing_days=reminder_spacing_days,
        student_share=student_share,
        created_by=created_by,
    )
    campaign.officers.set(officers)
    campaign.schools.set(schools)
    if next(islice(audience_members(campaign=campaign), 1), None) is None:
        # Raising rolls the campaign back: nothing half-saved.
        raise ValidationError(
            "No one to ask: nobody in this survey's audience has an email address at these schools "
            "(or everyone there opted out). Students are asked from grade 6 up."
        )
    return campaign


@transaction.atomic
def event_round_create(
    *,
    created_by,
    title: str,
    survey: Survey,
    officer: Officer | None,
    school: School | None,
    max_answers: int,
    closes_at: datetime.datetime,
) -> Round:
    """A one-off anonymous round for one event (a classroom presentation), answered through a shared
    link, limited to ``max_answers`` answers and open until ``closes_at``."""
    survey_lock_for_round(survey_id=survey.pk)
    survey_usable(survey=survey)
    now = timezone.now()
    if closes_at <= now:
        raise ValidationError({"closes_at": "The closing time must be in the future."})
    if closes_at > now + datetime.timedelta(days=30):
        raise ValidationError({"closes_at": "An event's round stays open at most 30 days."})
    if not 1 <= max_answers <= 1000:
        raise ValidationError({"max_answers": "Between 1 and 1000 answers."})
    campaign = Campaign.objects.create(
        title=title,
        kind=CampaignKind.EVENT,
        survey=survey,
        anonymous=True,
        schedule=Schedule.ONCE,
        starts_on=timezone.localdate(now),
        open_days=max((closes_at.date() - now.date()).days, 1),
        reminders=0,
        created_by=created_by,
    )
    if officer is not None:
        campaign.officers.add(officer)
    if school is not None:
        campaign.schools.add(school)
    return Round.objects.create(
        campaign=campaign,
        opens_on=timezone.localdate(now),
        status=RoundStatus.OPEN,
        opened_at=now,
        closes_at=closes_at,
        max_answers=max_answers,
        invited_at=now,
    )
