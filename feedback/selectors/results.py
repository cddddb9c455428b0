"""Results: response rate, each question's distribution and mean with its count, comments, the trend
across rounds. A group with fewer answers than FEEDBACK_MIN_GROUP_SIZE shows nothing but a note, so
that no one's answer can be picked out. Each function runs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet

from feedback.models import (
    SCALE_LABELS,
    YES_NO_LABELS,
    Answer,
    ImprovementAction,
    Invitation,
    InvitationStatus,
    QuestionKind,
    Response,
    Round,
)


def min_group_size() -> int:
    return settings.FEEDBACK_MIN_GROUP_SIZE


@dataclass
class QuestionResult:
    question: object
    count: int = 0
    mean: float | None = None
    rows: list[tuple[str, int, int]] = field(default_factory=list)  # (label, count, percent)


@dataclass
class Summary:
    responses: int
    invited: int
    answered: int
    suppressed: bool
    questions: list[QuestionResult]
    comments: list[tuple[str, str]]  # (question, text)

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.answered / self.invited) if self.invited else None


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _mean(value: float) -> float:
    return round(value, 2)


def round_summary(
    *, round: Round, responses: QuerySet[Response], invitations: QuerySet[Invitation]
) -> Summary:
    """The results of ``responses`` (already narrowed to what the viewer may see) in one round."""
    counted = responses.filter(round=round)
    total = counted.count()
    rate = invitations.filter(round=round).aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(status=InvitationStatus.ANSWERED))
    )
    if round.max_answers is not None:  # an event: the shared link's count stands for the rate
        rate = {"invited": round.max_answers, "answered": round.answers_count}
    if total < min_group_size():
        return Summary(total, rate["invited"], rate["answered"], True, [], [])
    questions = list(round.campaign.survey.questions.prefetch_related("choices"))
    tallies: dict[int, dict] = defaultdict(dict)
    for row in (
        Answer.objects.filter(response__in=counted)
        .exclude(question__kind=QuestionKind.TEXT)
        .values("question_id", "value", "choice_id")
        .annotate(n=Count("pk"))
    ):
        key = row["choice_id"] if row["choice_id"] is not None else row["value"]
        tallies[row["question_id"]][key] = row["n"]
    results = []
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            continue
        tally = tallies.get(question.pk, {})
        result = QuestionResult(question=question)
        if question.kind == QuestionKind.SCALE:
            result.count = sum(tally.values())
            labels = list(enumerate(SCALE_LABELS["en"], start=1))
            result.rows = [
                (f"{n} – {label}", tally.get(n, 0), _percent(tally.get(n, 0), result.count))
                for n, label in labels
            ]
            if result.count:
                result.mean = _mean(sum(n * c for n, c in tally.items()) / result.count)
        elif question.kind == QuestionKind.YES_NO:
            result.count = sum(tally.values())
            yes, no = YES_NO_LABELS["en"]
            result.rows = [(yes, tally.get(1, 0), _percent(tally.get(1, 0), result.count)),
                           (no, tally.get(0, 0), _percent(tally.get(0, 0), result.count))]  # fmt: skip
        else:
            # Multiple choice: the count is of people who answered, each choice's share of them.
            result.count = total if question.kind == QuestionKind.MULTIPLE else sum(tally.values())
            result.rows = [
                (choice.text, tally.get(choice.pk, 0), _percent(tally.get(choice.pk, 0), result.count))
                for choice in question.choices.all()
            ]
        results.append(result)
    comments = list(
        Answer.objects.filter(response__in=counted, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by("question__position", "text")
        .values_list("question__text", "text")
    )
    return Summary(total, rate["invited"], rate["answered"], False, results, comments)


def round_groups(*, round: Round, responses: QuerySet[Response]) -> dict[str, list[dict]]:
    """How many answers each school and officer has in the round (to offer each group's results)."""
    counted = responses.filter(round=round)
    return {
        "schools": list(
            counted.filter(school__isnull=False)
            .values("school_id", "school__name")
            .annotate(n=Count("pk"))
            .order_by("school__name")
        ),
        "officers": list(
            counted.filter(officer__isnull=False)
            .values("officer_id", "officer__given_name", "officer__family_name")
            .annotate(n=Count("pk"))
            .order_by("officer__family_name")
        ),
    }


@dataclass
class TrendPoint:
    round: Round
    responses: int
    mean: float | None
    suppressed: bool


def trend(*, rounds: QuerySet[Round], responses: QuerySet[Response]) -> list[TrendPoint]:
    """Each round's count and mean of its scale answers, oldest first; small groups suppressed."""
    rounds = list(rounds.select_related("campaign").order_by("opens_on", "pk"))
    ids = [r.pk for r in rounds]
    counts = dict(
        responses.filter(round_id__in=ids)
        .values("round_id")
        .annotate(n=Count("pk"))
        .values_list("round_id", "n")
    )
    means = dict(
        Answer.objects.filter(
            response__in=responses.filter(round_id__in=ids), question__kind=QuestionKind.SCALE
        )
        .values("response__round_id")
        .annotate(mean=Avg("value"))
        .values_list("response__round_id", "mean")
    )
    points = []
    for r in rounds:
        n = counts.get(r.pk, 0)
        hidden = n < min_group_size()
        mean = None if hidden or means.get(r.pk) is None else round(float(means[r.pk]), 2)
        points.append(TrendPoint(round=r, responses=n, mean=mean, suppressed=hidden))
    return points


def actions_before(*, round: Round, actions: QuerySet[ImprovementAction]) -> list[ImprovementAction]:
    """ "You said, we did": the actions taken on the campaign's earlier rounds, shown beside this one."""
    return list(
        actions.filter(round__campaign_id=round.campaign_id, round__opens_on__lt=round.opens_on)
        .select_related("round")
        .order_by("-round__opens_on", "due_on")
    )


def export_rows(*, round: Round, responses: QuerySet[Response], invitations: QuerySet[Invitation]):
    """The CSV export: one line per question and answer option, for the round and each group that is
    large enough; suppressed groups appear with a note and no numbers. Nothing names a person."""
    yield ["group", "question", "theme", "option", "count", "percent", "answers", "mean"]
    groups = [("Whole round", responses)]
    listed = round_groups(round=round, responses=responses)
    groups += [
        (f"School: {g['school__name']}", responses.filter(school_id=g["school_id"]))
        for g in listed["schools"]
    ]
    groups += [
        (
            f"Officer: {g['officer__given_name']} {g['officer__family_name']}",
            responses.filter(officer_id=g["officer_id"]),
        )
        for g in listed["officers"]
    ]
    for label, group in groups:
        summary = round_summary(round=round, responses=group, invitations=invitations)
        if summary.suppressed:
            yield [
                label,
                f"fewer than {min_group_size()} answers: not shown",
                "",
                "",
                "",
                "",
                summary.responses,
                "",
            ]
            continue
        for result in summary.questions:
            for option, count, percent in result.rows:
                question = result.question
                mean = result.mean if result.mean is not None else ""
                yield [
                    label,
                    question.text,
                    question.get_theme_display(),
                    option,
                    count,
                    percent,
                    result.count,
                    mean,
                ]
