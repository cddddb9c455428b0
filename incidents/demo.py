"""Demo data for the incidents app: a year of the demo officers' interactions at their schools, the
cases their follow-ups opened (with referrals) and the incident reports promoted from some of them,
built with bulk inserts.

Runs after ``officers.demo``: it reads the officers' assignments of this year and last. Every row
is invented and no note names a student. Idempotent: each interaction's key is derived from its
number, so a second run finds them all and adds nothing, and a larger ``scale`` adds only the rest.
Above scale 1 the history grows with the district (``district.demo.demo_district``): at scale 10,
ten years of 100,000 interactions, a million in all, written with COPY (``sro_program.bulk``).
"""

from __future__ import annotations

import datetime
import itertools
import random
import uuid
from collections import defaultdict

from django.utils import timezone

from district.demo import history_years
from district.models import Student
from incidents.models import (
    Case,
    CaseStatus,
    Category,
    EnforcementAction,
    FollowUp,
    Incident,
    IncidentPart,
    IncidentPerson,
    IncidentStatus,
    IncidentType,
    Initiator,
    Interaction,
    InteractionStudent,
    Involvement,
    OfficerRole,
    Outcome,
    PersonKind,
    Referral,
    ReferralService,
    ReferralStatus,
)
from incidents.services.interactions import StudentEntry, crdc_flags, record_class_for
from officers.models import Assignment, AssignmentRole
from sro_program.bulk import copy_insert

# A year of a small district's program at scale 1.
YEAR_INTERACTIONS = 4_000
BENCH_YEAR_INTERACTIONS = 100_000  # a year at scale 10, the benchmark's district
BATCH = 5_000
KEYS = uuid.UUID("6f0a4d2e-1c8b-4e57-9a3d-5b2f7c9e8a10")  # the namespace of the demo's keys

ROLES = [(OfficerRole.MENTOR, 45), (OfficerRole.LAW_ENFORCEMENT, 40), (OfficerRole.TEACHER, 15)]
CATEGORIES = {
    OfficerRole.MENTOR: [
        ("Relationship building and mentoring", 30),
        ("Family dynamics", 12),
        ("Attendance", 14),
        ("Conflict mediation", 14),
        ("Mental health and wellness", 10),
        ("Guardian contact", 10),
        ("Staff consultation", 10),
    ],
    OfficerRole.LAW_ENFORCEMENT: [
        ("Safety and security check", 40),
        ("Bullying or harassment", 12),
        ("Substance use", 12),
        ("Threat assessment", 8),
        ("Criminal matter", 16),
        ("Conflict mediation", 12),
    ],
    OfficerRole.TEACHER: [("Classroom presentation", 80), ("Community event", 20)],
}
INITIATORS = [
    (Initiator.OFFICER, 30),
    (Initiator.STUDENT, 20),
    (Initiator.TEACHER, 18),
    (Initiator.ADMINISTRATOR, 18),
    (Initiator.STAFF, 8),
    (Initiator.GUARDIAN, 6),
]
OUTCOMES = [
    (Outcome.RESOLVED, 45),
    (Outcome.RETURNED_TO_ADMINISTRATION, 20),
    (Outcome.REFERRED_COUNSELOR, 10),
    (Outcome.REFERRED_SOCIAL_WORKER, 5),
    (Outcome.REFERRED_NURSE, 3),
    (Outcome.REFERRED_OUTSIDE, 3),
    (Outcome.DIVERSION, 7),
    (Outcome.GUARDIAN_CONTACTED, 7),
]
ACTIONS = [
    (EnforcementAction.NONE, 62),
    (EnforcementAction.WARNING, 14),
    (EnforcementAction.SEARCH, 8),
    (EnforcementAction.REFERRAL, 4),
    (EnforcementAction.NONCRIMINAL_CITATION, 4),
    (EnforcementAction.CRIMINAL_CITATION, 2),
    (EnforcementAction.COURT_REFERRAL, 2),
    (EnforcementAction.CUSTODIAL_ARREST, 3),
    (EnforcementAction.USE_OF_FORCE, 1),
]
PLACES = [
    "Main hallway",
    "Cafeteria",
    "Main office",
    "Gym",
    "Bus loop",
    "Library",
    "Parking lot",
    "Classroom",
]
NOTES = {
    OfficerRole.MENTOR: [
        "Checked in during lunch; talked about the week and upcoming tests.",
        "Talked through a disagreement between two students; both agreed to a plan.",
        "Followed up on missed mornings; agreed to meet at the bus loop this week.",
        "Student asked to talk; listened and walked them to the counseling office.",
        "Called home with the counselor about attendance; guardian will call back.",
    ],
    OfficerRole.LAW_ENFORCEMENT: [
        "Walked the perimeter and checked the exterior doors; one propped door closed.",
        "Responded to a report of a fight near the gym; separated the students.",
        "Administrator asked for a presence at dismissal after a threat posted online.",
        "Vape found in a bathroom; handed over to the assistant principal.",
        "Traffic at the bus loop; moved parked cars from the fire lane.",
    ],
    OfficerRole.TEACHER: [
        "Presented on online safety to a health class.",
        "Led the driver-education session on impaired driving.",
        "Spoke at the family night about the school's safety plan.",
    ],
}
FOLLOW_UP_SHARE = 0.1


