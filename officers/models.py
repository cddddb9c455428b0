"""Principle 1, selection: agencies and officers, choosing officers who fit (panel interviews
scored on fit criteria), training and its expiry, district-level joint trainings, and assignments
of officers to schools."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import (
    ArrayField,
    BigIntegerRangeField,
    DateRangeField,
    RangeBoundary,
    RangeOperators,
)
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Func, Q
from simple_history.models import HistoricalRecords

from district.models import AcademicYear, School, Staff
from district.roles import Role


class Agency(models.Model):
    """The sheriff's or police department that the officers belong to."""

    name = models.CharField(max_length=200, unique=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    contact_name = models.CharField(max_length=200, blank=True, help_text="The supervisor to call.")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="supervised_agencies"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class OfficerStatus(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    ACTIVE = "active", "Active"
    ON_LEAVE = "on_leave", "On leave"
    LEFT = "left", "Left the program"


class Officer(models.Model):
    """A sworn officer in (or considered for) the program."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="officer"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="officers")
    badge_number = models.CharField(max_length=32)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    rank = models.CharField(max_length=60, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    program_start_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=OfficerStatus.choices, default=OfficerStatus.ACTIVE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "badge_number"], name="badge_unique_within_agency"),
        ]

    def __str__(self) -> str:
        prefix = f"{self.rank} " if self.rank else ""
        return f"{prefix}{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class OfficerLeave(models.Model):
    """A period when an officer is away; coverage treats their assignments as empty then."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="leaves")
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="leave_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} on leave {self.start_date} to {self.end_date}"


# --- Selection --------------------------------------------------------------------------------

DEFAULT_FIT_CRITERIA = [
    ("Experience with young people", "Work with children and adolescents, in or out of uniform."),
    ("Communication", "Listens, explains plainly, adapts to students, staff and parents."),
    ("De-escalation and judgment", "Calms situations; knows when not to act as law enforcement."),
    ("Collaboration with educators", "Works within the school's way of doing things."),
    ("Cultural responsiveness", "Respects and connects with every community the school serves."),
    ("Commitment to the program's purpose", "Safe, healthy and welcoming schools, not enforcement."),
]


class CycleStatus(models.TextChoices):
    OPEN = "open", "Taking nominations and interviewing"
    DECIDED = "decided", "Decided"
    CANCELLED = "cancelled", "Cancelled"


class SelectionCycle(models.Model):
    """The choice of an officer for an opening: which schools, which year."""

    title = models.CharField(max_length=200)
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="selection_cycles")
    schools = models.ManyToManyField(School, related_name="selection_cycles")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="selection_cycles")
    status = models.CharField(max_length=16, choices=CycleStatus.choices, default=CycleStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_rationale = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN

    @property
    def is_cancelled(self) -> bool:
        return self.status == CycleStatus.CANCELLED


class FitCriterion(models.Model):
    """One thing the panel scores each candidate on, configured per cycle by the coordinator."""

    cycle = models.ForeignKey(SelectionCycle, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="criterion_name_unique_in_cycle")
        ]
        verbose_name_plural = "fit criteria"

    def __str__(self) -> str:
        return self.name


class CandidateStatus(models.TextChoices):
    NOMINATED = "nominated", "Nominated"
    SELECTED = "selected", "Selected"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"


def resume_upload_to(instance: Candidate, filename: str) -> str:
    return f"selection/{instance.cycle_id}/resumes/{filename}"


