"""Writing interactions: the quick log, the officer's edits within the window, and addenda."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from district.models import School, Student
from incidents.models import (
    CRDC_REFERRAL_ACTIONS,
    Addendum,
    Category,
    EnforcementAction,
    FollowUp,
    Interaction,
    InteractionStudent,
    Involvement,
    OfficerRole,
    Outcome,
    RecordClass,
)
from incidents.selectors.bright_lines import touched_bright_line
from incidents.selectors.officers import officer_for_user, officer_school_ids

# A phone's clock may run a little ahead of the server's.
FUTURE_GRACE = datetime.timedelta(minutes=5)
MAX_DURATION_MINUTES = 24 * 60


@dataclass(frozen=True)
class StudentEntry:
    """One student on the form: involved (with an outcome and an action) or a witness (neither)."""

    student: Student
    involvement: str = Involvement.INVOLVED
    outcome: str = ""
    action: str = ""
    arrest_school_related: bool | None = None


def crdc_flags(*, action: str, arrest_school_related: bool | None) -> tuple[bool, bool]:
    """The Civil Rights Data Collection's (referral to law enforcement, school-related arrest).

    Citations, tickets and court referrals count as referrals; a school-related arrest counts as
    both; an arrest off school grounds with no school referral is neither.
    """
    if action == EnforcementAction.CUSTODIAL_ARREST:
        if arrest_school_related is None:
            raise ValidationError("Say whether the arrest was school-related.", code="arrest_unanswered")
        return bool(arrest_school_related), bool(arrest_school_related)
    return action in CRDC_REFERRAL_ACTIONS, False


def record_class_for(*, officer_role: str, entries: Sequence[StudentEntry]) -> str:
    """A contact made as law enforcement, or that ended in any enforcement action, is the law-enforcement
    unit's record; mentoring and teaching with no enforcement are school records."""
    enforced = any(e.action not in ("", EnforcementAction.NONE) for e in entries)
    if officer_role == OfficerRole.LAW_ENFORCEMENT or enforced:
        return RecordClass.LAW_ENFORCEMENT_UNIT
    return RecordClass.SCHOOL


def _check(
    *,
    officer,
    school: School,
    occurred_at: datetime.datetime,
    duration_minutes: int,
    entries: Sequence[StudentEntry],
    anonymous_students: int,
    follow_up_due: datetime.date | None,
    bright_line_code: str = "",
    returned_to_administration: bool | None = None,
) -> None:
    """Every rule the quick log keeps, each reported on the field it concerns."""
    errors: dict[str, list[str]] = {}
    if bright_line_code and returned_to_administration is None:
        errors.setdefault("returned_to_administration", []).append(
            "This category touches a bright line of the agreement: say whether the matter went back "
            "to administration."
        )
    if bright_line_code and returned_to_administration is False:
        returned = [
            e.student.full_name
            for e in entries
            if e.involvement == Involvement.INVOLVED and e.outcome == Outcome.RETURNED_TO_ADMINISTRATION
        ]
        if returned:
            errors.setdefault("returned_to_administration", []).append(
                f"You said the matter did not go back to administration, but the outcome for "
                f"{', '.join(returned)} is that it did: change one or the other."
            )
    day = timezone.localdate(occurred_at)
    if occurred_at > timezone.now() + FUTURE_GRACE:
        errors.setdefault("occurred_on", []).append("The date and time cannot be in the future.")
    schools = officer_school_ids(officer=officer, day=day) | officer_school_ids(
        officer=officer, day=timezone.localdate()
    )
    if school.pk not in schools:
        errors.setdefault("school", []).append("You were not assigned to this school on that day.")
    if duration_minutes < 0 or duration_minutes > MAX_DURATION_MINUTES:
        errors.setdefault("duration_minutes", []).append("The duration is between 0 and 1,440 minutes.")
    if anonymous_students < 0:
        errors.setdefault("anonymous_students", []).append("The count cannot be negative.")
    if follow_up_due is not None and follow_up_due < day:
        errors.setdefault("follow_up_due", []).append("The follow-up cannot be due before the interaction.")
    seen: set[int] = set()
    for entry in entries:
        student = entry.student
        if not student.active or student.school_id not in schools:
            errors.setdefault("students", []).append("A student you chose is not on your schools' roster.")
        if student.pk in seen:
            errors.setdefault("students", []).append(f"{student.full_name} is on the record twice.")
        seen.add(student.pk)
        if entry.involvement == Involvement.WITNESS:
            if entry.outcome or entry.action or entry.arrest_school_related is not None:
                errors.setdefault("students", []).append(
                    f"{student.full_name} is a witness: a witness has no outcome or action."
                )
            continue
        if not entry.outcome or not entry.action:
            errors.setdefault("students", []).append(
                f"Choose the outcome and the action for {student.full_name}."
            )
        if entry.action == EnforcementAction.CUSTODIAL_ARREST and entry.arrest_school_related is None:
            errors.setdefault("students", []).append(
                f"Say whether the arrest of {student.full_name} was school-related."
            )
    if errors:
        raise ValidationError(errors)


