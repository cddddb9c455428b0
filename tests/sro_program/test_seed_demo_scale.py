"""Above scale 1 the demo grows into the benchmark's district: more zones and schools, officers for
every year of a longer history, more interactions a year. Shown here at a tiny roster (the per-scale
sizes shrunk), so it runs in seconds; a second run adds nothing."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import ExtractYear

import district.demo
import incidents.demo
from district.demo import demo_district, extra_zones, history_years
from district.models import AcademicYear, School, Student
from incidents.demo import interactions_target
from incidents.models import Interaction, InteractionStudent
from officers.demo import _district_posts
from officers.models import Assignment, AssignmentRole, Officer, OfficerStatus

SCALE = 3


def test_the_benchmark_district_at_scale_10():
    district = demo_district(10)
    assert len(district.schools) == 52
    assert len(set(district.school_codes)) == 52
    assert district.history_years == 10
    assert abs(sum(district.zones.values()) - 1) < 1e-9
    assert interactions_target(10) == 1_000_000
    assert len(_district_posts(10)) == 60 - 6  # the six named active officers make sixty
    # Up to scale 1 nothing grows but the roster and the year's interactions.
    assert extra_zones(1) == 0 and history_years(0.05) == 1 and history_years(1) == 1
    assert interactions_target(1) == incidents.demo.YEAR_INTERACTIONS
    assert interactions_target(0.5) == incidents.demo.YEAR_INTERACTIONS // 2
    assert len(demo_district(1).schools) == len(district.schools[:8])


@pytest.fixture
def tiny(monkeypatch):
    """The per-scale sizes a hundredth of the real ones: the shape of scale 3, in a few hundred rows."""
    monkeypatch.setattr(district.demo, "STUDENTS", 60)
    monkeypatch.setattr(district.demo, "STAFF_POOL", 10)
    monkeypatch.setattr(incidents.demo, "YEAR_INTERACTIONS", 40)
    monkeypatch.setattr(incidents.demo, "BENCH_YEAR_INTERACTIONS", 1_000)


def seed():
    call_command("seed_demo", f"--scale={SCALE}", stdout=StringIO())


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_a_larger_district_with_years_of_history_and_a_second_run_adds_nothing(tiny):
    seed()

    # Schools: the eight named ones and two generated zones of four.
    assert School.objects.count() == 8 + 4 * extra_zones(SCALE) == 16
    assert Student.objects.count() == 180
    assert School.objects.filter(code__startswith="Z", students__isnull=False).distinct().count() >= 6
    # Years: three of history, this one and the next.
    assert AcademicYear.objects.count() == history_years(SCALE) + 2 == 5
    # Officers: six per unit of scale are active; each generated one works every year to this one.
    assert Officer.objects.filter(status=OfficerStatus.ACTIVE).count() == 18
    generated = Officer.objects.filter(badge_number__gte="5001")
    assert generated.count() == 12
    past_and_current = AcademicYear.objects.filter(start_date__lte=datetime.date.today()).count()
    for officer in generated:
        assert officer.user is not None
        years = officer.assignments.values("academic_year").distinct().count()
        assert years == past_and_current, officer
    # At most one primary officer per school and day (the database refuses more), and each
    # generated zone's high school has one this year.
    current = AcademicYear.objects.get(is_current=True)
    for code in ("Z01H", "Z02H", "Z01M"):
        assert Assignment.objects.filter(
            school__code=code, academic_year=current, role=AssignmentRole.PRIMARY
        ).exists(), code

    # Interactions: the target, spread over the years of history, each student at that school.
    assert Interaction.objects.count() == interactions_target(SCALE)
    years = set(Interaction.objects.annotate(y=ExtractYear("occurred_at")).values_list("y", flat=True))
    assert len(years) >= history_years(SCALE)
    by_school = dict(Interaction.objects.values_list("school__code").annotate(n=Count("pk")))
    assert any(code.startswith("Z") for code in by_school)
    rows = InteractionStudent.objects.select_related("interaction", "student")
    assert rows.exists()
    assert all(row.student.school_id == row.interaction.school_id for row in rows)

    before = row_counts()
    seed()
    assert row_counts() == before
