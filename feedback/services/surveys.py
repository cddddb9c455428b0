"""Writes to surveys: create one; add, edit, reorder and delete its questions and their choices while
no round has used it; copy a used (frozen) survey to a new, editable version; install the defaults.

A survey that a round has used never changes, so that every answer keeps the question it answered.
Each change locks the survey row (FOR UPDATE) and checks for a round under that lock; the paths that
create a round lock the same row first (``survey_lock_for_round``), so the two never interleave."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from feedback.defaults import DEFAULT_SURVEYS
from feedback.models import Choice, Question, QuestionKind, Round, Survey

FROZEN = (
    "A round has used this survey, so its questions can no longer change. "
    "Copy it to a new version and edit the copy."
)


def survey_is_frozen(*, survey: Survey) -> bool:
    """True once a round (of any campaign) has used the survey."""
    return Round.objects.filter(campaign__survey=survey).exists()


def survey_lock_for_round(*, survey_id: int) -> None:
    """Called in the transaction that creates a round: waits for an edit of the survey under way, and
    holds off new edits until the round is committed (after which the survey is frozen)."""
    list(Survey.objects.select_for_update(no_key=True).filter(pk=survey_id).values_list("pk"))


def _lock_editable(survey: Survey) -> None:
    """Lock the survey row and refuse if a round has used the survey (inside the caller's transaction)."""
    Survey.objects.select_for_update().get(pk=survey.pk)
    if survey_is_frozen(survey=survey):
        raise ValidationError(FROZEN)


def _check_choices(kind: str, choices: Sequence[tuple[str, str]]) -> None:
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(choices) < 2:
            raise ValidationError({"choices": "A choice question needs at least two choices."})
    elif choices:
        raise ValidationError({"choices": "Only single- and multiple-choice questions have choices."})


def _choices_create(question: Question, choices: Sequence[tuple[str, str]]) -> None:
    Choice.objects.bulk_create(
        Choice(question=question, position=index, text=english, text_es=spanish)
        for index, (english, spanish) in enumerate(choices, start=1)
    )


@transaction.atomic
def survey_create(
    *, title: str, title_es: str, audience: str, introduction: str = "", introduction_es: str = ""
) -> Survey:
    """Create an empty survey; it can be used in a campaign once it has a question."""
    if Survey.objects.filter(title=title).exists():
        raise ValidationError({"title": "A survey with this title already exists."})
    return Survey.objects.create(
        title=title,
        title_es=title_es,
        audience=audience,
        introduction=introduction,
        introduction_es=introduction_es,
    )


@transaction.atomic
def question_add(
    *,
    survey: Survey,
    kind: str,
    theme: str,
    text: str,
    text_es: str,
    required: bool = True,
    choices: Sequence[tuple[str, str]] = (),
) -> Question:
    """Add a question at the end of the survey; choice questions need at least two choices."""
    _check_choices(kind, choices)
    # The lock also gives two questions added at once different positions.
    _lock_editable(survey)
    position = (survey.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    question = Question.objects.create(
        survey=survey,
        position=position,
        kind=kind,
        theme=theme,
        text=text,
        text_es=text_es,
        required=required,
    )
    _choices_create(question, choices)
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    kind: str,
    theme: str,
    text: str,
    text_es: str,
    required: bool = True,
    choices: Sequence[tuple[str, str]] = (),
) -> Question:
    """Change a question of a survey no round has used; its choices are replaced by ``choices``, in
    that order (so a choice is edited, reordered or removed by editing the list)."""
    _check_choices(kind, choices)
    _lock_editable(question.survey)
    question = Question.objects.get(pk=question.pk)
    question.kind, question.theme, question.required = kind, theme, required
    question.text, question.text_es = text, text_es
    question.save(update_fields=["kind", "theme", "required", "text", "text_es"])
    question.choices.all().delete()
    _choices_create(question, choices)
    return question


@transaction.atomic
def question_move(*, question: Question, direction: str) -> bool:
    """Swap a question with the one before ("up") or after ("down"); False if it is already first
    or last."""
    if direction not in ("up", "down"):
        raise ValidationError("Move a question up or down.")
    _lock_editable(question.survey)
    question = Question.objects.get(pk=question.pk)
    siblings = Question.objects.filter(survey_id=question.survey_id)
    neighbour = (
        siblings.filter(position__lt=question.position).order_by("-position").first()
        if direction == "up"
        else siblings.filter(position__gt=question.position).order_by("position").first()
    )
    if neighbour is None:
        return False
    # Positions are unique per survey: park one at 0 (never used) while the two swap.
    mine, theirs = question.position, neighbour.position
    Question.objects.filter(pk=question.pk).update(position=0)
    Question.objects.filter(pk=neighbour.pk).update(position=mine)
    Question.objects.filter(pk=question.pk).update(position=theirs)
    return True


@transaction.atomic
def question_delete(*, question: Question) -> bool:
    """Delete a question (and its choices) of a survey no round has used; a survey that a campaign
    uses keeps at least one question."""
    survey = question.survey
    _lock_editable(survey)
    if survey.campaigns.exists() and survey.questions.count() <= 1:
        raise ValidationError("A campaign uses this survey, so it must keep at least one question.")
    Question.objects.filter(pk=question.pk).delete()
    return True


def _next_title(base: str, spanish: str) -> tuple[str, str]:
    """The first free "<title> (version n)" from 2 up, with the Spanish title numbered alike."""
    base = base.split(" (version ")[0]
    spanish = spanish.split(" (versión ")[0]
    taken = set(Survey.objects.filter(title__startswith=base).values_list("title", flat=True))
    number = 2
    while f"{base} (version {number})" in taken:
        number += 1
    return f"{base} (version {number})"[:200], f"{spanish} (versión {number})"[:200]


@transaction.atomic
def survey_copy(*, survey: Survey) -> Survey:
    """A new, editable version of a survey: the same audience, introduction, questions and choices."""
    Survey.objects.select_for_update().get(pk=survey.pk)  # two copies at once get different titles
    title, title_es = _next_title(survey.title, survey.title_es)
    if Survey.objects.filter(title=title).exists():
        raise ValidationError("A survey with the new version's title already exists; rename it first.")
    copy = Survey.objects.create(
        title=title,
        title_es=title_es,
        introduction=survey.introduction,
        introduction_es=survey.introduction_es,
        audience=survey.audience,
        previous_version=survey,
    )
    questions = list(survey.questions.prefetch_related("choices").order_by("position"))
    new_questions = Question.objects.bulk_create(
        Question(
            survey=copy,
            position=q.position,
            kind=q.kind,
            theme=q.theme,
            required=q.required,
            text=q.text,
            text_es=q.text_es,
        )
        for q in questions
    )
    Choice.objects.bulk_create(
        Choice(question=new, position=c.position, text=c.text, text_es=c.text_es)
        for old, new in zip(questions, new_questions, strict=True)
        for c in old.choices.all()
    )
    return copy


@transaction.atomic
def surveys_default_install() -> list[Survey]:
    """Create the default survey of each audience that has none yet; a second run changes nothing."""
    surveys = []
    for audience, spec in DEFAULT_SURVEYS.items():
        survey = Survey.objects.filter(audience=audience, is_default=True).first()
        if survey is None:
            try:
                with transaction.atomic():
                    survey = Survey.objects.create(
                        audience=audience,
                        is_default=True,
                        **{
                            key: spec[key] for key in ("title", "title_es", "introduction", "introduction_es")
                        },
                    )
            except IntegrityError:  # installed at the same moment by another process
                survey = Survey.objects.get(audience=audience, is_default=True)
                surveys.append(survey)
                continue
            for kind, theme, required, text, text_es, choices in spec["questions"]:
                question_add(
                    survey=survey, kind=kind, theme=theme, required=required, text=text, text_es=text_es,
                    choices=choices,
                )  # fmt: skip
        surveys.append(survey)
    return surveys