class Candidate(models.Model):
    """An officer the agency nominates for a cycle. Keeps its record whatever the decision."""

    cycle = models.ForeignKey(SelectionCycle, on_delete=models.CASCADE, related_name="candidates")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    badge_number = models.CharField(max_length=32)
    rank = models.CharField(max_length=60, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    years_of_service = models.PositiveSmallIntegerField(validators=[MaxValueValidator(60)])
    youth_experience = models.TextField(help_text="Experience with young people, in the agency's words.")
    resume = models.FileField(upload_to=resume_upload_to, blank=True)
    status = models.CharField(
        max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.NOMINATED
    )
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(auto_now_add=True)
    officer = models.ForeignKey(
        Officer, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidacies",
        help_text="The officer record, once selected (or if the candidate already serves).",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "badge_number"], name="candidate_badge_unique_in_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_nominated(self) -> bool:
        return self.status == CandidateStatus.NOMINATED

    @property
    def is_selected(self) -> bool:
        return self.status == CandidateStatus.SELECTED


class PanelAffiliation(models.TextChoices):
    DISTRICT = "district", "District"
    AGENCY = "agency", "Agency"


class Panelist(models.Model):
    """A member of a cycle's interview panel."""

    cycle = models.ForeignKey(SelectionCycle, on_delete=models.CASCADE, related_name="panelists")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats")
    affiliation = models.CharField(max_length=16, choices=PanelAffiliation.choices)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "user"], name="panelist_once_per_cycle")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_affiliation_display()})"


class Scorecard(models.Model):
    """One panelist's scores for one candidate. Until submitted, the panelist sees no one else's."""

    panelist = models.ForeignKey(Panelist, on_delete=models.CASCADE, related_name="scorecards")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scorecards")
    note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["panelist", "candidate"], name="one_scorecard_per_panelist_candidate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panelist} on {self.candidate}"


class Score(models.Model):
    """A score of 1 to 5 on one fit criterion, with a note."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(FitCriterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="score_between_1_and_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


# --- Training ---------------------------------------------------------------------------------


class CourseCategory(models.TextChoices):
    AGENCY = "agency", "Agency"
    STATE = "state", "State SRO training"
    NATIONAL = "national", "National SRO training"
    DISTRICT = "district", "District-level"


class TrainingTopic(models.TextChoices):
    DE_ESCALATION = "de_escalation", "De-escalation"
    ADOLESCENT_DEVELOPMENT = "adolescent_development", "Adolescent development"
    SPECIAL_NEEDS = "special_needs", "Special needs"
    MENTAL_HEALTH = "mental_health", "Mental health"
    EQUITY = "equity", "Equity"
    STUDENT_PRIVACY = "student_privacy", "Student privacy"
    CRISIS_INTERVENTION = "crisis_intervention", "Crisis intervention"
    LEGAL = "legal", "School law"
    EMERGENCY_RESPONSE = "emergency_response", "Emergency response"


class TrainingCourse(models.Model):
    """A course in the catalogue."""

    title = models.CharField(max_length=200, unique=True)
    provider = models.CharField(max_length=200)
    category = models.CharField(max_length=16, choices=CourseCategory.choices)
    hours = models.DecimalField(max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    topics = ArrayField(
        models.CharField(max_length=32, choices=TrainingTopic.choices), default=list, blank=True
    )
    renewal_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Months a completion stays valid; empty if it never expires."
    )
    required_for = ArrayField(
        models.CharField(max_length=32, choices=Role.choices), default=list, blank=True,
        help_text="Roles that must hold this course.",
    )  # fmt: skip
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def required_for_sros(self) -> bool:
        return Role.SRO in self.required_for

    def expiry_for(self, completed_on: datetime.date) -> datetime.date | None:
        if not self.renewal_months:
            return None
        return completed_on + relativedelta(months=self.renewal_months)


class TrainingPolicy(models.Model):
    """The minimum training hours per officer for an academic year, set by the coordinator."""

    academic_year = models.OneToOneField(
        AcademicYear, on_delete=models.CASCADE, related_name="training_policy"
    )
    minimum_hours = models.DecimalField(max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "training policies"

    def __str__(self) -> str:
        return f"{self.academic_year}: {self.minimum_hours} hours"


class TrainingSession(models.Model):
    """A district-level (joint) session of a course, to which officers, administrators and staff come."""

    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=200)
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    notes = models.TextField(blank=True)
    attendance_taken_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.course} on {self.date:%b %-d, %Y}"


class SessionParticipant(models.Model):
    """Someone invited to a session: an officer, a district user (administrator) or a staff member."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="participants")
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    attended = models.BooleanField(null=True, blank=True, help_text="Empty until attendance is taken.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(officer__isnull=False, user__isnull=True, staff__isnull=True)
                    | Q(officer__isnull=True, user__isnull=False, staff__isnull=True)
                    | Q(officer__isnull=True, user__isnull=True, staff__isnull=False)
                ),
                name="participant_is_exactly_one_person",
            ),
            models.UniqueConstraint(fields=["session", "officer"], name="officer_once_per_session"),
            models.UniqueConstraint(fields=["session", "user"], name="user_once_per_session"),
            models.UniqueConstraint(fields=["session", "staff"], name="staff_once_per_session"),
        ]

    def __str__(self) -> str:
        return str(self.officer or self.user or self.staff)


