"""The annual review: the coordinator is reminded 60 days before an agreement's review date, once."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement
from district.roles import Role
from outbox.services import email_queue

REVIEW_NOTICE_DAYS = 60


@transaction.atomic
def agreement_reviews_dispatch(*, today: datetime.date | None = None) -> int:
    """Daily (beat): queue one email per coordinator for each agreement whose review is within 60 days.
    The outbox key names the agreement and its review date, so each review is announced once."""
    today = today or timezone.localdate()
    due = Agreement.objects.filter(
        review_date__gte=today, review_date__lte=today + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    )
    coordinators = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.COORDINATOR.label)
        .exclude(email="")
        .values_list("pk", "email")
    )
    queued = 0
    for agreement in due:
        for pk, email in coordinators:
            email_queue(
                key=f"agreements.review:{agreement.pk}:{agreement.review_date.isoformat()}:{pk}",
                to=[email],
                subject=f"Review due {agreement.review_date:%B %-d, %Y}: {agreement.title}",
                body=(
                    f"“{agreement.title}” is due for its annual review on "
                    f"{agreement.review_date:%B %-d, %Y}.\n\n"
                    "Plan the review meeting, then edit a new draft if anything changes.\n"
                ),
            )
            queued += 1
    return queued
