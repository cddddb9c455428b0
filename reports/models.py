"""Figures the dashboards read instead of the officers' logs themselves.

Reports own no source data: the summary below is derived from ``incidents.Interaction`` and
``incidents.InteractionStudent`` and kept exactly current by PostgreSQL triggers on those two
tables (``reports/migrations/0002_interaction_summary_triggers.py``), inside the transaction that
changes them. A bulk insert, a retention removal or a repair in the admin keeps it as exact as the
quick log does, and the incidents app never needs to know it exists. ``manage.py summary_rebuild``
builds it again from scratch.
"""

from __future__ import annotations

from django.db import models


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
