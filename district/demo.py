"""Demo data for the district app: a fictional district, its schools and years, and its roster.

Everything here is invented: the Alder Spa Central School District does not exist, people's names are
drawn from short lists, phone numbers are in the 555-01xx range kept for fiction, and every email
address is on a domain reserved for examples (RFC 2606), so no message can reach a real person.

``seed`` is idempotent. Rows are found by natural key (code, name, sourced_id, username); the big
roster tables are inserted with ``bulk_create(ignore_conflicts=True)`` against their unique
``sourced_id``, so a second run inserts nothing. Bulk rows skip simple_history on purpose: they
are demo rows, not edits anyone made. The roster is generated family by family from its own random
stream, so a larger ``scale`` keeps every row of a smaller one and adds more.
"""

from __future__ import annotations

import datetime
import itertools
import random
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone

from .models import (
    AcademicYear,
    Disability,
    Grade,
    Guardian,
    RaceEthnicity,
    School,
    SchoolLevel,
    Sex,
    Staff,
    StaffRole,
    Student,
    StudentDemographics,
    User,
)
from .roles import Role

DISTRICT_NAME = "Alder Spa Central School District"
DISTRICT_DOMAIN = "alderspa.k12.example"
DEMO_PASSWORD = "safe-schools-demo"  # the default; `seed_demo --password` or DEMO_PASSWORD change it
SOURCE = "demo"  # every demo sourced_id starts with "demo-", so demo rows are easy to tell apart

# At scale 1: about 3,000 students (in some 1,750 families) and a pool of about 300 teachers, aides and
# proctors, besides each building's leadership.
STUDENTS = 3_000
STAFF_POOL = 300
BATCH_SIZE = 2_000

# Students in a grade are born in the twelve months up to 1 December, New York's kindergarten cut-off.
AGE_CUTOFF = (12, 1)
GRADES = [Grade.KINDERGARTEN, *(Grade(f"{n:02d}") for n in range(1, 13))]


@dataclass(frozen=True)
class DemoSchool:
    code: str
    name: str
    level: SchoolLevel
    address: str
    phone: str
    zone: str  # attendance zone: the families of a zone go to its elementary, middle and high school
    weight: int = 1  # share of the zone's elementary pupils

    @property
    def grades(self) -> list[Grade]:
        return {
            SchoolLevel.ELEMENTARY: GRADES[:6],
            SchoolLevel.MIDDLE: GRADES[6:9],
            SchoolLevel.HIGH: GRADES[9:],
        }[self.level]


E, M, H = SchoolLevel.ELEMENTARY, SchoolLevel.MIDDLE, SchoolLevel.HIGH
SCHOOLS = [
    DemoSchool("FHE", "Fox Hollow Elementary School", E, "41 Fox Hollow Road", "0111", "south", 3),
    DemoSchool("MRE", "Mill Road Elementary School", E, "220 Mill Road", "0112", "south", 2),
    DemoSchool("CTE", "Cedar Terrace Elementary School", E, "9 Cedar Terrace", "0113", "north", 2),
    DemoSchool("SBE", "Stony Brook Elementary School", E, "1580 Stony Brook Lane", "0114", "north", 1),
    DemoSchool("ASMS", "Alder Spa Middle School", M, "70 Hyde Boulevard", "0121", "south"),
    DemoSchool("NRMS", "North Ridge Middle School", M, "3 Ridge Road", "0122", "north"),
    DemoSchool("ASHS", "Alder Spa High School", H, "220 Ballard Avenue", "0131", "south"),
    DemoSchool("NRHS", "North Ridge High School", H, "5 Ridge Road", "0132", "north"),
]
ZONES = {"south": 0.57, "north": 0.43}
CITY = "Alder Spa, NY 12999"

