"""Writes to surveys: create one, add a question with its choices, install the default surveys."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from feedback.defaults import DEFAULT_SURVEYS
from feedback.models import Choice, Question, QuestionKind, Survey


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
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(choices) < 2:
            raise ValidationError({"choices": "A choice question needs at least two choices."})
    elif choices:
        raise ValidationError({"choices": "Only single- and multiple-choice questions have choices."})
    # Lock the survey so two questions added at once get different positions.
    Survey.objects.select_for_update().get(pk=survey.pk)
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
    Choice.objects.bulk_create(
        Choice(question=question, position=index, text=english, text_es=spanish)
        for index, (english, spanish) in enumerate(choices, start=1)
    )
    return question


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
