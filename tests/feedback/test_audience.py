"""Who a round asks: staff, administrators, guardians, the officer; opted-out addresses and students never."""

import pytest

from district.models import StaffRole
from feedback.models import Audience, OptOut
from feedback.selectors.audience import audience_members
from tests.district.factories import GuardianFactory, SchoolFactory, StaffFactory, StudentFactory
from tests.feedback.factories import campaign_for, survey_with_questions

pytestmark = pytest.mark.django_db


def emails(campaign):
    return sorted(member.email for member in audience_members(campaign=campaign))


def test_staff_of_the_campaigns_schools_with_an_email_once_each(coordinator, school, other_school):
    here = StaffFactory(email="Teacher.One@district.example")
    here.schools.add(school, other_school)  # at two schools: asked once
    StaffFactory(email="").schools.add(school)  # no address: cannot be asked
    StaffFactory(email="away@district.example").schools.add(other_school)
    StaffFactory(email="gone@district.example", active=False).schools.add(school)
    campaign = campaign_for(survey=survey_with_questions(), created_by=coordinator, schools=[school])
    assert emails(campaign) == ["teacher.one@district.example"]


def test_the_officers_schools_count_as_the_campaigns_and_the_group_names_the_officer(
    coordinator, officer, school
):
    StaffFactory(email="t@district.example").schools.add(school)
    campaign = campaign_for(survey=survey_with_questions(), created_by=coordinator, officers=[officer])
    [member] = list(audience_members(campaign=campaign))
    assert (member.email, member.school_id, member.officer_id) == (
        "t@district.example",
        school.pk,
        officer.pk,
    )


def test_administrators_are_the_staff_with_that_role(coordinator, school):
    StaffFactory(email="principal@district.example", role=StaffRole.ADMINISTRATOR).schools.add(school)
    StaffFactory(email="teacher@district.example").schools.add(school)
    survey = survey_with_questions(audience=Audience.ADMINISTRATORS)
    assert emails(campaign_for(survey=survey, created_by=coordinator, schools=[school])) == [
        "principal@district.example"
    ]


def test_guardians_of_active_students_at_the_school(coordinator, school):
    student = StudentFactory(school=school)
    elsewhere = StudentFactory(school=SchoolFactory())
    left = StudentFactory(school=school, active=False)
    GuardianFactory(email="mum@family.example").students.add(student)
    GuardianFactory(email="other@family.example").students.add(elsewhere)
    GuardianFactory(email="left@family.example").students.add(left)
    GuardianFactory(email="").students.add(student)
    survey = survey_with_questions(audience=Audience.GUARDIANS)
    assert emails(campaign_for(survey=survey, created_by=coordinator, schools=[school])) == [
        "mum@family.example"
    ]


def test_opted_out_addresses_are_left_out(coordinator, school):
    StaffFactory(email="stay@district.example").schools.add(school)
    StaffFactory(email="Leave@district.example").schools.add(school)
    OptOut.objects.create(email="leave@district.example")
    campaign = campaign_for(survey=survey_with_questions(), created_by=coordinator, schools=[school])
    assert emails(campaign) == ["stay@district.example"]


def test_students_are_never_emailed_the_roster_has_no_address_for_them(coordinator, school):
    StudentFactory(school=school)
    survey = survey_with_questions(audience=Audience.STUDENTS)
    assert emails(campaign_for(survey=survey, created_by=coordinator, schools=[school])) == []


def test_self_assessment_goes_to_the_officer(coordinator, officer):
    officer.email = "sro@agency.example"
    officer.save()
    survey = survey_with_questions(audience=Audience.SELF)
    assert emails(campaign_for(survey=survey, created_by=coordinator, officers=[officer])) == [
        "sro@agency.example"
    ]
