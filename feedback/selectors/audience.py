"""Who a round asks: people with an email address in the roster, at the campaign's schools.

Students have no email address in the roster (OneRoster gives none), so they are never emailed:
they answer through an event's shared link, shown in the room. An audience's members are
(email, school, officer) rows: the school and officer are the group the answer counts in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from district.models import Guardian, Staff, StaffRole
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


def audience_members(*, campaign: Campaign) -> Iterator[Member]:
    """Every person the campaign's survey goes to, one row per email address (lower-cased), without
    those who opted out. Students yield nobody (no email address in the roster)."""
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
    else:  # students: no addresses in the roster
        return
    for email, school_id in rows.iterator(chunk_size=2000):
        found = member(email, school_id, officer_at.get(school_id))
        if found:
            yield found
