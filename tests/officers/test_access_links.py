"""An officer's records stay with the schools the officer serves this year, and no officers page shows
a link that the viewer could not open."""

import datetime
import html
import re
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from officers.services.selection import cycle_decide
from officers.services.training import session_invite
from tests.district.factories import AcademicYearFactory
from tests.officers.factories import (
    PDF_BYTES,
    AssignmentFactory,
    OfficerFactory,
    OfficerLeaveFactory,
    TrainingRecordFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(academic_year):
    start = academic_year.start_date.replace(year=academic_year.start_date.year - 1)
    return AcademicYearFactory(
        name=f"{start.year}-{start.year + 1}",
        start_date=start,
        end_date=academic_year.start_date - datetime.timedelta(days=1),
        is_current=False,
    )


@pytest.fixture
def former_officer(agency, school, last_year):
    """Served ``school`` last year, not this year; has a certificate and leave on record."""
    officer = OfficerFactory(agency=agency, family_name="Formerly")
    AssignmentFactory(officer=officer, school=school, academic_year=last_year)
    TrainingRecordFactory(
        officer=officer, certificate=SimpleUploadedFile("cert.pdf", PDF_BYTES, "application/pdf")
    )
    OfficerLeaveFactory(officer=officer)
    return officer


def _record_pages(officer):
    record = officer.training_records.get()
    return [
        reverse("officers:officer_detail", args=[officer.pk]),
        reverse("officers:officer_training", args=[officer.pk]),
        reverse("officers:record_certificate", args=[record.pk]),
    ]


def test_an_administrator_sees_an_officers_records_only_while_the_officer_serves_their_school(
    verified_client, school_admin, former_officer, school, academic_year
):
    verified_client.login(school_admin)
    for url in _record_pages(former_officer):
        assert verified_client.get(url).status_code == 404, url
    leaves = verified_client.get(reverse("officers:leave_list")).context["page"]
    assert former_officer.pk not in {leave.officer_id for leave in leaves}
    officers = verified_client.get(reverse("officers:officer_list")).context["page"]
    assert former_officer not in list(officers)

    # Assigned to the school again this year, the officer's records open again.
    AssignmentFactory(officer=former_officer, school=school, academic_year=academic_year)
    for url in _record_pages(former_officer):
        assert verified_client.get(url).status_code == 200, url
    leaves = verified_client.get(reverse("officers:leave_list")).context["page"]
    assert former_officer.pk in {leave.officer_id for leave in leaves}


# --- Every link on an officers page opens --------------------------------------------------------

HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture
def world(officer, other_officer, former_officer, cycle, candidate, coordinator, school, academic_year):
    """Something of everything: officers this year and last, another agency's officer as backup at
    the SRO's school, leave, a certificate, a session, and a decided selection whose chosen candidate
    is an officer assigned nowhere yet."""
    AssignmentFactory(officer=other_officer, school=school, academic_year=academic_year, role="backup")
    TrainingRecordFactory(
        officer=officer, certificate=SimpleUploadedFile("cert.pdf", PDF_BYTES, "application/pdf")
    )
    OfficerLeaveFactory(officer=officer)
    OfficerLeaveFactory(officer=other_officer)
    session = TrainingSessionFactory(date=datetime.date(2026, 10, 1))
    session_invite(session=session, officers=[officer, other_officer])
    cycle_decide(
        cycle=cycle,
        chosen=candidate,
        rationale="Best fit.",
        decided_by=coordinator,
        program_start_date=academic_year.start_date,
    )


def _links(response) -> set[str]:
    """The officers pages a page links to (path and query)."""
    found = set()
    for href in HREF.findall(response.content.decode()):
        parts = urlsplit(html.unescape(href))
        if parts.path.startswith("/officers/") and not parts.scheme:
            found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


@pytest.mark.parametrize(
    "person",
    [
        "officer_user",
        "school_admin",
        "other_school_admin",
        "district_admin",
        "panel_admin",
        "supervisor",
        "other_supervisor",
        "coordinator",
    ],
)
def test_every_link_on_an_officers_page_opens(request, verified_client, world, person):
    """From home, follow every officers link the person is shown (GET only; forms are not links):
    each must open, never answer 404 or 403."""
    verified_client.login(request.getfixturevalue(person))
    to_visit, seen, refused = [reverse("home")], set(), {}
    while to_visit and len(seen) < 150:
        url = to_visit.pop()
        if url in seen:
            continue
        seen.add(url)
        response = verified_client.get(url)
        if response.status_code != 200:
            refused[url] = response.status_code
            continue
        if response.get("Content-Type", "").startswith("text/html"):
            to_visit.extend(_links(response) - seen)
    assert refused == {}
    assert len(seen) > 3, seen
