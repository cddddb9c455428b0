"""Who a round asks: staff, administrators, guardians, the officer, a reproducible sample of students
from grade 6 up; opted-out addresses never."""

import pytest

from district.models import StaffRole
from feedback.models import Audience, OptOut
from feedback.selectors.audience import audience_members, student_sample
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


def student_campaign(coordinator, schools, share):
    survey = survey_with_questions(audience=Audience.STUDENTS, title=f"Students {share}")
    return campaign_for(survey=survey, created_by=coordinator, schools=schools, student_share=share)


def drawn(campaign, round_id):
    return sorted(m.email for m in audience_members(campaign=campaign, round_id=round_id))


@pytest.fixture
def pupils(school, other_school):
    """40 students in grades 6 to 12 at ``school``, each with an address; and students never eligible:
    younger, left, or at another school."""
    grades = ["06", "07", "08", "09", "10", "11", "12"]
    made = [
        StudentFactory(school=school, grade=grades[n % 7], email=f"pupil{n}@students.example")
        for n in range(40)
    ]
    for grade in ("PK", "KG", "01", "05", "UG", ""):
        StudentFactory(school=school, grade=grade, email=f"young-{grade or 'none'}@students.example")
    StudentFactory(school=school, grade="08", email="left@students.example", active=False)
    StudentFactory(school=other_school, grade="08", email="elsewhere@students.example")
    return made


def test_a_round_asks_its_share_of_students_from_grade_6_up(coordinator, school, pupils):
    campaign = student_campaign(coordinator, [school], 25)
    picked = drawn(campaign, 1)
    assert len(picked) == 10  # 25% of the 40 eligible
    assert set(picked) <= {p.email for p in pupils}
    assert len(drawn(student_campaign(coordinator, [school], 11), 1)) == 5  # 4.4, rounded up
    assert len(drawn(student_campaign(coordinator, [school], 100), 1)) == 40
    # With no round: everyone who could be asked (the campaign form's "anyone to reach?" check).
    assert len(drawn(campaign, None)) == 40


def test_the_sample_is_reproducible_for_a_round_and_differs_between_rounds(coordinator, school, pupils):
    campaign = student_campaign(coordinator, [school], 25)
    first = drawn(campaign, 7)
    assert drawn(campaign, 7) == first  # a repeated dispatch invites the same students
    assert drawn(campaign, 8) != first
    # A new student does not reshuffle the draw: at most one place changes.
    StudentFactory(school=school, grade="09", email="newcomer@students.example")
    assert len(set(drawn(campaign, 7)) - set(first)) <= 1


def test_students_without_an_address_are_counted_not_reachable(coordinator, school, pupils):
    campaign = student_campaign(coordinator, [school], 100)
    for pupil in pupils[:6]:
        pupil.email = ""
        pupil.save()
    sample = student_sample(campaign=campaign, round_id=3)
    assert (sample.eligible, sample.drawn, sample.unreachable, len(sample.rows)) == (40, 40, 6, 34)
    assert len(drawn(campaign, 3)) == 34


def test_the_sample_is_deduplicated_and_leaves_out_opted_out_addresses(coordinator, school, pupils):
    campaign = student_campaign(coordinator, [school], 100)
    pupils[1].email = pupils[0].email.upper()  # two students, one address (a shared family address)
    pupils[1].save()
    OptOut.objects.create(email=pupils[2].email)
    picked = drawn(campaign, 5)
    assert len(picked) == 38 and len(set(picked)) == 38
    assert pupils[2].email not in picked and pupils[0].email in picked


def test_a_round_invites_its_sample_and_records_who_was_not_reachable(coordinator, school, pupils):
    from feedback.models import Invitation, Round
    from feedback.services.rounds import round_invite
    from tests.feedback.factories import open_round

    campaign = student_campaign(coordinator, [school], 50)
    for pupil in pupils[::4]:  # 10 of the 40 have no address
        pupil.email = ""
        pupil.save()
    round = open_round(campaign=campaign)
    round_invite(round_id=round.pk)
    sample = student_sample(campaign=campaign, round_id=round.pk)
    invited = sorted(Invitation.objects.filter(round=round).values_list("email", flat=True))
    assert sample.drawn == 20 and len(invited) == 20 - sample.unreachable
    assert invited == drawn(campaign, round.pk)
    round.refresh_from_db()
    assert (round.invited_count, round.unreachable_count) == (len(invited), sample.unreachable)
    assert round_invite(round_id=round.pk) == 0  # repeated: the same students, nobody twice
    assert Invitation.objects.filter(round=round).count() == len(invited)
    assert Round.objects.get(pk=round.pk).unreachable_count == sample.unreachable


def test_self_assessment_goes_to_the_officer(coordinator, officer):
    officer.email = "sro@agency.example"
    officer.save()
    survey = survey_with_questions(audience=Audience.SELF)
    assert emails(campaign_for(survey=survey, created_by=coordinator, officers=[officer])) == [
        "sro@agency.example"
    ]