def _student_rows(interaction: Interaction, entries: Sequence[StudentEntry]) -> list[InteractionStudent]:
    rows = []
    for entry in entries:
        referral, arrest = (
            crdc_flags(action=entry.action, arrest_school_related=entry.arrest_school_related)
            if entry.involvement == Involvement.INVOLVED
            else (False, False)
        )
        rows.append(
            InteractionStudent(
                interaction=interaction,
                student=entry.student,
                involvement=entry.involvement,
                outcome=entry.outcome,
                action=entry.action,
                arrest_school_related=entry.arrest_school_related,
                crdc_referral=referral,
                crdc_school_related_arrest=arrest,
            )
        )
    return rows


def interaction_create(
    *,
    author,
    key: uuid.UUID,
    school: School,
    occurred_at: datetime.datetime,
    officer_role: str,
    category: Category,
    initiator: str,
    duration_minutes: int,
    students: Sequence[StudentEntry] = (),
    anonymous_students: int = 0,
    other_participants: str = "",
    place: str = "",
    narrative: str = "",
    follow_up_due: datetime.date | None = None,
    returned_to_administration: bool | None = None,
) -> tuple[Interaction, bool]:
    """Log an interaction once per key: a repeated submit returns the first record, ``created`` False.

    When the category touches a bright line of the active agreement, the record keeps which, and
    ``returned_to_administration`` (then required) says whether the matter went back to the school.
    """
    officer = officer_for_user(user=author)
    if officer is None:
        raise ValidationError("Your account is not linked to an officer record.")
    existing = Interaction.objects.filter(key=key).first()
    if existing is not None:
        return _same_author(existing, author), False
    bright_line_code = touched_bright_line(category=category)
    if not bright_line_code:
        returned_to_administration = None  # asked only where a bright line is touched
    _check(
        officer=officer,
        school=school,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        entries=students,
        anonymous_students=anonymous_students,
        follow_up_due=follow_up_due,
        bright_line_code=bright_line_code,
        returned_to_administration=returned_to_administration,
    )
    try:
        with transaction.atomic():
            interaction = Interaction.objects.create(
                key=key,
                officer=officer,
                author=author,
                school=school,
                occurred_at=occurred_at,
                officer_role=officer_role,
                category=category,
                initiator=initiator,
                anonymous_students=anonymous_students,
                other_participants=other_participants,
                duration_minutes=duration_minutes,
                place=place,
                narrative=narrative,
                follow_up_due=follow_up_due,
                bright_line_code=bright_line_code,
                returned_to_administration=returned_to_administration,
                record_class=record_class_for(officer_role=officer_role, entries=students),
            )
            # Saved one by one so each row's history is kept (simple_history does not see
            # bulk_create); a quick log names a handful of students.
            for row in _student_rows(interaction, students):
                row.save()
            if follow_up_due is not None:
                # A follow-up is followed on a case: opened now, with the students and the task.
                from incidents.services.cases import case_open_from_interaction

                interaction.case = case_open_from_interaction(
                    user=author, interaction=interaction, follow_up_due=follow_up_due
                )
    except IntegrityError:
        # Another submit with the same key committed first: that one is the record.
        existing = Interaction.objects.filter(key=key).first()
        if existing is None:
            raise
        return _same_author(existing, author), False
    return interaction, True


def _same_author(interaction: Interaction, author) -> Interaction:
    if interaction.author_id != author.pk:
        # A key is made by one browser for one officer; another's key is not a way into a record.
        raise ValidationError("This form was already used. Open a new quick log.")
    return interaction