_CUMULATIVE: dict[int, tuple[list, list]] = {}


def _pick(rng: random.Random, weighted):
    """A value of ``weighted`` [(value, weight), ...] (the lists are module constants: their
    cumulative weights are worked out once; the draw is the same as with the plain weights)."""
    values, cumulative = _CUMULATIVE.get(id(weighted)) or _CUMULATIVE.setdefault(
        id(weighted), ([value for value, _ in weighted], list(itertools.accumulate(w for _, w in weighted)))
    )
    return rng.choices(values, cum_weights=cumulative)[0]


def _school_days(today: datetime.date, *, years: int = 1) -> list[datetime.date]:
    """Weekdays of the ``years`` years before today."""
    days = [today - datetime.timedelta(days=n) for n in range(1, 365 * years + 1)]
    return sorted(day for day in days if day.weekday() < 5)


def _assignments_by_day(days):
    """For each day, the (officer, school, author) of the assignments that cover it (primary ones twice)."""
    assignments = (
        Assignment.objects.filter(officer__user__isnull=False).select_related("officer").order_by("pk")
    )
    wanted = set(days)
    by_day = defaultdict(list)
    for assignment in assignments:
        weight = 2 if assignment.role == AssignmentRole.PRIMARY else 1
        covering = [(assignment.officer_id, assignment.school_id, assignment.officer.user_id)] * weight
        day = assignment.start_date
        while day <= assignment.end_date:
            if day in wanted:
                by_day[day] += covering
            day += datetime.timedelta(days=1)
    return dict(by_day)


def interactions_target(scale: float) -> int:
    """How many interactions the demo holds at ``scale``: ``YEAR_INTERACTIONS`` a year up to scale 1;
    above it more a year (100,000 at scale 10) over more years (``district.demo.history_years``)."""
    if scale <= 1:
        return max(1, round(YEAR_INTERACTIONS * scale))
    per_year = YEAR_INTERACTIONS + (BENCH_YEAR_INTERACTIONS - YEAR_INTERACTIONS) * (scale - 1) / 9
    return round(per_year * history_years(scale))


def seed(*, rng: random.Random, scale: float) -> dict:
    """Create the interactions (and cases) the demo lacks at this scale; return how many were new."""
    created = dict.fromkeys(
        ("interactions", "students on interactions", "cases", "follow-ups", "referrals", "incident reports"),
        0,
    )
    target = interactions_target(scale)
    today = timezone.localdate()
    by_day = _assignments_by_day(_school_days(today, years=history_years(scale)))
    if not by_day:
        return {"created": created}
    days = sorted(by_day)
    categories = {category.name: category.pk for category in Category.objects.all()}
    roster = defaultdict(list)
    for pk, school_id in Student.objects.filter(active=True).values_list("pk", "school_id"):
        roster[school_id].append(pk)
    tz = timezone.get_current_timezone()
    base = rng.getrandbits(32)
    for start in range(_first_to_check(target), target, BATCH):
        numbers = range(start, min(start + BATCH, target))
        keys = {n: uuid.uuid5(KEYS, f"interaction-{n}") for n in numbers}
        existing = set(Interaction.objects.filter(key__in=keys.values()).values_list("key", flat=True))
        # One stream per interaction, from its number: the same row at any scale and on any run.
        plans = [
            _draw(random.Random(f"{base}-{n}"), keys[n], by_day, days, categories, roster, tz)  # noqa: S311
            for n in numbers
            if keys[n] not in existing
        ]
        _insert([plan for plan in plans if plan is not None], created)
    return {"created": created}


