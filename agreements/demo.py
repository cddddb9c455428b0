"""Demo data for the agreements app: the memorandum with the sheriff's office, signed by both parties,
the SRO and administrator role statements (the SRO statement in its second version), bright lines,
goals and some acknowledgements.

Runs after ``officers.demo``: it finds the agency, the coordinator, the superintendent and the sergeant
by name. Idempotent: agreements are found by title, versions by number, the rest by natural key.
The text is fictional, written for this project; it is a sensible starting point, not legal advice.
It calls no service that sends mail: rows are written directly, so the demo never emails anyone.
"""

from __future__ import annotations

import datetime
import random

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from district.demo import COORDINATOR, DISTRICT_NAME, SUPERINTENDENT
from district.models import AcademicYear, User
from officers.demo import AGENCY_NAME, SERGEANT
from officers.models import Agency, Officer, OfficerStatus

from .models import (
    Acknowledgement,
    ActionItem,
    ActionItemStatus,
    Agreement,
    AgreementKind,
    AgreementVersion,
    BrightLine,
    Goal,
    GoalFigure,
    Meeting,
    MeetingKind,
    Section,
    SectionType,
    Signature,
    SignatureParty,
    VersionStatus,
)

MOU_TITLE = f"Memorandum of understanding: {DISTRICT_NAME} and {AGENCY_NAME}"
SRO_TITLE = "School resource officer: role and expectations"
ADMIN_TITLE = "School administrators: role and expectations with the SRO"

PUBLIC_INPUT = (
    "Draft posted on the district website for a 30-day comment period; comments from parents, students, "
    "staff and the agency were answered in writing; discussed and adopted at a public Board of Education "
    "meeting."
)

T = SectionType
MOU_SECTIONS = [
    (T.PURPOSE, "Purpose and goals",
     "This memorandum sets out how the district and the agency work together so that every school is safe "
     "and every student is treated fairly. The program's goals are to keep students in school and out of "
     "the justice system, to build trust between students and officers, and to respond well in a crisis."),
    (T.SCOPE, "Scope",
     "This memorandum covers the officers assigned to the district's schools while they are on school "
     "grounds, on school buses and at school-sponsored events, during the school day and at events the "
     "principal asks them to attend."),
    (T.ROLES, "Roles, chain of command and supervision",
     "Officers remain employees of the agency and answer to its chain of command. In each building the "
     "principal directs the officer's school duties and the agency's supervisor directs law-enforcement "
     "duties. The coordinator and the agency supervisor meet at least once a month."),
    (T.DISCIPLINE, "Discipline is the school's: the bright line",
     "Officers do not administer school discipline. A matter of school rules, dress code or classroom "
     "behaviour is returned to a school administrator. When an officer suspects a crime, the officer tells "
     "the principal at once, unless a delay is needed to prevent harm, and the officer and the principal "
     "decide together whether the matter is one for the school, for the officer, or for both."),
    (T.ENFORCEMENT, "Arrest, search, questioning and guardian notification",
     "An arrest on school grounds is a last resort, made only when safety requires it or a serious crime "
     "is involved. Searches for school purposes are made by administrators. Before an officer questions a "
     "student about a crime, the student's parent or guardian is told and given the chance to be present, "
     "except in an emergency. The school notifies the parent or guardian of any arrest the same day."),
    (T.SELECTION, "Selection criteria and training minimums",
     "The district takes part in choosing each officer, by a panel interview scored on fit with a school "
     "setting. Each officer completes the basic school resource officer course before the first school "
     "day and at least 24 hours of training every year, including adolescent development, de-escalation, "
     "implicit bias, and special education and disability."),
    (T.INFORMATION, "Information sharing and student privacy",
     "Education records stay with the school and are shared with an officer only as the Family "
     "Educational Rights and Privacy Act allows. Officers keep their law-enforcement records apart from "
     "school records. No student's name is shared outside the school except as the law requires, and "
     "every such disclosure is recorded."),
    (T.CRISIS, "Crisis duties",
     "In an emergency the officer follows the building's emergency response plan, takes part in its "
     "drills, and is the first link to the agency and other first responders."),
    (T.COMPLAINTS, "Complaints",
     "Anyone may complain about an officer's conduct to the principal, the coordinator or the agency. "
     "Complaints are acknowledged within five school days; the agency investigates conduct and tells the "
     "coordinator the outcome."),
    (T.DATA, "Data reporting",
     "Each term the agency and the district report the number of arrests, summonses, referrals and uses "
     "of force on school grounds, by school, with students' age, grade, race, sex and disability status "
     "in counts only, so that the board and the public can see whether the program is fair."),
    (T.TERM, "Evaluation, term and renewal",
     "This memorandum runs for one school year and is reviewed every spring with students, families, "
     "staff and the agency before it is renewed. Either party may end it with 60 days' written notice."),
    (T.CONTACT, "Point of contact",
     "The district's SRO program coordinator is the point of contact for this memorandum, for families "
     "and for the agency."),
]  # fmt: skip

