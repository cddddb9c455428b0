"""Fixtures for the People tests: a second coordinator, and an invitation with its link."""

import pytest
from django.urls import reverse

from district.roles import Role
from tests.district.factories import UserFactory
from tests.people.factories import invitation_with_token


@pytest.fixture
def other_coordinator(db):
    return UserFactory(username="deputy_coordinator", roles=[Role.COORDINATOR])


@pytest.fixture
def pending(coordinator):
    """A pending invitation of a district-wide administrator, and its token."""
    return invitation_with_token(invited_by=coordinator, email="invitee@district.example")


@pytest.fixture
def accept_url(pending):
    return reverse("people:invitation_accept", args=[pending[1]])
