"""Factories for training and schedules, beside the shared ones in tests/factories.py."""

import datetime
from decimal import Decimal

import factory

from officers.models import (
    AssignmentDay,
    CourseCategory,
    OfficerLeave,
    TrainingCourse,
    TrainingPolicy,
    TrainingRecord,
    TrainingSession,
)
from tests.factories import AcademicYearFactory, AssignmentFactory, OfficerFactory


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse
        django_get_or_create = ("title",)

    title = factory.Sequence(lambda n: f"Course {n}")
    provider = "NASRO"
    category = CourseCategory.NATIONAL
    hours = Decimal("8.0")
    renewal_months = 24
    required_for = factory.LazyFunction(lambda: ["sro"])


class TrainingPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPolicy
        django_get_or_create = ("academic_year",)

    academic_year = factory.SubFactory(AcademicYearFactory)
    minimum_hours = Decimal("24.0")


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    """A record whose expiry is computed as the service would."""

    class Meta:
        model = TrainingRecord

    officer = factory.SubFactory(OfficerFactory)
    course = factory.SubFactory(TrainingCourseFactory)
    completed_on = datetime.date(2026, 1, 15)
    hours = factory.SelfAttribute("course.hours")
    expires_on = factory.LazyAttribute(lambda o: o.course.expiry_for(o.completed_on))


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    course = factory.SubFactory(TrainingCourseFactory)
    date = datetime.date(2026, 10, 1)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(12, 0)
    location = "District office, board room"
    capacity = 20


class AssignmentDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssignmentDay

    assignment = factory.SubFactory(AssignmentFactory)
    weekday = 0
    start_time = datetime.time(7, 30)
    end_time = datetime.time(15, 30)


class OfficerLeaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerLeave

    officer = factory.SubFactory(OfficerFactory)
    start_date = datetime.date(2026, 10, 1)
    end_date = datetime.date(2026, 10, 5)
    reason = "Annual leave"
