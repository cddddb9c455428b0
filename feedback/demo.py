# ruff: noqa: E501 - the demo register entries are prose, kept one field a line
"""Demo data for feedback: the default surveys, two years of termly staff and family rounds (and a
May round each year, so each year has a baseline, a mid-year and an end-of-year goal round) about
the demo officers with their answers, a classroom event per officer, a few actions and register
entries. Everything is invented. Idempotent: campaigns are found by title, and a round that exists
is left alone. Answers are written with bulk inserts; nothing is emailed (every demo round is
already closed or is an event with a shared link)."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.selectors.items import goals_active
from district.demo import history_years
from district.models import AcademicYear
from district.roles import Role
from feedback.models import (
    ActionStatus,
    Answer,
    Campaign,
    CampaignKind,
    Concern,
    ConcernKind,
    ConcernStatus,
    Figure,
    GoalMeasure,
    ImprovementAction,
    Invitation,
    InvitationStatus,
    Phase,
    QuestionKind,
    Response,
    Round,
    RoundStatus,
    Schedule,
    Survey,
    Theme,
)
from feedback.schedule import opening_dates
from feedback.selectors.audience import audience_members
from feedback.services.goals import goal_measure_set, goal_round_set_up
from feedback.services.rounds import closing_time
from feedback.services.surveys import surveys_default_install
from officers.models import Officer, OfficerStatus
from sro_program.bulk import copy_insert

CAMPAIGNS = [
    # (title, audience, invitations per round at most, share who answer)
    ("Staff survey, every term", "staff", 400, (0.45, 0.65)),
    ("Family survey, every term", "guardians", 600, (0.2, 0.35)),
]
COMMENTS = [
    "The officer knows the students by name.",
    "I would like to see the officer at dismissal more often.",
    "Clear about what the officer does and does not handle.",
    "Hard to reach by phone in the afternoon.",
    "The family night presentation was helpful.",
    "More visits to the lunchroom, please.",
]


def _answers(
    *, rng: random.Random, survey: Survey, questions, response: Response, lift: float
) -> list[Answer]:
    rows = []
    for question in questions:
        if not question.required and rng.random() < 0.4:
            continue
        if question.kind == QuestionKind.SCALE:
            value = min(5, max(1, round(rng.gauss(3.3 + lift, 0.9))))
            rows.append(Answer(response=response, question=question, value=value))
        elif question.kind == QuestionKind.YES_NO:
            rows.append(
                Answer(response=response, question=question, value=int(rng.random() < 0.55 + lift / 4))
            )
        elif question.kind == QuestionKind.SINGLE:
            rows.append(Answer(response=response, question=question, choice=rng.choice(question.choice_list)))
        elif question.kind == QuestionKind.MULTIPLE:
            picked = rng.sample(question.choice_list, k=rng.randint(1, min(2, len(question.choice_list))))
            rows += [Answer(response=response, question=question, choice=choice) for choice in picked]
        elif rng.random() < 0.3:
            rows.append(Answer(response=response, question=question, text=rng.choice(COMMENTS)))
    return rows


def _fill_round(*, rng, round: Round, members, share: tuple[float, float], lift: float) -> tuple[int, int]:
    """Invitations (marked answered for the rate) and as many anonymous responses, in bulk."""
    survey = round.campaign.survey
    questions = list(survey.questions.prefetch_related("choices"))
    for question in questions:
        question.choice_list = list(question.choices.all())
    answering = rng.uniform(*share)
    invitations, responses, answers = [], [], []
    for member in members:
        answered = rng.random() < answering
        status = InvitationStatus.ANSWERED if answered else InvitationStatus.SENT
        invitations.append(
            Invitation(
                round=round,
                email=member.email,
                school_id=member.school_id,
                officer_id=member.officer_id,
                status=status,
            )
        )
        if answered:
            response = Response(round=round, school_id=member.school_id, officer_id=member.officer_id)
            responses.append(response)
    rng.shuffle(responses)  # no order shared between the invitations and the answers
    for response in responses:
        answers += _answers(rng=rng, survey=survey, questions=questions, response=response, lift=lift)
    copy_insert(invitations, model=Invitation)
    copy_insert(responses, model=Response)
    copy_insert(answers, model=Answer)
    Round.objects.filter(pk=round.pk).update(invited_count=len(invitations), invited_at=round.opened_at)
    return len(invitations), len(responses)


def seed(*, rng: random.Random, scale: float) -> dict:
    """Create the feedback demo data; returns counts of what this run created."""
    created = dict.fromkeys(
        ("surveys", "campaigns", "rounds", "invitations", "responses", "events", "actions", "concerns"), 0
    )
    before = Survey.objects.count()
    surveys_default_install()
    created["surveys"] = Survey.objects.count() - before
    officers = list(Officer.objects.filter(status=OfficerStatus.ACTIVE).order_by("badge_number"))
    coordinator = get_user_model().objects.filter(groups__name=Role.COORDINATOR.label).order_by("pk").first()
    if not officers or coordinator is None:
        return created
    today = timezone.localdate()
    years, widen = _history(scale)
    start = today.replace(year=today.year - years)
    for title, audience, cap, share in CAMPAIGNS:
        cap = int(cap * widen + 0.5)
        survey = Survey.objects.get(audience=audience, is_default=True)
        campaign, made = Campaign.objects.get_or_create(
            title=title,
            defaults={"survey": survey, "schedule": Schedule.TERM, "starts_on": start, "open_days": 14,
                      "reminders": 2, "reminder_spacing_days": 4, "created_by": coordinator},
        )  # fmt: skip
        if made:
            campaign.officers.set(officers)
            created["campaigns"] += 1
        members = list(audience_members(campaign=campaign))
        # The termly rounds, and an end-of-year round in May of each year (the goals' third reading).
        may = [datetime.date(year, 5, 15) for year in range(start.year + 1, today.year + 1)]
        days = [day for day in sorted({*opening_dates(schedule=Schedule.TERM, dates=[], start=start, end=today), *may})
                if closing_time(opens_on=day, open_days=14) <= timezone.now()]  # fmt: skip
        for index, day in enumerate(days):
            if Round.objects.filter(campaign=campaign, opens_on=day).exists():
                continue
            opened = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))
            round = Round.objects.create(
                campaign=campaign, opens_on=day, status=RoundStatus.CLOSED, opened_at=opened,
                closes_at=closing_time(opens_on=day, open_days=14), reminders_sent=2,
            )  # fmt: skip
            sample = rng.sample(members, k=min(cap, len(members)))
            invited, answered = _fill_round(
                rng=rng, round=round, members=sample, share=share, lift=0.12 * index
            )
            created["rounds"] += 1
            created["invitations"] += invited
            created["responses"] += answered
            if index == 0:
                for officer in officers[:2]:
                    ImprovementAction.objects.create(
                        round=round, officer=officer, theme=Theme.COMPLAINTS,
                        finding="Fewer than half knew how to make a complaint or a commendation.",
                        change="A card with the complaint process goes home in every family folder; posters by the office.",
                        owner=f"{officer} and the coordinator", due_on=day + datetime.timedelta(days=60),
                        status=ActionStatus.DONE, created_by=coordinator,
                    )  # fmt: skip
                    created["actions"] += 1
    created["goal_rounds"] = _goal_rounds()
    created["events"] += _events(rng=rng, officers=officers, coordinator=coordinator)
    created["concerns"] += _concerns(officers=officers)
    return created


# The agreement's goals that the demo's family survey measures: (goal code, theme, figure, target).
GOAL_MEASURES = [("everyone-knows-sro", Theme.ROLE, Figure.YES, 90)]


def _goal_rounds() -> int:
    """Tag each demo campaign's rounds of each academic year as its baseline (the first), mid-year
    pulse (the middle one) and end-of-year round (the last), and measure the demo goals by them.
    Returns how many rounds this run tagged."""
    tagged = 0
    years = list(AcademicYear.objects.all())
    for title, _audience, _cap, _share in CAMPAIGNS:
        campaign = Campaign.objects.get(title=title)
        for year in years:
            rounds = list(
                campaign.rounds.filter(opens_on__range=(year.start_date, year.end_date)).order_by("opens_on")
            )
            # A year under way has its baseline so far; a year with three rounds or more has all three.
            picks = [(Phase.BASELINE, rounds[:1])]
            if len(rounds) >= 3:
                picks += [(Phase.MID_YEAR, [rounds[len(rounds) // 2]]), (Phase.END_OF_YEAR, [rounds[-1]])]
            for phase, chosen in picks:
                for round in chosen:
                    if round.phase:
                        continue
                    try:
                        goal_round_set_up(
                            campaign=campaign, academic_year=year, phase=phase, opens_on=round.opens_on
                        )
                    except ValidationError:  # the phase is already another round of that year
                        continue
                    tagged += 1
    families = Campaign.objects.get(title=CAMPAIGNS[1][0])
    goals = {goal.code: goal for goal in goals_active()}
    for code, theme, figure, target in GOAL_MEASURES:
        goal = goals.get(code)
        if goal is None or GoalMeasure.objects.filter(goal=goal).exists():
            continue
        try:
            goal_measure_set(goal=goal, campaign=families, theme=theme, figure=figure, target=target)
        except ValidationError:  # the default survey changed: leave the goal unmeasured
            continue
    return tagged


def _history(scale: float) -> tuple[int, float]:
    """Years of termly rounds and how many more people each asks: two years as at scale 1; above it
    the district's years of history and wider rounds (about 200,000 answers at scale 10)."""
    if scale <= 1:
        return 2, 1.0
    return max(2, history_years(scale)), 1 + (scale - 1) / 2