# Above scale 1 the district grows into the benchmark's: more attendance zones (each with two
# elementary schools, a middle and a high school), more officers and years of history. At scale 10:
# 30,000 students, 52 schools, 60 officers, 10 years and a million interactions (incidents.demo).
SCHOOLS_PER_SCALE = 5
MAX_HISTORY_YEARS = 10
# fmt: off
PLACES = [
    "Birch Hill", "Kettle Creek", "Maple Glen", "Harbor View", "Quarry Road", "Willow Bend", "Oak Park",
    "Lantern Hill", "Pine Meadow", "Riverside", "Summit Ridge", "Clover Field", "Granite Falls",
    "Heron Pond", "Juniper Way", "Laurel Park", "Meadowbrook", "Orchard Lane", "Pebble Beach",
    "Red Barn", "Sandy Ford", "Tamarack", "Upland", "Valley Forge", "Westwood", "Yarrow Point",
]
# fmt: on


@dataclass(frozen=True)
class DemoDistrict:
    """The district's shape at a scale: its schools and how its families spread over the zones."""

    schools: tuple[DemoSchool, ...]
    zones: dict[str, float]
    history_years: int  # school years of logs, this one included

    @property
    def school_codes(self) -> list[str]:
        return [spec.code for spec in self.schools]


def extra_zones(scale: float) -> int:
    """Attendance zones beyond the two named ones: about ``SCHOOLS_PER_SCALE`` schools per unit of scale."""
    if scale <= 1:
        return 0
    return min(len(PLACES) // 2, int((SCHOOLS_PER_SCALE * scale - len(SCHOOLS)) / 4 + 0.5))


def history_years(scale: float) -> int:
    """School years of history: one up to scale 1 (this year and the end of the last), then one more
    per unit of scale, up to ten."""
    return max(1, min(MAX_HISTORY_YEARS, int(scale + 0.5)))


def demo_district(scale: float) -> DemoDistrict:
    """The named schools, plus generated zones above scale 1; each zone takes an equal share of the
    families, the two named zones splitting theirs as at scale 1."""
    schools = list(SCHOOLS)
    count = extra_zones(scale)
    for n in range(1, count + 1):
        first, second = PLACES[2 * (n - 1)], PLACES[2 * n - 1]
        zone = f"zone-{n:02d}"
        schools += [
            DemoSchool(
                f"Z{n:02d}E1", f"{first} Elementary School", E, f"{n * 10} {first} Road", "0160", zone
            ),
            DemoSchool(
                f"Z{n:02d}E2", f"{second} Elementary School", E, f"{n * 10} {second} Road", "0161", zone
            ),
            DemoSchool(f"Z{n:02d}M", f"{first} Middle School", M, f"{n * 10 + 1} {first} Road", "0162", zone),
            DemoSchool(f"Z{n:02d}H", f"{first} High School", H, f"{n * 10 + 2} {first} Road", "0163", zone),
        ]
    total = 2 + count
    zones = {name: share * 2 / total for name, share in ZONES.items()}
    zones |= {f"zone-{n:02d}": 1 / total for n in range(1, count + 1)}
    return DemoDistrict(schools=tuple(schools), zones=zones, history_years=history_years(scale))


@dataclass(frozen=True)
class DemoLogin:
    """A demo account shown by ``demo_logins``: who to sign in as, and what that person sees."""

    username: str
    role: Role
    sees: str


# Fixed people, so their usernames can be printed without reading the database.
COORDINATOR = ("coordinator", "Dana", "Whitfield")
SUPERINTENDENT = ("superintendent", "Marcus", "Delgado")
FEATURED_PRINCIPAL_SCHOOL = "ASHS"

LOGINS = [
    DemoLogin(
        "coordinator",
        Role.COORDINATOR,
        "the whole program: every school, officer, selection, training record, assignment and the roster",
    ),
    DemoLogin(
        f"principal.{FEATURED_PRINCIPAL_SCHOOL.lower()}",
        Role.ADMINISTRATOR,
        "Alder Spa High School only: its officers, students and coverage. Every school has its "
        "principal: principal.fhe, principal.nrms, ...",
    ),
    DemoLogin(
        "superintendent",
        Role.ADMINISTRATOR,
        "every school, district-wide: officers, coverage and the roster",
    ),
]

# fmt: off
GIVEN_FEMALE = [
    "Olivia", "Emma", "Ava", "Sophia", "Isabella", "Mia", "Amelia", "Harper", "Evelyn", "Abigail",
    "Emily", "Ella", "Madison", "Scarlett", "Grace", "Chloe", "Layla", "Riley", "Zoey", "Nora",
    "Lily", "Hannah", "Aaliyah", "Aubrey", "Ellie", "Stella", "Natalie", "Leah", "Hazel", "Violet",
    "Aurora", "Savannah", "Brooklyn", "Bella", "Claire", "Skylar", "Lucy", "Paisley", "Anna", "Maya",
    "Ximena", "Valentina", "Camila", "Sofia", "Mariana", "Priya", "Ananya", "Mei", "Yuna", "Amara",
    "Zainab", "Fatima", "Imani", "Nia", "Keisha", "Siobhan", "Maeve", "Ingrid", "Katarzyna", "Rosa",
]
GIVEN_MALE = [
    "Liam", "Noah", "Oliver", "Elijah", "James", "William", "Benjamin", "Lucas", "Henry", "Theodore",
    "Jack", "Levi", "Alexander", "Jackson", "Mateo", "Daniel", "Michael", "Mason", "Sebastian", "Ethan",
    "Logan", "Owen", "Samuel", "Jacob", "Asher", "Aiden", "John", "Joseph", "Wyatt", "David",
    "Leo", "Luke", "Julian", "Hudson", "Grayson", "Matthew", "Ezra", "Gabriel", "Carter", "Isaac",
    "Santiago", "Diego", "Carlos", "Javier", "Arjun", "Rohan", "Wei", "Hiroshi", "Minjun", "Kwame",
    "Omar", "Yusuf", "Malik", "Darnell", "Tyrone", "Declan", "Finn", "Lars", "Piotr", "Tomasz",
]
FAMILY = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "O'Brien", "Murphy", "Kelly", "Sullivan", "McCarthy", "Fitzgerald", "Byrne", "Doyle", "Quinn", "Walsh",
    "Russo", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "DeLuca", "Caruso", "Ferrara", "Mancini",
    "Kowalski", "Nowak", "Wisniewski", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann",
    "Patel", "Shah", "Singh", "Kumar", "Chen", "Wang", "Li", "Kim", "Park", "Tanaka",
    "Okafor", "Mensah", "Diallo", "Haddad", "Khan", "Ali", "Cohen", "Levy", "Van Dyke", "Vanderveer",
    "Schuyler", "Ten Eyck", "Bleecker", "Livingston", "Gansevoort", "Sweeney", "Dunn", "Pryor", "Ostrander",
]
# fmt: on
GUARDIAN_EMAIL_DOMAINS = ["example.com", "mail.example", "inbox.example", "family.example"]


