"""The officers' logs: student interactions (who, what role the officer played, how each student's
matter ended), their addenda and the disclosures of what they hold."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from district.models import School, Student
from officers.models import Officer

# How long the writing officer may change a record; after that only an addendum can be added.
EDIT_WINDOW = datetime.timedelta(days=7)


class OfficerRole(models.TextChoices):
    """The three roles of the national SRO model (the triad)."""

    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    MENTOR = "mentor", "Informal counselor and mentor"
    TEACHER = "teacher", "Teacher"


class Initiator(models.TextChoices):
    ADMINISTRATOR = "administrator", "An administrator"
    TEACHER = "teacher", "A teacher"
    STAFF = "staff", "Other staff"
    STUDENT = "student", "A student"
    GUARDIAN = "guardian", "A guardian"
    OFFICER = "officer", "The officer"


class Involvement(models.TextChoices):
    INVOLVED = "involved", "Involved"
    WITNESS = "witness", "Witness only"


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved, no further action"
    RETURNED_TO_ADMINISTRATION = "returned_to_administration", "Returned to administration"
    REFERRED_COUNSELOR = "referred_counselor", "Referred to the counselor"
    REFERRED_SOCIAL_WORKER = "referred_social_worker", "Referred to the social worker"
    REFERRED_NURSE = "referred_nurse", "Referred to the nurse"
    REFERRED_OUTSIDE = "referred_outside", "Referred to outside services"
    DIVERSION = "diversion", "Diversion or restorative practice"
    GUARDIAN_CONTACTED = "guardian_contacted", "Guardian contacted"


class EnforcementAction(models.TextChoices):
    NONE = "none", "None"
    WARNING = "warning", "Warning"
    NONCRIMINAL_CITATION = "noncriminal_citation", "Non-criminal citation"
    CRIMINAL_CITATION = "criminal_citation", "Criminal citation or summons"
    REFERRAL = "referral", "Referral to law enforcement"
    COURT_REFERRAL = "court_referral", "Court or probation referral"
    CUSTODIAL_ARREST = "custodial_arrest", "Custodial arrest"
    SEARCH = "search", "Search"
    USE_OF_FORCE = "use_of_force", "Use of force"


# The Civil Rights Data Collection counts citations, tickets, court referrals and school-related
# arrests as referrals to law enforcement. A custodial arrest counts only when it is school-related.
CRDC_REFERRAL_ACTIONS = frozenset(
    {
        EnforcementAction.NONCRIMINAL_CITATION,
        EnforcementAction.CRIMINAL_CITATION,
        EnforcementAction.REFERRAL,
        EnforcementAction.COURT_REFERRAL,
    }
)


class RecordClass(models.TextChoices):
    """Student-privacy law treats the two differently: a law-enforcement unit's own records are not
    education records; a school (education and support) record is one."""

    LAW_ENFORCEMENT_UNIT = "law_enforcement_unit", "Law-enforcement unit record"
    SCHOOL = "school", "School (education and support) record"


class Category(models.Model):
    """What an interaction was about; the coordinator extends the list.

    The coordinator may tie a category to a bright line of the active agreement (a dress-code
    category to the line that officers do not enforce dress code): picking it makes the quick log
    ask at once whether the matter went back to administration.
    """

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=100, help_text="Order in the officer's list.")
    active = models.BooleanField(default=True)
    # The bright line's code, not a foreign key: a new version of the agreement keeps its bright
    # lines' codes, so the tie outlives the version it was made under. Read through
    # agreements.selectors.items.bright_lines_active(); a code no active line has asks nothing.
    bright_line_code = models.CharField(max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


def note_search_vector() -> SearchVector:
    """The words of a record's note and place, with PostgreSQL's built-in full-text search ("simple":
    no stemming, no stop words, so a name or a place is found as written). The list's search
    (``incidents.forms.InteractionFilter``) and the GIN index ``interaction_note_search`` use this one
    expression, which is what lets the planner read the index."""
    return SearchVector("narrative", "place", config="simple")


class Interaction(models.Model):
    """One contact an officer had with students, staff or guardians, logged from the hallway."""

    # Made by the officer's browser when the form opens: a double tap or a retried submit carries the
    # same key, and the unique index turns the second into the first.
    key = models.UUIDField(unique=True, editable=False)
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="interactions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="interactions")
    occurred_at = models.DateTimeField()
    officer_role = models.CharField(max_length=20, choices=OfficerRole.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="interactions")
    initiator = models.CharField(max_length=16, choices=Initiator.choices)
    anonymous_students = models.PositiveSmallIntegerField(
        default=0, help_text="Students present but not named."
    )
    other_participants = models.CharField(max_length=200, blank=True)
    duration_minutes = models.PositiveIntegerField()
    place = models.CharField(max_length=120, blank=True)
    narrative = models.TextField(max_length=2000, blank=True)
    follow_up_due = models.DateField(null=True, blank=True)
    # The bright line the category touched when the record was saved, and the officer's answer to
    # whether the matter went back to administration (kept only with a bright line).
    bright_line_code = models.CharField(max_length=40, blank=True)
    returned_to_administration = models.BooleanField(null=True, blank=True)
    record_class = models.CharField(max_length=24, choices=RecordClass.choices)
    case = models.ForeignKey(
        "Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="interactions"
    )
    identities_removed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the retention rule's removal of student identities was confirmed.",
    )
    identities_removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        permissions = [("export_interaction", "Can export interactions with students' names as CSV")]
        constraints = [
            models.CheckConstraint(
                condition=Q(bright_line_code="", returned_to_administration__isnull=True)
                | (~Q(bright_line_code="") & Q(returned_to_administration__isnull=False)),
                name="interaction_bright_line_answered",
            ),
        ]
        indexes = [
            # The lists: one officer's, one school's, newest first.
            models.Index(fields=["officer", "-occurred_at"], name="interaction_officer_time"),
            # An SRO's own list and their recent categories and students; the officer and school ride
            # along, so that the list's count and its filters' choices read the index alone.
            models.Index(
                fields=["author", "-occurred_at"],
                include=["officer", "school"],
                name="interaction_author_scope",
            ),
            models.Index(fields=["school", "-occurred_at"], name="interaction_school_time"),
            models.Index(fields=["category", "occurred_at"], name="interaction_category_time"),
            models.Index(fields=["-occurred_at", "-id"], name="interaction_time"),
            # The focus figures over a period: read from the index alone (incidents.selectors.focus).
            models.Index(
                fields=["occurred_at"],
                include=[
                    "officer_role",
                    "category",
                    "initiator",
                    "duration_minutes",
                    "school",
                    "officer",
                    # The annual report's scans read the id (to join the per-student rows) and the
                    # anonymous count too, so a year is read from this index alone.
                    "anonymous_students",
                    "id",
                ],
                name="interaction_focus",
            ),
            # Words in the note: the list's search (no extension needed, unlike trigrams).
            GinIndex(note_search_vector(), name="interaction_note_search"),
            # The bright-line figures: the few records that touched one, by period.
            models.Index(
                fields=["occurred_at"],
                include=["bright_line_code", "returned_to_administration"],
                condition=~Q(bright_line_code=""),
                name="interaction_bright_line",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.category} at {self.school}, {timezone.localtime(self.occurred_at):%b %-d, %Y %-I:%M %p}"
        )

    @property
    def follow_up_needed(self) -> bool:
        return self.follow_up_due is not None

    @property
    def edit_closes_at(self) -> datetime.datetime:
        return self.created_at + EDIT_WINDOW

    @property
    def editable_now(self) -> bool:
        return self.identities_removed_at is None and timezone.now() < self.edit_closes_at


class InteractionStudent(models.Model):
    """A student on an interaction: how their own matter ended (a witness carries no outcome)."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="students")
    # Empty once the retention rule removed the student's identity; the row stays, for the counts.
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="interactions", null=True, blank=True
    )
    involvement = models.CharField(max_length=10, choices=Involvement.choices, default=Involvement.INVOLVED)
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    action = models.CharField(max_length=24, choices=EnforcementAction.choices, blank=True)
    arrest_school_related = models.BooleanField(
        null=True,
        blank=True,
        help_text="On school grounds, at a school activity, or on a school official's referral.",
    )
    # The Civil Rights Data Collection's two flags, derived when saved (incidents.services.crdc_flags).
    crdc_referral = models.BooleanField(default=False)
    crdc_school_related_arrest = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["interaction", "student"], name="interaction_student_once"),
            models.CheckConstraint(
                condition=(
                    Q(involvement=Involvement.WITNESS, outcome="", action="")
                    | (Q(involvement=Involvement.INVOLVED) & ~Q(outcome="") & ~Q(action=""))
                ),
                name="interaction_student_outcome_only_when_involved",
            ),
            models.CheckConstraint(
                condition=~Q(action=EnforcementAction.CUSTODIAL_ARREST)
                | Q(arrest_school_related__isnull=False),
                name="interaction_student_arrest_answered",
            ),
        ]
        indexes = [
            models.Index(fields=["student", "interaction"], name="interaction_student_by_student"),
            # Outcomes and actions per interaction, for the focus figures.
            models.Index(
                fields=["interaction", "involvement"],
                include=["outcome", "action"],
                name="interaction_student_focus",
            ),
        ]

    def __str__(self) -> str:
        return f"Student {self.student_id} on interaction {self.interaction_id}"