def _events(*, rng, officers, coordinator) -> int:
    students = Survey.objects.get(audience="students", is_default=True)
    made = 0
    for officer in officers:
        title = f"Classroom presentation: online safety ({officer.family_name})"
        if Campaign.objects.filter(title=title, kind=CampaignKind.EVENT).exists():
            continue
        day = timezone.localdate() - datetime.timedelta(days=rng.randint(10, 60))
        campaign = Campaign.objects.create(
            title=title, kind=CampaignKind.EVENT, survey=students, schedule=Schedule.ONCE, starts_on=day,
            open_days=1, reminders=0, created_by=officer.user or coordinator,
        )  # fmt: skip
        campaign.officers.add(officer)
        opened = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        round = Round.objects.create(
            campaign=campaign, opens_on=day, status=RoundStatus.CLOSED, opened_at=opened,
            closes_at=opened + datetime.timedelta(hours=4), max_answers=30, invited_at=opened,
        )  # fmt: skip
        questions = list(students.questions.prefetch_related("choices"))
        for question in questions:
            question.choice_list = list(question.choices.all())
        responses = [Response(round=round, officer=officer) for _ in range(rng.randint(18, 28))]
        answers = [
            a
            for r in responses
            for a in _answers(rng=rng, survey=students, questions=questions, response=r, lift=0.4)
        ]
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(answers)
        Round.objects.filter(pk=round.pk).update(answers_count=len(responses))
        made += 1
    return made


def _concerns(*, officers) -> int:
    if Concern.objects.exists():
        return 0
    now = timezone.now()
    Concern.objects.bulk_create(
        [
            Concern(kind=ConcernKind.COMMENDATION, received_at=now - datetime.timedelta(days=40), officer=officers[0],
                    about="Helped a lost kindergartner find her bus",
                    description="Calm and kind; my daughter talks about it still.", status=ConcernStatus.RESOLVED,
                    response="Shared with the officer and the sergeant.", outcome="Letter of thanks on file"),
            Concern(kind=ConcernKind.COMPLAINT, received_at=now - datetime.timedelta(days=12), name="A parent",
                    email="parent.demo@family.example", officer=officers[-1], about="Raised voice at dismissal",
                    description="The officer shouted at students crossing against the light.",
                    status=ConcernStatus.REVIEWING),
        ]
    )  # fmt: skip
    return 2
