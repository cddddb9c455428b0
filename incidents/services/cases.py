"""Cases: opened from an interaction or directly, with notes, referrals followed to their end,
follow-ups, and the once-only reminder of an overdue follow-up."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from district.models import School, Student
from district.roles import Role
from incidents.models import (
    Case,
    CaseNote,
    CaseStatus,
    FollowUp,
    Interaction,
    Referral,
    ReferralStatus,
)
from incidents.selectors.officers import officer_for_user, officer_school_ids
from outbox.services import email_queue

# Where a referral may go next; a declined or completed referral has ended.
REFERRAL_NEXT = {
    ReferralStatus.MADE: {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.COMPLETED},
    ReferralStatus.ACCEPTED: {ReferralStatus.COMPLETED, ReferralStatus.DECLINED},
    ReferralStatus.DECLINED: set(),
    ReferralStatus.COMPLETED: set(),
}


# The task a record's follow-up puts on its case.
FOLLOW_UP_TASK = "Follow up on the interaction"


def follow_up_email_key(*, follow_up_id: int) -> str:
    return f"incidents.follow-up-overdue:{follow_up_id}"


def case_open(
    *,
    user,
    title: str,
    school: School,
    students: Sequence[Student] = (),
    note: str = "",
) -> Case:
    """Open a case directly: an SRO for one of their schools (and is assigned to it), or a coordinator."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Give the case a title."})
    officer = officer_for_user(user=user)
    today = timezone.localdate()
    assigned = officer is not None and school.pk in officer_school_ids(officer=officer, day=today)
    if not user.has_role(Role.COORDINATOR) and not assigned:
        raise ValidationError({"school": "You are not assigned to this school."})
    with transaction.atomic():
        case = Case.objects.create(title=title, school=school, opened_by=user)
        if officer is not None:
            case.officers.add(officer)
        case.students.add(*students)
        if note.strip():
            CaseNote.objects.create(case=case, author=user, text=note.strip())
    return case


def case_open_from_interaction(
    *, user, interaction: Interaction, follow_up_due: datetime.date | None = None
) -> Case:
    """The interaction's case (opened now if it has none), with its students and officer; the
    follow-up it asked for becomes the case's first task."""
    with transaction.atomic():
        interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
        if interaction.case_id is not None:
            return interaction.case
        local = timezone.localtime(interaction.occurred_at)
        case = Case.objects.create(
            title=f"{interaction.category} on {local:%b %-d, %Y}", school=interaction.school, opened_by=user
        )
        case.officers.add(interaction.officer)
        case.students.add(*[row.student_id for row in interaction.students.all() if row.student_id])
        interaction.case = case
        interaction.save(update_fields=["case", "updated_at"])
        if follow_up_due is not None:
            FollowUp.objects.create(
                case=case, task=FOLLOW_UP_TASK, owner=interaction.author, due_on=follow_up_due
            )
    return case


def _earliest_day(case: Case) -> datetime.date:
    first = case.interactions.aggregate(first=Min("occurred_at"))["first"]
    return timezone.localdate(first) if first else timezone.localdate(case.opened_at)


def follow_up_add(*, user, case: Case, task: str, owner, due_on: datetime.date) -> FollowUp:
    """A task with an owner and a date, never due before the matter began."""
    errors = {}
    if not task.strip():
        errors["task"] = "Say what is to be done."
    if due_on < _earliest_day(case):
        errors["due_on"] = "The follow-up cannot be due before the interaction it follows."
    if errors:
        raise ValidationError(errors)
    return FollowUp.objects.create(case=case, task=task.strip(), owner=owner, due_on=due_on)


def follow_up_done(*, user, follow_up: FollowUp) -> FollowUp:
    """Mark the task done (once)."""
    updated = FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True).update(done_at=timezone.now())
    follow_up.refresh_from_db()
    if not updated:
        raise ValidationError("This follow-up was already done.")
    return follow_up


def referral_add(*, user, case: Case, referred_to: str, to_whom: str = "") -> Referral:
    """A referral to services (``referred_to``: a ReferralService), made today."""
    return Referral.objects.create(case=case, service=referred_to, to_whom=to_whom.strip())


def referral_status_set(*, user, referral: Referral, status: str) -> Referral:
    """Move a referral on (made, accepted, declined, completed); an ended one stays ended."""
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if status not in REFERRAL_NEXT[ReferralStatus(referral.status)]:
            raise ValidationError(
                f"A referral that is {referral.get_status_display().lower()} cannot become "
                f"{ReferralStatus(status).label.lower()}."
            )
        referral.status = status
        referral.save()
    return referral


def case_status_set(*, user, case: Case, status: str, reason: str = "") -> Case:
    """Open, monitoring, or closed with a reason."""
    if status == CaseStatus.CLOSED and not reason.strip():
        raise ValidationError({"reason": "Say why the case is closed."})
    case.status = status
    case.closed_reason = reason.strip() if status == CaseStatus.CLOSED else ""
    case.save()
    return case


def case_note_add(*, user, case: Case, text: str) -> CaseNote:
    if not text.strip():
        raise ValidationError({"text": "Write the note."})
    return CaseNote.objects.create(case=case, author=user, text=text.strip())


def follow_ups_remind_overdue(*, today: datetime.date | None = None) -> int:
    """Claim each overdue follow-up not yet reminded and queue one email to its owner; returns how
    many were claimed. The claim (a conditional UPDATE) and the outbox key make it once-only."""
    today = today or timezone.localdate()
    candidates = FollowUp.objects.filter(done_at__isnull=True, reminded_at__isnull=True, due_on__lt=today)
    claimed = 0
    for follow_up_id in candidates.values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            won = FollowUp.objects.filter(
                pk=follow_up_id, reminded_at__isnull=True, done_at__isnull=True
            ).update(reminded_at=timezone.now())
            if not won:
                continue  # another worker claimed it
            follow_up = FollowUp.objects.select_related("owner", "case__school").get(pk=follow_up_id)
            claimed += 1
            if not follow_up.owner.email:
                continue
            # No student's name leaves the application by email: the case number and the school.
            body = (
                f"A follow-up you own on case #{follow_up.case_id} at {follow_up.case.school} was due on "
                f"{follow_up.due_on:%B %-d, %Y} and is not marked done.\n\n"
                "Sign in to the SRO Program Manager and open the case to see it."
            )
            email_queue(
                key=follow_up_email_key(follow_up_id=follow_up.pk),
                to=[follow_up.owner.email],
                subject=f"Overdue follow-up on case #{follow_up.case_id}",
                body=body,
            )
    return claimed
