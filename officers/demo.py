"""Demo data for the officers app: the fictional sheriff's office, its officers and their assignments.

Runs after ``district.demo``: it finds the demo schools by code and the years by name. Like the
district part it is idempotent (rows found by name, badge number, username and the natural key of an
assignment) and everything in it is invented, including every email address and phone number.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from district.demo import FAMILY, GIVEN_FEMALE, GIVEN_MALE, DemoLogin, demo_district, demo_user_ensure
from district.models import AcademicYear, School, SchoolLevel
from district.roles import Role

from .models import Agency, Assignment, AssignmentDay, AssignmentRole, Officer, OfficerStatus, Weekday

AGENCY_NAME = "Norwood County Sheriff's Office"
AGENCY_DOMAIN = "norwoodsheriff.example"
AGENCY_ADDRESS = "6010 County Complex Drive\nAlder Spa, NY 12999"

PRIMARY, BACKUP = AssignmentRole.PRIMARY, AssignmentRole.BACKUP
SCHOOL_DAY = (datetime.time(7, 30), datetime.time(15, 0))
WEEK = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)
# The weekdays of a primary assignment when the officer shares the week between schools; otherwise
# a primary works the whole week and a backup comes when called.
SPLIT_WEEK = {
    ("4301", "FHE"): (Weekday.MONDAY, Weekday.WEDNESDAY, Weekday.FRIDAY),
    ("4301", "MRE"): (Weekday.TUESDAY, Weekday.THURSDAY),
}


@dataclass(frozen=True)
class DemoOfficer:
    badge: str
    given_name: str
    family_name: str
    phone: str
    years_in_program: int  # 0: started this school year
    status: OfficerStatus = OfficerStatus.ACTIVE
    rank: str = "Deputy"
    has_account: bool = True
    # (school code, role) this year and last year
    this_year: tuple[tuple[str, AssignmentRole], ...] = field(default=())
    last_year: tuple[tuple[str, AssignmentRole], ...] = field(default=())

    @property
    def username(self) -> str:
        return f"sro.{self.family_name.lower()}"


# One officer per secondary school, one shared by two elementary schools (three days at one, two at
# the other), a floater who backs everyone up, and last year's officer who has left. Cedar Terrace and
# Stony Brook have only the floater: the coordinator's dashboard shows the gap.
OFFICERS = [
    DemoOfficer(
        "4127", "Maria", "Garcia", "0150", 3, this_year=(("ASHS", PRIMARY),), last_year=(("ASHS", PRIMARY),)
    ),
    DemoOfficer("4210", "Samuel", "Okafor", "0151", 0, this_year=(("NRHS", PRIMARY),)),
    DemoOfficer(
        "3982", "Erin", "Lindqvist", "0152", 3, this_year=(("ASMS", PRIMARY),), last_year=(("ASMS", PRIMARY),)
    ),
    DemoOfficer(
        "4055", "Thomas", "Brennan", "0153", 2, this_year=(("NRMS", PRIMARY),), last_year=(("NRMS", PRIMARY),)
    ),
    DemoOfficer(
        "4301",
        "Priya",
        "Patel",
        "0154",
        1,
        this_year=(("FHE", PRIMARY), ("MRE", PRIMARY)),
        last_year=(("FHE", PRIMARY), ("MRE", PRIMARY)),
    ),
    DemoOfficer(
        "4188",
        "Luis",
        "Ortega",
        "0155",
        2,
        this_year=tuple((code, BACKUP) for code in ("ASHS", "NRHS", "ASMS", "NRMS", "CTE", "SBE")),
        last_year=(("ASHS", BACKUP), ("NRHS", BACKUP)),
    ),
    DemoOfficer(
        "3870",
        "Kevin",
        "Walsh",
        "0156",
        3,
        status=OfficerStatus.LEFT,
        has_account=False,
        last_year=(("NRHS", PRIMARY),),
    ),
]
SERGEANT = ("sergeant", "Robert", "Kaminski")
FEATURED_OFFICER = OFFICERS[0]

LOGINS = [
    DemoLogin(
        FEATURED_OFFICER.username,
        Role.SRO,
        "Deputy Garcia's school, Alder Spa High School: her assignments, schedule and "
        "training. Every officer has an account: sro.okafor, sro.patel, sro.ortega (the floater), ...",
    ),
    DemoLogin(
        SERGEANT[0],
        Role.AGENCY_SUPERVISOR,
        "the sheriff's office's officers, nominations, assignments and training; never a student's name",
    ),
]


def seed(*, rng: random.Random, scale: float) -> dict:
    """Create (or find) the agency, its officers, their accounts and assignments, and the sergeant.

    The named officers are the same at every scale; above scale 1 more officers cover the district's
    generated zones for every year of its history (``_district_officers``).
    """
    created = dict.fromkeys(("agencies", "officers", "assignments", "users"), 0)
    schools = {school.code: school for school in School.objects.filter(code__in=_school_codes())}
    missing = _school_codes() - schools.keys()
    if missing:
        raise ImproperlyConfigured(f"Seed the district first: schools {sorted(missing)} are missing.")
    current = AcademicYear.objects.filter(is_current=True).first()
    if current is None:
        raise ImproperlyConfigured("Seed the district first: there is no current academic year.")
    previous = AcademicYear.objects.filter(end_date__lt=current.start_date).order_by("-start_date").first()

    username, first, last = SERGEANT
    agency, created["agencies"] = Agency.objects.get_or_create(
        name=AGENCY_NAME,
        defaults={
            "address": AGENCY_ADDRESS,
            "phone": "(518) 555-0140",
            "contact_name": f"Sgt. {first} {last}",
            "contact_email": _sergeant_email(),
            "contact_phone": "(518) 555-0141",
        },
    )
    usernames = []
    for spec in OFFICERS:
        user = None
        if spec.has_account:
            user, was_created = demo_user_ensure(
                username=spec.username,
                role=Role.SRO,
                first_name=spec.given_name,
                last_name=spec.family_name,
                email=_email(spec),
            )
            created["users"] += was_created
            usernames.append(user.username)
        officer, was_created = Officer.objects.get_or_create(
            agency=agency,
            badge_number=spec.badge,
            defaults={
                "user": user,
                "given_name": spec.given_name,
                "family_name": spec.family_name,
                "rank": spec.rank,
                "phone": f"(518) 555-{spec.phone}",
                "email": _email(spec),
                "status": spec.status,
                "program_start_date": _program_start(current, spec),
            },
        )
        created["officers"] += was_created
        for year, assignments in ((current, spec.this_year), (previous, spec.last_year)):
            if year is None:
                continue
            for code, role in assignments:
                assignment, was_created = Assignment.objects.get_or_create(
                    officer=officer,
                    school=schools[code],
                    academic_year=year,
                    role=role,
                    defaults={"start_date": year.start_date, "end_date": year.end_date},
                )
                created["assignments"] += was_created
                if was_created and role == PRIMARY:
                    start, end = SCHOOL_DAY
                    for weekday in SPLIT_WEEK.get((spec.badge, code), WEEK):
                        AssignmentDay.objects.create(
                            assignment=assignment, weekday=weekday, start_time=start, end_time=end
                        )

    sergeant, was_created = demo_user_ensure(
        username=username,
        role=Role.AGENCY_SUPERVISOR,
        first_name=first,
        last_name=last,
        email=_sergeant_email(),
    )
    agency.supervisors.add(sergeant)
    created["users"] += was_created
    usernames.append(username)
    if scale > 1:
        usernames += _district_officers(rng, agency=agency, scale=scale, created=created)
    return {"created": created, "users": usernames}


# Six officers per unit of scale (60 at scale 10), the named ones included.
OFFICERS_PER_SCALE = 6
FIRST_GENERATED_BADGE = 5001


def _district_posts(scale: float) -> list[tuple[tuple[str, AssignmentRole, tuple[Weekday, ...]], ...]]:
    """What each generated officer does every year: in each generated zone a primary officer at the
    high school, one at the middle school and one shared by the two elementary schools; then floaters
    backing up a zone each."""
    district = demo_district(scale)
    zones: dict[str, dict[str, str]] = {}
    for spec in district.schools:
        if spec.zone.startswith("zone-"):
            zones.setdefault(spec.zone, {})[spec.code[3:]] = spec.code  # "Z01E1" -> "E1"
    posts = []
    for codes in zones.values():
        posts += [
            ((codes["H"], PRIMARY, WEEK),),
            ((codes["M"], PRIMARY, WEEK),),
            (
                (codes["E1"], PRIMARY, SPLIT_WEEK[("4301", "FHE")]),
                (codes["E2"], PRIMARY, SPLIT_WEEK[("4301", "MRE")]),
            ),
        ]
    backups = [tuple((code, BACKUP, ()) for code in codes.values()) for codes in zones.values()]
    backups = backups or [
        tuple((spec.code, BACKUP, ()) for spec in district.schools if spec.level != SchoolLevel.ELEMENTARY)
    ]
    wanted = max(
        0, round(OFFICERS_PER_SCALE * scale) - sum(spec.status == OfficerStatus.ACTIVE for spec in OFFICERS)
    )
    n = 0
    while len(posts) < wanted:
        posts.append(backups[n % len(backups)])
        n += 1
    return posts[:wanted]


def _district_officers(rng: random.Random, *, agency: Agency, scale: float, created: dict) -> list[str]:
    """The generated officers, with accounts, and their assignments in every year up to this one."""
    schools = {school.code: school for school in School.objects.all()}
    years = list(AcademicYear.objects.filter(start_date__lte=timezone.localdate()).order_by("start_date"))
    usernames = []
    new, days = [], []
    seed_base = rng.getrandbits(32)
    for number, post in enumerate(_district_posts(scale)):
        badge = str(FIRST_GENERATED_BADGE + number)
        # One stream per officer: the same person at any scale.
        person = random.Random(f"{seed_base}-officer-{badge}")  # noqa: S311 (invented people)
        female = person.random() < 0.4
        given = person.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        family = person.choice(FAMILY)
        plain = "".join(c for c in family.lower() if c.isalpha())
        user, was_created = demo_user_ensure(
            username=f"sro.{plain}.{badge}",
            role=Role.SRO,
            first_name=given,
            last_name=family,
            email=f"{given[0]}{plain}{badge}@{AGENCY_DOMAIN}".lower(),
        )
        created["users"] += was_created
        usernames.append(user.username)
        officer, was_created = Officer.objects.get_or_create(
            agency=agency,
            badge_number=badge,
            defaults={
                "user": user,
                "given_name": given,
                "family_name": family,
                "rank": "Deputy",
                "phone": f"(518) 555-01{person.randrange(100):02d}",
                "email": user.email,
                "status": OfficerStatus.ACTIVE,
                "program_start_date": datetime.date(years[0].start_date.year, 9, 1) if years else None,
            },
        )
        created["officers"] += was_created
        held = set(officer.assignments.values_list("school_id", "academic_year_id", "role"))
        for year in years:
            for code, role, weekdays in post:
                if (schools[code].pk, year.pk, role) in held:
                    continue
                assignment = Assignment(
                    officer=officer,
                    school=schools[code],
                    academic_year=year,
                    role=role,
                    start_date=year.start_date,
                    end_date=year.end_date,
                )
                new.append(assignment)
                start, end = SCHOOL_DAY
                days += [
                    AssignmentDay(assignment=assignment, weekday=day, start_time=start, end_time=end)
                    for day in weekdays
                ]
    Assignment.objects.bulk_create(new)
    created["assignments"] += len(new)
    AssignmentDay.objects.bulk_create(days)
    return usernames


def _school_codes() -> set[str]:
    return {code for spec in OFFICERS for code, _ in (*spec.this_year, *spec.last_year)}


def _sergeant_email() -> str:
    _, first, last = SERGEANT
    return f"{first[0]}{last}@{AGENCY_DOMAIN}".lower()


def _email(spec: DemoOfficer) -> str:
    return f"{spec.given_name[0]}{spec.family_name}@{AGENCY_DOMAIN}".lower()


def _program_start(current: AcademicYear, spec: DemoOfficer) -> datetime.date:
    """Officers join at the start of a school year, in September."""
    return datetime.date(current.start_date.year - spec.years_in_program, 9, 1)