def seed(*, rng: random.Random, scale: float) -> dict:
    """Create (or find) the demo district; return how many rows of each kind were new, and its users."""
    created: dict[str, int] = {}
    today = timezone.localdate()
    district = demo_district(scale)
    created["academic years"] = _academic_years(today, history=district.history_years)
    schools, created["schools"] = _schools(district)
    # Separate random streams, drawn first and always in this order, keep each part reproducible
    # whatever the scale and whatever the other parts draw.
    roster_rng = random.Random(rng.getrandbits(64))  # noqa: S311 (invented people, not secrets)
    staff_rng = random.Random(rng.getrandbits(64))  # noqa: S311
    created.update(
        _roster(roster_rng, district, schools, today=today, target=max(1, round(STUDENTS * scale)))
    )
    leaders = _staff(staff_rng, district, schools, pool=round(STAFF_POOL * scale), created=created)
    users = _users(schools, leaders, created=created)
    return {"created": created, "users": users}


# --- reference data ---------------------------------------------------------------------------------


def school_year_start(day: datetime.date) -> datetime.date:
    """The school year runs 1 July to 30 June."""
    return datetime.date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def _academic_years(today: datetime.date, *, history: int = 1) -> int:
    """The ``history`` years before this one (last year at scale 1), this year (current) and next
    year; exactly one marked current."""
    current_start = school_year_start(today)
    new = 0
    for offset in range(-history, 2):
        start = current_start.replace(year=current_start.year + offset)
        year, was_created = AcademicYear.objects.get_or_create(
            name=f"{start.year}-{start.year + 1}",
            defaults={
                "start_date": start,
                "end_date": start.replace(year=start.year + 1, month=6, day=30),
                "sourced_id": f"{SOURCE}-year-{start.year}",
            },
        )
        new += was_created
    current_name = f"{current_start.year}-{current_start.year + 1}"
    # Save (not update) so the change of current year is in the history; touch only what is wrong.
    for stale in AcademicYear.objects.filter(is_current=True).exclude(name=current_name):
        stale.is_current = False
        stale.save(update_fields=["is_current"])
    current = AcademicYear.objects.get(name=current_name)
    if not current.is_current:
        current.is_current = True
        current.save(update_fields=["is_current"])
    return new