def certificate_upload_to(instance: TrainingRecord, filename: str) -> str:
    return f"training/{instance.officer_id}/certificates/{filename}"


class TrainingRecord(models.Model):
    """An officer's completion of a course. ``expires_on`` is computed from the course's renewal."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    certificate = models.FileField(upload_to=certificate_upload_to, blank=True)
    expires_on = models.DateField(null=True, blank=True, editable=False)
    session = models.ForeignKey(
        TrainingSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="records"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on"]
        indexes = [models.Index(fields=["expires_on"]), models.Index(fields=["officer", "course"])]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "course", "completed_on"], name="one_record_per_completion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer}: {self.course} ({self.completed_on})"


class WarningKind(models.IntegerChoices):
    """Days before expiry at which a warning goes out; 0 is the day it expires."""

    DAYS_60 = 60, "60 days before expiry"
    DAYS_30 = 30, "30 days before expiry"
    DAYS_7 = 7, "7 days before expiry"
    EXPIRED = 0, "On expiry"


class TrainingExpiryWarning(models.Model):
    """A warning claimed for one record at one threshold, its emails queued in the outbox in the same
    transaction: the row makes it once-only, the outbox sends it (keys ``training-warning:<id>:...``)."""

    record = models.ForeignKey(TrainingRecord, on_delete=models.CASCADE, related_name="warnings")
    days_before = models.SmallIntegerField(choices=WarningKind.choices)
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "days_before"], name="one_warning_per_threshold"),
        ]

    def __str__(self) -> str:
        return f"{self.record}: {self.get_days_before_display()}"


# --- Assignments ------------------------------------------------------------------------------


class AssignmentRole(models.TextChoices):
    PRIMARY = "primary", "Primary"
    BACKUP = "backup", "Backup"


class DateRange(Func):
    function = "DATERANGE"
    output_field = DateRangeField()


class IdRange(Func):
    """A range holding one id: GiST compares ranges natively, so the constraint below needs no
    btree_gist extension (which the embedded PostgreSQL from pgserver does not ship)."""

    function = "INT8RANGE"
    template = "%(function)s(%(expressions)s, %(expressions)s, '[]')"
    output_field = BigIntegerRangeField()


class Assignment(models.Model):
    """An officer at a school for a date range within an academic year, primary or backup."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="assignments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="assignments")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=8, choices=AssignmentRole.choices, default=AssignmentRole.PRIMARY)
    start_date = models.DateField()
    end_date = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["school__name", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="assignment_ends_after_start"
            ),
            # The database itself refuses two primary officers at one school on the same day.
            ExclusionConstraint(
                name="one_primary_per_school_per_day",
                expressions=[
                    (
                        DateRange(
                            "start_date",
                            "end_date",
                            RangeBoundary(inclusive_lower=True, inclusive_upper=True),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                    (IdRange("school"), RangeOperators.OVERLAPS),
                ],
                condition=Q(role="primary"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} at {self.school} ({self.get_role_display()})"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class AssignmentDay(models.Model):
    """The weekly schedule of an assignment: which days, from when to when."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="days")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "weekday"], name="one_schedule_row_per_weekday"),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="shift_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"
