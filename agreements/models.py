"""The written expectations of the program (principle 2): agreements, their versions made of ordered
sections, the bright lines and goals they set, signatures of both parties and acknowledgements.

A published version never changes: editing starts a new draft. Its checksum (SHA-256 of a canonical
text) is what a signature keeps, so a later change of the text can never pass as signed.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from officers.models import Agency


class AgreementKind(models.TextChoices):
    MOU = "mou", "Memorandum of understanding"
    SRO_STATEMENT = "sro_statement", "SRO role and expectations"
    ADMINISTRATOR_STATEMENT = "administrator_statement", "Administrator role and expectations"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    SUPERSEDED = "superseded", "Superseded"


class SectionType(models.TextChoices):
    PURPOSE = "purpose", "Purpose and goals"
    SCOPE = "scope", "Scope (grounds, buses, school events)"
    ROLES = "roles", "Roles, chain of command and supervision"
    DISCIPLINE = "discipline", "Discipline bright line and crime-suspected protocol"
    ENFORCEMENT = "enforcement", "Arrest, search, questioning and guardian notification"
    SELECTION = "selection", "Selection criteria and training minimums"
    INFORMATION = "information", "Information sharing and student privacy"
    CRISIS = "crisis", "Crisis duties"
    COMPLAINTS = "complaints", "Complaints"
    DATA = "data", "Data reporting"
    TERM = "term", "Evaluation, term and renewal"
    CONTACT = "contact", "District point of contact"
    OTHER = "other", "Other"


class SignatureParty(models.TextChoices):
    DISTRICT = "district", "School district"
    AGENCY = "agency", "Law-enforcement agency"


class Agreement(models.Model):
    """One written agreement (the MOU with an agency, or a role statement), over all its versions."""

    kind = models.CharField(max_length=32, choices=AgreementKind.choices)
    title = models.CharField(max_length=200, unique=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements",
        help_text="The other party of a memorandum of understanding.",
    )  # fmt: skip
    district_signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The administrator who signs for the district (usually the superintendent).",
    )  # fmt: skip
    review_date = models.DateField(null=True, blank=True, help_text="When the agreement is next reviewed.")
    is_public = models.BooleanField(
        default=False, help_text="Show the active version at a public address, without sign-in."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=AgreementKind.MOU) | Q(agency__isnull=False), name="mou_names_its_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_mou(self) -> bool:
        return self.kind == AgreementKind.MOU


class AgreementVersion(models.Model):
    """One numbered text of an agreement: a draft, the active version, or a superseded one."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    summary = models.TextField(blank=True, help_text="What changed in this version, in a sentence or two.")
    public_input = models.TextField(
        blank=True, help_text="How the public was consulted before adoption (comment period, board meeting)."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    comment_opens_on = models.DateField(
        null=True, blank=True, help_text="First day of the public comment period."
    )
    comment_closes_on = models.DateField(
        null=True, blank=True, help_text="Last day of the public comment period."
    )
    effective_at = models.DateTimeField(
        null=True, blank=True, help_text="When both parties had signed (memorandums only)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["agreement"], condition=Q(status="active"), name="one_active_version_per_agreement"
            ),
            models.UniqueConstraint(
                fields=["agreement"], condition=Q(status="draft"), name="one_draft_per_agreement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} · version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_active(self) -> bool:
        return self.status == VersionStatus.ACTIVE

    def canonical_text(self, sections=None) -> str:
        """The exact text a signature covers: title, then each section's heading, type and text in order."""
        sections = list(self.sections.all()) if sections is None else sections
        body = {
            "title": self.title,
            "sections": [
                [s.heading, s.section_type, s.text] for s in sorted(sections, key=lambda s: s.position)
            ],
        }
        return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def checksum(self, sections=None) -> str:
        """SHA-256 of ``canonical_text``, recomputed each time it is asked."""
        return hashlib.sha256(self.canonical_text(sections).encode("utf-8")).hexdigest()


class Section(models.Model):
    """One part of a version: its place, heading, type and text."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    heading = models.CharField(max_length=200)
    section_type = models.CharField("type", max_length=16, choices=SectionType.choices)
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"],
                name="section_position_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
        ]

    def __str__(self) -> str:
        return self.heading


class BrightLine(models.Model):
    """A line officers do not cross; the officers' logs refer to it to count matters returned to
    administrators."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="bright_lines")
    code = models.SlugField(max_length=40, unique=True, help_text="A short, stable name logs refer to.")
    statement = models.CharField(max_length=300)
    explanation = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "code"]

    def __str__(self) -> str:
        return self.statement


class GoalFigure(models.TextChoices):
    """The program figures the annual report computes for every year, one of which may measure a goal.
    The values are stable: reports and saved goals refer to them."""

    ARRESTS = "school-related-arrests", "School-related arrests (fewer is better)"
    REFERRALS = "referrals-to-law-enforcement", "Referrals to law enforcement (fewer is better)"
    ACTIONS_PER_100 = (
        "law-enforcement-per-100-contacts",
        "Law-enforcement actions per 100 contacts (fewer is better)",
    )
    RETURNED = "matters-returned-to-administration", "Matters returned to administration (more is better)"
    PREVENTION_SHARE = (
        "mentor-teacher-share",
        "Share of officers' time as mentor and teacher (more is better)",
    )
    STUDENTS_SERVED = "students-served", "Students served (more is better)"
    CONTACTS = "contacts", "Contacts logged (more is better)"
    ACTIONS_DONE = "improvement-actions-done", "Improvement actions done (more is better)"
    COMPLAINTS = "complaints-received", "Complaints received (fewer is better)"
    STUDENT_ROLE_SCORE = (
        "students-role-score",
        "Students' mean score on the officer's role (higher is better)",
    )


# The figures where a fall is progress; for every other figure a rise is.
LOWER_IS_BETTER = frozenset(
    {GoalFigure.ARRESTS, GoalFigure.REFERRALS, GoalFigure.ACTIONS_PER_100, GoalFigure.COMPLAINTS}
)


class Goal(models.Model):
    """A goal of the agreement and the figure that shows whether it is kept (for the annual report)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="goals")
    code = models.SlugField(max_length=40, unique=True)
    statement = models.CharField(max_length=300)
    measure = models.CharField(max_length=300, help_text="The figure that shows progress.")
    target = models.CharField(max_length=200, blank=True, help_text="For example: fewer than last year.")
    figure = models.CharField(
        "Figure in the annual report",
        max_length=40,
        choices=GoalFigure.choices,
        blank=True,
        help_text="The program figure the annual report shows for this goal, this year against the year "
        "before. Leave empty for a goal measured by survey rounds or not measured in figures.",
    )
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "code"]

    def __str__(self) -> str:
        return self.statement


class Signature(models.Model):
    """One party's signature of one version, with the checksum of the exact text signed."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="signatures")
    party = models.CharField(max_length=16, choices=SignatureParty.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(max_length=200)
    typed_title = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    checksum = models.CharField(max_length=64)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "party"]
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="one_signature_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.typed_name} for the {self.get_party_display().lower()}"


class Acknowledgement(models.Model):
    """A person's statement that they have read one version of a role statement."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "user"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_acknowledgement_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.user} acknowledged {self.version}"


class CommenterRole(models.TextChoices):
    PARENT = "parent", "Parent or guardian"
    STUDENT = "student", "Student"
    STAFF = "staff", "School staff"
    COMMUNITY = "community", "Community member"
    AGENCY = "agency", "Law-enforcement agency"


class Comment(models.Model):
    """A comment received on a draft during its public comment period, and the district's response."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="comments")
    commenter_role = models.CharField("from", max_length=16, choices=CommenterRole.choices)
    commenter_name = models.CharField(
        "name", max_length=200, blank=True, help_text="Leave empty to keep the comment anonymous."
    )
    received_on = models.DateField()
    text = models.TextField("comment")
    response = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_commenter_role_display()}: {self.text[:40]}"


class MeetingKind(models.TextChoices):
    KICKOFF = "kickoff", "Kickoff"
    ANNUAL_REVIEW = "annual_review", "Annual review"
    CHECK_IN = "check_in", "Check-in"


class Meeting(models.Model):
    """An expectation meeting: who came, the agenda, the minutes and the agreement version discussed."""

    kind = models.CharField(max_length=16, choices=MeetingKind.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings",
        verbose_name="agreement version discussed",
    )  # fmt: skip
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="agreement_meetings"
    )
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%b %-d, %Y})"


class ActionItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionItem(models.Model):
    """Something a meeting asked someone to do, by a date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items")
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.status == ActionItemStatus.OPEN