def _first_to_check(target: int) -> int:
    """Where to start looking for missing interactions: ``target`` (nothing to do) when the last one
    is there. A run writes them in order of number in one transaction, so the last one present means
    every one before it is: one query instead of a million keys on a second run."""
    last = uuid.uuid5(KEYS, f"interaction-{target - 1}")
    return target if Interaction.objects.filter(key=last).exists() else 0


def _draw(rng, key, by_day, days, categories, roster, tz):
    """One invented interaction: its row, its students' rows and, if it needs one, its follow-up."""
    day = rng.choice(days)
    officer_id, school_id, author_id = rng.choice(by_day[day])
    role = _pick(rng, ROLES)
    moment = datetime.datetime.combine(day, datetime.time(7, 30), tzinfo=tz) + datetime.timedelta(
        minutes=rng.randrange(0, 450)
    )
    students = roster.get(school_id, [])
    entries = []
    anonymous = 0
    if role == OfficerRole.TEACHER:
        anonymous = rng.randrange(12, 30)
    elif students:
        for student_id in rng.sample(students, k=min(len(students), rng.choice((0, 1, 1, 1, 2, 2, 3)))):
            if entries and rng.random() < 0.2:
                entries.append((student_id, Involvement.WITNESS, "", "", None))
                continue
            action = _pick(rng, ACTIONS) if role == OfficerRole.LAW_ENFORCEMENT else EnforcementAction.NONE
            related = (rng.random() < 0.85) if action == EnforcementAction.CUSTODIAL_ARREST else None
            outcome = Outcome.RETURNED_TO_ADMINISTRATION if related else _pick(rng, OUTCOMES)
            entries.append((student_id, Involvement.INVOLVED, outcome, action, related))
    follow_up = None
    if entries and rng.random() < FOLLOW_UP_SHARE:
        follow_up = day + datetime.timedelta(days=rng.randrange(2, 15))
    interaction = Interaction(
        key=key,
        officer_id=officer_id,
        author_id=author_id,
        school_id=school_id,
        occurred_at=moment,
        officer_role=role,
        category_id=categories[_pick(rng, CATEGORIES[role])],
        initiator=_pick(rng, INITIATORS),
        anonymous_students=anonymous,
        duration_minutes=rng.choice((5, 10, 10, 15, 15, 20, 30, 45, 60)),
        place=rng.choice(PLACES),
        narrative=rng.choice(NOTES[role]),
        follow_up_due=follow_up,
        record_class=record_class_for(
            officer_role=role, entries=[StudentEntry(student=None, action=e[3]) for e in entries]
        ),
        created_at=moment,
    )
    return interaction, entries, rng.random()


