"""Shared reference data and people: schools, academic years, the roster, users and the access log."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .roles import GROUP_TO_ROLE, SECOND_FACTOR_ROLES, Role


class SchoolLevel(models.TextChoices):
    ELEMENTARY = "elementary", "Elementary"
    MIDDLE = "middle", "Middle"
    HIGH = "high", "High"
    OTHER = "other", "Other"


class School(models.Model):
    """A building in the district."""

    code = models.CharField(max_length=32, unique=True, help_text="The district's building code.")
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=16, choices=SchoolLevel.choices)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    active = models.BooleanField(default=True)
    sourced_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True, help_text="OneRoster org sourcedId."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AcademicYear(models.Model):
    """A school year; exactly one is current."""

    name = models.CharField(max_length=20, unique=True, help_text="For example 2026-2027.")
    start_date = models.DateField()
    end_date = models.DateField()
    is_current = models.BooleanField(default=False)
    sourced_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_academic_year"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="academic_year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day) -> bool:
        return self.start_date <= day <= self.end_date


class User(AbstractUser):
    """An account. Roles are groups; ``schools`` scopes administrators to their buildings."""

    schools = models.ManyToManyField(
        School,
        blank=True,
        related_name="administrators",
        help_text="Buildings an administrator is responsible for.",
    )
    district_wide = models.BooleanField(
        default=False, help_text="A district administrator sees every school."
    )
    phone = models.CharField(max_length=40, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[Role]:
        names = self.groups.values_list("name", flat=True)
        return frozenset(GROUP_TO_ROLE[name] for name in names if name in GROUP_TO_ROLE)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def needs_second_factor(self) -> bool:
        return bool(self.roles & SECOND_FACTOR_ROLES)


class Grade(models.TextChoices):
    """Grade levels as OneRoster spells them (CEDS)."""

    PRE_K = "PK", "Pre-K"
    KINDERGARTEN = "KG", "Kindergarten"
    G01 = "01", "Grade 1"
    G02 = "02", "Grade 2"
    G03 = "03", "Grade 3"
    G04 = "04", "Grade 4"
    G05 = "05", "Grade 5"
    G06 = "06", "Grade 6"
    G07 = "07", "Grade 7"
    G08 = "08", "Grade 8"
    G09 = "09", "Grade 9"
    G10 = "10", "Grade 10"
    G11 = "11", "Grade 11"
    G12 = "12", "Grade 12"
    UNGRADED = "UG", "Ungraded"


class Student(models.Model):
    """A student on the roster, imported from the student information system."""

    sourced_id = models.CharField(max_length=255, unique=True)
    student_number = models.CharField(max_length=64, unique=True, help_text="District student id.")
    given_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    grade = models.CharField(max_length=2, choices=Grade.choices, blank=True)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="students", null=True, blank=True
    )
    email = models.EmailField(
        max_length=254, blank=True, help_text="From the roster, if the district gives one; survey links only."
    )
    birth_date = models.DateField(
        null=True, blank=True, help_text="Kept for the retention rule (identities removed at 27)."
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["school", "active"]),
            models.Index(fields=["family_name", "given_name"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NONBINARY = "nonbinary", "Nonbinary"
    NOT_REPORTED = "", "Not reported"


class RaceEthnicity(models.TextChoices):
    """The seven categories that federal civil-rights reporting uses."""

    HISPANIC = "hispanic", "Hispanic or Latino of any race"
    AMERICAN_INDIAN = "american_indian", "American Indian or Alaska Native"
    ASIAN = "asian", "Asian"
    BLACK = "black", "Black or African American"
    PACIFIC_ISLANDER = "pacific_islander", "Native Hawaiian or Other Pacific Islander"
    WHITE = "white", "White"
    TWO_OR_MORE = "two_or_more", "Two or more races"
    NOT_REPORTED = "", "Not reported"


class Disability(models.TextChoices):
    NONE = "none", "None"
    IDEA = "idea", "IDEA"
    SECTION_504 = "section_504", "Section 504 only"
    NOT_REPORTED = "", "Not reported"


class StudentDemographics(models.Model):
    """Optional demographics, kept only when the district turns them on (DEMOGRAPHICS_ENABLED).

    They serve only the small-count-suppressed tables that civil-rights reporting asks for.
    """

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="demographics")
    sex = models.CharField(max_length=16, choices=Sex.choices, blank=True)
    race_ethnicity = models.CharField(max_length=32, choices=RaceEthnicity.choices, blank=True)
    disability = models.CharField(max_length=16, choices=Disability.choices, blank=True)
    english_learner = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "student demographics"

    def __str__(self) -> str:
        return f"Demographics of student {self.student_id}"


class StaffRole(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    ADMINISTRATOR = "administrator", "Administrator"
    AIDE = "aide", "Aide"
    PROCTOR = "proctor", "Proctor"
    OTHER = "other", "Other staff"


class Staff(models.Model):
    """A member of school staff; a survey audience."""

    sourced_id = models.CharField(max_length=255, unique=True)
    identifier = models.CharField(max_length=64, blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=16, choices=StaffRole.choices, default=StaffRole.TEACHER)
    schools = models.ManyToManyField(School, related_name="staff", blank=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Guardian(models.Model):
    """A parent or guardian of one or more students; a survey audience."""

    sourced_id = models.CharField(max_length=255, unique=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    relationship = models.CharField(max_length=16, blank=True, help_text="guardian, parent or relative")
    students = models.ManyToManyField(Student, related_name="guardians", blank=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "listed", "Listed"
    EXPORT = "export", "Exported"
    DISCLOSE = "disclose", "Disclosed"


class AccessLog(models.Model):
    """Who opened, listed or exported a record that identifies a student, and when. Append-only.

    The database refuses UPDATE and DELETE of its rows (a trigger, migration 0005), so nothing in
    the application can rewrite or erase what it records.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=AccessAction.choices, default=AccessAction.VIEW)
    record_type = models.CharField(max_length=100, help_text="app_label.model of the record opened.")
    record_id = models.CharField(max_length=64)
    # PROTECT, not SET_NULL: setting the column to NULL is an UPDATE, which the trigger refuses, and
    # a log that lost its student would no longer answer "who saw this student's records". The
    # roster deactivates students and never deletes them; whatever removes a student one day must
    # first decide, in the open, what becomes of the log.
    student = models.ForeignKey(Student, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    path = models.CharField(max_length=500, blank=True)
    search = models.CharField(
        max_length=500, blank=True, help_text="The query string of the list or search that showed the record."
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["student", "-at"]), models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.record_type}#{self.record_id} at {self.at:%Y-%m-%d %H:%M}"


