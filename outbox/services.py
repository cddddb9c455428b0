"""Writes to the outbox: queue an email once, send it once, retry it with backoff, release dead claims.

The life of a row: ``email_queue`` inserts it (due) in the caller's transaction and queues
``email_send`` after the commit. ``email_send`` claims it (due -> sending) in its own committed
UPDATE, sends outside any transaction, then marks it sent. A send that raises puts it back to due
with a later ``next_attempt_at`` (or failed after ``OUTBOX_MAX_ATTEMPTS``) and re-raises, so the task
retries. A claim whose worker died stays ``sending`` until ``emails_release_stale`` frees it after
``OUTBOX_CLAIM_TIMEOUT_SECONDS``; ``emails_dispatch`` (beat, every minute) does that and queues a
send for every due row whose message was lost.

The one window left open (the SMTP server accepted the message, the worker died before marking it
sent) and how it is narrowed are described in ``outbox.models``.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from collections.abc import Sequence
from email.utils import parseaddr
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, connection
from django.db.models import F
from django.utils import timezone

from sro_program.celery import queue_on_commit

from .models import EmailStatus, OutboundEmail

logger = logging.getLogger(__name__)

SEND_TASK = "outbox.tasks.email_send"
# At most this many sends queued per dispatcher run; the next minute's run takes the rest.
DISPATCH_BATCH = 200
# A fresh row's own task runs within seconds; the dispatcher is the safety net for lost messages,
# so it leaves rows alone for a minute rather than queue a second message for each.
DISPATCH_GRACE = datetime.timedelta(seconds=60)
# Marking a row sent after the server accepted it is the one write that must not be lost.
MARK_SENT_TRIES = 3
LAST_ERROR_MAX = 2000


def email_queue(
    *, key: str, to: Sequence[str], subject: str, body: str, html_body: str = ""
) -> OutboundEmail:
    """Queue an email once per key, inside the caller's transaction; it is sent after the commit."""
    recipients = [address for address in to if address]
    if not recipients:
        raise ValueError(f"Email {key!r} has no recipients.")
    # get_or_create inserts under a savepoint: a concurrent caller with the same key waits for the
    # first to commit, then finds its row. Only the caller that inserted queues a send.
    email, created = OutboundEmail.objects.get_or_create(
        key=key,
        defaults={"recipients": recipients, "subject": subject, "body": body, "html_body": html_body},
    )
    if created:
        queue_on_commit(SEND_TASK, email.pk)
    return email


def emails_cancel(*, key_prefix: str) -> int:
    """Cancel the not yet claimed emails whose key starts with ``key_prefix``; returns how many."""
    return OutboundEmail.objects.filter(key__startswith=key_prefix, status=EmailStatus.DUE).update(
        status=EmailStatus.CANCELLED
    )


def retry_delay(*, attempts: int) -> datetime.timedelta:
    """How long to wait after the given number of failed attempts: doubling, capped."""
    seconds = settings.OUTBOX_RETRY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_BACKOFF_MAX_SECONDS))