SRO_V1 = [
    (T.ROLES, "Your role",
     "You are a visible, trusted adult in the school: you mentor, you teach, and you keep the school safe. "
     "You work with the principal, the counsellors and the teachers, not apart from them."),
    (T.DISCIPLINE, "The bright line",
     "You do not administer school discipline and you do not enforce dress code or classroom rules. Such "
     "matters return to administrators. When you suspect a crime, tell the principal first."),
    (T.ENFORCEMENT, "Questioning students",
     "Before questioning a student about a crime, make sure the parent or guardian has been told."),
    (T.DATA, "Your log",
     "Log each interaction with a student the same day."),
]  # fmt: skip
SRO_V2 = [
    SRO_V1[0],
    (T.DISCIPLINE, "The bright line",
     "You do not administer school discipline and you do not enforce dress code or classroom rules. Such "
     "matters return to administrators, and you record in your log that you returned them. When you "
     "suspect a crime, tell the principal first, unless a delay would put someone in danger."),
    (T.ENFORCEMENT, "Questioning students",
     "Before questioning a student about a crime, make sure the parent or guardian has been told and "
     "offered the chance to be present. Arrest on school grounds only as a last resort."),
    (T.DATA, "Your log",
     "Log each interaction with a student the same day, including each matter you returned to "
     "administrators."),
    (T.CRISIS, "In a crisis",
     "Follow the building's emergency response plan and take part in every drill."),
]  # fmt: skip
ADMIN_V1 = [
    (T.ROLES, "Your role with the officer",
     "You direct the officer's school duties and include the officer in the building's safety team. Meet "
     "the officer every week."),
    (T.DISCIPLINE, "Discipline is yours",
     "Student discipline is yours alone. Do not ask the officer to enforce school rules, to search a "
     "student for a school purpose, or to stand in for staff in a classroom."),
    (T.INFORMATION, "Student records",
     "Share education records with the officer only as the law allows, and record each disclosure."),
]  # fmt: skip

BRIGHT_LINES = [
    ("no-school-discipline",
     "Officers do not administer school discipline: such matters return to administrators."),
    ("no-dress-code", "Officers do not enforce dress code or classroom rules."),
    ("principal-first",
     "When a crime is suspected, the principal is told first, unless a delay would cause harm."),
]  # fmt: skip
GOALS = [
    ("fewer-arrests", "Fewer school-related arrests", "School-related arrests per year, by school",
     "Fewer than last year", GoalFigure.ARRESTS),
    ("everyone-knows-sro", "Every student knows who the SRO is",
     "Share of surveyed students who can name their school's officer", "90% or more",
     GoalFigure.STUDENT_ROLE_SCORE),
    ("matters-returned", "Discipline matters go back to administrators",
     "Matters the officers returned to administration, per term", "Every such matter logged",
     GoalFigure.RETURNED),
]  # fmt: skip


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _agreement(created: dict, **fields) -> Agreement:
    agreement, was_created = Agreement.objects.get_or_create(title=fields.pop("title"), defaults=fields)
    created["agreements"] += was_created
    return agreement


def _version(
    created: dict, agreement: Agreement, number: int, sections, *, status, by, published, summary=""
):
    version, was_created = AgreementVersion.objects.get_or_create(
        agreement=agreement,
        number=number,
        defaults={
            "title": agreement.title,
            "status": status,
            "summary": summary,
            "public_input": PUBLIC_INPUT if agreement.is_mou else "",
            "created_by": by,
            "published_by": by,
            "published_at": _at(published),
        },
    )
    if was_created:
        created["versions"] += 1
        Section.objects.bulk_create(
            Section(version=version, position=n, section_type=kind, heading=heading, text=text)
            for n, (kind, heading, text) in enumerate(sections, start=1)
        )
    return version


