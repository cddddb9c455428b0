"""Demographic counts: kept only when the district turns them on, small counts suppressed."""

import pytest

from district.models import Student, StudentDemographics
from district.selectors import demographic_table
from tests.district.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demographics_on(settings):
    settings.SRO_DEMOGRAPHICS_ENABLED = True
    settings.SRO_SMALL_COUNT_THRESHOLD = 10


def _students(school, sex: str, how_many: int):
    for student in StudentFactory.create_batch(how_many, school=school):
        StudentDemographics.objects.create(student=student, sex=sex)


def table_by_value() -> dict:
    return {row["value"]: row for row in demographic_table(students=Student.objects.all(), field="sex")}


def test_nothing_while_demographics_are_off(settings, school):
    settings.SRO_DEMOGRAPHICS_ENABLED = False
    _students(school, "female", 12)
    assert demographic_table(students=Student.objects.all(), field="sex") is None


def test_a_small_count_and_the_cell_that_would_reveal_it_are_suppressed(school):
    _students(school, "female", 25)
    _students(school, "male", 12)
    _students(school, "nonbinary", 3)
    rows = table_by_value()
    assert rows["female"]["count"] == 25
    assert rows["nonbinary"] == {
        "value": "nonbinary",
        "label": "Nonbinary",
        "count": None,
        "suppressed": True,
    }
    # 3 hidden beside 25 and 12 published would be recoverable from the total: 12 is hidden too.
    assert rows["male"]["suppressed"] and rows["male"]["count"] is None


def test_two_small_cells_hide_each_other(school):
    _students(school, "female", 25)
    _students(school, "male", 12)
    _students(school, "nonbinary", 3)
    StudentFactory(school=school)  # no demographics row: not reported
    rows = table_by_value()
    assert rows[""]["count"] is None and rows["nonbinary"]["count"] is None
    assert rows["male"]["count"] == 12


def test_counts_at_or_above_the_threshold_are_published(school):
    _students(school, "female", 10)
    _students(school, "male", 11)
    counts = {value: row["count"] for value, row in table_by_value().items()}
    assert counts == {"female": 10, "male": 11, "nonbinary": 0, "": 0}
