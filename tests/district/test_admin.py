"""The admin pages for the system administrator: users with their roles and scope, schools, years
(one current), agencies; the roster and the access log read-only."""

import datetime

import pytest
from django.urls import reverse

from district.models import AcademicYear, AccessLog
from district.roles import Role
from tests.district.factories import (
    AcademicYearFactory,
    GuardianFactory,
    StaffFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(verified_client):
    verified_client.login(UserFactory(username="sysadmin", is_staff=True, is_superuser=True))
    return verified_client


@pytest.fixture
def records(school, agency, coordinator):
    student = StudentFactory(school=school)
    return {
        "district_user": coordinator,
        "district_school": school,
        "district_academicyear": AcademicYearFactory(),
        "officers_agency": agency,
        "district_student": student,
        "district_staff": StaffFactory(),
        "district_guardian": GuardianFactory(),
        "district_accesslog": AccessLog.objects.create(
            user=coordinator, record_type="district.student", record_id=str(student.pk), student=student
        ),
    }


@pytest.mark.parametrize(
    "model",
    [
        "district_user",
        "district_school",
        "district_academicyear",
        "officers_agency",
        "district_student",
        "district_staff",
        "district_guardian",
        "district_accesslog",
    ],
)
def test_each_changelist_and_change_form_opens(admin_client, records, model):
    obj = records[model]
    assert admin_client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{model}_change", args=[obj.pk])).status_code == 200


def test_the_user_list_shows_roles_schools_and_district_wide(admin_client, school_admin, district_admin):
    html = admin_client.get(reverse("admin:district_user_changelist")).content.decode()
    assert "Ballston High School" in html and Role.ADMINISTRATOR.label in html
    form = admin_client.get(reverse("admin:district_user_change", args=[school_admin.pk])).content.decode()
    for field in ("groups", "schools", "district_wide"):
        assert f'name="{field}"' in form


@pytest.mark.parametrize(
    "model", ["district_student", "district_staff", "district_guardian", "district_accesslog"]
)
def test_the_roster_and_access_log_are_read_only(admin_client, records, model):
    obj = records[model]
    assert admin_client.get(reverse(f"admin:{model}_add")).status_code == 403
    assert admin_client.get(reverse(f"admin:{model}_delete", args=[obj.pk])).status_code == 403
    changelist = admin_client.get(reverse(f"admin:{model}_changelist")).content.decode()
    assert reverse(f"admin:{model}_add") not in changelist
    assert 'value="delete_selected"' not in changelist
    form = admin_client.get(reverse(f"admin:{model}_change", args=[obj.pk])).content.decode()
    assert 'name="_save"' not in form, "the change form has no save button"
    assert 'class="readonly"' in form, "its fields are shown as text"
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    admin_client.post(reverse(f"admin:{model}_change", args=[obj.pk]), {"given_name": "Changed"})
    assert type(obj).objects.filter(pk=obj.pk).values().get() == before


def _years():
    old = AcademicYearFactory(
        name="2025-2026", start_date=datetime.date(2025, 7, 1), end_date=datetime.date(2026, 6, 30)
    )
    new = AcademicYearFactory(
        name="2026-2027",
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2027, 6, 30),
        is_current=False,
    )
    return old, new


def test_making_a_year_current_unsets_the_other_in_one_step(admin_client):
    old, new = _years()
    response = admin_client.post(
        reverse("admin:district_academicyear_changelist"),
        {"action": "make_current", "_selected_action": [new.pk]},
        follow=True,
    )
    assert "2026-2027 is now the current year." in response.content.decode()
    assert list(AcademicYear.objects.filter(is_current=True)) == [new]


def test_choosing_two_years_is_refused_with_a_message(admin_client):
    old, new = _years()
    response = admin_client.post(
        reverse("admin:district_academicyear_changelist"),
        {"action": "make_current", "_selected_action": [old.pk, new.pk]},
        follow=True,
    )
    assert "Choose exactly one year to make current." in response.content.decode()
    assert list(AcademicYear.objects.filter(is_current=True)) == [old]


def test_the_current_flag_cannot_be_ticked_on_the_form(admin_client):
    """Ticking it on a second year would break the one-current constraint: the form does not offer it."""
    old, new = _years()
    form = admin_client.get(reverse("admin:district_academicyear_change", args=[new.pk])).content.decode()
    assert 'name="is_current"' not in form
    response = admin_client.post(
        reverse("admin:district_academicyear_change", args=[new.pk]),
        {"name": "2026-2027", "start_date": "2026-07-01", "end_date": "2027-06-30", "is_current": "on"},
    )
    assert response.status_code == 302
    assert list(AcademicYear.objects.filter(is_current=True)) == [old]


def test_a_year_that_ends_before_it_starts_is_a_form_error(admin_client):
    response = admin_client.post(
        reverse("admin:district_academicyear_add"),
        {"name": "Backwards", "start_date": "2027-07-01", "end_date": "2027-06-30"},
    )
    assert response.status_code == 200
    assert not AcademicYear.objects.filter(name="Backwards").exists()


def test_only_the_system_administrator_opens_the_admin(verified_client, coordinator):
    verified_client.login(coordinator)
    assert verified_client.get(reverse("admin:district_user_changelist")).status_code == 302
