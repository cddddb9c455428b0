"""Who a round asks: people with an email address in the roster, at the campaign's schools.

Students are asked as a random sample: a share of the active students in grade 6 and up, drawn with
the round as its seed, so a repeated dispatch of one round draws the same students. A sampled
student with no email address in the roster cannot be asked; the round counts them. An audience's
members are (email, school, officer) rows: the school and officer are the group the answer counts in.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from district.models import Grade, Guardian, Staff, StaffRole, Student
from district.selectors import academic_year_current
from feedback.models import Audience, Campaign, OptOut
from officers.models import Assignment


@dataclass(frozen=True)
class Member:
    email: str
    school_id: int | None
    officer_id: int | None


def campaign_school_ids(*, campaign: Campaign) -> list[int]:
    """The campaign's schools, and the schools its officers serve this academic year."""
    school_ids = set(campaign.schools.values_list("pk", flat=True))
    year = academic_year_current()
    if year is not None:
        school_ids |= set(
            Assignment.objects.filter(officer__in=campaign.officers.all(), academic_year=year).values_list(
                "school_id", flat=True
            )
        )
    return sorted(school_ids)


def _officer_by_school(*, campaign: Campaign, school_ids: list[int]) -> dict[int, int]:
    """Each school's officer among the campaign's officers (the primary first), this academic year."""
    year = academic_year_current()
    if year is None:
        return {}
    pairs = (
        Assignment.objects.filter(
            officer__in=campaign.officers.all(), school_id__in=school_ids, academic_year=year
        )
        .order_by("school_id", "role", "start_date")  # "backup" < "primary": primary wins by overwriting
        .values_list("school_id", "officer_id")
    )
    return dict(pairs)


# "From grade 6 up": the grades a student survey may ask.
STUDENT_GRADES = [Grade.G06, Grade.G07, Grade.G08, Grade.G09, Grade.G10, Grade.G11, Grade.G12]


@dataclass
class StudentSample:
    """A round's draw of students: how many were eligible and drawn, and the drawn ones' addresses."""

    eligible: int = 0
    drawn: int = 0
    unreachable: int = 0  # drawn, but with no email address in the roster
    rows: list[tuple[str, int | None]] = field(default_factory=list)  # (email, school id)


def _rank(seed: int, student_id: int) -> bytes:
    return hashlib.sha256(f"feedback.students:{seed}:{student_id}".encode()).digest()


def student_sample(
    *, campaign: Campaign, round_id: int | None, school_ids: list[int] | None = None
) -> StudentSample:
    """The students a round asks: ``student_share`` percent (rounded up) of the active students in
    grade 6 and up at the campaign's schools, each student ranked by a hash of the round and the
    student, so the same round always draws the same students (and a student joining or leaving
    moves the draw by no more than that student). ``round_id`` None: every eligible student (to ask
    whether anyone at all could be reached)."""
    if school_ids is None:
        school_ids = campaign_school_ids(campaign=campaign)
    rows = list(
        Student.objects.filter(active=True, grade__in=STUDENT_GRADES, school_id__in=school_ids)
        .order_by()
        .values_list("pk", "email", "school_id")
    )
    sample = StudentSample(eligible=len(rows))
    if round_id is not None:
        share = campaign.student_share or 0
        rows.sort(key=lambda row: _rank(round_id, row[0]))
        rows = rows[: math.ceil(len(rows) * share / 100)]
    sample.drawn = len(rows)
    for _pk, email, school_id in rows:
        if email.strip():
            sample.rows.append((email, school_id))
        else:
            sample.unreachable += 1
    return sample


def audience_members(*, campaign: Campaign, round_id: int | None = None) -> Iterator[Member]:
    """Every person the campaign's survey goes to, one row per email address (lower-cased), without
    those who opted out. Students: the round's sample (see ``student_sample``); with no round, every
    eligible student."""
    audience = campaign.survey.audience
    school_ids = campaign_school_ids(campaign=campaign)
    officer_at = _officer_by_school(campaign=campaign, school_ids=school_ids)
    opted_out = set(OptOut.objects.values_list("email", flat=True))
    seen: set[str] = set()

    def member(email: str, school_id: int | None, officer_id: int | None) -> Member | None:
        email = email.strip().lower()
        if not email or email in seen or email in opted_out:
            return None
        seen.add(email)
        return Member(email, school_id, officer_id)

    if audience == Audience.SELF:
        for officer in campaign.officers.select_related("user").order_by("pk"):
            found = member(officer.email or (officer.user.email if officer.user else ""), None, officer.pk)
            if found:
                yield found
        return
    if audience in (Audience.STAFF, Audience.ADMINISTRATORS):
        staff = Staff.objects.filter(active=True, schools__in=school_ids).exclude(email="")
        if audience == Audience.ADMINISTRATORS:
            staff = staff.filter(role=StaffRole.ADMINISTRATOR)
        rows = staff.order_by("pk", "schools__pk").values_list("email", "schools__pk")
    elif audience == Audience.GUARDIANS:
        rows = (
            Guardian.objects.filter(active=True, students__active=True, students__school_id__in=school_ids)
            .exclude(email="")
            .order_by("pk", "students__school_id")
            .values_list("email", "students__school_id")
        )
    else:
        rows = student_sample(campaign=campaign, round_id=round_id, school_ids=school_ids).rows
        for email, school_id in rows:
            found = member(email, school_id, officer_at.get(school_id))
            if found:
                yield found
        return
    for email, school_id in rows.iterator(chunk_size=2000):
        found = member(email, school_id, officer_at.get(school_id))
        if found:
            yield found
