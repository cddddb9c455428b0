"""Feedback: surveys (questions in English and Spanish), campaigns that repeat them, rounds that send
them, single-use invitations, answers kept apart from the people who gave them, improvement actions
and the complaints and commendations register.

Anonymity is a property of the schema, not of the code paths: a ``Response`` has no key to an
invitation or to a person, its primary key is random (so row order says nothing), and an anonymous
response keeps no time finer than its round. An invitation only learns that it was answered.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from district.models import AcademicYear, School
from officers.models import Officer


class Audience(models.TextChoices):
    STUDENTS = "students", "Students"
    STAFF = "staff", "Staff"
    GUARDIANS = "guardians", "Guardians"
    ADMINISTRATORS = "administrators", "Administrators"
    SELF = "self", "Officer self-assessment"


class Theme(models.TextChoices):
    SAFETY = "safety", "Feeling safe"
    TRUST = "trust", "Trust"
    ROLE = "role", "Knowing the officer's role and how to reach them"
    COMPLAINTS = "complaints", "Knowing how to complain"
    VISIBILITY = "visibility", "Visibility"
    COMMUNICATION = "communication", "Communication"
    RESPONSIVENESS = "responsiveness", "Responsiveness"
    COLLABORATION = "collaboration", "Collaboration"


class QuestionKind(models.TextChoices):
    SCALE = "scale", "Agreement scale (1 to 5)"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    YES_NO = "yes_no", "Yes or no"
    TEXT = "text", "Free text"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"


# The five points of the agreement scale, in both languages, lowest first.
SCALE_LABELS = {
    "en": ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"],
    "es": [
        "Muy en desacuerdo",
        "En desacuerdo",
        "Ni de acuerdo ni en desacuerdo",
        "De acuerdo",
        "Muy de acuerdo",
    ],
}
YES_NO_LABELS = {"en": ("Yes", "No"), "es": ("Sí", "No")}


class Survey(models.Model):
    """A questionnaire for one audience, written in English and Spanish."""

    title = models.CharField(max_length=200)
    title_es = models.CharField("title (Spanish)", max_length=200)
    introduction = models.TextField(blank=True)
    introduction_es = models.TextField("introduction (Spanish)", blank=True)
    audience = models.CharField(max_length=16, choices=Audience.choices)
    is_default = models.BooleanField(default=False, help_text="The survey offered first for its audience.")
    created_at = models.DateTimeField(default=timezone.now)
    # A survey sent in a round never changes; its next version starts as a copy of it.
    previous_version = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_versions"
    )

    class Meta:
        ordering = ["audience", "title"]
        constraints = [
            models.UniqueConstraint(fields=["title"], name="feedback_survey_title_unique"),
            models.UniqueConstraint(
                fields=["audience"],
                condition=Q(is_default=True),
                name="feedback_one_default_survey_per_audience",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: str) -> str:
        return self.title_es if language == Language.SPANISH else self.title

    def introduction_in(self, language: str) -> str:
        return self.introduction_es if language == Language.SPANISH else self.introduction


class Question(models.Model):
    """One question of a survey: its kind, theme, order, whether it must be answered, its two wordings."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    theme = models.CharField(max_length=16, choices=Theme.choices)
    required = models.BooleanField(default=True)
    text = models.CharField(max_length=500)
    text_es = models.CharField("text (Spanish)", max_length=500)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="feedback_question_position_unique"),
        ]

    def __str__(self) -> str:
        return self.text

    def text_in(self, language: str) -> str:
        return self.text_es if language == Language.SPANISH else self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Choice(models.Model):
    """One option of a single- or multiple-choice question, in both languages."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=200)
    text_es = models.CharField("text (Spanish)", max_length=200)

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="feedback_choice_position_unique"),
        ]

    def __str__(self) -> str:
        return self.text

    def text_in(self, language: str) -> str:
        return self.text_es if language == Language.SPANISH else self.text


class Schedule(models.TextChoices):
    TERM = "term", "Every term"
    QUARTERLY = "quarterly", "Quarterly"
    DATES = "dates", "On chosen dates"
    ONCE = "once", "Once (one event)"


class CampaignKind(models.TextChoices):
    RECURRING = "recurring", "Recurring survey"
    EVENT = "event", "One event"


class Campaign(models.Model):
    """A survey asked of an audience about its subjects (officers, schools), on a schedule."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=CampaignKind.choices, default=CampaignKind.RECURRING)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="campaigns")
    officers = models.ManyToManyField(Officer, related_name="feedback_campaigns", blank=True)
    schools = models.ManyToManyField(School, related_name="feedback_campaigns", blank=True)
    anonymous = models.BooleanField(default=True)
    schedule = models.CharField(max_length=10, choices=Schedule.choices, default=Schedule.TERM)
    dates = ArrayField(models.DateField(), default=list, blank=True, help_text="For 'on chosen dates'.")
    starts_on = models.DateField(default=timezone.localdate, help_text="No round opens before this day.")
    open_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Days a round stays open.",
    )
    reminders = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(5)],
        help_text="How many reminders to those who have not answered.",
    )
    reminder_spacing_days = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="Days between reminders.",
    )
    # Students only: each round asks a random sample of this share of the active students in grade 6
    # and up at the campaign's schools (drawn with the round as its seed).
    student_share = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Students only: the percent of students in grade 6 and up asked in each round.",
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(student_share__isnull=True) | Q(student_share__gte=1, student_share__lte=100),
                name="feedback_campaign_student_share_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_recurring(self) -> bool:
        return self.kind == CampaignKind.RECURRING


class Phase(models.TextChoices):
    """Where a round stands in the academic year when it measures the program's goals."""

    BASELINE = "baseline", "Baseline"
    MID_YEAR = "mid_year", "Mid-year pulse"
    END_OF_YEAR = "end_of_year", "End of year"


class RoundStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Round(models.Model):
    """One sending of a campaign's survey: opened on a day, closed at a time, counted."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rounds")
    opens_on = models.DateField()
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.SCHEDULED)
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    invited_count = models.PositiveIntegerField(default=0)
    invited_at = models.DateTimeField(null=True, blank=True, help_text="When every invitation was queued.")
    # Students sampled for the round who have no email address in the roster (so were not asked).
    unreachable_count = models.PositiveIntegerField(default=0)
    # A one-event round: the shared link takes at most max_answers answers (a conditional UPDATE).
    max_answers = models.PositiveIntegerField(null=True, blank=True)
    answers_count = models.PositiveIntegerField(default=0)
    note = models.CharField(
        max_length=200, blank=True, help_text="Why a round could not send, if it could not."
    )
    # A goal round: the baseline, mid-year pulse or end-of-year round of an academic year.
    phase = models.CharField(max_length=12, choices=Phase.choices, blank=True)
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "opens_on"], name="feedback_round_once_per_day"),
            models.UniqueConstraint(
                fields=["campaign", "academic_year", "phase"],
                condition=~Q(phase=""),
                name="feedback_round_one_phase_per_year",
            ),
            models.CheckConstraint(
                condition=Q(phase="") | Q(academic_year__isnull=False),
                name="feedback_round_phase_has_year",
            ),
            models.CheckConstraint(
                condition=Q(max_answers__isnull=True) | Q(answers_count__lte=models.F("max_answers")),
                name="feedback_round_answers_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.opens_on:%Y-%m-%d}"

    @property
    def is_accepting(self) -> bool:
        return self.status == RoundStatus.OPEN and (self.closes_at is None or self.closes_at > timezone.now())


class Figure(models.TextChoices):
    """The figure a goal is measured by, over the answers to its theme's questions."""

    MEAN = "mean", "Mean agreement (of 5)"
    AGREE = "agree", "Share agreeing (4 or 5)"
    YES = "yes", "Share answering yes"

    @property
    def is_share(self) -> bool:
        return self != Figure.MEAN


class GoalMeasure(models.Model):
    """How one of the agreement's goals is measured by survey rounds: a figure over the answers to a
    campaign's questions on one theme, in its baseline, mid-year and end-of-year rounds."""

    goal = models.OneToOneField("agreements.Goal", on_delete=models.CASCADE, related_name="survey_measure")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="goal_measures")
    theme = models.CharField(max_length=16, choices=Theme.choices)
    figure = models.CharField(max_length=8, choices=Figure.choices, default=Figure.AGREE)
    target = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The figure to reach, if the goal has one: a mean of 1 to 5, or a percent.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0, target__lte=100),
                name="feedback_goal_measure_target_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_figure_display()}: {self.get_theme_display()}"


class InvitationStatus(models.TextChoices):
    SENT = "sent", "Sent"
    ANSWERED = "answered", "Answered"


class Invitation(models.Model):
    """One person asked in one round (one per email address), with the group their answer counts in.

    It learns only that it was answered, never when or what: the answer is stored apart."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.SENT)

    class Meta:
        constraints = [
            # The one guard against a second invitation, whoever (task, worker, beat) tries.
            models.UniqueConstraint(fields=["round", "email"], name="feedback_invitation_once_per_round"),
        ]
        indexes = [models.Index(fields=["round", "status"], name="feedback_invitation_status_idx")]

    def __str__(self) -> str:
        return f"{self.email} ({self.round})"


class InvitationLink(models.Model):
    """The hash of one emailed link's token (each email its own link); the raw token is only in the email."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class Response(models.Model):
    """One set of answers. No key to an invitation or person; the group (round, school, officer) only.

    ``submitted_on`` is kept for named (non-anonymous) rounds only; an anonymous answer's time is its
    round. The key is random so that the order of rows says nothing about the order of answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    respondent_email = models.EmailField(blank=True, help_text="Named rounds only; blank when anonymous.")
    submitted_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(respondent_email="") | Q(submitted_on__isnull=False),
                name="feedback_response_named_has_date",
            ),
        ]


class Answer(models.Model):
    """One question's answer: a number (scale 1-5, yes 1 / no 0), a choice, or text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)
    choice = models.ForeignKey(
        Choice, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "value"], name="feedback_answer_value_idx")]


class OptOut(models.Model):
    """An email address that asked to receive no more survey emails; checked when inviting."""

    email = models.EmailField(max_length=254, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.email


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ImprovementAction(models.Model):
    """What the program will change in answer to a round's results ("you said, we did")."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="actions")
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    theme = models.CharField(max_length=16, choices=Theme.choices, blank=True)
    finding = models.CharField(max_length=300, help_text="What the results said.")
    change = models.TextField(help_text="What we will change.")
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.finding


class ConcernKind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    COMMENDATION = "commendation", "Commendation"


class ConcernStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    REVIEWING = "reviewing", "Under review"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed with no action"


class Concern(models.Model):
    """A complaint about, or a commendation of, an officer or the program: received, answered, closed."""

    kind = models.CharField(max_length=12, choices=ConcernKind.choices)
    received_at = models.DateTimeField(default=timezone.now)
    name = models.CharField(max_length=200, blank=True, help_text="Optional.")
    email = models.EmailField(blank=True, help_text="Optional; only to answer you.")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    about = models.CharField(max_length=200, help_text="In a few words, what it is about.")
    description = models.TextField()
    status = models.CharField(max_length=12, choices=ConcernStatus.choices, default=ConcernStatus.RECEIVED)
    response = models.TextField(blank=True, help_text="What the program did or answered.")
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.about}"
