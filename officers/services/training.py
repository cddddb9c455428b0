"""Writes to training: the catalogue, the yearly minimum, officers' records, joint sessions and the
expiry warnings that beat queues in the outbox."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from district.models import AcademicYear, Staff, User
from district.roles import Role
from officers.models import (
    Officer,
    OfficerStatus,
    SessionParticipant,
    TrainingCourse,
    TrainingExpiryWarning,
    TrainingPolicy,
    TrainingRecord,
    TrainingSession,
    WarningKind,
)
from outbox.services import email_queue, emails_cancel

logger = logging.getLogger(__name__)

# Most urgent last: a record past several thresholds gets only the last one it has reached.
WARNING_THRESHOLDS = (WarningKind.DAYS_60, WarningKind.DAYS_30, WarningKind.DAYS_7, WarningKind.EXPIRED)
EARLIEST_WARNING_DAYS = max(WARNING_THRESHOLDS)
# Outbox keys of warning emails: training-warning:<warning id>:<recipient>.
WARNING_KEY_PREFIX = "training-warning:"


# --- Catalogue and policy ---------------------------------------------------------------------


@transaction.atomic
def training_course_save(*, course: TrainingCourse) -> TrainingCourse:
    """Create or update a catalogue course; records keep the expiry they were given."""
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def training_policy_set(*, academic_year: AcademicYear, minimum_hours: Decimal) -> TrainingPolicy:
    """Set the minimum hours each officer owes in an academic year."""
    policy, _ = TrainingPolicy.objects.update_or_create(
        academic_year=academic_year, defaults={"minimum_hours": minimum_hours}
    )
    return policy


# --- Records ----------------------------------------------------------------------------------

CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
# File signatures: the bytes a real file of each type starts with.
CERTIFICATE_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
CERTIFICATE_EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpeg", "jpeg": "jpeg"}


def certificate_kind(upload: UploadedFile) -> str | None:
    """What the file really is, from its first bytes: pdf, png, jpeg, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, signatures in CERTIFICATE_SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


def certificate_check(upload: UploadedFile) -> None:
    """A certificate is a PDF, PNG or JPEG (by its content, matching its name) of at most 5 MB."""
    if upload.size is not None and upload.size > CERTIFICATE_MAX_BYTES:
        raise ValidationError(
            f"The certificate is {upload.size / (1024 * 1024):.1f} MB; the limit is 5 MB.", code="too_large"
        )
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = certificate_kind(upload)
    if kind is None or CERTIFICATE_EXTENSIONS.get(extension) != kind:
        raise ValidationError(
            "The certificate must be a PDF, PNG or JPEG file (this file's contents are not one of them, "
            "or do not match its name).",
            code="wrong_type",
        )


def _certificate_checked(certificate: UploadedFile | None) -> None:
    # Keyed by field, so a form shows the refusal on its certificate input.
    if certificate:
        try:
            certificate_check(certificate)
        except ValidationError as error:
            raise ValidationError({"certificate": error.error_list}) from error


def _completion_clash(*, officer: Officer, course: TrainingCourse, completed_on: datetime.date) -> str:
    return f"{officer} already has a record of {course} completed on {completed_on}."


