"""COPY writes what bulk_create would: every field, awkward text intact, keys reserved in order."""

import datetime

import pytest

from district.models import School
from incidents.models import Category
from sro_program.bulk import copy_insert, reserve_ids

pytestmark = pytest.mark.django_db


def test_rows_are_written_with_their_text_intact_and_new_keys():
    schools = [
        School(code="T1", name="Tab\there, a new\nline and a back\\slash", level="high", address=""),
        School(code="T2", name="Ünïcode Élémentaire", level="elementary", phone="(518) 555-0100"),
    ]

    assert copy_insert(schools) == 2

    assert all(school.pk for school in schools)
    assert schools[0].pk < schools[1].pk
    stored = {school.code: school for school in School.objects.all()}
    assert stored["T1"].name == "Tab\there, a new\nline and a back\\slash"
    assert stored["T2"].name == "Ünïcode Élémentaire"
    assert stored["T2"].phone == "(518) 555-0100"
    # A row written afterwards the usual way gets a key after the reserved ones.
    later = School.objects.create(code="T3", name="Later", level="middle")
    assert later.pk > schools[1].pk


def test_defaults_nulls_and_booleans_come_through():
    category = Category(name="Copied", active=False)
    copy_insert([category])
    stored = Category.objects.get(name="Copied")
    assert stored.active is False
    assert stored.position == 100


def test_nothing_to_write_writes_nothing():
    assert copy_insert([]) == 0
    assert reserve_ids(School, 0) == []
    assert len(set(reserve_ids(School, 3))) == 3


def test_a_date_and_a_time_of_day(officer):
    from officers.models import AssignmentDay

    assignment = officer.assignments.get()
    day = AssignmentDay(
        assignment=assignment, weekday=2, start_time=datetime.time(7, 30), end_time=datetime.time(15)
    )
    copy_insert([day])
    assert AssignmentDay.objects.get(pk=day.pk).end_time == datetime.time(15)
