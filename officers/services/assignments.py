"""Writes to assignments: officers at schools with a weekly schedule, ending early, and leave."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from district.models import AcademicYear, School
from officers.models import Assignment, AssignmentDay, AssignmentRole, Officer, OfficerLeave


@dataclass(frozen=True)
class ShiftInput:
    weekday: int
    start_time: datetime.time
    end_time: datetime.time


def primary_conflict(
    *, school: School, start_date: datetime.date, end_date: datetime.date, exclude_pk: int | None = None
) -> Assignment | None:
    """Another primary assignment at the school overlapping the dates, if any."""
    conflicts = Assignment.objects.filter(
        school=school, role=AssignmentRole.PRIMARY, start_date__lte=end_date, end_date__gte=start_date
    ).select_related("officer")
    if exclude_pk:
        conflicts = conflicts.exclude(pk=exclude_pk)
    return conflicts.order_by("start_date").first()


def _conflict_message(conflict: Assignment) -> str:
    return (
        f"{conflict.school} already has a primary officer then: {conflict.officer} from "
        f"{conflict.start_date:%b %-d, %Y} to {conflict.end_date:%b %-d, %Y}. "
        "Make this a backup assignment, change the dates, or end that assignment first."
    )


def _validate(assignment: Assignment) -> None:
    errors: dict[str, list[str]] = {}
    year = assignment.academic_year
    if assignment.end_date < assignment.start_date:
        errors.setdefault("end_date", []).append("The assignment must end on or after its start.")
    if not year.contains(assignment.start_date):
        errors.setdefault("start_date", []).append(
            f"The start must fall within {year} ({year.start_date:%b %-d, %Y} to {year.end_date:%b %-d, %Y})."
        )
    if not year.contains(assignment.end_date):
        errors.setdefault("end_date", []).append(
            f"The end must fall within {year} ({year.start_date:%b %-d, %Y} to {year.end_date:%b %-d, %Y})."
        )
    if errors:
        raise ValidationError(errors)
    if assignment.role == AssignmentRole.PRIMARY:
        conflict = primary_conflict(
            school=assignment.school,
            start_date=assignment.start_date,
            end_date=assignment.end_date,
            exclude_pk=assignment.pk,
        )
        if conflict is not None:
            raise ValidationError(_conflict_message(conflict), code="primary_conflict")


def _validate_shifts(shifts: list[ShiftInput]) -> None:
    seen: set[int] = set()
    for shift in shifts:
        if shift.end_time <= shift.start_time:
            raise ValidationError("Each day's shift must end after it starts.")
        if shift.weekday in seen:
            raise ValidationError("Each weekday can appear only once in the schedule.")
        seen.add(shift.weekday)


def _save(assignment: Assignment, shifts: list[ShiftInput] | None) -> Assignment:
    _validate(assignment)
    if shifts is not None:
        _validate_shifts(shifts)
    try:
        # A savepoint, so a lost race leaves the outer transaction usable.
        with transaction.atomic():
            assignment.save()
            if shifts is not None:
                _schedule_replace(assignment, shifts)
    except IntegrityError as error:
        if "one_primary_per_school_per_day" in str(error):
            # Another primary was saved between our check and our insert.
            conflict = primary_conflict(
                school=assignment.school,
                start_date=assignment.start_date,
                end_date=assignment.end_date,
                exclude_pk=assignment.pk,
            )
            message = (
                _conflict_message(conflict)
                if conflict
                else f"{assignment.school} already has a primary officer on some of these days."
            )
            raise ValidationError(message, code="primary_conflict") from error
        raise
    return assignment


def _schedule_replace(assignment: Assignment, shifts: Iterable[ShiftInput]) -> None:
    wanted = {shift.weekday: shift for shift in shifts}
    current = {day.weekday: day for day in assignment.days.all()}
    for weekday, day in current.items():
        if weekday not in wanted:
            day.delete()  # one by one, so simple_history keeps the removed rows
    for weekday, shift in wanted.items():
        day = current.get(weekday)
        if day is None:
            AssignmentDay.objects.create(
                assignment=assignment, weekday=weekday, start_time=shift.start_time, end_time=shift.end_time
            )
        elif (day.start_time, day.end_time) != (shift.start_time, shift.end_time):
            day.start_time, day.end_time = shift.start_time, shift.end_time
            day.save()


@transaction.atomic
def assignment_create(
    *,
    officer: Officer,
    school: School,
    academic_year: AcademicYear,
    role: str,
    start_date: datetime.date,
    end_date: datetime.date,
    shifts: list[ShiftInput] | None = None,
) -> Assignment:
    """Assign an officer to a school; refuses a second primary at the school on any day."""
    assignment = Assignment(
        officer=officer,
        school=school,
        academic_year=academic_year,
        role=role,
        start_date=start_date,
        end_date=end_date,
    )
    return _save(assignment, shifts or [])


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    officer: Officer,
    school: School,
    academic_year: AcademicYear,
    role: str,
    start_date: datetime.date,
    end_date: datetime.date,
    shifts: list[ShiftInput] | None = None,
) -> Assignment:
    """Change an assignment; its earlier versions stay in its history."""
    assignment.officer = officer
    assignment.school = school
    assignment.academic_year = academic_year
    assignment.role = role
    assignment.start_date = start_date
    assignment.end_date = end_date
    return _save(assignment, shifts)


@transaction.atomic
def assignment_end(*, assignment: Assignment, end_date: datetime.date) -> Assignment:
    """End an assignment early; the history shows when it was meant to end."""
    if end_date < assignment.start_date:
        raise ValidationError({"end_date": "The assignment cannot end before it starts."})
    if end_date > assignment.end_date:
        raise ValidationError({"end_date": "Ending early means a date on or before the current end."})
    assignment.end_date = end_date
    assignment.save()
    return assignment


@transaction.atomic
def officer_leave_save(*, leave: OfficerLeave) -> OfficerLeave:
    """Record (or change) a period when an officer is away."""
    if leave.end_date < leave.start_date:
        raise ValidationError({"end_date": "The leave must end on or after its start."})
    overlapping = OfficerLeave.objects.filter(
        officer=leave.officer, start_date__lte=leave.end_date, end_date__gte=leave.start_date
    ).exclude(pk=leave.pk)
    if overlapping.exists():
        raise ValidationError("This officer already has leave recorded for some of these days.")
    leave.save()
    return leave
