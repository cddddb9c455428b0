"""The public comment period on a draft: its dates, the comments received and the district's responses.
A version with a comment period is adopted only after the period has closed."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.models import AgreementVersion, Comment
from agreements.services.versions import _draft_only


@transaction.atomic
def comment_period_set(
    *, version: AgreementVersion, opens_on: datetime.date | None, closes_on: datetime.date | None
) -> AgreementVersion:
    """Set (or clear, with two empty dates) the comment period of a draft."""
    version = _draft_only(version)
    if (opens_on is None) != (closes_on is None):
        raise ValidationError("Give both the first and the last day of the comment period, or neither.")
    if opens_on and closes_on < opens_on:
        raise ValidationError({"closes_on": "The period cannot close before it opens."})
    version.comment_opens_on, version.comment_closes_on = opens_on, closes_on
    version.save(update_fields=["comment_opens_on", "comment_closes_on"])
    return version


@transaction.atomic
def comment_record(
    *,
    version: AgreementVersion,
    commenter_role: str,
    commenter_name: str,
    received_on: datetime.date,
    text: str,
    recorded_by,
) -> Comment:
    """Record a comment received on a draft during its comment period."""
    version = _draft_only(version)
    if version.comment_opens_on is None:
        raise ValidationError("Open a comment period on this draft before recording comments.")
    if not version.comment_opens_on <= received_on <= version.comment_closes_on:
        raise ValidationError(
            {"received_on": "The comment must have been received during the comment period."}
        )
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "A comment cannot be received in the future."})
    return Comment.objects.create(
        version=version, commenter_role=commenter_role, commenter_name=commenter_name.strip(),
        received_on=received_on, text=text, recorded_by=recorded_by,
    )  # fmt: skip


@transaction.atomic
def comment_respond(*, comment: Comment, response: str) -> Comment:
    """Record (or change) the district's response to a comment, while the version is a draft."""
    _draft_only(comment.version)
    if not response.strip():
        raise ValidationError({"response": "Write the response."})
    comment.response, comment.responded_at = response.strip(), timezone.now()
    comment.save(update_fields=["response", "responded_at"])
    return comment
