"""Fixtures for the feedback tests: a survey of each kind of question, a staff campaign, an open round."""

import pytest

from tests.district.factories import StaffFactory
from tests.feedback.factories import campaign_for, open_round, survey_with_questions


@pytest.fixture
def survey(db):
    return survey_with_questions()


@pytest.fixture
def teachers(school):
    staff = [StaffFactory(email=f"teacher{n}@district.example") for n in range(3)]
    for person in staff:
        person.schools.add(school)
    return staff


@pytest.fixture
def campaign(survey, coordinator, school, officer, teachers):
    return campaign_for(survey=survey, created_by=coordinator, schools=[school], officers=[officer])


@pytest.fixture
def round(campaign):
    return open_round(campaign=campaign)
