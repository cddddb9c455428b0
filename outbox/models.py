"""The outbox: every email the project sends is a row here first, so it goes out once and is never lost.

The one window no SMTP outbox can close: the SMTP server accepts a message and the worker dies (or
the database is unreachable) before the row is marked sent. After the claim timeout the row is
released and the email goes out a second time. It is narrowed, not closed:

- the row is marked sent by one autocommit UPDATE straight after the server accepts the message,
  with nothing in between, and that UPDATE is retried briefly if the database hiccups;
- ``EMAIL_TIMEOUT`` bounds every SMTP call, and the claim timeout is several times longer, so a
  slow but live worker is never overtaken by a release (a system check enforces the ratio);
- every attempt of one row carries the same ``Message-ID``, so a receiving system that drops
  repeats of a Message-ID shows a second delivery as the same message.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone


class EmailStatus(models.TextChoices):
    DUE = "due", "Due"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class OutboundEmail(models.Model):
    """One email queued under its caller's idempotency key: claimed, sent after the commit, marked sent."""

    key = models.CharField(
        max_length=200,
        unique=True,
        help_text="The caller's idempotency key, e.g. training-warning:42:officer; one email per key.",
    )
    recipients = ArrayField(models.EmailField(max_length=254))
    subject = models.TextField()
    body = models.TextField()
    html_body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.DUE)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "outbound email"
        indexes = [
            # The dispatcher's two queries: due rows by time, and claims that may have gone stale.
            models.Index(fields=["next_attempt_at"], condition=Q(status="due"), name="outbox_due_idx"),
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="outbox_sending_idx"),
            # The admin's list, filtered by status, newest first.
            models.Index(fields=["status", "-created_at"], name="outbox_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_status_display()})"
