"""The life of a round, run by beat's dispatcher and the worker: open when due, invite in batches,
remind those who have not answered, close on time. Every step is safe to repeat: the database holds
the guards (a round once per campaign and day, an invitation once per round and address, an email
once per invitation and kind), so a retried task, a second worker or a restarted beat sends nothing
twice."""

from __future__ import annotations

import datetime
import logging
import secrets
from itertools import islice

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from feedback.emails import invitation_email, invitation_key
from feedback.models import (
    Audience,
    Campaign,
    CampaignKind,
    Invitation,
    InvitationLink,
    InvitationStatus,
    Round,
    RoundStatus,
)
from feedback.schedule import due_opening
from feedback.selectors.audience import audience_members, student_sample
from feedback.services.surveys import survey_lock_for_round
from outbox.models import OutboundEmail
from outbox.services import emails_queue_many
from sro_program.celery import queue_on_commit

logger = logging.getLogger(__name__)

INVITE_TASK = "feedback.tasks.round_invite"
REMIND_TASK = "feedback.tasks.round_remind"
# Invitations written (and their emails queued) per transaction: a few statements per thousand.
BATCH = 1000
NO_AUDIENCE = "No one to ask: nobody in this audience has an email address at these schools."


def closing_time(*, opens_on: datetime.date, open_days: int) -> datetime.datetime:
    """A round closes at the start (local midnight) of the day ``open_days`` after it opens."""
    day = opens_on + datetime.timedelta(days=open_days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def new_token() -> tuple[str, str]:
    """A link's token (256 random bits) and the SHA-256 hash that is all the database keeps."""
    token = secrets.token_urlsafe(32)
    return token, InvitationLink.hash_token(token)


def rounds_dispatch(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Beat: create and open the rounds that are due, queue invitations not yet sent and reminders
    now due, close rounds whose time is up. Returns counts of what it did."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = {"created": 0, "opened": 0, "reminders": 0, "closed": 0}
    for campaign in Campaign.objects.filter(active=True, kind=CampaignKind.RECURRING):
        day = due_opening(
            schedule=campaign.schedule,
            dates=campaign.dates,
            starts_on=campaign.starts_on,
            open_days=campaign.open_days,
            today=today,
        )
        if day is not None:
            # Unique (campaign, opens_on): a second beat finds the round the first one made.
            with transaction.atomic():
                survey_lock_for_round(survey_id=campaign.survey_id)
                _round, created = Round.objects.get_or_create(campaign=campaign, opens_on=day)
            done["created"] += created
    done["closed"] = rounds_close(now=now)
    for round_id in Round.objects.filter(status=RoundStatus.SCHEDULED, opens_on__lte=today).values_list(
        "pk", flat=True
    ):
        done["opened"] += round_open(round_id=round_id, now=now)
    # Invitations whose task was lost (broker down, worker killed): the task is safe to repeat.
    for round_id in Round.objects.filter(
        status=RoundStatus.OPEN, invited_at__isnull=True, max_answers__isnull=True
    ).values_list("pk", flat=True):
        queue_on_commit(INVITE_TASK, round_id)
    done["reminders"] = reminders_dispatch(now=now)
    return done


def round_open(*, round_id: int, now: datetime.datetime | None = None) -> bool:
    """Open a scheduled round (a conditional UPDATE: one caller wins) and queue its invitations."""
    now = now or timezone.now()
    round = Round.objects.select_related("campaign").get(pk=round_id)
    with transaction.atomic():
        opened = Round.objects.filter(pk=round_id, status=RoundStatus.SCHEDULED).update(
            status=RoundStatus.OPEN,
            opened_at=now,
            closes_at=closing_time(opens_on=round.opens_on, open_days=round.campaign.open_days),
        )
        if opened:
            queue_on_commit(INVITE_TASK, round_id)
    return bool(opened)


def _insert_invitations(round: Round, members) -> list[tuple[int, str]]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: the (id, email) of the invitations new in this call."""
    if not members:
        return []
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(members))
    params: list = []
    for member in members:
        params += [round.pk, member.email, member.school_id, member.officer_id, InvitationStatus.SENT]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Invitation._meta.db_table} (round_id, email, school_id, officer_id, status) "  # noqa: S608
            f"VALUES {values} ON CONFLICT (round_id, email) DO NOTHING RETURNING id, email",
            params,
        )
        return cursor.fetchall()


def _queue_emails(round: Round, invitations: list[tuple[int, str]], reminder: int) -> int:
    """A fresh link (its hash stored) and an outbox email per invitation; returns emails queued."""
    links, emails = [], []
    for invitation_id, email in invitations:
        token, hashed = new_token()
        links.append(InvitationLink(invitation_id=invitation_id, token_hash=hashed))
        emails.append(
            {
                "key": invitation_key(invitation_id=invitation_id, reminder=reminder),
                **invitation_email(round=round, email=email, token=token, reminder=reminder),
            }
        )
    InvitationLink.objects.bulk_create(links)
    return len(emails_queue_many(emails=emails))


def round_invite(*, round_id: int) -> int:
    """Invite the round's audience in batches (each batch one transaction); returns emails queued.
    A repeat finds the invitations already there and queues nothing for them."""
    round = Round.objects.select_related("campaign__survey").get(pk=round_id)
    if not round.is_accepting or round.max_answers is not None:
        return 0
    members = audience_members(campaign=round.campaign, round_id=round.pk)
    queued = 0
    while batch := list(islice(members, BATCH)):
        with transaction.atomic():
            queued += _queue_emails(round, _insert_invitations(round, batch), reminder=0)
    invited = Invitation.objects.filter(round=round).count()
    unreachable = 0
    if round.campaign.survey.audience == Audience.STUDENTS:
        unreachable = student_sample(campaign=round.campaign, round_id=round.pk).unreachable
    Round.objects.filter(pk=round_id, invited_at__isnull=True).update(
        invited_at=timezone.now(),
        invited_count=invited,
        unreachable_count=unreachable,
        note="" if invited else NO_AUDIENCE,
    )
    return queued


def reminders_dispatch(*, now: datetime.datetime) -> int:
    """Claim each reminder that is due (reminders_sent n -> n+1, a conditional UPDATE) and queue it."""
    queued = 0
    rounds = Round.objects.filter(
        status=RoundStatus.OPEN, invited_at__isnull=False, reminders_sent__lt=F("campaign__reminders")
    ).select_related("campaign")
    for round in rounds:
        number = round.reminders_sent + 1
        due = round.opened_at + datetime.timedelta(days=round.campaign.reminder_spacing_days * number)
        if due > now or (round.closes_at and round.closes_at <= now):
            continue
        with transaction.atomic():
            claimed = Round.objects.filter(pk=round.pk, reminders_sent=round.reminders_sent).update(
                reminders_sent=number
            )
            if claimed:
                queue_on_commit(REMIND_TASK, round.pk, number)
                queued += 1
    return queued


def round_remind(*, round_id: int, number: int) -> int:
    """Send reminder ``number`` to everyone in the round who has not answered; returns emails queued.
    An invitation already holding this reminder (a repeated task) is skipped; the outbox key is the
    last guard."""
    round = Round.objects.select_related("campaign__survey").get(pk=round_id)
    if not round.is_accepting:
        return 0
    pending = Invitation.objects.filter(round=round, status=InvitationStatus.SENT).order_by("pk")
    queued = 0
    last = 0
    while True:
        batch = list(pending.filter(pk__gt=last).values_list("pk", "email")[:BATCH])
        if not batch:
            return queued
        last = batch[-1][0]
        keys = {invitation_key(invitation_id=pk, reminder=number): pk for pk, _ in batch}
        already = set(OutboundEmail.objects.filter(key__in=keys).values_list("key", flat=True))
        todo = [
            (pk, email)
            for pk, email in batch
            if invitation_key(invitation_id=pk, reminder=number) not in already
        ]
        with transaction.atomic():
            queued += _queue_emails(round, todo, reminder=number)


def rounds_close(*, now: datetime.datetime | None = None) -> int:
    """Close every open round whose closing time has passed; returns how many."""
    now = now or timezone.now()
    return Round.objects.filter(status=RoundStatus.OPEN, closes_at__lte=now).update(status=RoundStatus.CLOSED)
