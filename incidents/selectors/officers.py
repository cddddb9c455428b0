"""The officer behind a signed-in SRO, and the schools they serve on a day."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from district.models import School, Student
from officers.models import Officer
from officers.selectors import assignments_on


def officer_for_user(*, user) -> Officer | None:
    """The officer record linked to the account, if any."""
    if not user.is_authenticated:
        return None
    return Officer.objects.filter(user=user).first()


def officer_school_ids(*, officer: Officer, day: datetime.date) -> set[int]:
    """Schools the officer is assigned to on ``day`` (primary or backup)."""
    return set(assignments_on(day=day).filter(officer=officer).values_list("school_id", flat=True))


def officer_schools_today(*, officer: Officer, including: int | None = None) -> QuerySet[School]:
    """The officer's schools today (the first is the one the quick log opens on), and ``including``:
    a record's own school, which an edit keeps offering after the assignment ended."""
    today = timezone.localdate()
    query = Q(pk__in=assignments_on(day=today).filter(officer=officer).values("school_id"))
    if including is not None:
        query |= Q(pk=including)
    return School.objects.filter(query).order_by("name")


def roster_for_officer(*, officer: Officer) -> QuerySet[Student]:
    """Active students of the officer's schools today: the only students the quick log may name."""
    return Student.objects.filter(active=True, school__in=officer_schools_today(officer=officer))
