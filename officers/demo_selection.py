"""Demo data for selection by fit: one finished selection for this year's opening at a high school.

Three candidates from the demo agency, a panel of three (the coordinator, the school's principal and
the agency's sergeant), every scorecard submitted, and a decision that chose the agency's newest
officer, so the officer already in the demo has the selection that brought them in.

Idempotent: the cycle is found by its title and academic year; if it exists nothing is done. The
demo users are looked up by username; if any is missing, nothing is created and ``{}`` is returned.
Everything is written through the selection services, so the demo obeys the same rules as the app.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.db import transaction

from district.models import AcademicYear, School, SchoolLevel
from officers.models import Agency, AssignmentRole, Officer, OfficerStatus, PanelAffiliation, SelectionCycle
from officers.services.selection import (
    candidate_nominate,
    cycle_decide,
    cycle_open,
    panel_set,
    scorecard_submit,
)

COORDINATOR, SERGEANT = "coordinator", "sergeant"

# The two candidates who were not chosen: invented, like everything in the demo.
OTHER_CANDIDATES = [
    (
        "Deputy",
        "Hannah",
        "Brooks",
        11,
        "Ran the county's Police Athletic League basketball nights for six years.",
    ),
    ("Deputy", "Marcus", "Feld", 5, "Road patrol; volunteers as a youth soccer referee on weekends."),
]
CHOSEN_EXPERIENCE = "Explorer post advisor for four years; mentors teens in the county's youth court program."
NOTES = {
    5: "Clear, specific examples; would fit the school well.",
    4: "Solid answers; a few examples were general.",
    3: "Adequate; less experience in this area.",
    2: "Few examples; would need support here.",
}


def seed(*, rng: random.Random, scale: float) -> dict:
    """Create the finished selection; returns ``{"created": {what: how many new}}`` like the other
    demo modules (``{}`` without the demo users). ``scale`` does not apply: one selection per opening."""
    del scale
    User = get_user_model()
    coordinator = User.objects.filter(username=COORDINATOR).first()
    sergeant = User.objects.filter(username=SERGEANT).first()
    year = AcademicYear.objects.filter(is_current=True).first()
    agency = Agency.objects.filter(supervisors=sergeant).order_by("pk").first() if sergeant else None
    if coordinator is None or sergeant is None or year is None or agency is None:
        return {}
    officer = _newest_officer(agency=agency)
    school, principal = _high_school_and_principal(officer=officer, year=year)
    if officer is None or school is None or principal is None:
        return {}

    title = f"SRO for {school.name}, {year}"
    if SelectionCycle.objects.filter(title=title, academic_year=year).exists():
        return {"created": dict.fromkeys(("selection_cycles", "candidates", "panelists", "scorecards"), 0)}

    with transaction.atomic():
        cycle = cycle_open(
            title=title, agency=agency, academic_year=year, schools=[school], opened_by=coordinator
        )
        chosen = candidate_nominate(
            cycle=cycle,
            nominated_by=sergeant,
            given_name=officer.given_name,
            family_name=officer.family_name,
            badge_number=officer.badge_number,
            rank=officer.rank,
            email=officer.email,
            phone=officer.phone,
            years_of_service=7,
            youth_experience=CHOSEN_EXPERIENCE,
        )
        taken = set(Officer.objects.filter(agency=agency).values_list("badge_number", flat=True))
        others = []
        for number, (rank, given, family, years, experience) in enumerate(OTHER_CANDIDATES):
            badge = _free_badge(taken, start=4400 + 17 * number)
            others.append(
                candidate_nominate(
                    cycle=cycle,
                    nominated_by=sergeant,
                    given_name=given,
                    family_name=family,
                    badge_number=badge,
                    rank=rank,
                    years_of_service=years,
                    youth_experience=experience,
                )
            )
        seats = panel_set(
            cycle=cycle,
            members={
                coordinator: PanelAffiliation.DISTRICT,
                principal: PanelAffiliation.DISTRICT,
                sergeant: PanelAffiliation.AGENCY,
            },
        )
        criteria = list(cycle.criteria.all())
        for seat in seats:
            for candidate in [chosen, *others]:
                strong = candidate is chosen
                scores = {}
                for criterion in criteria:
                    value = rng.choice([4, 5, 5]) if strong else rng.choice([2, 3, 3, 4])
                    scores[criterion.pk] = (value, NOTES[value])
                scorecard_submit(panelist=seat, candidate=candidate, scores=scores)
        cycle_decide(
            cycle=cycle,
            chosen=chosen,
            rationale=(
                f"{officer.full_name} ranked first with every panelist and on every criterion; the panel "
                "noted the years of work with teens and a calm, plain way of explaining things."
            ),
            decided_by=coordinator,
            program_start_date=officer.program_start_date or year.start_date,
        )
    created = {
        "selection_cycles": 1,
        "candidates": 1 + len(others),
        "panelists": len(seats),
        "scorecards": len(seats) * (1 + len(others)),
    }
    return {"created": created}


def _newest_officer(*, agency: Agency) -> Officer | None:
    """The agency's active officer who joined the program most recently (the one just selected)."""
    return (
        Officer.objects.filter(agency=agency, status=OfficerStatus.ACTIVE)
        .order_by("-program_start_date", "badge_number")
        .first()
    )


def _high_school_and_principal(*, officer: Officer | None, year: AcademicYear):
    """The high school where the officer is primary this year (else any high school) and its principal."""
    User = get_user_model()
    schools = School.objects.filter(level=SchoolLevel.HIGH, active=True).order_by("code")
    if officer is not None:
        theirs = schools.filter(
            assignments__officer=officer,
            assignments__academic_year=year,
            assignments__role=AssignmentRole.PRIMARY,
        )
        schools = list(theirs) + [s for s in schools if s not in theirs]
    for school in schools:
        principal = User.objects.filter(username=f"principal.{school.code.lower()}").first()
        if principal is not None:
            return school, principal
    return None, None


def _free_badge(taken: set[str], *, start: int) -> str:
    number = start
    while str(number) in taken:
        number += 1
    taken.add(str(number))
    return str(number)
