"""Demo data for training and schedules: the catalogue, this year's minimum, officers' records
(some expiring soon, one expired), a past joint session with attendance and an upcoming one,
and weekly schedules for existing assignments.

Idempotent: everything is found by natural key first, so a second run changes nothing. Officers
and assignments come from ``officers.demo``; without them, no records or schedules are created.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from district.models import Staff, User
from district.roles import Role
from district.selectors import academic_year_current
from officers.demo import AGENCY_NAME
from officers.models import (
    Assignment,
    AssignmentDay,
    AssignmentRole,
    CourseCategory,
    Officer,
    OfficerStatus,
    TrainingCourse,
    TrainingPolicy,
    TrainingRecord,
    TrainingSession,
    TrainingTopic,
)
from officers.services import training as services

T = TrainingTopic
# title, provider, category, hours, renewal months, topics, required for SROs
COURSES = [
    ("Basic School Resource Officer Course", "National Association of School Resource Officers",
     CourseCategory.NATIONAL, "40", 36, [T.ADOLESCENT_DEVELOPMENT, T.LEGAL, T.DE_ESCALATION], True),
    ("De-escalation in Schools", "State Division of Criminal Justice Services",
     CourseCategory.STATE, "8", 24, [T.DE_ESCALATION], True),
    ("Adolescent Development and Behavior", "State Center for School Safety",
     CourseCategory.STATE, "8", None, [T.ADOLESCENT_DEVELOPMENT], True),
    ("Youth Mental Health First Aid", "National Council for Mental Wellbeing",
     CourseCategory.NATIONAL, "8", 36, [T.MENTAL_HEALTH], True),
    ("Students with Special Needs", "State Center for School Safety",
     CourseCategory.STATE, "6", None, [T.SPECIAL_NEEDS, T.EQUITY], False),
    ("Student Privacy and FERPA", "District Counsel",
     CourseCategory.DISTRICT, "2", 12, [T.STUDENT_PRIVACY, T.LEGAL], True),
    ("Crisis Intervention Team Training", AGENCY_NAME,
     CourseCategory.AGENCY, "24", 24, [T.CRISIS_INTERVENTION, T.MENTAL_HEALTH], False),
    ("Joint Threat Assessment and Emergency Response", "District Safety Office",
     CourseCategory.DISTRICT, "4", 12, [T.EMERGENCY_RESPONSE, T.CRISIS_INTERVENTION], False),
]  # fmt: skip
JOINT_COURSE = "Joint Threat Assessment and Emergency Response"
SCHEDULE = (datetime.time(7, 15), datetime.time(15, 15))


@transaction.atomic
def seed(*, rng: random.Random, scale: float) -> dict:
    """Create the training demo data; returns counts of what this run created."""
    today = timezone.localdate()
    created = {
        "courses": 0,
        "policies": 0,
        "records": 0,
        "sessions": 0,
        "participants": 0,
        "schedule_days": 0,
    }
    courses = {}
    for title, provider, category, hours, renewal, topics, required in COURSES:
        course, made = TrainingCourse.objects.get_or_create(
            title=title,
            defaults={
                "provider": provider,
                "category": category,
                "hours": Decimal(hours),
                "renewal_months": renewal,
                "topics": [t.value for t in topics],
                "required_for": [Role.SRO.value] if required else [],
            },
        )
        courses[title] = course
        created["courses"] += made

    year = academic_year_current()
    if year is not None:
        _, made = TrainingPolicy.objects.get_or_create(
            academic_year=year, defaults={"minimum_hours": Decimal("24")}
        )
        created["policies"] += made

    officers = list(Officer.objects.exclude(status=OfficerStatus.LEFT).order_by("badge_number", "id"))
    if not officers:
        return created
    coordinator = User.objects.filter(groups__name=Role.COORDINATOR.label).order_by("id").first()

    def record(officer, course, completed_on, verified=True):
        # Keyed on officer and course, so a rerun on another day or with another seed adds nothing.
        if TrainingRecord.objects.filter(officer=officer, course=course).exists():
            return
        services.training_record_create(
            officer=officer,
            course=course,
            completed_on=completed_on,
            verified_by=coordinator if verified else None,
        )
        created["records"] += 1

    # Dates are anchored to today so "expiring soon" stays true whenever the demo is seeded, and
    # the random choices come from the caller's seeded rng so a rerun picks the same ones.
    required = [courses[c[0]] for c in COURSES if c[6]]
    for index, officer in enumerate(officers):
        for course in required:
            if course.renewal_months:
                # Somewhere comfortably inside the renewal window.
                age_days = rng.randint(60, course.renewal_months * 30 - 120)
            else:
                age_days = rng.randint(200, 900)
            completed = today - datetime.timedelta(days=age_days)
            if index == 0 and course.title == "De-escalation in Schools":
                completed = (
                    today + datetime.timedelta(days=45) - datetime.timedelta(days=730)
                )  # expiring soon
            if index == 1 % len(officers) and course.title == "Student Privacy and FERPA":
                completed = (
                    today + datetime.timedelta(days=20) - datetime.timedelta(days=365)
                )  # expiring soon
            if index == len(officers) - 1 and course.title == "Youth Mental Health First Aid":
                completed = today - datetime.timedelta(days=3 * 365 + 40)  # expired
            record(officer, course, completed)
        # An elective this year, awaiting verification for the first officer.
        record(officer, courses["Crisis Intervention Team Training"], today - datetime.timedelta(days=30),
               verified=index != 0)  # fmt: skip

    joint = courses[JOINT_COURSE]
    past_date = today - datetime.timedelta(days=21)
    past, made = TrainingSession.objects.get_or_create(
        course=joint,
        location="District office, board room",
        defaults={
            "date": past_date,
            "start_time": datetime.time(8, 30),
            "end_time": datetime.time(12, 30),
            "capacity": 40,
            "notes": "Joint training with building administrators and staff.",
        },
    )
    created["sessions"] += made
    upcoming, made = TrainingSession.objects.get_or_create(
        course=joint,
        location="High school library",
        defaults={
            "date": today + datetime.timedelta(days=35),
            "start_time": datetime.time(13, 0),
            "end_time": datetime.time(17, 0),
            "capacity": 30,
        },
    )
    created["sessions"] += made
    administrators = list(User.objects.filter(groups__name=Role.ADMINISTRATOR.label).order_by("id")[:4])
    staff = list(Staff.objects.filter(active=True).order_by("id")[: max(2, int(4 * scale))])
    for session in (past, upcoming):
        before = session.participants.count()
        if before == 0:
            invited_officers = officers[: session.capacity]
            room = session.capacity - len(invited_officers)
            invited_users = administrators[:room]
            room -= len(invited_users)
            services.session_invite(
                session=session, officers=invited_officers, users=invited_users, staff=staff[:room]
            )
        created["participants"] += session.participants.count() - before
    if past.attendance_taken_at is None and coordinator is not None:
        participants = list(past.participants.order_by("id"))
        # Everyone came except the last officer invited.
        absent = next((p.pk for p in reversed(participants) if p.officer_id), None)
        services.session_attendance_take(
            session=past, attended_ids=[p.pk for p in participants if p.pk != absent], user=coordinator
        )
        created["records"] += TrainingRecord.objects.filter(session=past).count()

    for assignment in Assignment.objects.filter(days__isnull=True, role=AssignmentRole.PRIMARY):
        for weekday in range(5):
            AssignmentDay.objects.create(
                assignment=assignment, weekday=weekday, start_time=SCHEDULE[0], end_time=SCHEDULE[1]
            )
            created["schedule_days"] += 1
    return created


__all__ = ["seed"]