def seed(*, rng: random.Random, scale: float) -> dict:
    """Create (or find) the agreements, their versions, signatures, items and acknowledgements."""
    created = dict.fromkeys(
        ("agreements", "versions", "signatures", "bright_lines", "goals", "acknowledgements", "meetings"), 0
    )
    year = AcademicYear.objects.filter(is_current=True).first()
    agency = Agency.objects.filter(name=AGENCY_NAME).first()
    people = {
        u.username: u
        for u in User.objects.filter(username__in=[COORDINATOR[0], SUPERINTENDENT[0], SERGEANT[0]])
    }
    if year is None or agency is None or len(people) < 3:
        raise ImproperlyConfigured("Seed the district and the officers first.")
    coordinator, superintendent, sergeant = (people[n[0]] for n in (COORDINATOR, SUPERINTENDENT, SERGEANT))
    start = year.start_date

    mou = _agreement(
        created, title=MOU_TITLE, kind=AgreementKind.MOU, agency=agency, district_signatory=superintendent,
        review_date=year.end_date - datetime.timedelta(days=45), is_public=True,
    )  # fmt: skip
    mou_v1 = _version(
        created, mou, 1, MOU_SECTIONS, status=VersionStatus.ACTIVE, by=coordinator, published=start
    )
    signers = [
        (SignatureParty.DISTRICT, superintendent, "Superintendent of Schools"),
        (SignatureParty.AGENCY, sergeant, "Sergeant, School Resource Unit"),
    ]
    for offset, (party, signer, title) in enumerate(signers, start=1):
        _, was_created = Signature.objects.get_or_create(
            version=mou_v1,
            party=party,
            defaults={
                "signer": signer, "typed_name": signer.get_full_name(), "typed_title": title,
                "signed_at": _at(start + datetime.timedelta(days=offset)), "checksum": mou_v1.checksum(),
            },
        )  # fmt: skip
        created["signatures"] += was_created
    if mou_v1.effective_at is None and mou_v1.signatures.count() == 2:
        mou_v1.effective_at = _at(start + datetime.timedelta(days=len(signers)))
        mou_v1.save(update_fields=["effective_at"])
    for code, statement in BRIGHT_LINES:
        created["bright_lines"] += BrightLine.objects.get_or_create(
            code=code, defaults={"agreement": mou, "statement": statement}
        )[1]
    for code, statement, measure, target, figure in GOALS:
        goal, was_created = Goal.objects.get_or_create(
            code=code,
            defaults={
                "agreement": mou,
                "statement": statement,
                "measure": measure,
                "target": target,
                "figure": figure,
            },
        )
        created["goals"] += was_created
        if not goal.figure:  # a demo loaded before goals named their figure
            goal.figure = figure
            goal.save(update_fields=["figure"])

    sro = _agreement(created, title=SRO_TITLE, kind=AgreementKind.SRO_STATEMENT)
    sro_v1 = _version(
        created, sro, 1, SRO_V1, status=VersionStatus.SUPERSEDED, by=coordinator,
        published=start - datetime.timedelta(days=365),
    )  # fmt: skip
    if sro_v1.superseded_at is None:
        sro_v1.superseded_at = _at(start)
        sro_v1.save(update_fields=["superseded_at"])
    sro_v2 = _version(
        created, sro, 2, SRO_V2, status=VersionStatus.ACTIVE, by=coordinator, published=start,
        summary="Officers log each matter returned to administrators; guardians may attend questioning.",
    )  # fmt: skip
    admin = _agreement(created, title=ADMIN_TITLE, kind=AgreementKind.ADMINISTRATOR_STATEMENT)
    admin_v1 = _version(
        created, admin, 1, ADMIN_V1, status=VersionStatus.ACTIVE, by=coordinator, published=start
    )

    # Officers who were in the program last year acknowledged version 1; the first two of them have
    # also acknowledged version 2, so the matrix shows both, and the rest wait (with the diff).
    officers = list(
        Officer.objects.filter(status=OfficerStatus.ACTIVE, user__isnull=False, agency=agency)
        .select_related("user")
        .order_by("badge_number")
    )
    veterans = [o for o in officers if o.program_start_date and o.program_start_date < start]
    acks = [(sro_v1, o.user, start - datetime.timedelta(days=300)) for o in veterans]
    acks += [(sro_v2, o.user, start + datetime.timedelta(days=7)) for o in veterans[:2]]
    acks += [(admin_v1, superintendent, start + datetime.timedelta(days=3))]
    for version, user, day in acks:
        created["acknowledgements"] += Acknowledgement.objects.get_or_create(
            version=version, user=user, defaults={"acknowledged_at": _at(day)}
        )[1]
    # The kickoff meeting at the start of the year, with one item done and one still open.
    meeting, was_created = Meeting.objects.get_or_create(
        title="Kickoff: expectations for the year",
        held_on=start + datetime.timedelta(days=10),
        defaults={
            "kind": MeetingKind.KICKOFF, "version": mou_v1, "created_by": coordinator,
            "agenda": "The memorandum section by section; the bright lines; how a matter returns to the "
            "principal.",
            "minutes": "Each section was read. The officers and principals agreed on the bright lines and on "
            "telling the principal first when a crime is suspected.",
        },
    )  # fmt: skip
    created["meetings"] += was_created
    if was_created:
        meeting.attendees.set([coordinator, superintendent, sergeant, *(o.user for o in officers)])
        ActionItem.objects.create(
            meeting=meeting, owner=coordinator,
            description="Introduce each officer at the first staff meeting",
            due_on=start + datetime.timedelta(days=20), status=ActionItemStatus.DONE, closed_at=_at(start),
        )  # fmt: skip
        ActionItem.objects.create(
            meeting=meeting, description="Plan the spring review of the memorandum with families",
            owner=superintendent,
            due_on=max(year.end_date - datetime.timedelta(days=60), timezone.localdate()),
        )  # fmt: skip
    return {"created": created}