def _insert(plans, created) -> None:
    """Bulk inserts (COPY), a handful of statements per batch: cases first, so interactions can point
    at them. Matters older than a year were all settled: their cases closed, follow-ups done."""
    if not plans:
        return
    today = timezone.localdate()
    settled = today - datetime.timedelta(days=365)
    needing = [
        (interaction, entries, luck) for interaction, entries, luck in plans if interaction.follow_up_due
    ]
    cases = [
        Case(
            title=f"Follow-up from {timezone.localtime(interaction.occurred_at):%b %-d, %Y}",
            school_id=interaction.school_id,
            status=CaseStatus.CLOSED if _closed(interaction, luck, today, settled) else CaseStatus.OPEN,
            closed_reason="Resolved with the family" if _closed(interaction, luck, today, settled) else "",
            opened_by_id=interaction.author_id,
            opened_at=interaction.occurred_at,
        )
        for interaction, _, luck in needing
    ]
    copy_insert(cases)
    for case, (interaction, _, _) in zip(cases, needing, strict=True):
        interaction.case_id = case.pk
    interactions = [plan[0] for plan in plans]
    copy_insert(interactions)
    rows = []
    for interaction, (_, entries, _) in zip(interactions, plans, strict=True):
        for student_id, involvement, outcome, action, related in entries:
            referral, arrest = (
                crdc_flags(action=action, arrest_school_related=related) if action else (False, False)
            )
            rows.append(
                InteractionStudent(
                    interaction_id=interaction.pk,
                    student_id=student_id,
                    involvement=involvement,
                    outcome=outcome,
                    action=action,
                    arrest_school_related=related,
                    crdc_referral=referral,
                    crdc_school_related_arrest=arrest,
                )
            )
    copy_insert(rows, model=InteractionStudent)
    copy_insert(
        [
            Case.students.through(case_id=interaction.case_id, student_id=entry[0])
            for interaction, entries, _ in needing
            for entry in entries  # an interaction's students are distinct: no duplicates
        ],
        model=Case.students.through,
    )
    copy_insert(
        [Case.officers.through(case_id=i.case_id, officer_id=i.officer_id) for i, _, _ in needing],
        model=Case.officers.through,
    )
    follow_ups = [
        FollowUp(
            case_id=interaction.case_id,
            task="Follow up on the interaction",
            owner_id=interaction.author_id,
            due_on=interaction.follow_up_due,
            created_at=interaction.occurred_at,
            # Most past follow-ups were done on time; some are overdue (and were reminded).
            done_at=(
                datetime.datetime.combine(interaction.follow_up_due, datetime.time(12), tzinfo=datetime.UTC)
                if interaction.follow_up_due < today and (luck < 0.8 or interaction.follow_up_due < settled)
                else None
            ),
            reminded_at=interaction.occurred_at
            if settled <= interaction.follow_up_due < today and luck >= 0.8
            else None,
        )
        for interaction, _, luck in needing
    ]
    copy_insert(follow_ups, model=FollowUp)
    referrals = [
        Referral(
            case_id=interaction.case_id,
            service=ReferralService.SOCIAL_WORKER if luck < 0.3 else ReferralService.COUNSELOR,
            status=ReferralStatus.COMPLETED if luck < 0.6 else ReferralStatus.ACCEPTED,
            made_on=timezone.localdate(interaction.occurred_at),
        )
        for interaction, _, luck in needing
        if luck < 0.7
    ]
    copy_insert(referrals, model=Referral)
    reports = _incident_reports(plans, interactions)
    created["incident reports"] += len(reports)
    created["interactions"] += len(interactions)
    created["students on interactions"] += len(rows)
    created["cases"] += len(cases)
    created["follow-ups"] += len(follow_ups)
    created["referrals"] += len(referrals)


# Which interactions became incident reports, and of what type.
REPORTED = {
    "Criminal matter": "Larceny or other theft offenses",
    "Substance use": "Use, possession or sale of drugs",
    "Bullying or harassment": "Intimidation, harassment, menacing or bullying",
    "Threat assessment": "Other disruptive incidents",
    "Conflict mediation": "Minor altercations",
}


def _incident_reports(plans, interactions) -> list[Incident]:
    """A share of the enforcement contacts were reported formally: promoted, as an officer would."""
    types = {t.name: t.pk for t in IncidentType.objects.filter(parent=None, name__in=REPORTED.values())}
    names = dict(Category.objects.filter(name__in=REPORTED).values_list("pk", "name"))
    chosen = [
        (interaction, entries)
        for interaction, (_, entries, luck) in zip(interactions, plans, strict=True)
        if interaction.officer_role == OfficerRole.LAW_ENFORCEMENT
        and names.get(interaction.category_id) in REPORTED
        and entries
        and luck > 0.75
    ]
    reports = [
        Incident(
            key=uuid.uuid5(KEYS, f"incident-{interaction.key}"),
            interaction_id=interaction.pk,
            officer_id=interaction.officer_id,
            author_id=interaction.author_id,
            school_id=interaction.school_id,
            occurred_at=interaction.occurred_at,
            incident_type_id=types[REPORTED[names[interaction.category_id]]],
            drugs=names[interaction.category_id] == "Substance use",
            place=interaction.place,
            narrative=interaction.narrative,
            status=IncidentStatus.SUBMITTED,
            created_at=interaction.occurred_at,
        )
        for interaction, _ in chosen
    ]
    copy_insert(reports, model=Incident)
    people = [
        IncidentPerson(
            incident_id=report.pk,
            kind=PersonKind.STUDENT,
            student_id=entry[0],
            part=IncidentPart.WITNESS if entry[1] == Involvement.WITNESS else IncidentPart.OFFENDER,
        )
        for report, (_, entries) in zip(reports, chosen, strict=True)
        for entry in entries
    ]
    copy_insert(people, model=IncidentPerson)
    return reports


def _closed(interaction, luck: float, today: datetime.date, settled: datetime.date) -> bool:
    """Whether the case a follow-up opened is closed by now."""
    due = interaction.follow_up_due
    return due < settled or (due < today and luck < 0.6)
