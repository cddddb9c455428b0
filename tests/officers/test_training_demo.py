"""The training demo (part 7): a catalogue, records some expiring soon and one expired, joint
sessions, and a school year of assignments with weekly schedules; idempotent."""

import random

import pytest
from django.utils import timezone

from district import demo as district_demo
from officers import demo as officers_demo
from officers import demo_training
from officers.models import Assignment, AssignmentRole, OfficerStatus, TrainingCourse, TrainingRecord
from officers.selectors.training import CellStatus, latest_records, record_status, required_courses

pytestmark = pytest.mark.django_db


def test_the_training_demo_has_what_the_issue_asks_and_is_idempotent():
    district_demo.seed(rng=random.Random(1), scale=0.02)
    officers_demo.seed(rng=random.Random(2), scale=0.02)
    created = demo_training.seed(rng=random.Random(3), scale=0.02)
    assert created["courses"] == len(demo_training.COURSES) and created["policies"] == 1

    today = timezone.localdate()
    courses = list(required_courses())
    officers = TrainingRecord.objects.values_list("officer_id", flat=True).distinct()
    latest = latest_records(officer_ids=list(officers), course_ids=[c.pk for c in courses])
    statuses = [record_status(expires_on=row["expires_on"], today=today) for row in latest.values()]
    assert statuses.count(CellStatus.EXPIRING) >= 2, "some expiring soon"
    assert statuses.count(CellStatus.EXPIRED) == 1, "one expired"
    assert TrainingRecord.objects.filter(verified_at__isnull=True).exists(), "one awaits verification"
    assert TrainingRecord.objects.filter(session__isnull=False).exists(), "attendance made records"

    # A year of assignments: every active officer serves the whole current year, primaries on a schedule.
    current = Assignment.objects.filter(academic_year__is_current=True).select_related("academic_year")
    assert current.exists()
    for assignment in current:
        year = assignment.academic_year
        assert (assignment.start_date, assignment.end_date) == (year.start_date, year.end_date)
        assert assignment.officer.status == OfficerStatus.ACTIVE
        if assignment.role == AssignmentRole.PRIMARY:
            assert assignment.days.exists()

    again = demo_training.seed(rng=random.Random(3), scale=0.02)
    assert not any(again.values())
    assert TrainingCourse.objects.count() == len(demo_training.COURSES)
