"""What the reports app keeps of its own. No source data.

- The interaction summaries the dashboards read instead of the officers' logs themselves, derived
  from ``incidents.Interaction`` and ``incidents.InteractionStudent`` and kept exactly current by
  PostgreSQL triggers on those two tables (the migration ``interaction_summary_triggers``), inside
  the transaction that changes them. A bulk insert, a retention removal or a repair in the admin
  keeps them as exact as the quick log does, and the incidents app never needs to know they exist.
  ``manage.py summary_rebuild`` builds them again from scratch.
- The coordinator's narrative of each annual report, and the built PDFs of a report keyed by a
  fingerprint of the figures they show.
"""

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


class SummaryCounts(models.Model):
    """What the summaries count for each key."""

    contacts = models.IntegerField(default=0)
    minutes = models.BigIntegerField(default=0)
    anonymous_students = models.IntegerField(default=0)
    # Per-student rows: involved students, witnesses, and of the involved ones those with an action
    # other than none, a civil-rights referral or school-related arrest, or a matter handed back.
    students_involved = models.IntegerField(default=0)
    witnesses = models.IntegerField(default=0)
    enforcement_actions = models.IntegerField(default=0)
    crdc_referrals = models.IntegerField(default=0)
    crdc_arrests = models.IntegerField(default=0)
    returned_to_administration = models.IntegerField(default=0)

    class Meta:
        abstract = True


class InteractionSummary(SummaryCounts):
    """The officers' interactions counted per local day, school, officer, category and role."""

    day = models.DateField()
    # Ids of rows the source tables already protect; no constraint of our own, so the summary never
    # stands in the way of a change to the data it counts.
    school = models.ForeignKey(
        "district.School", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    officer = models.ForeignKey(
        "officers.Officer", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    category = models.ForeignKey(
        "incidents.Category", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    officer_role = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "school", "officer", "category", "officer_role"],
                name="interaction_summary_key",
            )
        ]
        indexes = [models.Index(fields=["school", "day"], name="interaction_summary_school")]

    def __str__(self) -> str:
        return f"{self.day}: {self.contacts} contacts at school {self.school_id}"


class InteractionSummaryMonth(SummaryCounts):
    """The same counts per calendar month, school, category and role: a term is a few thousand of
    these rows (a district logs a handful of interactions per school and day, so the daily rows are
    nearly as many as the interactions). A period reads whole months here and its partial months'
    days from ``InteractionSummary``."""

    month = models.DateField(help_text="The first day of the month.")
    school = models.ForeignKey(
        "district.School", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    category = models.ForeignKey(
        "incidents.Category", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    officer_role = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "school", "category", "officer_role"], name="interaction_summary_month_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.contacts} contacts at school {self.school_id}"
