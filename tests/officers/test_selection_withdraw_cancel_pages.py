"""The withdraw and cancel forms appear to those who may use them, and do what they say."""

import pytest
from django.urls import reverse

from officers.models import CandidateStatus, CycleStatus
from tests.officers.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_coordinator_sees_and_uses_the_cancel_form(verified_client, coordinator, cycle):
    verified_client.login(coordinator)
    page = verified_client.get(reverse("officers:cycle_detail", args=[cycle.pk])).content.decode()
    assert f'action="{reverse("officers:cycle_cancel", args=[cycle.pk])}"' in page

    response = verified_client.post(reverse("officers:cycle_cancel", args=[cycle.pk]), {"reason": ""})
    cycle.refresh_from_db()
    assert response.status_code == 302 and cycle.status == CycleStatus.OPEN  # a reason is required

    verified_client.post(reverse("officers:cycle_cancel", args=[cycle.pk]), {"reason": "Opening withdrawn."})
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CANCELLED
    page = verified_client.get(reverse("officers:cycle_detail", args=[cycle.pk])).content.decode()
    assert "Opening withdrawn." in page and "Cancelled by" in page
    assert reverse("officers:cycle_cancel", args=[cycle.pk]) not in page


def test_supervisor_sees_no_cancel_form_but_may_withdraw_a_nominee(client, supervisor, cycle):
    candidate = CandidateFactory(cycle=cycle, nominated_by=supervisor)
    client.force_login(supervisor)
    page = client.get(reverse("officers:cycle_detail", args=[cycle.pk])).content.decode()
    assert reverse("officers:cycle_cancel", args=[cycle.pk]) not in page

    withdraw = reverse("officers:candidate_withdraw", args=[cycle.pk, candidate.pk])
    page = client.get(reverse("officers:candidate_detail", args=[cycle.pk, candidate.pk])).content.decode()
    assert f'action="{withdraw}"' in page
    client.post(withdraw)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.WITHDRAWN
