"""Assignments: one primary per school, dates inside the year, schedules, history, leave, coverage."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from officers.models import Assignment, AssignmentRole
from officers.selectors.assignments import coverage_on
from officers.services import assignments as services
from officers.services.assignments import ShiftInput
from tests.access import access_table, status_for
from tests.district.factories import SchoolFactory
from tests.officers.factories import (
    AssignmentDayFactory,
    AssignmentFactory,
    OfficerFactory,
    OfficerLeaveFactory,
)

pytestmark = pytest.mark.django_db


def _dates(year, start_offset=0, end_offset=None):
    start = year.start_date + datetime.timedelta(days=start_offset)
    end = year.end_date if end_offset is None else year.start_date + datetime.timedelta(days=end_offset)
    return {"start_date": start, "end_date": end}


MONDAY_SHIFT = ShiftInput(weekday=0, start_time=datetime.time(7, 30), end_time=datetime.time(15, 0))


# --- services -------------------------------------------------------------------------------


def test_create_with_a_weekly_schedule(other_school, academic_year, agency):
    officer = OfficerFactory(agency=agency)
    assignment = services.assignment_create(
        officer=officer,
        school=other_school,
        academic_year=academic_year,
        role=AssignmentRole.PRIMARY,
        shifts=[MONDAY_SHIFT, ShiftInput(weekday=2, start_time=datetime.time(8), end_time=datetime.time(12))],
        **_dates(academic_year),
    )
    assert list(assignment.days.values_list("weekday", flat=True)) == [0, 2]


def test_second_primary_is_refused_naming_the_conflict(officer, school, academic_year):
    other = OfficerFactory(family_name="Second")
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as error:
        services.assignment_create(
            officer=other,
            school=school,
            academic_year=academic_year,
            role="primary",
            **_dates(academic_year, 30, 60),
        )
    # The service's own check refuses it before any write; the database constraint is the backstop.
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    message = " ".join(error.value.messages)
    assert str(officer) in message
    assert school.name in message
    assert Assignment.objects.count() == 1


def test_backup_may_overlap_a_primary(officer, school, academic_year):
    services.assignment_create(
        officer=OfficerFactory(),
        school=school,
        academic_year=academic_year,
        role="backup",
        **_dates(academic_year),
    )
    assert Assignment.objects.filter(school=school).count() == 2


def test_race_on_the_exclusion_constraint_becomes_a_validation_error(
    officer, school, academic_year, monkeypatch
):
    # The other request saved its primary after our check ran: only the database notices.
    real = services.primary_conflict
    calls = []

    def check_passes_first_time(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(services, "primary_conflict", check_passes_first_time)
    with pytest.raises(ValidationError) as error:
        services.assignment_create(
            officer=OfficerFactory(),
            school=school,
            academic_year=academic_year,
            role="primary",
            **_dates(academic_year),
        )
    assert str(officer) in " ".join(error.value.messages)
    assert Assignment.objects.count() == 1  # and the transaction is still usable


def test_end_before_start_is_refused(officer, other_school, academic_year):
    with pytest.raises(ValidationError) as error:
        services.assignment_create(
            officer=officer, school=other_school, academic_year=academic_year, role="primary",
            start_date=academic_year.start_date + datetime.timedelta(days=10),
            end_date=academic_year.start_date,
        )  # fmt: skip
    assert "end_date" in error.value.message_dict


def test_dates_must_fall_inside_the_year(officer, other_school, academic_year):
    with pytest.raises(ValidationError) as error:
        services.assignment_create(
            officer=officer, school=other_school, academic_year=academic_year, role="primary",
            start_date=academic_year.start_date - datetime.timedelta(days=1),
            end_date=academic_year.end_date + datetime.timedelta(days=1),
        )  # fmt: skip
    assert set(error.value.message_dict) == {"start_date", "end_date"}


def test_ending_early_keeps_history(officer, academic_year):
    assignment = officer.assignments.get()
    services.assignment_end(
        assignment=assignment, end_date=academic_year.start_date + datetime.timedelta(days=90)
    )
    versions = list(assignment.history.order_by("history_date"))
    assert [v.end_date for v in versions] == [academic_year.end_date, assignment.end_date]
    with pytest.raises(ValidationError):
        services.assignment_end(assignment=assignment, end_date=academic_year.end_date)  # that is not early


def test_schedule_changes_keep_history(officer, academic_year):
    assignment = officer.assignments.get()
    fields = {
        "officer": officer, "school": assignment.school, "academic_year": academic_year, "role": "primary",
        "start_date": assignment.start_date, "end_date": assignment.end_date,
    }  # fmt: skip
    services.assignment_update(assignment=assignment, shifts=[MONDAY_SHIFT], **fields)
    services.assignment_update(
        assignment=assignment,
        shifts=[ShiftInput(weekday=1, start_time=datetime.time(9), end_time=datetime.time(14))],
        **fields,
    )
    assert list(assignment.days.values_list("weekday", flat=True)) == [1]
    from officers.models import AssignmentDay

    assert AssignmentDay.history.filter(assignment_id=assignment.pk, history_type="-").count() == 1


def test_leave_must_not_overlap(officer):
    from officers.models import OfficerLeave

    services.officer_leave_save(
        leave=OfficerLeave(
            officer=officer, start_date=datetime.date(2026, 10, 1), end_date=datetime.date(2026, 10, 5)
        )
    )
    with pytest.raises(ValidationError):
        services.officer_leave_save(
            leave=OfficerLeave(
                officer=officer, start_date=datetime.date(2026, 10, 5), end_date=datetime.date(2026, 10, 9)
            )
        )


# --- coverage -------------------------------------------------------------------------------


def test_coverage_on_a_day_marks_leave_and_lists_empty_schools(
    coordinator, officer, school, other_school, academic_year
):
    backup = AssignmentFactory(
        school=school, academic_year=academic_year, role="backup", officer__family_name="Backup"
    )
    day = academic_year.start_date + datetime.timedelta(days=100)
    OfficerLeaveFactory(officer=officer, start_date=day, end_date=day)

    by_school = {c.school: c for c in coverage_on(user=coordinator, day=day)}

    high = by_school[school]
    assert [e.assignment.officer for e in high.primary] == [officer]
    assert high.primary[0].on_leave is not None
    assert high.primary[0].covers is False
    assert [e.assignment.officer for e in high.backup] == [backup.officer]
    assert high.covered and not high.primary_covers
    assert not by_school[other_school].covered

    next_day = {c.school: c for c in coverage_on(user=coordinator, day=day + datetime.timedelta(days=1))}
    assert next_day[school].primary_covers


def test_coverage_respects_the_weekly_schedule(coordinator, officer, school, academic_year):
    assignment = officer.assignments.get()
    AssignmentDayFactory(assignment=assignment, weekday=0)
    monday = academic_year.start_date + datetime.timedelta(days=(7 - academic_year.start_date.weekday()) % 7)
    by_school = {c.school: c for c in coverage_on(user=coordinator, day=monday)}
    assert by_school[school].primary[0].shift.weekday == 0
    assert by_school[school].primary_covers
    tuesday = {c.school: c for c in coverage_on(user=coordinator, day=monday + datetime.timedelta(days=1))}
    assert not tuesday[school].covered


def test_coverage_is_scoped_for_administrators(school_admin, officer, school, other_school):
    assert [c.school for c in coverage_on(user=school_admin, day=datetime.date.today())] == [school]


# --- views ----------------------------------------------------------------------------------


def _form(officer, school, year, role="primary", start=None, end=None, days=()):
    data = {
        "officer": officer.pk, "school": school.pk, "academic_year": year.pk, "role": role,
        "start_date": (start or year.start_date).isoformat(), "end_date": (end or year.end_date).isoformat(),
        "days-TOTAL_FORMS": "7", "days-INITIAL_FORMS": "7",
        "days-MIN_NUM_FORMS": "7", "days-MAX_NUM_FORMS": "7",
    }  # fmt: skip
    for weekday in range(7):
        data[f"days-{weekday}-weekday"] = str(weekday)
        if weekday in days:
            data[f"days-{weekday}-works"] = "on"
            data[f"days-{weekday}-start_time"] = "07:30"
            data[f"days-{weekday}-end_time"] = "15:00"
    return data


def test_new_assignment_with_schedule_through_the_form(
    verified_client, coordinator, other_school, academic_year
):
    officer = OfficerFactory()
    verified_client.login(coordinator)
    url = reverse("officers:assignment_new")
    assert verified_client.get(url).status_code == 200
    response = verified_client.post(url, _form(officer, other_school, academic_year, days=(0, 2, 4)))
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = Assignment.objects.get(officer=officer)
    assert list(assignment.days.values_list("weekday", flat=True)) == [0, 2, 4]
    detail = verified_client.get(response["Location"])
    assert "History" in detail.content.decode()


def test_overlap_is_a_form_error_naming_the_conflict(
    verified_client, coordinator, officer, school, academic_year
):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("officers:assignment_new"), _form(OfficerFactory(), school, academic_year)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "already has a primary officer" in body
    assert officer.full_name in body


def test_race_is_a_form_error_not_a_500(
    verified_client, coordinator, officer, school, academic_year, monkeypatch
):
    monkeypatch.setattr(services, "primary_conflict", lambda **kwargs: None)
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("officers:assignment_new"), _form(OfficerFactory(), school, academic_year)
    )
    assert response.status_code == 400
    assert "already has a primary officer" in response.content.decode()


def test_form_errors_for_dates_and_schedule(verified_client, coordinator, other_school, academic_year):
    verified_client.login(coordinator)
    data = _form(
        OfficerFactory(),
        other_school,
        academic_year,
        start=academic_year.start_date + datetime.timedelta(days=5),
        end=academic_year.start_date,
    )
    data["days-1-works"] = "on"
    data["days-1-start_time"] = "15:00"
    data["days-1-end_time"] = "08:00"
    response = verified_client.post(reverse("officers:assignment_new"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "must end on or after its start" in body
    assert "Tuesday&#x27;s shift must end after it starts" in body
    data = _form(
        OfficerFactory(), other_school, academic_year, end=academic_year.end_date + datetime.timedelta(1)
    )
    response = verified_client.post(reverse("officers:assignment_new"), data)
    assert "Choose a date within" in response.content.decode()


def test_end_early_through_the_page(verified_client, coordinator, officer, academic_year):
    assignment = officer.assignments.get()
    verified_client.login(coordinator)
    new_end = academic_year.start_date + datetime.timedelta(days=40)
    response = verified_client.post(
        reverse("officers:assignment_end", args=[assignment.pk]), {"end_date": new_end.isoformat()}
    )
    assert response.status_code == 302
    page = verified_client.get(reverse("officers:assignment_detail", args=[assignment.pk])).content.decode()
    assert "Changed" in page and "Created" in page
    assert verified_client.get(reverse("officers:assignment_end", args=[assignment.pk])).status_code == 405


PEOPLE = [
    "anonymous",
    "outsider",
    "officer_user",
    "school_admin",
    "other_school_admin",
    "other_supervisor",
    "supervisor",
    "coordinator",
]
ACCESS = {
    "assignment_list": [302, 403, 200, 200, 200, 200, 200, 200],
    "assignment_detail": [302, 403, 200, 200, 404, 404, 200, 200],
    "assignment_new": [302, 403, 403, 403, 403, 403, 403, 200],
    # Coverage shows every school's officers and their leave: coordinators and administrators only.
    "coverage": [302, 403, 403, 200, 200, 403, 403, 200],
}


@pytest.mark.parametrize(("page", "person", "expected"), access_table(ACCESS, PEOPLE))
def test_assignment_access(request, client, verified_client, officer, page, person, expected):
    args = [officer.assignments.get().pk] if page == "assignment_detail" else []
    url = reverse(f"officers:{page}", args=args)
    assert status_for(request, client, verified_client, person, url) == expected


def test_supervisor_records_leave_for_own_officers_only(verified_client, supervisor, officer):
    stranger = OfficerFactory(agency__name="Milton Police Department")
    verified_client.login(supervisor)
    url = reverse("officers:leave_new")
    ok = verified_client.post(
        url, {"officer": officer.pk, "start_date": "2026-12-01", "end_date": "2026-12-03"}
    )
    assert ok.status_code == 302
    refused = verified_client.post(
        url, {"officer": stranger.pk, "start_date": "2026-12-01", "end_date": "2026-12-03"}
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not stranger.leaves.exists()
    assert verified_client.get(reverse("officers:leave_list")).status_code == 200


def test_leave_end_before_start_is_a_form_error(verified_client, coordinator, officer):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("officers:leave_new"),
        {"officer": officer.pk, "start_date": "2026-12-05", "end_date": "2026-12-01"},
    )
    assert response.status_code == 200
    assert "must end on or after its start" in response.content.decode()


# --- query counts ---------------------------------------------------------------------------


def _populate(academic_year, n):
    for i in range(n):
        school = SchoolFactory(code=f"Q{n}-{i}")
        primary = AssignmentFactory(school=school, academic_year=academic_year)
        AssignmentDayFactory(assignment=primary, weekday=0)
        AssignmentDayFactory(assignment=primary, weekday=1)
        AssignmentFactory(school=school, academic_year=academic_year, role="backup")
        OfficerLeaveFactory(
            officer=primary.officer, start_date=datetime.date.today(), end_date=datetime.date.today()
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["coverage", "assignment_list"])
def test_query_count_stays_fixed_with_ten_times_the_data(verified_client, coordinator, academic_year, name):
    verified_client.login(coordinator)
    url = reverse(f"officers:{name}")
    _populate(academic_year, 3)
    small = _count(verified_client, url)
    _populate(academic_year, 30)
    large = _count(verified_client, url)
    assert small == large, f"{name}: {small} queries with 3 schools, {large} with 33"
    assert large <= 14


# --- more access: changing assignments and leave ------------------------------------------------

# Ending early with no date is a form error on the detail page (400). A supervisor records and
# changes leave for the agency's officers only.
CHANGE_ACCESS = {
    "assignment_edit": [302, 403, 403, 403, 403, 403, 403, 200],
    "assignment_end": [302, 403, 403, 403, 403, 403, 403, 400],
    "leave_list": [302, 403, 403, 200, 200, 200, 200, 200],
    "leave_new": [302, 403, 403, 403, 403, 200, 200, 200],
    "leave_edit": [302, 403, 403, 403, 403, 404, 200, 200],
}


@pytest.mark.parametrize(("page", "person", "expected"), access_table(CHANGE_ACCESS, PEOPLE))
def test_change_pages_access_table(
    request, client, verified_client, officer, academic_year, other_supervisor, page, person, expected
):
    OfficerFactory(agency=other_supervisor.supervised_agencies.get())  # someone they may record leave for
    assignment = officer.assignments.get()
    leave = OfficerLeaveFactory(officer=officer)
    method, url = {
        "assignment_edit": ("get", reverse("officers:assignment_edit", args=[assignment.pk])),
        "assignment_end": ("post", reverse("officers:assignment_end", args=[assignment.pk])),
        "leave_list": ("get", reverse("officers:leave_list")),
        "leave_new": ("get", reverse("officers:leave_new")),
        "leave_edit": ("get", reverse("officers:leave_edit", args=[leave.pk])),
    }[page]
    assert status_for(request, client, verified_client, person, url, method=method) == expected
    assignment.refresh_from_db()
    assert assignment.end_date == academic_year.end_date


# --- bad input leaves nothing half-saved ---------------------------------------------------------


def test_an_overlapping_primary_saves_nothing(verified_client, coordinator, officer, school, academic_year):
    verified_client.login(coordinator)
    newcomer = OfficerFactory()
    response = verified_client.post(
        reverse("officers:assignment_new"), _form(newcomer, school, academic_year, days=(0, 1))
    )
    assert response.status_code == 400
    assert not Assignment.objects.filter(officer=newcomer).exists()
    from officers.models import AssignmentDay

    assert not AssignmentDay.objects.exists(), "no schedule rows without their assignment"


def test_an_edit_into_a_conflict_changes_neither_dates_nor_schedule(
    verified_client, coordinator, officer, school, other_school, academic_year
):
    mine = AssignmentFactory(school=other_school, academic_year=academic_year, officer__family_name="Mine")
    AssignmentDayFactory(assignment=mine, weekday=0)
    verified_client.login(coordinator)
    # Move it to `school`, where `officer` is already primary, with a new schedule.
    data = _form(mine.officer, school, academic_year, days=(2, 3))
    response = verified_client.post(reverse("officers:assignment_edit", args=[mine.pk]), data)
    assert response.status_code == 400
    assert "already has a primary officer" in response.content.decode()
    mine.refresh_from_db()
    assert mine.school == other_school
    assert list(mine.days.values_list("weekday", flat=True)) == [0]
    assert mine.history.count() == 1


def test_an_end_before_start_saves_nothing(verified_client, coordinator, other_school, academic_year):
    verified_client.login(coordinator)
    newcomer = OfficerFactory()
    data = _form(
        newcomer, other_school, academic_year,
        start=academic_year.start_date + datetime.timedelta(days=5), end=academic_year.start_date, days=(0,),
    )  # fmt: skip
    assert verified_client.post(reverse("officers:assignment_new"), data).status_code == 400
    assert not Assignment.objects.filter(officer=newcomer).exists()


def test_ending_before_the_start_is_a_form_error(verified_client, coordinator, officer, academic_year):
    assignment = officer.assignments.get()
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("officers:assignment_end", args=[assignment.pk]),
        {"end_date": (academic_year.start_date - datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    assert "cannot end before it starts" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.end_date == academic_year.end_date and assignment.history.count() == 1


def test_leave_end_before_start_saves_nothing(verified_client, coordinator, officer):
    verified_client.login(coordinator)
    verified_client.post(
        reverse("officers:leave_new"),
        {"officer": officer.pk, "start_date": "2026-12-05", "end_date": "2026-12-01"},
    )
    assert not officer.leaves.exists()


def test_leave_list_query_count_is_fixed(verified_client, coordinator, academic_year):
    verified_client.login(coordinator)
    url = reverse("officers:leave_list")
    counts = []
    for how_many in (3, 30):
        for _ in range(how_many):
            OfficerLeaveFactory(officer=OfficerFactory())
        counts.append(_count(verified_client, url))
    assert counts[0] == counts[1], counts
