"""A double tap or a retried submit, arriving at the same moment, makes one record."""

import uuid

import pytest

from incidents.models import Interaction, InteractionStudent
from tests.incidents.factories import log
from tests.threads import at_once


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_submits_with_one_key_at_once_make_one_record(officer, school, student):
    key = uuid.uuid4()
    results = at_once(lambda: log(author=officer.user, school=school, students=[student], key=key).pk)
    assert len(set(results)) == 1
    assert Interaction.objects.filter(key=key).count() == 1
    assert InteractionStudent.objects.count() == 1
