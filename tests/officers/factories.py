"""factory_boy factories and helpers for the officers app: agencies, officers, assignments, selection
(cycles are opened through the service, so each starts with the district's default criteria, as in
the application), training and schedules."""

import datetime
from decimal import Decimal

import factory

from officers.models import (
    Agency,
    Assignment,
    AssignmentDay,
    AssignmentRole,
    Candidate,
    CourseCategory,
    Officer,
    OfficerLeave,
    OfficerStatus,
    PanelAffiliation,
    Panelist,
    SelectionCycle,
    TrainingCourse,
    TrainingPolicy,
    TrainingRecord,
    TrainingSession,
)
from officers.services.selection import cycle_open, scorecard_submit
from tests.district.factories import AcademicYearFactory, SchoolFactory, UserFactory


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = "Norwood County Sheriff's Office"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    agency = factory.SubFactory(AgencyFactory)
    badge_number = factory.Sequence(lambda n: f"B{1000 + n}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    rank = "Deputy"
    status = OfficerStatus.ACTIVE


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    officer = factory.SubFactory(OfficerFactory)
    school = factory.SubFactory(SchoolFactory)
    academic_year = factory.SubFactory(AcademicYearFactory)
    role = AssignmentRole.PRIMARY
    start_date = factory.SelfAttribute("academic_year.start_date")
    end_date = factory.SelfAttribute("academic_year.end_date")


# The smallest file that passes the résumé check: a PDF header and an end-of-file marker.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def open_cycle(*, opened_by, agency=None, academic_year=None, schools=None, title="SRO for the high school"):
    return cycle_open(
        title=title,
        agency=agency or AgencyFactory(),
        academic_year=academic_year or AcademicYearFactory(),
        schools=schools or [SchoolFactory()],
        opened_by=opened_by,
    )


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    cycle = factory.Iterator(SelectionCycle.objects.all())
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    badge_number = factory.Sequence(lambda n: f"C{5000 + n}")
    rank = "Deputy"
    years_of_service = 8
    youth_experience = "Coached youth hockey for six years."
    nominated_by = factory.SubFactory(UserFactory)


class PanelistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panelist

    user = factory.SubFactory(UserFactory)
    affiliation = PanelAffiliation.DISTRICT


def submit_all(*, panelist, candidate, values):
    """Submit a scorecard with ``values`` (one per criterion, in order, or a single value for all)."""
    criteria = list(candidate.cycle.criteria.all())
    if isinstance(values, int):
        values = [values] * len(criteria)
    scores = {c.pk: (v, "") for c, v in zip(criteria, values, strict=True)}
    return scorecard_submit(panelist=panelist, candidate=candidate, scores=scores)


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
