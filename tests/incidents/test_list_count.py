"""The interaction list counts no further than the cap at a million records, and says so."""

import pytest
from django.urls import reverse

import sro_program.pagination
from tests.incidents.factories import log

pytestmark = pytest.mark.django_db


def test_the_interaction_list_says_more_than_past_the_cap(
    monkeypatch, verified_client, officer, school, student, coordinator
):
    for _ in range(3):
        log(author=officer.user, school=school, students=[student])
    verified_client.login(coordinator)
    url = reverse("incidents:interaction_list")
    assert "3 interactions." in verified_client.get(url).content.decode()

    monkeypatch.setattr(sro_program.pagination, "LIST_COUNT_CAP", 2)
    page = verified_client.get(url).content.decode()
    assert "More than 2 interactions: the filters narrow them." in page
