"""Hand-countable data for the annual report: interactions and their students written directly, so a
test says exactly what it counts (the quick log's own rules are tested in tests/incidents)."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from district.models import AcademicYear, StudentDemographics
from incidents.models import (
    Category,
    EnforcementAction,
    Initiator,
    Interaction,
    InteractionStudent,
    Involvement,
    OfficerRole,
    RecordClass,
)
from tests.district.factories import AcademicYearFactory, StudentFactory


def years() -> tuple[AcademicYear, AcademicYear]:
    """Last year (2025-2026, the one a June report is about) and the year before it."""
    before = AcademicYearFactory(
        name="2024-2025",
        start_date=datetime.date(2024, 7, 1),
        end_date=datetime.date(2025, 6, 30),
        is_current=False,
    )
    last = AcademicYearFactory(
        name="2025-2026",
        start_date=datetime.date(2025, 7, 1),
        end_date=datetime.date(2026, 6, 30),
        is_current=False,
    )
    return last, before


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def contact(
    *, officer, school, day, role=OfficerRole.MENTOR, minutes=30, anonymous=0, initiator=Initiator.STUDENT
):
    return Interaction.objects.create(
        key=uuid.uuid4(),
        officer=officer,
        author=officer.user,
        school=school,
        occurred_at=at(day),
        officer_role=role,
        category=Category.objects.order_by("position").first(),
        initiator=initiator,
        anonymous_students=anonymous,
        duration_minutes=minutes,
        record_class=RecordClass.LAW_ENFORCEMENT_UNIT
        if role == OfficerRole.LAW_ENFORCEMENT
        else RecordClass.SCHOOL,
    )


def referral(*, officer, school, day, student, action=EnforcementAction.REFERRAL, arrest=None):
    """A law-enforcement contact in which ``student`` was referred (or arrested)."""
    interaction = contact(officer=officer, school=school, day=day, role=OfficerRole.LAW_ENFORCEMENT)
    arrested = action == EnforcementAction.CUSTODIAL_ARREST
    InteractionStudent.objects.create(
        interaction=interaction,
        student=student,
        involvement=Involvement.INVOLVED,
        outcome="returned_to_administration",
        action=action,
        arrest_school_related=arrest,
        crdc_referral=action == EnforcementAction.REFERRAL or (arrested and bool(arrest)),
        crdc_school_related_arrest=arrested and bool(arrest),
    )
    return interaction


def student(*, school, disability="none", sex="female", race="white", english_learner=False):
    person = StudentFactory(school=school)
    StudentDemographics.objects.create(
        student=person, disability=disability, sex=sex, race_ethnicity=race, english_learner=english_learner
    )
    return person