def _record_save(record: TrainingRecord) -> None:
    """Save, turning a lost race on the one-record-per-completion constraint into a form error."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        if "one_record_per_completion" in str(error):
            message = _completion_clash(
                officer=record.officer, course=record.course, completed_on=record.completed_on
            )
            raise ValidationError({"completed_on": message}) from error
        raise


def _expiry_warnings_reset(record: TrainingRecord) -> None:
    # Warnings belong to an expiry date; a new date starts the schedule again.
    _warnings_cancel(record.warnings.all())
    record.warnings.all().delete()


def _superseded_warnings_cancel(record: TrainingRecord) -> None:
    # A later completion makes the earlier records' warnings untrue; withdraw what is still queued.
    _warnings_cancel(
        TrainingExpiryWarning.objects.filter(
            record__officer_id=record.officer_id,
            record__course_id=record.course_id,
            record__completed_on__lt=record.completed_on,
        )
    )


def _records_delete(records) -> None:
    _warnings_cancel(TrainingExpiryWarning.objects.filter(record__in=records))
    records.delete()


@transaction.atomic
def training_record_create(
    *,
    officer: Officer,
    course: TrainingCourse,
    completed_on: datetime.date,
    hours: Decimal | None = None,
    certificate: UploadedFile | None = None,
    session: TrainingSession | None = None,
    verified_by: User | None = None,
) -> TrainingRecord:
    """Record a completion; ``expires_on`` comes from the course's renewal interval. A certificate
    must be a PDF or an image of at most 5 MB."""
    if TrainingRecord.objects.filter(officer=officer, course=course, completed_on=completed_on).exists():
        message = _completion_clash(officer=officer, course=course, completed_on=completed_on)
        raise ValidationError({"completed_on": message})
    _certificate_checked(certificate)
    record = TrainingRecord(
        officer=officer,
        course=course,
        completed_on=completed_on,
        hours=course.hours if hours is None else hours,
        expires_on=course.expiry_for(completed_on),
        session=session,
    )
    if certificate:
        record.certificate = certificate
    if verified_by is not None:
        record.verified_by = verified_by
        record.verified_at = timezone.now()
    _record_save(record)
    _superseded_warnings_cancel(record)
    return record


@transaction.atomic
def training_record_update(
    *,
    record: TrainingRecord,
    course: TrainingCourse,
    completed_on: datetime.date,
    hours: Decimal | None = None,
    certificate: UploadedFile | None = None,
) -> TrainingRecord:
    """Change a record; the expiry is computed again from the (possibly new) course and date, and
    no hours means the course's hours."""
    clash = TrainingRecord.objects.filter(
        officer_id=record.officer_id, course=course, completed_on=completed_on
    ).exclude(pk=record.pk)
    if clash.exists():
        message = _completion_clash(officer=record.officer, course=course, completed_on=completed_on)
        raise ValidationError({"completed_on": message})
    _certificate_checked(certificate)
    old_expiry = record.expires_on
    record.course = course
    record.completed_on = completed_on
    record.hours = course.hours if hours is None else hours
    record.expires_on = course.expiry_for(completed_on)
    if certificate:
        record.certificate = certificate
    _record_save(record)
    if record.expires_on != old_expiry:
        _expiry_warnings_reset(record)
    _superseded_warnings_cancel(record)
    return record


@transaction.atomic
def training_record_verify(*, record: TrainingRecord, user: User) -> TrainingRecord:
    """A coordinator confirms the completion (and certificate) is genuine."""
    if record.verified_at is None:
        record.verified_by = user
        record.verified_at = timezone.now()
        record.save(update_fields=["verified_by", "verified_at"])
    return record


# --- Joint sessions ---------------------------------------------------------------------------


@transaction.atomic
def training_session_save(*, session: TrainingSession) -> TrainingSession:
    """Create or update a district-level session of a course."""
    if session.pk and session.capacity < session.participants.count():
        raise ValidationError(
            {
                "capacity": (
                    f"{session.participants.count()} people are already invited; capacity cannot be lower."
                )
            }
        )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_invite(
    *,
    session: TrainingSession,
    officers: Iterable[Officer] = (),
    users: Iterable[User] = (),
    staff: Iterable[Staff] = (),
) -> int:
    """Invite people to a session; refuses to go over capacity. Returns how many were added."""
    # Lock the session so two coordinators inviting at once cannot overfill it together.
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    existing = session.participants.all()
    have_officers = set(existing.exclude(officer=None).values_list("officer_id", flat=True))
    have_users = set(existing.exclude(user=None).values_list("user_id", flat=True))
    have_staff = set(existing.exclude(staff=None).values_list("staff_id", flat=True))
    new = [SessionParticipant(session=session, officer=o) for o in officers if o.pk not in have_officers]
    new += [SessionParticipant(session=session, user=u) for u in users if u.pk not in have_users]
    new += [SessionParticipant(session=session, staff=s) for s in staff if s.pk not in have_staff]
    total = existing.count() + len(new)
    if total > session.capacity:
        raise ValidationError(
            f"The session holds {session.capacity} people; {existing.count()} are already invited, "
            f"so at most {max(session.capacity - existing.count(), 0)} more can be invited "
            f"(you chose {len(new)})."
        )
    SessionParticipant.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def session_participant_remove(*, participant: SessionParticipant) -> None:
    """Withdraw an invitation, with any record that attendance created from it."""
    if participant.officer_id:
        records = TrainingRecord.objects.filter(
            officer_id=participant.officer_id, session_id=participant.session_id
        )
        _records_delete(records)
    participant.delete()


@transaction.atomic
def session_attendance_take(
    *, session: TrainingSession, attended_ids: Iterable[int], user: User, today: datetime.date | None = None
) -> None:
    """Mark who came. Attending officers get a (verified) record; un-ticking removes that record.

    Safe to repeat: records are found by officer, course and date before any is created.
    """
    today = today or timezone.localdate()
    if session.date > today:
        raise ValidationError("Attendance can be taken on the day of the session or afterwards.")
    session = TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    attended = set(attended_ids)
    participants = list(session.participants.select_related("officer"))
    for participant in participants:
        came = participant.pk in attended
        if participant.attended != came:
            participant.attended = came
            participant.save(update_fields=["attended"])
        if not participant.officer_id:
            continue
        if came:
            exists = TrainingRecord.objects.filter(
                officer_id=participant.officer_id, course=session.course, completed_on=session.date
            ).exists()
            if not exists:
                training_record_create(
                    officer=participant.officer,
                    course=session.course,
                    completed_on=session.date,
                    session=session,
                    verified_by=user,
                )
        else:
            # Only the record this session created; an officer's own entry stays.
            _records_delete(TrainingRecord.objects.filter(officer_id=participant.officer_id, session=session))
    session.attendance_taken_at = timezone.now()
    session.save(update_fields=["attendance_taken_at"])


