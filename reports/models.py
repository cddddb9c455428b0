"""What the reports app keeps of its own: the coordinator's narrative of each annual report, and the
built PDFs of a report keyed by a fingerprint of the figures they show. No source data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from district.models import AcademicYear, School


class ReportNarrative(models.Model):
    """The coordinator's words in one annual report (a year, district-wide or for one school)."""

    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    # Empty for the district-wide report.
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    highlights = models.TextField(blank=True, max_length=5000)
    challenges = models.TextField(blank=True, max_length=5000)
    next_year_goals = models.TextField("goals for next year", blank=True, max_length=5000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # NULL schools are distinct to a plain unique index: the district report needs its own.
            models.UniqueConstraint(
                fields=["academic_year", "school"],
                condition=Q(school__isnull=False),
                name="report_narrative_once_per_school",
            ),
            models.UniqueConstraint(
                fields=["academic_year"],
                condition=Q(school__isnull=True),
                name="report_narrative_once_per_district",
            ),
        ]

    def __str__(self) -> str:
        return f"Narrative of the {self.academic_year} report ({self.school or 'district'})"


class BuildStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a worker"
    RUNNING = "running", "Being built"
    DONE = "done", "Ready"
    FAILED = "failed", "Could not be built"


class ReportBuild(models.Model):
    """One PDF of a report, for the figures whose digest is ``fingerprint``.

    The unique row per (year, school, fingerprint) is the claim: asked for twice at once, the
    second request finds the first's row and queues nothing; a worker takes the row with a
    conditional UPDATE, so a retried or doubled task draws it once. New figures, new fingerprint,
    new row: a built PDF is never served for figures that changed since.
    """

    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the report's figures and narrative.")
    status = models.CharField(max_length=8, choices=BuildStatus.choices, default=BuildStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, for the page's bar.")
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    problem = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "school", "fingerprint"],
                condition=Q(school__isnull=False),
                name="report_build_once_per_school_figures",
            ),
            models.UniqueConstraint(
                fields=["academic_year", "fingerprint"],
                condition=Q(school__isnull=True),
                name="report_build_once_per_district_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"PDF of the {self.academic_year_id} report ({self.school_id or 'district'}): {self.status}"

    @property
    def is_done(self) -> bool:
        return self.status == BuildStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == BuildStatus.FAILED

    @property
    def is_finished(self) -> bool:
        return self.status in (BuildStatus.DONE, BuildStatus.FAILED)
