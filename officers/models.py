"""Agencies, officers and their assignments to schools (principle 1: selection)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from district.models import AcademicYear, School


class Agency(models.Model):
    """The sheriff's or police department that the officers belong to."""

    name = models.CharField(max_length=200, unique=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
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


class AssignmentRole(models.TextChoices):
    PRIMARY = "primary", "Primary"
    BACKUP = "backup", "Backup"


class Assignment(models.Model):
    """An officer at a school for a date range within an academic year."""

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
        ]

    def __str__(self) -> str:
        return f"{self.officer} at {self.school} ({self.get_role_display()})"
