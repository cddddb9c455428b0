"""Acknowledging role statements, and asking those who have not (through the outbox, at most once
a week each, stopping when they acknowledge)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from agreements.models import Acknowledgement, AgreementKind, AgreementVersion, VersionStatus
from agreements.selectors.acknowledgements import acknowledgement_matrix, is_required
from outbox.services import email_queue


@transaction.atomic
def acknowledgement_record(*, version: AgreementVersion, user) -> Acknowledgement:
    """Record that the user has read the current version of a statement they must acknowledge."""
    version = (
        AgreementVersion.objects.select_for_update(of=("self",))
        .select_related("agreement")
        .get(pk=version.pk)
    )
    if version.status != VersionStatus.ACTIVE:
        raise ValidationError(
            f"Version {version.number} is not the current version: acknowledge the current one instead."
        )
    if not is_required(user=user, kind=version.agreement.kind):
        raise ValidationError("You are not asked to acknowledge this statement.")
    try:
        with transaction.atomic():
            return Acknowledgement.objects.create(version=version, user=user, acknowledged_at=timezone.now())
    except IntegrityError:
        raise ValidationError(f"You have already acknowledged version {version.number}.") from None


def reminder_key(*, version_id: int, user_id: int, today) -> str:
    """One email per person, version and ISO week: the outbox refuses a second with the same key."""
    year, week, _ = today.isocalendar()
    return f"agreements.ack-reminder:{version_id}:{user_id}:{year}-W{week:02d}"


@transaction.atomic
def acknowledgement_reminders_send(*, version_id: int) -> int:
    """Queue a reminder to each person who has not acknowledged the version (none if it is no longer
    current); returns how many are waiting. A second call in the same week queues nothing new."""
    version = AgreementVersion.objects.select_related("agreement").get(pk=version_id)
    if version.status != VersionStatus.ACTIVE or version.agreement.kind == AgreementKind.MOU:
        return 0
    today = timezone.localdate()
    queued = 0
    for user in acknowledgement_matrix(version=version).filter(acknowledged_at__isnull=True):
        if not user.email:
            continue
        email_queue(
            key=reminder_key(version_id=version.pk, user_id=user.pk, today=today),
            to=[user.email],
            subject=f"Please read and acknowledge: {version.title} (version {version.number})",
            body=(
                f"Hello {user.get_full_name() or user.username},\n\n"
                f"Version {version.number} of “{version.title}” is in effect and waits for your "
                f"acknowledgement. Sign in to SRO Program Manager: your home page shows it, with what "
                "changed since the version you last acknowledged.\n\n"
                "You will be reminded once a week until you do.\n"
            ),
        )
        queued += 1
    return queued


def acknowledgement_reminders_dispatch() -> int:
    """Daily (beat): remind, for every current statement, those who have not acknowledged it."""
    versions = AgreementVersion.objects.filter(status=VersionStatus.ACTIVE).exclude(
        agreement__kind=AgreementKind.MOU
    )
    return sum(acknowledgement_reminders_send(version_id=pk) for pk in versions.values_list("pk", flat=True))
