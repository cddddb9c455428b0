"""The incidents app's people and students (role-named people are in ``tests/conftest.py``)."""

import pytest

from district.roles import Role
from tests.district.factories import StudentFactory, UserFactory
from tests.incidents.factories import log
from tests.officers.factories import AgencyFactory, AssignmentFactory, OfficerFactory


@pytest.fixture
def student(school):
    return StudentFactory(school=school, given_name="Jordan", family_name="Ellis", student_number="200001")


@pytest.fixture
def second_student(school):
    return StudentFactory(school=school, given_name="Riley", family_name="Moreno", student_number="200002")


@pytest.fixture
def outside_student(other_school):
    """At a school where ``officer`` is not assigned."""
    return StudentFactory(
        school=other_school, given_name="Casey", family_name="Nguyen", student_number="300001"
    )


@pytest.fixture
def other_officer_user(db, other_school, academic_year):
    """An SRO of another agency at ``other_school``: none of ``officer``'s records are theirs."""
    user = UserFactory(username="other_officer", roles=[Role.SRO])
    officer = OfficerFactory(user=user, agency=AgencyFactory(name="Milton Police"), badge_number="M-7")
    AssignmentFactory(officer=officer, school=other_school, academic_year=academic_year)
    return user


@pytest.fixture
def interaction(officer, school, student, second_student):
    """``officer``'s record of two students at ``school``."""
    return log(author=officer.user, school=school, students=[student, second_student])


@pytest.fixture
def bright_lines(db):
    """The active agreement's two bright lines and a retired one, with a category tied to each."""
    from agreements.models import Agreement, AgreementKind, BrightLine
    from incidents.models import Category

    mou = Agreement.objects.create(
        kind=AgreementKind.MOU,
        title="Memorandum of understanding",
        agency=AgencyFactory(name="County Sheriff"),
    )
    lines = {
        code: BrightLine.objects.create(agreement=mou, code=code, statement=statement, is_active=active)
        for code, statement, active in [
            ("no-school-discipline", "Officers do not administer school discipline.", True),
            ("no-dress-code", "Officers do not enforce dress code or classroom rules.", True),
            ("old-line", "A line the agreement no longer has.", False),
        ]
    }
    for name, code in [
        ("Dress code", "no-dress-code"),
        ("Classroom rules", "no-school-discipline"),
        ("Hall passes", "old-line"),
    ]:
        Category.objects.create(name=name, position=5, bright_line_code=code)
    return lines
