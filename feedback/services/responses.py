"""Storing answers: through a private single-use link, or through an event's shared link.

Anonymity: the response row is written with the group only (round, school, officer); the
invitation is only marked answered. The two writes share a transaction, so a response is never
stored without its invitation being used up, nor the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from feedback.models import (
    Answer,
    Invitation,
    InvitationLink,
    InvitationStatus,
    Language,
    Question,
    QuestionKind,
    Response,
    Round,
    RoundStatus,
    Survey,
)

EVENT_SALT = "feedback.event"


class LinkUnusable(Exception):
    """A link that cannot take an answer; ``reason`` is one of the REASONS keys."""

    REASONS = {
        "invalid": "This link is not valid. Please check that you copied all of it.",
        "used": "This link has already been used: the answers were received. Thank you.",
        "closed": "This survey is closed and no longer takes answers.",
        "full": "This survey has received all the answers it asked for.",
    }

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return self.REASONS[self.reason]

    @property
    def status(self) -> int:
        return 400 if self.reason == "invalid" else 410


@dataclass
class Target:
    """What a link leads to: the round, and (for a private link) the invitation."""

    round: Round
    invitation: Invitation | None = None


def field_name(question: Question) -> str:
    return f"q_{question.pk}"


def event_token(*, round_id: int) -> str:
    """The shared link's code for an event round: signed, so it cannot be guessed or altered, and
    the same every time it is shown (no timestamp in it)."""
    return signing.Signer(salt=EVENT_SALT).sign_object(round_id)


def link_target(*, token: str) -> Target:
    """The invitation a private link leads to, or LinkUnusable saying why not."""
    link = (
        InvitationLink.objects.select_related("invitation__round__campaign__survey")
        .filter(token_hash=InvitationLink.hash_token(token))
        .first()
    )
    if link is None:
        raise LinkUnusable("invalid")
    invitation = link.invitation
    if invitation.status == InvitationStatus.ANSWERED:
        raise LinkUnusable("used")
    if not invitation.round.is_accepting:
        raise LinkUnusable("closed")
    return Target(round=invitation.round, invitation=invitation)


def event_target(*, token: str) -> Target:
    """The event round a shared link leads to, or LinkUnusable saying why not."""
    try:
        round_id = signing.Signer(salt=EVENT_SALT).unsign_object(token)
    except signing.BadSignature:
        raise LinkUnusable("invalid") from None
    round = Round.objects.select_related("campaign__survey").filter(pk=round_id).first()
    if round is None or round.max_answers is None:
        raise LinkUnusable("invalid")
    if not round.is_accepting:
        raise LinkUnusable("closed")
    if round.answers_count >= round.max_answers:
        raise LinkUnusable("full")
    return Target(round=round)


def answers_clean(*, survey: Survey, answers: dict[int, Any]) -> list[Answer]:
    """Check answers against the survey (every key one of its questions, every required question
    answered, every value of the question's kind); the unsaved Answer rows, or ValidationError."""
    questions = {question.pk: question for question in survey.questions.prefetch_related("choices")}
    foreign = set(answers) - set(questions)
    if foreign:
        raise ValidationError("Some answers are to questions that are not in this survey.", code="foreign")
    errors: dict[str, list[str]] = {}
    rows: list[Answer] = []
    for question in questions.values():
        value = answers.get(question.pk)
        empty = value in (None, "", [], ())
        if empty:
            if question.required:
                errors[field_name(question)] = ["Please answer this question."]
            continue
        choice_ids = {choice.pk for choice in question.choices.all()}
        if question.kind == QuestionKind.SCALE:
            if not (isinstance(value, int) and 1 <= value <= 5):
                errors[field_name(question)] = ["Choose a point from 1 to 5."]
                continue
            rows.append(Answer(question=question, value=value))
        elif question.kind == QuestionKind.YES_NO:
            if not isinstance(value, bool):
                errors[field_name(question)] = ["Choose yes or no."]
                continue
            rows.append(Answer(question=question, value=int(value)))
        elif question.kind == QuestionKind.TEXT:
            rows.append(Answer(question=question, text=str(value)[:4000]))
        else:
            picked = value if question.kind == QuestionKind.MULTIPLE else [value]
            if not all(isinstance(pk, int) and pk in choice_ids for pk in picked):
                errors[field_name(question)] = ["Choose one of the options shown."]
                continue
            rows += [Answer(question=question, choice_id=pk) for pk in sorted(set(picked))]
    if errors:
        raise ValidationError(errors)
    return rows


def _store(*, round: Round, rows: list[Answer], language: str, school_id, officer_id, email: str) -> Response:
    named = not round.campaign.anonymous
    response = Response.objects.create(
        round=round,
        school_id=school_id,
        officer_id=officer_id,
        language=language if language in Language.values else Language.ENGLISH,
        respondent_email=email if named else "",
        submitted_on=timezone.localdate() if named else None,
    )
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response


@transaction.atomic
def response_submit(*, token: str, answers: dict[int, Any], language: str) -> Response:
    """Store the answers given through a private link; the link is used up in the same transaction.
    A second submission (or a second worker racing the first) finds the invitation answered."""
    target = link_target(token=token)
    rows = answers_clean(survey=target.round.campaign.survey, answers=answers)
    invitation = target.invitation
    # The claim: one conditional UPDATE, so of two submissions at once exactly one wins. Its
    # condition names only the invitation's own columns: PostgreSQL re-checks those on the row a
    # concurrent claim just changed, but not a condition on a joined table (the round's status,
    # already checked by link_target), which would let the second claim through.
    claimed = Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.SENT).update(
        status=InvitationStatus.ANSWERED
    )
    if not claimed:
        raise LinkUnusable("used")
    return _store(
        round=target.round,
        rows=rows,
        language=language,
        school_id=invitation.school_id,
        officer_id=invitation.officer_id,
        email=invitation.email,
    )


@transaction.atomic
def event_response_submit(*, token: str, answers: dict[int, Any], language: str) -> Response:
    """Store an answer given through an event's shared link, within its limit and closing time (a
    conditional UPDATE on the counter: the database never takes one answer too many)."""
    target = event_target(token=token)
    round = target.round
    rows = answers_clean(survey=round.campaign.survey, answers=answers)
    counted = Round.objects.filter(
        Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now()),
        pk=round.pk,
        status=RoundStatus.OPEN,
        answers_count__lt=F("max_answers"),
    ).update(answers_count=F("answers_count") + 1)
    if not counted:
        raise LinkUnusable("full" if round.is_accepting else "closed")
    officer = round.campaign.officers.first()
    school = round.campaign.schools.first()
    return _store(
        round=round,
        rows=rows,
        language=language,
        school_id=school.pk if school else None,
        officer_id=officer.pk if officer else None,
        email="",
    )
