"""seed_demo builds the demo district, every role's account and the officers; a second run adds nothing.

demo_logins prints where to go and whom to sign in as.
"""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from district.demo import DEMO_PASSWORD, SCHOOLS, school_year_start
from district.models import AcademicYear, Grade, Guardian, School, SchoolLevel, Staff, Student, User
from district.roles import Role
from officers.demo import AGENCY_NAME
from officers.models import Agency, Assignment, AssignmentRole, Officer, OfficerStatus

pytestmark = pytest.mark.django_db

SCALE = "0.05"  # 150 students: enough to see the shape, quick to build
RESERVED_DOMAINS = (".example", "@example.com")


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", f"--scale={SCALE}", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def row_counts() -> dict[str, int]:
    """Every table the project and its libraries own, history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_every_role_has_an_account_with_its_scope(seeded):
    ashs = School.objects.get(code="ASHS")
    expected = {
        "coordinator": Role.COORDINATOR,
        "sro.garcia": Role.SRO,
        "principal.ashs": Role.ADMINISTRATOR,
        "superintendent": Role.ADMINISTRATOR,
        "sergeant": Role.AGENCY_SUPERVISOR,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.roles == {role}, username
        assert check_password(DEMO_PASSWORD, user.password), username
        assert not user.is_staff and not user.is_superuser
        assert user.email.endswith(RESERVED_DOMAINS)

    principal = User.objects.get(username="principal.ashs")
    assert list(principal.schools.all()) == [ashs]
    assert not principal.district_wide
    superintendent = User.objects.get(username="superintendent")
    assert superintendent.district_wide
    assert not superintendent.schools.exists()
    # Each school has a principal scoped to it alone, named like the principal on its staff.
    for school in School.objects.all():
        principal = User.objects.get(username=f"principal.{school.code.lower()}")
        assert list(principal.schools.all()) == [school]
        assert school.staff.filter(given_name=principal.first_name, family_name=principal.last_name).exists()
    assert list(Agency.objects.get(name=AGENCY_NAME).supervisors.all()) == [
        User.objects.get(username="sergeant")
    ]


def test_officers_cover_every_secondary_school_this_year(seeded):
    current = AcademicYear.objects.get(is_current=True)
    assert current.contains(datetime.date.today())
    assert AcademicYear.objects.count() == 3
    this_year = Assignment.objects.filter(academic_year=current)
    primaries = this_year.filter(role=AssignmentRole.PRIMARY)
    secondary = School.objects.filter(level__in=[SchoolLevel.MIDDLE, SchoolLevel.HIGH])
    for school in secondary:
        assert primaries.filter(school=school).count() == 1, school.code
        assert this_year.filter(school=school, role=AssignmentRole.BACKUP).exists(), school.code
    assert primaries.get(school__code="ASHS").officer.user.username == "sro.garcia"
    # Every active officer signs in as an SRO; the one who left has no account and no assignment now.
    for officer in Officer.objects.filter(status=OfficerStatus.ACTIVE):
        assert officer.user.roles == {Role.SRO}
        assert officer.user.username == f"sro.{officer.family_name.lower()}"
    departed = Officer.objects.get(status=OfficerStatus.LEFT)
    assert departed.user is None
    assert not departed.assignments.filter(academic_year=current).exists()
    assert departed.assignments.filter(academic_year__end_date__lt=current.start_date).exists()
    # The officer shared by two elementary schools splits the week between them.
    patel = primaries.filter(officer__family_name="Patel")
    assert sorted(day.weekday for a in patel for day in a.days.all()) == [0, 1, 2, 3, 4]


def test_students_have_guardians_and_grades_that_fit_school_and_age(seeded):
    students = Student.objects.select_related("school").prefetch_related("guardians")
    assert students.count() == 150
    year_start = school_year_start(datetime.date.today())
    grades = {s.code: s.grades for s in SCHOOLS}
    for student in students:
        assert student.grade in grades[student.school.code]
        assert 1 <= len(student.guardians.all()) <= 2
        # A kindergartner turns 5 by 1 December; a student held back a year is one year older.
        grade_index = 0 if student.grade == Grade.KINDERGARTEN else int(student.grade)
        cutoff = datetime.date(year_start.year, 12, 1)
        age = cutoff.year - student.birth_date.year - (cutoff < student.birth_date.replace(year=cutoff.year))
        assert age - grade_index in (5, 6), student
    assert not Guardian.objects.filter(students=None).exists()
    assert not Guardian.objects.exclude(email__regex=r"(\.example|@example\.com)$").exists()
    for school in School.objects.all():
        assert school.students.exists(), school.code
        assert school.staff.filter(role="administrator").exists(), school.code
        assert school.staff.filter(role="teacher").exists(), school.code
    assert not Staff.objects.exclude(email__endswith=".example").exists()


def test_running_twice_changes_nothing(seeded):
    before = row_counts()
    passwords = dict(User.objects.values_list("username", "password"))

    output = seed()

    assert row_counts() == before
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert "district: nothing new" in output
    assert "officers: nothing new" in output


def test_a_larger_scale_keeps_the_smaller_roster_and_adds_to_it(seeded):
    smaller = list(
        Student.objects.order_by("sourced_id").values_list("sourced_id", "given_name", "school_id")
    )

    call_command("seed_demo", "--scale=0.1", stdout=StringIO())

    larger = list(Student.objects.order_by("sourced_id").values_list("sourced_id", "given_name", "school_id"))
    assert len(larger) == 300
    assert larger[: len(smaller)] == smaller


def test_seeding_sends_no_email(seeded):
    assert mail.outbox == []


def test_password_option_resets_every_demo_account(seeded):
    seed("--password=another-long-passphrase")

    demo_users = User.objects.filter(username__in=["coordinator", "sro.patel", "principal.sbe", "sergeant"])
    assert all(check_password("another-long-passphrase", user.password) for user in demo_users)


def test_a_weak_password_is_refused(db):
    with pytest.raises(CommandError, match="too weak"):
        seed("--password=password")
    assert not User.objects.exists()


@pytest.mark.parametrize("scale", ["0", "-1", "lots"])
def test_scale_must_be_a_positive_number(db, scale):
    with pytest.raises(CommandError):
        call_command("seed_demo", f"--scale={scale}", stdout=StringIO())


def test_refuses_production_settings_unless_forced(db):
    with (
        override_settings(SETTINGS_MODULE="sro_program.settings.production"),
        pytest.raises(CommandError, match="production"),
    ):
        seed()
    assert not Student.objects.exists()


def test_demo_logins_prints_the_address_and_one_login_per_role(seeded, settings, tmp_path):
    settings.SRO_REQUIRE_SECOND_FACTOR = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    # Whatever folder the project is checked out in: a deep one, with hyphens and a space (places
    # where text wrapping would break a line), longer than the printed page is wide.
    settings.EMAIL_FILE_PATH = tmp_path.joinpath(*["a-checkout folder-with-a-long-name"] * 4, ".data", "mail")
    out = StringIO()
    call_command("demo_logins", "--address=http://127.0.0.1:8123/", stdout=out)
    text = out.getvalue()

    assert "http://127.0.0.1:8123/" in text
    assert DEMO_PASSWORD in text
    for username in ("coordinator", "sro.garcia", "principal.ashs", "superintendent", "sergeant"):
        assert f"  {username} " in text
    for role in Role:
        assert role.label in text
    assert "Second-factor sign-in is relaxed" in text
    # The mail folder is printed whole on a line of its own, so that it can be copied.
    assert str(settings.EMAIL_FILE_PATH) in [line.strip() for line in text.splitlines()]
    assert "not found" not in text


def test_demo_logins_flags_accounts_that_are_not_seeded_yet(db):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "not found: run manage.py seed_demo" in out.getvalue()
    # The test settings require a second factor: say what that means instead.
    assert "set up a second factor" in out.getvalue()