def _schools(district: DemoDistrict) -> tuple[dict[str, School], int]:
    schools, new = {}, 0
    for spec in district.schools:
        schools[spec.code], was_created = School.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "level": spec.level,
                "address": f"{spec.address}\n{CITY}",
                "phone": f"(518) 555-{spec.phone}",
                "sourced_id": f"{SOURCE}-org-{spec.code}",
            },
        )
        new += was_created
    return schools, new


# --- roster: students and guardians -------------------------------------------------------------------


def _roster(
    rng: random.Random,
    district: DemoDistrict,
    schools: dict[str, School],
    *,
    today: datetime.date,
    target: int,
) -> dict[str, int]:
    """About ``target`` students in families, each with one or two guardians."""
    if _roster_complete(target):
        return {"students": 0, "guardians": 0, "guardian-student links": 0}
    year_start = school_year_start(today)
    students_made: list[Student] = []
    demographics: dict[str, StudentDemographics] = {}
    guardians: list[Guardian] = []
    links: list[tuple[str, str]] = []  # (guardian sourced_id, student sourced_id)
    emails = _UniqueEmails()
    for family_no in itertools.count():
        if len(students_made) >= target:
            break
        family = _family(rng, district, family_no, year_start, emails)
        # The last family may be cut short; at a larger scale its other children follow.
        for child, grade, demo in family.children[: target - len(students_made)]:
            child.student_number = str(2_400_001 + len(students_made))
            child.sourced_id = f"{SOURCE}-student-{len(students_made) + 1:06d}"
            child.school = schools[_school_code_for(district, grade, family.elementary, family.zone)]
            students_made.append(child)
            demographics[child.sourced_id] = demo
            links.extend((guardian.sourced_id, child.sourced_id) for guardian in family.guardians)
        guardians.extend(family.guardians)

    created = {
        "students": _bulk_insert(Student, students_made, key=("sourced_id",)),
        "guardians": _bulk_insert(Guardian, guardians, key=("sourced_id",)),
    }
    student_ids = _ids_by_sourced_id(Student, f"{SOURCE}-student-")
    guardian_ids = _ids_by_sourced_id(Guardian, f"{SOURCE}-guardian-")
    Link = Guardian.students.through
    created["guardian-student links"] = _bulk_insert(
        Link,
        (Link(guardian_id=guardian_ids[g], student_id=student_ids[s]) for g, s in links),
        key=("guardian_id", "student_id"),
    )
    if settings.SRO_DEMOGRAPHICS_ENABLED:
        for sourced_id, demo in demographics.items():
            demo.student_id = student_ids[sourced_id]
        created["student demographics"] = _bulk_insert(
            StudentDemographics, demographics.values(), key=("student_id",)
        )
    return created


def _roster_complete(target: int) -> bool:
    """Whether a run at this scale or a larger one wrote the roster already: its last student is
    there (a run writes the whole roster in one transaction), with demographics if they are kept."""
    last = Student.objects.filter(sourced_id=f"{SOURCE}-student-{target:06d}")
    if settings.SRO_DEMOGRAPHICS_ENABLED:
        last = last.filter(demographics__isnull=False)
    return last.exists()