# --- Expiry warnings --------------------------------------------------------------------------


def threshold_reached(*, expires_on: datetime.date, today: datetime.date) -> int | None:
    """The most urgent warning threshold a record has reached today, or None if none yet."""
    days_left = (expires_on - today).days
    reached = [t for t in WARNING_THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


def _superseded(record_path: str = "") -> Exists:
    """A later completion of the same course by the same officer exists (``record_path`` leads
    from the outer query's rows to the record)."""
    return Exists(
        TrainingRecord.objects.filter(
            officer_id=OuterRef(f"{record_path}officer_id"),
            course_id=OuterRef(f"{record_path}course_id"),
            completed_on__gt=OuterRef(f"{record_path}completed_on"),
        )
    )


def _records_to_warn(today: datetime.date):
    return (
        TrainingRecord.objects.filter(
            expires_on__isnull=False, expires_on__lte=today + datetime.timedelta(days=EARLIEST_WARNING_DAYS)
        )
        .exclude(officer__status=OfficerStatus.LEFT)
        .exclude(_superseded())
        .select_related("officer__user", "course")
    )


def _coordinators() -> list[tuple[int, str]]:
    return list(
        User.objects.filter(groups__name=Role.COORDINATOR.label, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "email")
        .distinct()
    )


def warning_email_key(*, warning_id: int, recipient: str) -> str:
    """The outbox key of one recipient's email about one warning."""
    return f"{WARNING_KEY_PREFIX}{warning_id}:{recipient}"


def _warning_emails_queue(warning: TrainingExpiryWarning, today: datetime.date) -> int:
    """Queue one email per recipient (the officer, then each coordinator) about a warning just claimed."""
    record = warning.record
    officer = record.officer
    if warning.days_before == WarningKind.EXPIRED:
        subject = f"Training expired: {record.course} ({officer.full_name})"
        when = f"expired on {record.expires_on:%B %-d, %Y}"
    else:
        days_left = (record.expires_on - today).days
        subject = f"Training expires in {max(days_left, 0)} days: {record.course} ({officer.full_name})"
        when = f"expires on {record.expires_on:%B %-d, %Y}"
    body = (
        f"{officer.full_name}'s completion of {record.course} (completed {record.completed_on:%B %-d, %Y}) "
        f"{when}.\n\nPlease plan the renewal and record it in SRO Program Manager once completed.\n"
    )
    officer_email = officer.email or (officer.user.email if officer.user else "")
    # Keyed by person, not address: a key holds no personal data and one person gets one email.
    recipients = [("officer", officer_email)] if officer_email else []
    recipients += [(f"user-{pk}", email) for pk, email in _coordinators() if email != officer_email]
    if not recipients:
        logger.warning("Training warning %s has no one to send to", warning.pk)
    for recipient, email in recipients:
        key = warning_email_key(warning_id=warning.pk, recipient=recipient)
        email_queue(key=key, to=[email], subject=subject, body=body)
    return len(recipients)


def _warnings_cancel(warnings) -> None:
    """Withdraw the emails not yet sent about these warnings: they speak of a date no longer true."""
    for warning_id in warnings.values_list("pk", flat=True):
        emails_cancel(key_prefix=warning_email_key(warning_id=warning_id, recipient=""))


def training_warnings_dispatch(*, today: datetime.date | None = None) -> int:
    """Claim the warnings due today and queue their emails; returns how many warnings were claimed.

    A record gets only its most urgent threshold reached, so a missed day catches up with one
    email, not a burst. Claiming the unique (record, threshold) row and queueing its emails in the
    outbox happen in one transaction: a second run, even at the same moment, claims nothing new,
    and the outbox sends each email once, after the commit, retrying a failed send.
    """
    today = today or timezone.localdate()
    claimed = 0
    for record in _records_to_warn(today):
        days_before = threshold_reached(expires_on=record.expires_on, today=today)
        if days_before is None:
            continue
        with transaction.atomic():
            warning, created = TrainingExpiryWarning.objects.get_or_create(
                record_id=record.pk, days_before=days_before
            )
            if created:
                warning.record = record
                _warning_emails_queue(warning, today)
                claimed += 1
    return claimed
