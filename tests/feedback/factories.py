"""Factories and builders for the feedback app's tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from feedback.models import (
    Audience,
    Campaign,
    Invitation,
    InvitationLink,
    InvitationStatus,
    QuestionKind,
    Round,
    RoundStatus,
    Survey,
    Theme,
)
from feedback.services.rounds import new_token
from feedback.services.surveys import question_add


def survey_with_questions(*, audience=Audience.STAFF, title="Staff pulse", required_text=False) -> Survey:
    """A survey with one question of each kind: scale, single, multiple, yes/no, text (in that order)."""
    survey = Survey.objects.create(title=title, title_es=f"{title} (es)", audience=audience)
    question_add(
        survey=survey,
        kind=QuestionKind.SCALE,
        theme=Theme.SAFETY,
        text="I feel safe.",
        text_es="Me siento seguro.",
    )
    question_add(
        survey=survey,
        kind=QuestionKind.SINGLE,
        theme=Theme.VISIBILITY,
        text="How often?",
        text_es="¿Con qué frecuencia?",
        choices=[("Daily", "A diario"), ("Rarely", "Casi nunca")],
    )
    question_add(
        survey=survey,
        kind=QuestionKind.MULTIPLE,
        theme=Theme.ROLE,
        text="How do you reach them?",
        text_es="¿Cómo se comunica?",
        required=False,
        choices=[("Phone", "Teléfono"), ("Email", "Correo")],
    )
    question_add(
        survey=survey,
        kind=QuestionKind.YES_NO,
        theme=Theme.COMPLAINTS,
        text="Know how to complain?",
        text_es="¿Sabe cómo quejarse?",
    )
    question_add(
        survey=survey,
        kind=QuestionKind.TEXT,
        theme=Theme.COMMUNICATION,
        text="Anything else?",
        text_es="¿Algo más?",
        required=required_text,
    )
    return survey  # fmt: skip


def campaign_for(
    *, survey: Survey, created_by, schools=(), officers=(), anonymous=True, **options
) -> Campaign:
    campaign = Campaign.objects.create(
        title=options.pop("title", "Staff survey"),
        survey=survey,
        anonymous=anonymous,
        created_by=created_by,
        **options,
    )
    campaign.schools.set(schools)
    campaign.officers.set(officers)
    return campaign


def open_round(*, campaign: Campaign, days: int = 14, **fields) -> Round:
    now = timezone.now()
    return Round.objects.create(
        campaign=campaign,
        opens_on=fields.pop("opens_on", timezone.localdate()),
        status=RoundStatus.OPEN,
        opened_at=now,
        closes_at=now + datetime.timedelta(days=days),
        **fields,
    )


def invitation_with_token(
    *, round: Round, email="teacher@district.example", **fields
) -> tuple[Invitation, str]:
    invitation = Invitation.objects.create(round=round, email=email, status=InvitationStatus.SENT, **fields)
    token, hashed = new_token()
    InvitationLink.objects.create(invitation=invitation, token_hash=hashed)
    return invitation, token


def answers_for(survey: Survey, *, scale=4) -> dict:
    """A complete, valid set of answers to ``survey_with_questions``."""
    scale_q, single, multiple, yes_no, text = survey.questions.order_by("position")
    return {
        scale_q.pk: scale,
        single.pk: single.choices.first().pk,
        multiple.pk: [choice.pk for choice in multiple.choices.all()],
        yes_no.pk: True,
        text.pk: "Thank you.",
    }