@dataclass
class _Family:
    zone: str
    elementary: str
    guardians: list[Guardian]
    children: list[tuple[Student, Grade, StudentDemographics]]


def _family(
    rng: random.Random, district: DemoDistrict, number: int, year_start: datetime.date, emails: _UniqueEmails
) -> _Family:
    """One household: its zone, one or two guardians and one to three children in different grades.

    The families come from one random stream in order, so family ``n`` is the same at any scale (above
    scale 1 only its zone and schools may differ: each draw takes one number whatever the choices).
    """
    zone = _weighted(rng, district.zones)
    elementary = _weighted(
        rng, {s.code: s.weight for s in district.schools if s.zone == zone and s.level == E}
    )
    surname = rng.choice(FAMILY)
    guardians = []
    for index in range(rng.choices((1, 2), weights=(35, 65))[0]):
        given = rng.choice(GIVEN_FEMALE if index == 0 and rng.random() < 0.6 else GIVEN_MALE)
        family_name = surname if index == 0 or rng.random() < 0.8 else rng.choice(FAMILY)
        relationship = rng.choices(("parent", "guardian", "relative"), weights=(92, 5, 3))[0]
        domain = rng.choice(GUARDIAN_EMAIL_DOMAINS)
        guardians.append(
            Guardian(
                sourced_id=f"{SOURCE}-guardian-{number + 1:06d}-{index + 1}",
                given_name=given,
                family_name=family_name,
                email=emails.make(f"{given}.{family_name}", domain),
                phone=f"(518) 555-01{rng.randrange(100):02d}",
                relationship=relationship,
            )
        )
    count = rng.choices((1, 2, 3), weights=(45, 38, 17))[0]
    children = []
    for grade in sorted(rng.sample(GRADES, count), key=GRADES.index, reverse=True):
        female = rng.random() < 0.49
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        middle = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE) if rng.random() < 0.7 else ""
        family_name = surname if rng.random() < 0.9 else rng.choice(FAMILY)
        held_back = rng.random() < 0.03  # a year older than their grade
        birth_date = _birth_date(rng, grade, year_start, years_older=int(held_back))
        demo = StudentDemographics(
            sex=Sex.FEMALE if female else rng.choices((Sex.MALE, Sex.NONBINARY), weights=(97, 3))[0],
            race_ethnicity=_weighted(rng, RACE_ETHNICITY_SHARES),
            disability=_weighted(rng, DISABILITY_SHARES),
            english_learner=rng.random() < 0.03,
        )
        student = Student(
            given_name=given, middle_name=middle, family_name=family_name, grade=grade, birth_date=birth_date
        )
        children.append((student, grade, demo))
    return _Family(zone=zone, elementary=elementary, guardians=guardians, children=children)


DISABILITY_SHARES = {Disability.NONE: 83, Disability.IDEA: 12, Disability.SECTION_504: 5}
RACE_ETHNICITY_SHARES = {
    RaceEthnicity.WHITE: 82,
    RaceEthnicity.HISPANIC: 6,
    RaceEthnicity.TWO_OR_MORE: 5,
    RaceEthnicity.ASIAN: 3,
    RaceEthnicity.BLACK: 3,
    RaceEthnicity.AMERICAN_INDIAN: 0.5,
    RaceEthnicity.PACIFIC_ISLANDER: 0.5,
}


def _birth_date(rng: random.Random, grade: Grade, year_start: datetime.date, *, years_older: int = 0):
    """A birthday in the twelve months that put a child in ``grade`` this school year."""
    grade_index = GRADES.index(grade)  # kindergarten is 0
    # A kindergartner turns five by 1 December of the school year's first autumn.
    latest = datetime.date(year_start.year - 5 - grade_index - years_older, *AGE_CUTOFF)
    earliest = latest.replace(year=latest.year - 1) + datetime.timedelta(days=1)
    return earliest + datetime.timedelta(days=rng.randrange((latest - earliest).days + 1))