def interaction_update(
    *,
    user,
    interaction: Interaction,
    school: School,
    occurred_at: datetime.datetime,
    officer_role: str,
    category: Category,
    initiator: str,
    duration_minutes: int,
    students: Sequence[StudentEntry] = (),
    anonymous_students: int = 0,
    other_participants: str = "",
    place: str = "",
    narrative: str = "",
    follow_up_due: datetime.date | None = None,
    returned_to_administration: bool | None = None,
) -> Interaction:
    """The writing officer corrects the record within the edit window; every version is kept.

    A follow-up added now is followed on a case, as on the quick log: the record's case (opened now
    if it has none) gets the task; a follow-up moved to another day moves the task still open.
    """
    with transaction.atomic():
        interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
        if interaction.author_id != user.pk:
            raise ValidationError("Only the officer who wrote this record may change it.")
        if not interaction.editable_now:
            raise ValidationError("The week for changes has passed: add an addendum instead.")
        bright_line_code = touched_bright_line(category=category)
        if not bright_line_code:
            returned_to_administration = None
        _check(
            officer=interaction.officer,
            school=school,
            occurred_at=occurred_at,
            duration_minutes=duration_minutes,
            entries=students,
            anonymous_students=anonymous_students,
            follow_up_due=follow_up_due,
            bright_line_code=bright_line_code,
            returned_to_administration=returned_to_administration,
        )
        follow_up_before = interaction.follow_up_due
        for name, value in {
            "school": school,
            "occurred_at": occurred_at,
            "officer_role": officer_role,
            "category": category,
            "initiator": initiator,
            "duration_minutes": duration_minutes,
            "anonymous_students": anonymous_students,
            "other_participants": other_participants,
            "place": place,
            "narrative": narrative,
            "follow_up_due": follow_up_due,
            "bright_line_code": bright_line_code,
            "returned_to_administration": returned_to_administration,
        }.items():
            setattr(interaction, name, value)
        interaction.record_class = record_class_for(officer_role=officer_role, entries=students)
        interaction.save()
        # Rows kept for the same student are updated in place (their history shows the change);
        # students taken off are deleted (their history keeps the deletion).
        current = {row.student_id: row for row in interaction.students.all()}
        wanted = {row.student_id: row for row in _student_rows(interaction, students)}
        for student_id, row in current.items():
            if student_id not in wanted:
                row.delete()
        for student_id, row in wanted.items():
            if student_id in current:
                row.pk = current[student_id].pk
            row.save()
        if follow_up_due is not None and follow_up_due != follow_up_before:
            _follow_up_on_case(
                user=user, interaction=interaction, due=follow_up_due, moved_from=follow_up_before
            )
    return interaction


def _follow_up_on_case(*, user, interaction: Interaction, due: datetime.date, moved_from) -> None:
    """The follow-up an edit added or moved, on the record's case (a taken-off follow-up leaves the
    case as it is: its tasks are closed there)."""
    from incidents.services.cases import FOLLOW_UP_TASK, case_open_from_interaction

    if interaction.case_id is None:
        interaction.case = case_open_from_interaction(user=user, interaction=interaction, follow_up_due=due)
        return
    open_tasks = FollowUp.objects.filter(
        case_id=interaction.case_id, task=FOLLOW_UP_TASK, owner_id=interaction.author_id, done_at=None
    )
    if moved_from is not None:
        moved = list(open_tasks.filter(due_on=moved_from)[:1])
        if moved:
            moved[0].due_on = due
            moved[0].save()  # one row, saved so its history shows the move
            return
    FollowUp.objects.create(
        case_id=interaction.case_id, task=FOLLOW_UP_TASK, owner_id=interaction.author_id, due_on=due
    )


def addendum_add(*, user, interaction: Interaction, text: str) -> Addendum:
    """Add a dated note to a record; the original stays as it was written."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the addendum."})
    if interaction.author_id != user.pk:
        raise ValidationError("Only the officer who wrote this record may add to it.")
    if interaction.identities_removed_at is not None:
        raise ValidationError("This record's identities were removed under the retention rule.")
    return Addendum.objects.create(interaction=interaction, author=user, text=text)
