"""Shared fixtures: the people in every test are named by role."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from district.roles import Role
from tests.district.factories import AcademicYearFactory, SchoolFactory, UserFactory
from tests.officers.factories import AgencyFactory, AssignmentFactory, OfficerFactory


@pytest.fixture
def academic_year(db):
    today = timezone.localdate()
    start = (
        today.replace(month=7, day=1)
        if today.month >= 7
        else today.replace(year=today.year - 1, month=7, day=1)
    )
    return AcademicYearFactory(
        name=f"{start.year}-{start.year + 1}",
        start_date=start,
        end_date=start.replace(year=start.year + 1, month=6, day=30),
    )


@pytest.fixture
def school(db):
    return SchoolFactory(code="BSHS", name="Ballston High School", level="high")


@pytest.fixture
def other_school(db):
    return SchoolFactory(code="MMS", name="Milton Middle School", level="middle")


@pytest.fixture
def agency(db):
    return AgencyFactory()


@pytest.fixture
def coordinator(db):
    return UserFactory(username="coordinator", roles=[Role.COORDINATOR])


@pytest.fixture
def officer_user(db):
    return UserFactory(username="officer", roles=[Role.SRO])


@pytest.fixture
def officer(officer_user, agency, school, academic_year):
    """An SRO with a primary assignment at ``school`` for the whole current year."""
    officer = OfficerFactory(user=officer_user, agency=agency)
    AssignmentFactory(officer=officer, school=school, academic_year=academic_year)
    return officer


@pytest.fixture
def school_admin(db, school):
    user = UserFactory(username="principal", roles=[Role.ADMINISTRATOR])
    user.schools.add(school)
    return user


@pytest.fixture
def other_school_admin(db, other_school):
    user = UserFactory(username="other_principal", roles=[Role.ADMINISTRATOR])
    user.schools.add(other_school)
    return user


@pytest.fixture
def district_admin(db):
    return UserFactory(username="superintendent", roles=[Role.ADMINISTRATOR], district_wide=True)


@pytest.fixture
def supervisor(db, agency):
    user = UserFactory(username="sergeant", roles=[Role.AGENCY_SUPERVISOR])
    agency.supervisors.add(user)
    return user


@pytest.fixture
def outsider(db):
    """Signed in, but holds no role."""
    return UserFactory(username="outsider")


@pytest.fixture
def verified_client(client):
    """A test client whose ``login(user)`` also marks the session as second-factor verified."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_static.models import StaticDevice

    class VerifiedClient:
        def __init__(self, inner):
            self._inner = inner

        def __getattr__(self, name):
            return getattr(self._inner, name)

        def login(self, user):
            device, _ = StaticDevice.objects.get_or_create(user=user, name="backup")
            self._inner.force_login(user)
            session = self._inner.session  # a new SessionStore on each access: keep this one
            otp_login(SimpleNamespace(session=session, user=user), device)
            session.save()
            return user

    return VerifiedClient(client)


@pytest.fixture
def tasks_retry_as_on_a_worker():
    """Eager tasks retry as a worker's would (at once, without waiting for the countdown) instead of
    raising the retry into the test."""
    from sro_program.celery import app

    propagates = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = propagates