def _school_code_for(district: DemoDistrict, grade: Grade, elementary: str, zone: str) -> str:
    if grade in GRADES[:6]:
        return elementary
    level = M if grade in GRADES[6:9] else H
    return next(s.code for s in district.schools if s.zone == zone and s.level == level)


# --- staff ---------------------------------------------------------------------------------------------

LEADERSHIP = {
    # level: [(title, role), ...] for each building
    E: [
        ("Principal", StaffRole.ADMINISTRATOR),
        ("School Counselor", StaffRole.OTHER),
        ("Nurse", StaffRole.OTHER),
    ],
    M: [
        ("Principal", StaffRole.ADMINISTRATOR),
        ("Assistant Principal", StaffRole.ADMINISTRATOR),
        ("School Counselor", StaffRole.OTHER),
        ("School Social Worker", StaffRole.OTHER),
        ("Nurse", StaffRole.OTHER),
    ],
}
LEADERSHIP[H] = [*LEADERSHIP[M][:2], ("Assistant Principal", StaffRole.ADMINISTRATOR), *LEADERSHIP[M][2:]]
POOL_ROLES = {
    E: {StaffRole.TEACHER: 78, StaffRole.AIDE: 22},
    M: {StaffRole.TEACHER: 80, StaffRole.AIDE: 12, StaffRole.PROCTOR: 8},
    H: {StaffRole.TEACHER: 82, StaffRole.AIDE: 8, StaffRole.PROCTOR: 10},
}


def _enrollment_shares(district: DemoDistrict) -> dict[str, float]:
    """Each building's expected share of the pupils: its zone's share times its share of the grades."""
    shares = {}
    for spec in district.schools:
        peers = [s.weight for s in district.schools if s.zone == spec.zone and s.level == spec.level]
        shares[spec.code] = (
            district.zones[spec.zone] * spec.weight / sum(peers) * len(spec.grades) / len(GRADES)
        )
    return shares


def _staff(
    rng: random.Random,
    district: DemoDistrict,
    schools: dict[str, School],
    *,
    pool: int,
    created: dict[str, int],
) -> dict[str, Staff]:
    """Each building's leadership (fixed) and a pool of teachers, aides and proctors (scaled).

    Returns the principals by school code, who also get accounts.
    """
    emails = _UniqueEmails()
    staff: list[Staff] = []
    memberships: list[tuple[str, str]] = []  # (staff sourced_id, school code)
    principals: dict[str, Staff] = {}
    specs = district.schools
    # Teachers, aides and proctors are spread over the buildings in proportion to their pupils.
    staff_shares = _enrollment_shares(district)
    for spec in specs:
        for n, (title, role) in enumerate(LEADERSHIP[spec.level], start=1):
            given, family = _person(rng)
            person = Staff(
                sourced_id=f"{SOURCE}-staff-{spec.code.lower()}-{n}",
                identifier=f"E{spec.code}{n:02d}",
                given_name=given,
                family_name=family,
                email=emails.make(f"{given[0]}{family}", DISTRICT_DOMAIN),
                role=role,
            )
            staff.append(person)
            memberships.append((person.sourced_id, spec.code))
            if title == "Principal":
                principals[spec.code] = person
    by_level = {level: [s.code for s in specs if s.level == level] for level in (E, M, H)}
    levels = {s.code: s.level for s in specs}
    for n in range(1, pool + 1):
        # The first teachers go one to each building, so even a tiny demo has one everywhere.
        if n <= len(specs):
            code, role = specs[n - 1].code, StaffRole.TEACHER
        else:
            code = _weighted(rng, staff_shares)
            role = _weighted(rng, POOL_ROLES[levels[code]])
        given, family = _person(rng)
        person = Staff(
            sourced_id=f"{SOURCE}-staff-{n:05d}",
            identifier=f"E{10_000 + n}",
            given_name=given,
            family_name=family,
            email=emails.make(f"{given[0]}{family}", DISTRICT_DOMAIN),
            role=role,
        )
        staff.append(person)
        memberships.append((person.sourced_id, code))
        # Itinerant staff (music, art, speech) share their week between two buildings of a level.
        second = rng.choice(by_level[levels[code]])
        if rng.random() < 0.08 and second != code:
            memberships.append((person.sourced_id, second))

    created["staff"] = _bulk_insert(Staff, staff, key=("sourced_id",))
    staff_ids = _ids_by_sourced_id(Staff, f"{SOURCE}-staff-")
    Membership = Staff.schools.through
    created["staff-school links"] = _bulk_insert(
        Membership,
        (Membership(staff_id=staff_ids[s], school_id=schools[code].pk) for s, code in memberships),
        key=("staff_id", "school_id"),
    )
    return principals


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(GIVEN_FEMALE + GIVEN_MALE), rng.choice(FAMILY)


