"""Expectation meetings and action items: who sees them, the due date rule, closing, and the overdue
reminder sent once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements.models import ActionItem, ActionItemStatus, MeetingKind
from agreements.services.meetings import (
    action_item_close,
    action_item_create,
    action_items_overdue_dispatch,
    meeting_save,
)
from outbox.models import OutboundEmail
from tests.access import access_table, status_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def meeting(coordinator, school_admin, sro_statement):
    return meeting_save(
        meeting=None, kind=MeetingKind.KICKOFF, title="Kickoff", held_on=TODAY, version=sro_statement[1],
        attendees=[coordinator, school_admin], agenda="Roles", minutes="Agreed on the bright line.",
        created_by=coordinator,
    )  # fmt: skip


@pytest.fixture
def item(meeting, officer):
    return action_item_create(meeting=meeting, description="Introduce yourself to staff", owner=officer.user,
                              due_on=TODAY + 7 * DAY)  # fmt: skip


def test_an_action_item_cannot_be_due_in_the_past(meeting, officer):
    with pytest.raises(ValidationError) as error:
        action_item_create(meeting=meeting, description="Late", owner=officer.user, due_on=TODAY - DAY)
    assert "due_on" in error.value.error_dict
    assert not ActionItem.objects.exists()


def test_closing_an_item_once(item):
    action_item_close(item=item, status=ActionItemStatus.DONE)
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE and item.closed_at is not None
    with pytest.raises(ValidationError, match="already done"):
        action_item_close(item=item, status=ActionItemStatus.CANCELLED)


def test_an_overdue_item_is_reminded_once_and_a_closed_one_never(item, officer):
    later = TODAY + 8 * DAY
    action_items_overdue_dispatch(today=TODAY)
    assert not OutboundEmail.objects.exists(), "not due yet"
    action_items_overdue_dispatch(today=later)
    action_items_overdue_dispatch(today=later + DAY)
    assert list(OutboundEmail.objects.values_list("recipients", flat=True)) == [[officer.user.email]]
    action_item_close(item=item, status=ActionItemStatus.DONE)
    OutboundEmail.objects.all().delete()
    assert action_items_overdue_dispatch(today=later) == 0
    assert not OutboundEmail.objects.exists()


# People: anonymous, outsider, officer_user (owns the item), supervisor, school_admin (attended),
# other_school_admin, district_admin, coordinator.
ACCESS = {
    "meeting_list": [302, 403, 200, 200, 200, 200, 200, 200],
    "meeting_new": [302, 403, 403, 403, 403, 403, 403, 200],
    "meeting_detail": [302, 403, 200, 404, 200, 404, 404, 200],
    "meeting_edit": [302, 403, 403, 403, 403, 403, 403, 200],
    "action_item_new": [302, 403, 403, 403, 403, 403, 403, 200],
}


@pytest.mark.parametrize(("page", "person", "expected"), access_table(ACCESS))
def test_meeting_access_table(request, client, verified_client, meeting, item, page, person, expected):
    url = {
        "meeting_list": reverse("agreements:meeting_list"),
        "meeting_new": reverse("agreements:meeting_new"),
        "meeting_detail": reverse("agreements:meeting_detail", args=[meeting.pk]),
        "meeting_edit": reverse("agreements:meeting_edit", args=[meeting.pk]),
        "action_item_new": reverse("agreements:action_item_new", args=[meeting.pk]),
    }[page]
    assert status_for(request, client, verified_client, person, url) == expected


@pytest.mark.parametrize(
    ("person", "status", "expected"),
    [
        ("officer_user", ActionItemStatus.DONE, 302),  # the owner finishes it
        ("officer_user", ActionItemStatus.CANCELLED, 403),  # only the coordinator cancels
        ("school_admin", ActionItemStatus.DONE, 404),  # an attendee, not the owner
        ("coordinator", ActionItemStatus.CANCELLED, 302),
    ],
)
def test_who_closes_an_item(request, verified_client, item, person, status, expected):
    verified_client.login(request.getfixturevalue(person))
    response = verified_client.post(
        reverse("agreements:action_item_close", args=[item.pk]), {"status": status}
    )
    assert response.status_code == expected
    item.refresh_from_db()
    assert item.is_open is (expected != 302)


def test_a_past_due_date_is_a_form_error(verified_client, coordinator, meeting, officer):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("agreements:action_item_new", args=[meeting.pk]),
        {"description": "Late", "owner": officer.user.pk, "due_on": (TODAY - DAY).isoformat()},
    )
    assert response.status_code == 200
    assert "The due date is in the past" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_the_coordinator_records_a_meeting_and_sees_overdue_items(
    verified_client, coordinator, school_admin, item
):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("agreements:meeting_new"),
        {"kind": MeetingKind.CHECK_IN, "title": "October check-in", "held_on": TODAY.isoformat(),
         "attendees": [school_admin.pk], "agenda": "Logs", "minutes": "Fine."},
    )  # fmt: skip
    assert response.status_code == 302
    ActionItem.objects.filter(pk=item.pk).update(due_on=TODAY - DAY)
    page = verified_client.get(reverse("agreements:meeting_list")).content.decode()
    overdue = page.split("Overdue action items", 1)[1].split("</table>", 1)[0]
    assert "Introduce yourself to staff" in overdue


def test_the_meeting_history_shows_each_change_to_its_items(verified_client, coordinator, meeting, item):
    action_item_close(item=item, status=ActionItemStatus.DONE)
    verified_client.login(coordinator)
    page = verified_client.get(reverse("agreements:meeting_history", args=[meeting.pk])).content.decode()
    assert page.count("Introduce yourself to staff") == 2  # created, then changed (done)
    assert "Done" in page and "Open" in page


@pytest.mark.parametrize("person", ["officer_user", "school_admin"])
def test_only_the_coordinator_reads_the_meeting_history(request, verified_client, meeting, item, person):
    verified_client.login(request.getfixturevalue(person))
    assert verified_client.get(reverse("agreements:meeting_history", args=[meeting.pk])).status_code == 403


def test_the_meeting_list_runs_the_same_queries_with_ten_times_the_meetings(
    verified_client, coordinator, officer, meeting
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    verified_client.login(coordinator)
    counts = []
    for total in (2, 20):
        for n in range(total - len(counts) * 2):
            extra = meeting_save(
                meeting=None, kind=MeetingKind.CHECK_IN, title=f"Check-in {total}-{n}", held_on=TODAY,
                version=meeting.version, attendees=[coordinator], agenda="", minutes="",
                created_by=coordinator,
            )  # fmt: skip
            ActionItem.objects.create(meeting=extra, description="x", owner=officer.user, due_on=TODAY - DAY)
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get(reverse("agreements:meeting_list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 14, counts