class Addendum(models.Model):
    """A note added to an interaction after its edit window; the original stays as it was."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum {self.pk} to interaction {self.interaction_id}"


class Disclosure(models.Model):
    """A hand-over of student-identifying data outside the school: to whom, why, what and when."""

    recipient = models.CharField(
        max_length=200, help_text="Who received it (a person and their organisation)."
    )
    purpose = models.CharField(max_length=300, help_text="Why it was disclosed, and under what authority.")
    description = models.CharField(max_length=500, help_text="What was disclosed.")
    disclosed_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    interaction = models.ForeignKey(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="disclosures"
    )
    students = models.ManyToManyField(Student, through="DisclosureStudent", related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-disclosed_at", "-pk"]

    def __str__(self) -> str:
        return f"Disclosure to {self.recipient} on {timezone.localtime(self.disclosed_at):%Y-%m-%d}"


class DisclosureStudent(models.Model):
    """One student whose data a disclosure carried."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="disclosures")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "student"], name="disclosure_student_once")
        ]
        indexes = [models.Index(fields=["student", "disclosure"], name="disclosure_by_student")]

    def __str__(self) -> str:
        return f"Student {self.student_id} in disclosure {self.disclosure_id}"


class RetentionRule(models.Model):
    """The district's rule for destroying identities: one row, set by the coordinator."""

    name = models.CharField(max_length=200, default="New York: until the youngest person involved turns 27")
    age_years = models.PositiveSmallIntegerField(
        default=27, help_text="A record is due once every student on it has reached this age."
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    MONITORING = "monitoring", "Monitoring"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    """A matter followed over time: its students, officers, linked interactions, referrals and
    follow-ups, so that family and attendance work ends somewhere."""

    title = models.CharField(max_length=200)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_reason = models.CharField(max_length=300, blank=True)
    students = models.ManyToManyField(Student, blank=True, related_name="cases")
    officers = models.ManyToManyField(Officer, related_name="cases")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"], name="case_school_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closed_reason=""), name="case_closed_with_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CaseNote(models.Model):
    """A dated note on a case's timeline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note {self.pk} on case {self.case_id}"


class ReferralService(models.TextChoices):
    COUNSELOR = "counselor", "School counselor"
    SOCIAL_WORKER = "social_worker", "Social worker"
    NURSE = "nurse", "Nurse"
    OUTSIDE = "outside", "Outside agency"


class ReferralStatus(models.TextChoices):
    MADE = "made", "Made"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    COMPLETED = "completed", "Completed"

    @property
    def is_final(self) -> bool:
        return self in (ReferralStatus.DECLINED, ReferralStatus.COMPLETED)


class Referral(models.Model):
    """A referral to services, followed until it is declined or completed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    service = models.CharField(max_length=16, choices=ReferralService.choices)
    to_whom = models.CharField(max_length=200, blank=True, help_text="The person or agency.")
    status = models.CharField(max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.MADE)
    made_on = models.DateField(default=timezone.localdate)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["made_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_service_display()} referral ({self.get_status_display()})"


class FollowUp(models.Model):
    """A task on a case: who does it, by when, and whether it is done. An overdue one is reminded once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    task = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the overdue reminder was queued."
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # The beat job's and the coordinator's question: open follow-ups past their date.
            models.Index(fields=["due_on"], condition=Q(done_at__isnull=True), name="follow_up_open_due"),
        ]

    def __str__(self) -> str:
        return self.task

    @property
    def overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


# --- Incident reports ---------------------------------------------------------------------------


class IncidentType(models.Model):
    """A kind of safety incident: New York's SSEC categories by default, with sub-categories;
    the coordinator extends the list."""

    name = models.CharField(max_length=150)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="subtypes"
    )
    position = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            # NULLS NOT DISTINCT: two top-level types (no parent) may not share a name either.
            models.UniqueConstraint(
                fields=["parent", "name"], name="incident_type_name_once", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent.name}: {self.name}" if self.parent_id else self.name


class IncidentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CLOSED = "closed", "Closed"


class Incident(models.Model):
    """A formal report of a safety incident, written from scratch or promoted from an interaction."""

    key = models.UUIDField(unique=True, editable=False)
    interaction = models.OneToOneField(
        Interaction, on_delete=models.PROTECT, null=True, blank=True, related_name="incident"
    )
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="incidents")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="incidents")
    occurred_at = models.DateTimeField()
    incident_type = models.ForeignKey(IncidentType, on_delete=models.PROTECT, related_name="incidents")
    alcohol = models.BooleanField(default=False)
    drugs = models.BooleanField(default=False)
    gang = models.BooleanField(default=False)
    hate_or_bias = models.BooleanField("hate or bias", default=False)
    weapon = models.BooleanField(default=False)
    place = models.CharField(max_length=120, blank=True)
    weapon_or_injury = models.CharField("weapon or injury", max_length=300, blank=True)
    narrative = models.TextField(max_length=4000, blank=True)
    actions_taken = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.DRAFT)
    record_class = models.CharField(
        max_length=24, choices=RecordClass.choices, default=RecordClass.LAW_ENFORCEMENT_UNIT
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "-occurred_at"], name="incident_school_time"),
            models.Index(fields=["officer", "-occurred_at"], name="incident_officer_time"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_type} at {self.school}"

    @property
    def related_to(self) -> list[str]:
        names = ("alcohol", "drugs", "gang", "hate_or_bias", "weapon")
        return [self._meta.get_field(name).verbose_name for name in names if getattr(self, name)]

    @property
    def edit_closes_at(self) -> datetime.datetime:
        return self.created_at + EDIT_WINDOW

    @property
    def editable_now(self) -> bool:
        return timezone.now() < self.edit_closes_at


class IncidentPart(models.TextChoices):
    OFFENDER = "offender", "Offender"
    TARGET = "target", "Target"
    WITNESS = "witness", "Witness"
    INVOLVED = "involved", "Involved (part not yet said)"


class PersonKind(models.TextChoices):
    STUDENT = "student", "Student"
    STAFF = "staff", "Staff"
    OTHER = "other", "Other"


class IncidentPerson(models.Model):
    """Someone in an incident: a roster student, or a staff member or other person by name."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="people")
    kind = models.CharField(max_length=8, choices=PersonKind.choices)
    student = models.ForeignKey(Student, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(max_length=200, blank=True, help_text="For staff and others.")
    part = models.CharField(max_length=10, choices=IncidentPart.choices, default=IncidentPart.INVOLVED)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="student", student__isnull=False) | (~Q(kind="student") & ~Q(name=""))),
                name="incident_person_named_or_student",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in incident {self.incident_id}"


class NotifiedParty(models.TextChoices):
    GUARDIAN = "guardian", "Guardian"
    ADMINISTRATOR = "administrator", "Administrator"
    AGENCY = "agency", "Law-enforcement agency"


class IncidentNotification(models.Model):
    """Who was told of the incident, and when."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notifications")
    party = models.CharField(max_length=16, choices=NotifiedParty.choices)
    notified_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["notified_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_party_display()} notified of incident {self.incident_id}"