class ImportMode(models.TextChoices):
    BULK = "bulk", "Bulk (the whole roster; who is missing has left)"
    DELTA = "delta", "Delta (only changes since the last export)"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Imported"
    FAILED = "failed", "Rejected: nothing was written"


_IMPORT_STATUS_TONES = {
    ImportStatus.RUNNING: "info",
    ImportStatus.SUCCEEDED: "success",
    ImportStatus.FAILED: "danger",
}

# Where uploads wait for their import (a storage path, under MEDIA_ROOT).
ROSTER_UPLOAD_DIR = "roster-imports"


class RosterImport(models.Model):
    """One upload of OneRoster CSV files and what became of it."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The upload holds every student's record (and demographics the district may not keep): it is
    # deleted when the import finishes, leaving only what the import page shows.
    file = models.FileField(upload_to=f"{ROSTER_UPLOAD_DIR}/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes uploaded.")
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the upload, in hex.")
    mode = models.CharField(max_length=8, choices=ImportMode.choices, blank=True)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="file, line, field, reason per bad row")
    errors_total = models.PositiveIntegerField(
        default=0, help_text="Problems found; only the first SRO_ROSTER_MAX_ERRORS_KEPT are in errors."
    )
    summary = models.JSONField(default=dict, blank=True, help_text="created/updated/deactivated counts")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Roster import {self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)

    @property
    def succeeded(self) -> bool:
        return self.status == ImportStatus.SUCCEEDED

    @property
    def status_tone(self) -> str:
        """The Bootstrap colour of the status badge; its words are the status's label."""
        return _IMPORT_STATUS_TONES.get(self.status, "secondary")

    @property
    def percent_done(self) -> int:
        if self.is_finished:
            return 100
        if not self.rows_total:
            return 0
        return min(99, round(100 * self.rows_done / self.rows_total))

    @property
    def errors_not_kept(self) -> int:
        return max(0, self.errors_total - len(self.errors))
