"""The officers app's own people and records, shared by its test modules (the role-named people
every app uses are in ``tests/conftest.py``; factories in ``tests/officers/factories.py``)."""

import datetime

import pytest

from district.roles import Role
from officers.services.selection import candidate_nominate, panel_set
from tests.district.factories import UserFactory
from tests.officers.factories import (
    AgencyFactory,
    AssignmentFactory,
    OfficerFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    open_cycle,
)


@pytest.fixture
def other_agency(db):
    return AgencyFactory(name="Ballston Spa Police Department")


@pytest.fixture
def other_supervisor(other_agency):
    """Supervises another agency: none of ``agency``'s officers, cycles or leave are theirs."""
    user = UserFactory(username="lieutenant", roles=[Role.AGENCY_SUPERVISOR])
    other_agency.supervisors.add(user)
    return user


@pytest.fixture
def other_officer(other_agency, other_school, academic_year):
    officer = OfficerFactory(agency=other_agency, badge_number="P-12")
    AssignmentFactory(officer=officer, school=other_school, academic_year=academic_year)
    return officer


@pytest.fixture
def panel_admin(school):
    """A principal of ``school`` who sits on the ``cycle`` panel."""
    user = UserFactory(username="principal.bshs", roles=[Role.ADMINISTRATOR])
    user.schools.add(school)
    return user


@pytest.fixture
def cycle(coordinator, agency, academic_year, school, panel_admin):
    """An open selection for ``school`` whose panel seats the coordinator and ``panel_admin``."""
    cycle = open_cycle(opened_by=coordinator, agency=agency, academic_year=academic_year, schools=[school])
    panel_set(cycle=cycle, members={coordinator: "district", panel_admin: "district"})
    return cycle


@pytest.fixture
def candidate(cycle, supervisor):
    return candidate_nominate(
        cycle=cycle,
        nominated_by=supervisor,
        given_name="Dana",
        family_name="Reyes",
        badge_number="B77",
        years_of_service=9,
        youth_experience="Youth league coach.",
    )


@pytest.fixture
def expiring(officer, coordinator):
    """A record that expires on Jan 1, 2027; 60 days before is Nov 2, 2026."""
    course = TrainingCourseFactory(title="Crisis intervention", renewal_months=12)
    officer.email = "deputy@sheriff.example"
    officer.save()
    return TrainingRecordFactory(officer=officer, course=course, completed_on=datetime.date(2026, 1, 1))