@lru_cache(maxsize=8)
def _domain_of(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


def message_id(email: OutboundEmail) -> str:
    """The same Message-ID on every attempt of one email, so a repeat delivery reads as one message."""
    domain = _domain_of(settings.DEFAULT_FROM_EMAIL)
    digest = hashlib.sha256(email.key.encode()).hexdigest()[:16]
    return f"<outbox.{email.pk}.{digest}@{domain}>"


def _message(email: OutboundEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        connection=connection,
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(email.recipients),
        headers={"Message-ID": message_id(email)},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    return message


def _mark_sent_once(email_id: int) -> None:
    """One autocommit UPDATE, written out: it runs once per email sent, and building it through the
    ORM cost a fifth of a bulk send's time in the worker."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {OutboundEmail._meta.db_table} SET status = %s, sent_at = %s, last_error = '' "  # noqa: S608
            "WHERE id = %s AND status <> %s",
            [EmailStatus.SENT, timezone.now(), email_id, EmailStatus.SENT],
        )


def _mark_sent(email_id: int) -> None:
    # Not conditional on our claim: the server accepted the message, so the row says so even if
    # the claim was released meanwhile; that stops any later attempt.
    for attempt in range(1, MARK_SENT_TRIES + 1):
        try:
            _mark_sent_once(email_id)
            return
        except (OperationalError, InterfaceError):
            if attempt == MARK_SENT_TRIES or connection.in_atomic_block:
                logger.error("Email %s was sent but could not be marked sent; it may go twice", email_id)
                raise
            connection.close()  # the next query opens a fresh connection
            time.sleep(attempt)


def _mark_failed_attempt(email: OutboundEmail, claimed_at: datetime.datetime, error: Exception) -> bool:
    """Put a claim whose send raised back to due after a backoff, or fail it after the last attempt.
    Returns True if it will be tried again."""
    again = email.attempts < settings.OUTBOX_MAX_ATTEMPTS
    now = timezone.now()
    changes = {"last_error": f"{type(error).__name__}: {error}"[:LAST_ERROR_MAX], "claimed_at": None}
    if again:
        changes |= {"status": EmailStatus.DUE, "next_attempt_at": now + retry_delay(attempts=email.attempts)}
    else:
        changes |= {"status": EmailStatus.FAILED}
    # Conditional on our own claim, so a claim released and taken by another worker is left alone.
    OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING, claimed_at=claimed_at).update(
        **changes
    )
    if not again:
        logger.error("Email %s (%s) failed after %s attempts: %s", email.pk, email.key, email.attempts, error)
    return again


def email_send(*, email_id: int) -> bool:
    """Claim, send and mark one due email; True if this call sent it. Call it outside any transaction.

    The claim (due -> sending) commits before the send, so a second worker finds nothing to claim.
    If the send raises, the row goes back to due with a later ``next_attempt_at`` and the error is
    raised again for the task to retry; after ``OUTBOX_MAX_ATTEMPTS`` the row is failed instead.
    """
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(
        pk=email_id, status=EmailStatus.DUE, next_attempt_at__lte=now
    ).update(status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False  # sent, being sent, cancelled, failed, or not due yet: another run has it
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        _message(email).send(fail_silently=False)
    except Exception as error:
        if _mark_failed_attempt(email, now, error):
            raise
        return False
    _mark_sent(email_id)
    return True


def emails_release_stale(*, now: datetime.datetime | None = None) -> int:
    """Release claims older than ``OUTBOX_CLAIM_TIMEOUT_SECONDS`` (their worker died); returns how many.

    A released row is due again at once, or failed if it has used all its attempts (an email whose
    send kills the worker every time must not loop for ever).
    """
    now = now or timezone.now()
    stale = OutboundEmail.objects.filter(
        status=EmailStatus.SENDING,
        claimed_at__lt=now - datetime.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS),
    )
    note = "The worker sending it stopped before finishing; released after the claim timeout."
    exhausted = stale.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).update(
        status=EmailStatus.FAILED, claimed_at=None, last_error=note
    )
    if exhausted:
        logger.error("%s email(s) failed: their worker stopped on the last attempt", exhausted)
    released = stale.update(status=EmailStatus.DUE, claimed_at=None, next_attempt_at=now, last_error=note)
    return exhausted + released


def emails_dispatch(*, now: datetime.datetime | None = None) -> int:
    """Beat, every minute: release stale claims, then queue a send for each due email (a bounded
    batch, oldest first); returns how many sends were queued."""
    now = now or timezone.now()
    emails_release_stale(now=now)
    due = list(
        OutboundEmail.objects.filter(status=EmailStatus.DUE, next_attempt_at__lte=now - DISPATCH_GRACE)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:DISPATCH_BATCH]
    )
    for email_id in due:
        queue_on_commit(SEND_TASK, email_id)
    return len(due)


# How many emails one queued task sends: few messages on the broker for a large mailing, yet each
# email is still claimed and marked on its own, so a repeated batch sends nothing twice.
SEND_MANY_TASK = "outbox.tasks.emails_send_many"
SEND_MANY_BATCH = 100


def emails_queue_many(*, emails: Sequence[dict]) -> list[int]:
    """Queue many emails at once (dicts of key, to, subject, body), each once per key, inside the
    caller's transaction; returns the ids of the rows this call inserted (a key already queued is
    skipped by the database, ON CONFLICT DO NOTHING). One task per batch sends them after the commit."""
    rows = [
        (email["key"], [address for address in email["to"] if address], email["subject"], email["body"])
        for email in emails
    ]
    if not rows:
        return []
    if any(not recipients for _key, recipients, _subject, _body in rows):
        raise ValueError("Every email needs a recipient.")
    now = timezone.now()
    values = ", ".join(["(%s, %s, %s, %s, '', %s, 0, %s, %s, '')"] * len(rows))
    params: list = []
    for key, recipients, subject, body in rows:
        params += [key, recipients, subject, body, EmailStatus.DUE, now, now]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {OutboundEmail._meta.db_table} "  # noqa: S608 - only placeholders are interpolated
            "(key, recipients, subject, body, html_body, status, attempts, created_at, next_attempt_at,"
            " last_error) "
            f"VALUES {values} ON CONFLICT (key) DO NOTHING RETURNING id",
            params,
        )
        created = [row[0] for row in cursor.fetchall()]
    for start in range(0, len(created), SEND_MANY_BATCH):
        queue_on_commit(SEND_MANY_TASK, created[start : start + SEND_MANY_BATCH])
    return created


def emails_send_many(*, email_ids: Sequence[int]) -> int:
    """Send a batch of queued emails; returns how many this call sent. Call it outside any transaction.

    The batch is claimed in one UPDATE (each row due -> sending, conditional on its own status, so a
    second worker with the same batch claims none of them), sent over one SMTP connection, and each
    email marked sent straight after the server accepts it, as ``email_send`` does. A failing email
    goes back to due with its backoff (the dispatcher retries it) and the rest of the batch goes on.
    """
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(
        pk__in=email_ids, status=EmailStatus.DUE, next_attempt_at__lte=now
    ).update(status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return 0
    emails = OutboundEmail.objects.filter(
        pk__in=email_ids, status=EmailStatus.SENDING, claimed_at=now
    ).order_by("pk")
    sent = 0
    with get_connection(fail_silently=False) as smtp:
        for email in emails:
            try:
                # The batch's one connection (open() does nothing while it is open, and reopens it
                # after a failure closed it); a message given no connection would open its own.
                smtp.open()
                _message(email, smtp).send(fail_silently=False)
            except Exception as error:  # noqa: BLE001 - recorded on the row; the dispatcher retries it
                _mark_failed_attempt(email, now, error)
                smtp.close()  # a broken connection is reopened by the next send
                continue
            _mark_sent(email.pk)
            sent += 1
    return sent
