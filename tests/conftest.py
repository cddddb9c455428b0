"""Shared fixtures: the people in every test are named by role."""

import contextlib
import os
import re
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


# --- The test database -----------------------------------------------------------------------------
#
# pytest keeps the test database between runs (--reuse-db in pyproject.toml), under a name that
# changes with the migrations (sro_program/settings/test.py). A test that commits for real (the
# browser's live server, the concurrency tests) ends by emptying every table, the migrations' rows
# (the role groups) included, so such a test marks the kept database, and the next run rebuilds a
# marked one instead of reusing it.

EMPTIED = "emptied by a transactional test: rebuild before reuse"


def pytest_configure(config):
    """Under CI, build the test database afresh: one kept from an interrupted run may hold rows."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        config.option.create_db = True


@pytest.fixture(scope="session")
def django_db_createdb(request, django_db_blocker) -> bool:
    """Rebuild when asked (--create-db), or when the kept database was emptied by the last run."""
    if request.config.getvalue("create_db"):
        return True
    from django.conf import settings
    from django.db import DatabaseError, connection

    name = settings.DATABASES["default"]["TEST"]["NAME"]
    try:
        with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
            )
            row = cursor.fetchone()
    except DatabaseError:
        return False  # Django's own creation reports a server that does not answer
    return bool(row and row[0] == EMPTIED)


_marked = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def _mark_an_emptied_database(request):
    """Before a test that will empty the tables, mark the kept database for rebuilding."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional or request.config.stash.get(_marked, False):
        return
    request.getfixturevalue("django_db_setup")
    from django.db import connection

    with request.getfixturevalue("django_db_blocker").unblock(), connection.cursor() as cursor:
        name = connection.settings_dict["NAME"]
        cursor.execute(f'COMMENT ON DATABASE "{name}" IS %s', [EMPTIED])  # our own test database
    request.config.stash[_marked] = True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Once the test database is ready, drop this checkout's test databases for older migrations."""
    from django.db import DatabaseError, connection

    name = connection.settings_dict["NAME"]
    prefix = name[: -len(name.rsplit("_", 1)[-1])]  # test_<DATABASE_URL's name>_
    stale = re.compile(re.escape(prefix) + r"[0-9a-f]{12}")
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix])
        for (other,) in cursor.fetchall():
            if other != name and stale.fullmatch(other):
                # One in use by another run is left for next time.
                with contextlib.suppress(DatabaseError):
                    cursor.execute(f'DROP DATABASE "{other}"')  # matched above: no quote can be in it
    yield
