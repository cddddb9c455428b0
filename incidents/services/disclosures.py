"""The disclosures register: every hand-over of student-identifying data outside the school, and
the CSV export, which is logged as an export and, when it leaves the school, as a disclosure."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from district.models import AccessAction, Student
from district.services.access_log import access_log_record_listed
from incidents.models import Disclosure, DisclosureStudent, Interaction, InteractionStudent

# An export is a file on someone's computer: large enough for a year's work, never the whole table.
EXPORT_MAX_ROWS = 20_000

FORMULA_STARTS = ("=", "+", "-", "@")

EXPORT_COLUMNS = [
    "record",
    "date",
    "time",
    "school",
    "officer",
    "officer role",
    "category",
    "started by",
    "minutes",
    "record class",
    "students not named",
    "student id",
    "student",
    "involvement",
    "outcome",
    "law-enforcement action",
    "arrest school-related",
    "CRDC referral",
    "CRDC school-related arrest",
    "follow-up due",
    "bright line",
    "returned to administration",
]


def disclosure_record(
    *,
    user,
    recipient: str,
    purpose: str,
    description: str,
    students: Sequence[Student],
    interaction: Interaction | None = None,
    disclosed_at: datetime.datetime | None = None,
    path: str = "",
) -> Disclosure:
    """Enter a hand-over in the register, one row per student it carried, and in the access log."""
    errors = {}
    for name, value in (("recipient", recipient), ("purpose", purpose), ("description", description)):
        if not value.strip():
            errors[name] = "Say " + {"recipient": "to whom.", "purpose": "why.", "description": "what."}[name]
    if not students:
        errors["students"] = "A disclosure names at least one student; with none, nothing identifying left."
    if disclosed_at is not None and disclosed_at > timezone.now():
        errors["disclosed_at"] = "The date cannot be in the future."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            recipient=recipient.strip(),
            purpose=purpose.strip(),
            description=description.strip(),
            disclosed_at=disclosed_at or timezone.now(),
            recorded_by=user,
            interaction=interaction,
        )
        unique = {student.pk: student for student in students}
        DisclosureStudent.objects.bulk_create(
            DisclosureStudent(disclosure=disclosure, student_id=pk) for pk in unique
        )
        access_log_record_listed(
            user=user,
            students=unique.values(),
            action=AccessAction.DISCLOSE,
            path=path,
            search=recipient[:200],
        )
    return disclosure


def interaction_disclose(
    *, user, interaction: Interaction, recipient: str, purpose: str, description: str, path: str = ""
) -> Disclosure:
    """Record the hand-over of one record (to the agency, a court, a family's lawyer…)."""
    students = [row.student for row in interaction.students.select_related("student") if row.student_id]
    return disclosure_record(
        user=user,
        recipient=recipient,
        purpose=purpose,
        description=description,
        students=students,
        interaction=interaction,
        path=path,
    )


def _rows(interactions: QuerySet[Interaction]):
    students = Prefetch("students", queryset=InteractionStudent.objects.select_related("student"))
    chosen = interactions.select_related("school", "officer", "category").prefetch_related(students)
    for interaction in chosen[:EXPORT_MAX_ROWS]:
        local = timezone.localtime(interaction.occurred_at)
        common = [
            interaction.pk,
            local.date().isoformat(),
            local.strftime("%H:%M"),
            interaction.school.name,
            str(interaction.officer),
            interaction.get_officer_role_display(),
            interaction.category.name,
            interaction.get_initiator_display(),
            interaction.duration_minutes,
            interaction.get_record_class_display(),
            interaction.anonymous_students,
        ]
        due = interaction.follow_up_due.isoformat() if interaction.follow_up_due else ""
        returned = {True: "yes", False: "no", None: ""}[interaction.returned_to_administration]
        tail = [due, interaction.bright_line_code, returned]
        rows = interaction.students.all()
        if not rows:
            yield None, [*common, "", "", "", "", "", "", "", "", *tail]
        for row in rows:
            arrest = {True: "yes", False: "no", None: ""}[row.arrest_school_related]
            yield (
                row.student,
                [
                    *common,
                    row.student.student_number if row.student else "",
                    row.student.full_name if row.student else "(removed)",
                    row.get_involvement_display(),
                    row.get_outcome_display(),
                    row.get_action_display(),
                    arrest,
                    "yes" if row.crdc_referral else "no",
                    "yes" if row.crdc_school_related_arrest else "no",
                    *tail,
                ],
            )


def interactions_export(
    *,
    user,
    interactions: QuerySet[Interaction],
    recipient: str = "",
    purpose: str = "",
    search: str = "",
    path: str = "",
) -> str:
    """The chosen records as CSV, one line per student. Every student in it is logged as exported;
    an export that leaves the school (``recipient`` given) is entered in the disclosures register."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    students: dict[int, Student] = {}
    for student, line in _rows(interactions):
        # A cell starting with = + - @ would run as a formula in a spreadsheet: quote it as text
        # (an empty cell stays empty).
        writer.writerow([f"'{c}" if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in line])
        if student is not None:
            students[student.pk] = student
    with transaction.atomic():
        access_log_record_listed(
            user=user, students=students.values(), search=search, path=path, action=AccessAction.EXPORT
        )
        if recipient.strip() or purpose.strip():
            if not students:
                raise ValidationError("These records name no student: there is nothing to disclose.")
            disclosure_record(
                user=user,
                recipient=recipient,
                purpose=purpose,
                description=f"CSV export: {len(students)} students' interaction records ({search or 'all'})",
                students=list(students.values()),
                path=path,
            )
    return buffer.getvalue()