# --- accounts ------------------------------------------------------------------------------------------


def _users(schools: dict[str, School], principals: dict[str, Staff], *, created: dict[str, int]) -> list[str]:
    """The coordinator, a principal per school (scoped to it) and the superintendent (district-wide)."""
    new, usernames = 0, []
    username, first, last = COORDINATOR
    new += demo_user_ensure(username=username, role=Role.COORDINATOR, first_name=first, last_name=last)[1]
    usernames.append(username)
    for code, principal in principals.items():
        user, was_created = demo_user_ensure(
            username=f"principal.{code.lower()}",
            role=Role.ADMINISTRATOR,
            first_name=principal.given_name,
            last_name=principal.family_name,
            email=principal.email,
        )
        user.schools.add(schools[code])
        new += was_created
        usernames.append(user.username)
    username, first, last = SUPERINTENDENT
    new += demo_user_ensure(
        username=username, role=Role.ADMINISTRATOR, first_name=first, last_name=last, district_wide=True
    )[1]
    usernames.append(username)
    created["users"] = new
    return usernames


def demo_user_ensure(
    *,
    username: str,
    role: Role,
    first_name: str,
    last_name: str,
    email: str = "",
    district_wide: bool = False,
) -> tuple[User, bool]:
    """Find or create a demo account in ``role``'s group.

    A new account gets an unusable password: ``seed_demo`` gives every demo account the demo password
    with a single hash, instead of hashing it once per account.
    """
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": email or f"{username}@{DISTRICT_DOMAIN}",
            "district_wide": district_wide,
            "password": make_password(None),
        },
    )
    user.groups.add(Group.objects.get(name=role.group_name))
    return user, created


# --- helpers -------------------------------------------------------------------------------------------


class _UniqueEmails:
    """jsmith@..., jsmith2@...: addresses unique within one run, made in a reproducible order."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def make(self, local: str, domain: str) -> str:
        plain = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode().lower()
        plain = "".join(c for c in plain if c.isalnum() or c == ".")
        address = f"{plain}@{domain}"
        self._seen[address] = self._seen.get(address, 0) + 1
        if self._seen[address] == 1:
            return address
        return f"{plain}{self._seen[address]}@{domain}"


def _weighted(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _batches(rows: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _bulk_insert(model: type[models.Model], rows: Iterable[models.Model], *, key: tuple[str, ...]) -> int:
    """Insert the rows whose natural ``key`` is not there yet; return how many were new.

    Rows already present are left out before the insert (a second run sends nothing), and ON
    CONFLICT DO NOTHING covers any other unique column and a concurrent run.
    """
    manager = model._default_manager
    existing = set(manager.values_list(*key).iterator(chunk_size=BATCH_SIZE))
    missing = (row for row in rows if tuple(getattr(row, field) for field in key) not in existing)
    before = manager.count()
    for batch in _batches(missing):
        manager.bulk_create(batch, ignore_conflicts=True)
    return manager.count() - before


def _ids_by_sourced_id(model: type[models.Model], prefix: str) -> dict[str, int]:
    rows = model._default_manager.filter(sourced_id__startswith=prefix).values_list("sourced_id", "pk")
    return dict(rows.iterator(chunk_size=BATCH_SIZE))
