"""Incident reports: written from scratch or promoted from an interaction without retyping, with
the people in them, who was told and when, and their status."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from district.models import School, Student
from incidents.models import (
    Incident,
    IncidentNotification,
    IncidentPerson,
    IncidentStatus,
    IncidentType,
    Interaction,
    Involvement,
    PersonKind,
)
from incidents.selectors.officers import officer_for_user, officer_school_ids
from incidents.services.interactions import FUTURE_GRACE

FLAGS = ("alcohol", "drugs", "gang", "hate_or_bias", "weapon")
TEXT = ("place", "weapon_or_injury", "narrative", "actions_taken")


def _check_when_and_where(*, officer, school: School, occurred_at: datetime.datetime) -> None:
    errors = {}
    if occurred_at > timezone.now() + FUTURE_GRACE:
        errors["occurred_on"] = "The date and time cannot be in the future."
    days = {timezone.localdate(occurred_at), timezone.localdate()}
    if not any(school.pk in officer_school_ids(officer=officer, day=day) for day in days):
        errors["school"] = "You were not assigned to this school on that day."
    if errors:
        raise ValidationError(errors)


def incident_create(
    *,
    author,
    key: uuid.UUID,
    school: School,
    occurred_at: datetime.datetime,
    incident_type: IncidentType,
    **details,
) -> tuple[Incident, bool]:
    """Write a report from scratch, once per key (a double tap returns the first)."""
    officer = officer_for_user(user=author)
    if officer is None:
        raise ValidationError("Your account is not linked to an officer record.")
    existing = Incident.objects.filter(key=key).first()
    if existing is not None:
        if existing.author_id != author.pk:
            raise ValidationError("This form was already used. Open a new report.")
        return existing, False
    _check_when_and_where(officer=officer, school=school, occurred_at=occurred_at)
    fields = {name: details.get(name, False) for name in FLAGS} | {
        name: details.get(name, "") for name in TEXT
    }
    try:
        with transaction.atomic():
            incident = Incident.objects.create(
                key=key, officer=officer, author=author, school=school, occurred_at=occurred_at,
                incident_type=incident_type, **fields,
            )  # fmt: skip
    except IntegrityError:
        existing = Incident.objects.filter(key=key, author=author).first()
        if existing is None:
            raise
        return existing, False
    return incident, True


def incident_promote(*, user, interaction: Interaction, incident_type: IncidentType) -> Incident:
    """The interaction's report, made from what it already holds (school, time, place, note, students);
    promoting it again returns the same report."""
    if interaction.author_id != user.pk:
        raise ValidationError("Only the officer who wrote the interaction may promote it.")
    with transaction.atomic():
        interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
        existing = Incident.objects.filter(interaction=interaction).first()
        if existing is not None:
            return existing
        incident = Incident.objects.create(
            key=uuid.uuid4(),
            interaction=interaction,
            officer=interaction.officer,
            author=user,
            school=interaction.school,
            occurred_at=interaction.occurred_at,
            incident_type=incident_type,
            place=interaction.place,
            narrative=interaction.narrative,
        )
        for row in interaction.students.select_related("student"):
            if row.student_id is None:
                continue
            part = "witness" if row.involvement == Involvement.WITNESS else "involved"
            IncidentPerson.objects.create(
                incident=incident, kind=PersonKind.STUDENT, student=row.student, part=part
            )
    return incident


def incident_update(*, user, incident: Incident, occurred_at: datetime.datetime, school: School,
                    incident_type: IncidentType, **details) -> Incident:  # fmt: skip
    """The writing officer corrects the report within the week; every version is kept."""
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.author_id != user.pk:
            raise ValidationError("Only the officer who wrote this report may change it.")
        if not incident.editable_now:
            raise ValidationError("The week for changes has passed.")
        _check_when_and_where(officer=incident.officer, school=school, occurred_at=occurred_at)
        incident.occurred_at, incident.school, incident.incident_type = occurred_at, school, incident_type
        for name in FLAGS:
            setattr(incident, name, bool(details.get(name, False)))
        for name in TEXT:
            setattr(incident, name, details.get(name, ""))
        incident.save()
    return incident


def incident_person_add(
    *, user, incident: Incident, kind: str, part: str, student: Student | None = None, name: str = "",
    roster=None,
) -> IncidentPerson:  # fmt: skip
    """Add a student from the officer's roster, or a staff member or other person by name."""
    if incident.author_id != user.pk:
        raise ValidationError("Only the officer who wrote this report may change it.")
    if kind == PersonKind.STUDENT:
        if student is None or roster is None or not roster.filter(pk=student.pk).exists():
            raise ValidationError({"student": "No student with this id at your schools."})
        name = ""
    else:
        student = None
        if not name.strip():
            raise ValidationError({"name": "Give the person's name."})
    return IncidentPerson.objects.create(
        incident=incident, kind=kind, student=student, name=name.strip(), part=part
    )


def incident_notification_add(
    *, user, incident: Incident, party: str, notified_at: datetime.datetime, note: str = ""
) -> IncidentNotification:
    """Who was told, and when (not before the incident, not in the future)."""
    if incident.author_id != user.pk:
        raise ValidationError("Only the officer who wrote this report may change it.")
    if notified_at > timezone.now() + FUTURE_GRACE:
        raise ValidationError({"notified_at": "The time cannot be in the future."})
    if notified_at < incident.occurred_at:
        raise ValidationError({"notified_at": "Nobody can be told before the incident happened."})
    return IncidentNotification.objects.create(
        incident=incident, party=party, notified_at=notified_at, note=note
    )


def incident_status_set(*, user, incident: Incident, status: str) -> Incident:
    """Draft, submitted, closed: the writing officer moves it on; a coordinator may close it."""
    from district.roles import Role

    may = incident.author_id == user.pk or (
        status == IncidentStatus.CLOSED and user.has_role(Role.COORDINATOR)
    )
    if not may:
        raise ValidationError("You may not change this report's status.")
    incident.status = status
    incident.save()
    return incident
