"""The public comment period: comments recorded during it with a response each, the draft adopted only
after it closes, and the comments shown with the version adopted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements.models import CommenterRole, VersionStatus
from agreements.services.comments import comment_period_set, comment_record, comment_respond
from agreements.services.versions import agreement_version_draft, agreement_version_publish

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def draft(coordinator, mou):
    return agreement_version_draft(agreement=mou[0], created_by=coordinator)


def _comment(draft, coordinator, received_on=TODAY, text="Please keep officers out of discipline."):
    return comment_record(
        version=draft, commenter_role=CommenterRole.PARENT, commenter_name="", received_on=received_on,
        text=text, recorded_by=coordinator,
    )  # fmt: skip


def test_a_draft_is_adopted_only_after_its_comment_period_and_every_response(coordinator, draft):
    comment_period_set(version=draft, opens_on=TODAY - 10 * DAY, closes_on=TODAY)
    comment = _comment(draft, coordinator)
    with pytest.raises(ValidationError) as error:
        agreement_version_publish(version=draft, published_by=coordinator)
    assert "comment period runs until" in str(error.value)
    assert "Respond to every public comment" in str(error.value)

    draft.comment_closes_on = TODAY - DAY  # the period is over (dates set directly: no comment is lost)
    draft.save()
    with pytest.raises(ValidationError, match="Respond to every public comment"):
        agreement_version_publish(version=draft, published_by=coordinator)
    comment_respond(comment=comment, response="Agreed: section 4 says so.")
    agreement_version_publish(version=draft, published_by=coordinator)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.ACTIVE


def test_a_comment_is_recorded_only_during_the_period(coordinator, draft):
    with pytest.raises(ValidationError, match="Open a comment period"):
        _comment(draft, coordinator)
    comment_period_set(version=draft, opens_on=TODAY - 5 * DAY, closes_on=TODAY + 5 * DAY)
    with pytest.raises(ValidationError):
        _comment(draft, coordinator, received_on=TODAY - 6 * DAY)
    with pytest.raises(ValidationError):
        _comment(draft, coordinator, received_on=TODAY + DAY)
    assert not draft.comments.exists()


def test_the_period_cannot_close_before_it_opens(draft):
    with pytest.raises(ValidationError):
        comment_period_set(version=draft, opens_on=TODAY, closes_on=TODAY - DAY)
    with pytest.raises(ValidationError):
        comment_period_set(version=draft, opens_on=TODAY, closes_on=None)


def test_a_published_version_takes_no_comments(coordinator, mou):
    with pytest.raises(ValidationError, match="published"):
        comment_period_set(version=mou[1], opens_on=TODAY, closes_on=TODAY)


def test_the_adopted_memorandum_shows_its_comments_and_responses(
    client, verified_client, coordinator, draft, mou
):
    verified_client.login(coordinator)
    url = reverse("agreements:comment_period", args=[draft.pk])
    verified_client.post(url, {"opens_on": (TODAY - 3 * DAY).isoformat(), "closes_on": TODAY.isoformat()})
    verified_client.post(
        reverse("agreements:comment_new", args=[draft.pk]),
        {
            "commenter_role": "student",
            "commenter_name": "",
            "received_on": TODAY.isoformat(),
            "text": "Who is the SRO?",
        },
    )
    comment = draft.comments.get()
    response = verified_client.post(
        reverse("agreements:comment_respond", args=[comment.pk]),
        {"response": "Each school will introduce its SRO."},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    draft.comment_closes_on = TODAY - DAY
    draft.save()
    agreement_version_publish(version=draft, published_by=coordinator)
    agreement = mou[0]
    agreement.is_public = True
    agreement.save()
    page = client.get(reverse("agreements:agreement_public", args=[agreement.pk])).content.decode()
    assert (
        "Public comment" in page
        and "Who is the SRO?" in page
        and "Each school will introduce its SRO." in page
    )


def test_a_comment_outside_the_period_is_a_form_error(verified_client, coordinator, draft):
    comment_period_set(version=draft, opens_on=TODAY - 3 * DAY, closes_on=TODAY)
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("agreements:comment_new", args=[draft.pk]),
        {"commenter_role": "staff", "received_on": (TODAY - 9 * DAY).isoformat(), "text": "Late"},
    )
    assert response.status_code == 200
    assert "during the comment period" in response.content.decode()
    assert not draft.comments.exists()
