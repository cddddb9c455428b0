"""Training pages: who may see and do what, certificate uploads, and pinned query counts."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from district.roles import Role
from officers.models import TrainingRecord
from tests.access import access_table, status_for
from tests.district.factories import UserFactory
from tests.officers.factories import (
    OfficerFactory,
    TrainingCourseFactory,
    TrainingPolicyFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def record(officer):
    return TrainingRecordFactory(officer=officer, course=TrainingCourseFactory(title="De-escalation"))


PAGES = {
    # name: (method, url builder)
    "matrix": ("get", lambda o, r: reverse("officers:training_matrix")),
    "courses": ("get", lambda o, r: reverse("officers:course_list")),
    "course_new": ("get", lambda o, r: reverse("officers:course_new")),
    "policy": ("get", lambda o, r: reverse("officers:policy_edit")),
    "officer": ("get", lambda o, r: reverse("officers:officer_training", args=[o.pk])),
    "record_new": ("get", lambda o, r: reverse("officers:record_new")),
    "record_edit": ("get", lambda o, r: reverse("officers:record_edit", args=[r.pk])),
    "verify": ("post", lambda o, r: reverse("officers:record_verify", args=[r.pk])),
    "sessions": ("get", lambda o, r: reverse("officers:session_list")),
}

# Expected status per person; the officer and record belong to the `agency` and `school`.
ACCESS = {
    "anonymous": dict.fromkeys(PAGES, 302),
    "outsider": dict.fromkeys(PAGES, 403),
    "officer_user": {
        **dict.fromkeys(PAGES, 403),
        "matrix": 200, "courses": 200, "officer": 200, "record_new": 200, "sessions": 200,
    },
    "school_admin": {
        **dict.fromkeys(PAGES, 403), "matrix": 200, "courses": 200, "officer": 200, "sessions": 200,
    },
    "other_school_admin": {
        **dict.fromkeys(PAGES, 403), "matrix": 200, "courses": 200, "officer": 404, "sessions": 200,
    },
    "supervisor": {
        **dict.fromkeys(PAGES, 403),
        "matrix": 200, "courses": 200, "officer": 200, "record_new": 200, "sessions": 200,
    },
    "other_supervisor": {
        **dict.fromkeys(PAGES, 403), "matrix": 200, "courses": 200, "officer": 404, "sessions": 200,
    },
    "coordinator": {**dict.fromkeys(PAGES, 200), "verify": 302},
}  # fmt: skip


def _by_page(table: dict, pages) -> dict:
    """A person -> {page: status} table turned page -> statuses, as ``access_table`` takes it."""
    return {page: [table[person][page] for person in table] for page in pages}


@pytest.mark.parametrize(("page", "person", "expected"), access_table(_by_page(ACCESS, PAGES), list(ACCESS)))
def test_access_table(
    request, client, verified_client, academic_year, officer, record, page, person, expected
):
    method, url = PAGES[page]
    status = status_for(request, client, verified_client, person, url(officer, record), method=method)
    assert status == expected


def test_verify_is_post_only(verified_client, coordinator, record):
    verified_client.login(coordinator)
    assert verified_client.get(reverse("officers:record_verify", args=[record.pk])).status_code == 405
    record.refresh_from_db()
    assert record.verified_at is None


def test_matrix_rows_follow_the_scope(
    verified_client, officer, record, supervisor, other_supervisor, other_agency, coordinator
):
    # Names no generated person (a supervisor in the page's header, say) can have by chance.
    officer.family_name = "Oakenshield-Vantongeren"
    officer.save(update_fields=["family_name"])
    OfficerFactory(agency=other_agency, family_name="Zeddicus-Quarrington")
    verified_client.login(supervisor)
    body = verified_client.get(reverse("officers:training_matrix")).content.decode()
    assert officer.family_name in body and "Zeddicus-Quarrington" not in body
    verified_client.login(other_supervisor)
    body = verified_client.get(reverse("officers:training_matrix")).content.decode()
    assert "Zeddicus-Quarrington" in body and officer.family_name not in body
    verified_client.login(coordinator)
    body = verified_client.get(reverse("officers:training_matrix")).content.decode()
    assert "Zeddicus-Quarrington" in body and officer.family_name in body


def test_matrix_status_has_words_not_only_colour(verified_client, coordinator, officer, academic_year):
    TrainingCourseFactory(title="Student privacy (FERPA)")
    verified_client.login(coordinator)
    body = verified_client.get(reverse("officers:training_matrix")).content.decode()
    assert "Missing" in body
    assert "<caption>" in body and 'scope="col"' in body and 'scope="row"' in body


# --- records and certificates ---------------------------------------------------------------


def _record_post(client, officer, course, name, content):
    upload = SimpleUploadedFile(name, content)
    return client.post(
        reverse("officers:record_new"),
        {"officer": officer.pk, "course": course.pk, "completed_on": "2026-09-15", "certificate": upload},
    )


@pytest.mark.parametrize(("name", "content"), [("cert.pdf", PDF), ("cert.png", PNG), ("cert.JPG", JPEG)])
def test_sro_adds_own_record_with_a_certificate(verified_client, officer_user, officer, name, content):
    course = TrainingCourseFactory(renewal_months=36)
    verified_client.login(officer_user)
    response = _record_post(verified_client, officer, course, name, content)
    assert response.status_code == 302
    record = TrainingRecord.objects.get(officer=officer)
    assert record.verified_at is None, "unverified until a coordinator verifies"
    assert record.expires_on == datetime.date(2029, 9, 15)
    download = verified_client.get(reverse("officers:record_certificate", args=[record.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cert.pdf", b"MZ\x90\x00 this is an executable", "must be a PDF, PNG or JPEG"),
        ("cert.exe", PDF, "must be a PDF, PNG or JPEG"),
        ("cert.png", PDF, "do not match its name"),
        ("cert.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "the limit is 5 MB"),
    ],
)
def test_certificate_type_and_size_are_checked(
    verified_client, officer_user, officer, name, content, message
):
    course = TrainingCourseFactory()
    verified_client.login(officer_user)
    response = _record_post(verified_client, officer, course, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_sro_cannot_add_for_another_officer(verified_client, officer_user, officer):
    colleague = OfficerFactory(agency=officer.agency)
    verified_client.login(officer_user)
    response = _record_post(verified_client, colleague, TrainingCourseFactory(), "c.pdf", PDF)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_supervisor_adds_for_the_agency_officers(verified_client, supervisor, officer):
    colleague = OfficerFactory(agency=officer.agency)
    stranger = OfficerFactory(agency__name="Milton Police Department")
    verified_client.login(supervisor)
    assert _record_post(verified_client, colleague, TrainingCourseFactory(), "c.pdf", PDF).status_code == 302
    assert _record_post(verified_client, stranger, TrainingCourseFactory(), "c.pdf", PDF).status_code == 200
    assert list(TrainingRecord.objects.values_list("officer", flat=True)) == [colleague.pk]


def test_certificate_download_is_scoped(verified_client, other_supervisor, officer):
    record = TrainingRecordFactory(officer=officer)
    record.certificate.save("cert.pdf", io.BytesIO(PDF))
    verified_client.login(other_supervisor)
    assert verified_client.get(reverse("officers:record_certificate", args=[record.pk])).status_code == 404


def test_coordinator_verifies_and_edits(verified_client, coordinator, record):
    verified_client.login(coordinator)
    assert verified_client.post(reverse("officers:record_verify", args=[record.pk])).status_code == 302
    record.refresh_from_db()
    assert record.verified_by == coordinator
    response = verified_client.post(
        reverse("officers:record_edit", args=[record.pk]),
        {"course": record.course_id, "completed_on": "2026-02-01", "hours": "3"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.expires_on == record.course.expiry_for(datetime.date(2026, 2, 1))


def test_coordinator_manages_the_catalogue_and_minimum(verified_client, coordinator, academic_year):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("officers:course_new"),
        {
            "title": "Adolescent development", "provider": "State DCJS", "category": "state", "hours": "8",
            "renewal_months": "", "required_for": ["sro"], "topics": ["adolescent_development"],
            "active": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    response = verified_client.post(reverse("officers:policy_edit"), {"minimum_hours": "24"})
    assert response.status_code == 302
    assert academic_year.training_policy.minimum_hours == 24
    bad = verified_client.post(reverse("officers:policy_edit"), {"minimum_hours": "-1"})
    assert bad.status_code == 200 and "greater than or equal to 0" in bad.content.decode()


# --- query counts ---------------------------------------------------------------------------


def _populate(academic_year, agency, coordinator, officers, courses, tag):
    new_courses = [TrainingCourseFactory(title=f"{tag} course {i}") for i in range(courses)]
    for i in range(officers):
        officer = OfficerFactory(agency=agency, badge_number=f"{tag}{i}")
        for course in new_courses:
            TrainingRecordFactory(officer=officer, course=course, completed_on=datetime.date(2024, 9, 1))
            TrainingRecordFactory(
                officer=officer, course=course, completed_on=academic_year.start_date,
                verified_by=coordinator, verified_at=datetime.datetime(2026, 9, 2, tzinfo=datetime.UTC),
            )  # fmt: skip


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("person", ["coordinator", "supervisor", "school_admin"])
def test_matrix_query_count_is_fixed(request, verified_client, academic_year, agency, coordinator, person):
    user = request.getfixturevalue(person)
    TrainingPolicyFactory(academic_year=academic_year)
    verified_client.login(user)
    url = reverse("officers:training_matrix")
    _populate(academic_year, agency, coordinator, officers=2, courses=2, tag="small")
    small, _ = _count(verified_client, url)
    _populate(academic_year, agency, coordinator, officers=20, courses=20, tag="large")
    large, response = _count(verified_client, url)
    assert small == large, f"{small} queries with 2x2, {large} with 22x22"
    # 6 for the session, user, device, permissions and roles (+3 saving the session); 6 for the page;
    # 1 asking whether the user has an officer to add a record for (the link shows only then).
    assert large <= 16
    if person != "school_admin":
        assert len(response.context["matrix"].rows) == 22
        assert len(response.context["matrix"].courses) == 22


# --- sessions, course edits and certificates: who may do what -----------------------------------

SESSION_PAGES = ["detail", "new", "edit", "attendance", "invite", "remove_participant"]
SESSION_ACCESS = {
    "anonymous": dict.fromkeys(SESSION_PAGES, 302),
    "outsider": dict.fromkeys(SESSION_PAGES, 403),
    "officer_user": {**dict.fromkeys(SESSION_PAGES, 403), "detail": 200},
    "school_admin": {**dict.fromkeys(SESSION_PAGES, 403), "detail": 200},
    "other_school_admin": {**dict.fromkeys(SESSION_PAGES, 403), "detail": 404},
    "supervisor": {**dict.fromkeys(SESSION_PAGES, 403), "detail": 200},
    "other_supervisor": {**dict.fromkeys(SESSION_PAGES, 403), "detail": 404},
    # An invitation with nobody chosen is a form error (400); removing an invitation redirects.
    "coordinator": {**dict.fromkeys(SESSION_PAGES, 200), "invite": 400, "remove_participant": 302},
}


def _session_requests(session, participant):
    return {
        "detail": ("get", reverse("officers:session_detail", args=[session.pk])),
        "new": ("get", reverse("officers:session_new")),
        "edit": ("get", reverse("officers:session_edit", args=[session.pk])),
        "attendance": ("get", reverse("officers:session_attendance", args=[session.pk])),
        "invite": ("post", reverse("officers:session_invite", args=[session.pk])),
        "remove_participant": (
            "post",
            reverse("officers:session_participant_remove", args=[session.pk, participant.pk]),
        ),
    }


@pytest.mark.parametrize(
    ("page", "person", "expected"),
    access_table(_by_page(SESSION_ACCESS, SESSION_PAGES), list(SESSION_ACCESS)),
)
def test_session_access_table(
    request, client, verified_client, academic_year, officer, page, person, expected
):
    from officers.services.training import session_invite
    from tests.officers.factories import TrainingSessionFactory

    session = TrainingSessionFactory(date=datetime.date(2026, 10, 1))
    session_invite(session=session, officers=[officer])
    participant = session.participants.get()
    method, url = _session_requests(session, participant)[page]
    assert status_for(request, client, verified_client, person, url, method=method) == expected
    removed = person == "coordinator" and page == "remove_participant"
    assert session.participants.exists() is not removed


@pytest.mark.parametrize(
    ("person", "edit_status", "certificate_status"),
    [
        ("outsider", 403, 403),
        ("officer_user", 403, 200),
        ("school_admin", 403, 200),
        ("other_school_admin", 403, 404),
        ("supervisor", 403, 200),
        ("other_supervisor", 403, 404),
        ("coordinator", 200, 200),
    ],
)
def test_course_edit_and_certificate_access(
    request, verified_client, officer, record, person, edit_status, certificate_status
):
    record.certificate.save("cert.pdf", io.BytesIO(PDF))
    verified_client.login(request.getfixturevalue(person))
    edit = verified_client.get(reverse("officers:course_edit", args=[record.course_id]))
    assert edit.status_code == edit_status
    download = verified_client.get(reverse("officers:record_certificate", args=[record.pk]))
    assert download.status_code == certificate_status


def test_a_bad_certificate_on_edit_is_a_form_error_and_changes_nothing(verified_client, coordinator, record):
    verified_client.login(coordinator)
    before = (record.completed_on, record.hours, record.expires_on)
    response = verified_client.post(
        reverse("officers:record_edit", args=[record.pk]),
        {
            "course": record.course_id,
            "completed_on": "2026-02-01",
            "hours": "3",
            "certificate": SimpleUploadedFile("cert.png", PDF),
        },
    )
    assert response.status_code == 200
    assert "do not match its name" in response.content.decode()
    record.refresh_from_db()
    assert (record.completed_on, record.hours, record.expires_on) == before and not record.certificate


def test_session_end_before_start_is_a_form_error(verified_client, coordinator):
    course = TrainingCourseFactory()
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("officers:session_new"),
        {
            "course": course.pk, "date": "2026-10-01", "start_time": "12:00", "end_time": "09:00",
            "location": "Board room", "capacity": "10",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    assert not course.sessions.exists()


# --- more query counts ------------------------------------------------------------------------


def test_course_list_query_count_is_fixed(verified_client, coordinator, academic_year):
    verified_client.login(coordinator)
    url = reverse("officers:course_list")
    for i in range(3):
        TrainingCourseFactory(title=f"small {i}")
    small, _ = _count(verified_client, url)
    for i in range(30):
        TrainingCourseFactory(title=f"large {i}")
    large, response = _count(verified_client, url)
    assert small == large, (small, large)
    assert len(response.context["courses"]) == 33


@pytest.mark.parametrize("person", ["coordinator", "supervisor"])
def test_session_list_query_count_is_fixed(request, verified_client, officer, person):
    from officers.services.training import session_invite
    from tests.officers.factories import TrainingSessionFactory

    verified_client.login(request.getfixturevalue(person))
    url = reverse("officers:session_list")
    counts = []
    for how_many in (2, 20):
        for n in range(how_many):
            session = TrainingSessionFactory(
                date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n), course__title=f"{how_many}-{n}"
            )
            session_invite(session=session, officers=[officer, OfficerFactory()])
        count, response = _count(verified_client, url)
        counts.append(count)
    assert counts[0] == counts[1], counts
    shown = response.context["upcoming"] + response.context["past"]
    assert len(shown) == 22 and {s.invited for s in shown} == {2}


def test_officer_training_page_query_count_is_fixed(verified_client, coordinator, academic_year, officer):
    TrainingPolicyFactory(academic_year=academic_year)
    verified_client.login(coordinator)
    url = reverse("officers:officer_training", args=[officer.pk])
    counts = []
    for tag, how_many in (("small", 2), ("large", 20)):
        for i in range(how_many):
            course = TrainingCourseFactory(title=f"{tag} course {i}")
            TrainingRecordFactory(
                officer=officer, course=course, completed_on=academic_year.start_date,
                verified_by=coordinator, verified_at=datetime.datetime(2026, 9, 2, tzinfo=datetime.UTC),
            )  # fmt: skip
        count, _ = _count(verified_client, url)
        counts.append(count)
    assert counts[0] == counts[1], counts


def test_session_detail_query_count_is_fixed(verified_client, coordinator):
    from officers.services.training import session_invite
    from tests.officers.factories import TrainingSessionFactory

    verified_client.login(coordinator)
    counts = []
    for how_many in (2, 20):
        session = TrainingSessionFactory(capacity=40)
        session_invite(
            session=session,
            officers=[OfficerFactory() for _ in range(how_many)],
            users=[UserFactory(roles=[Role.ADMINISTRATOR]) for _ in range(how_many)],
        )
        count, _ = _count(verified_client, reverse("officers:session_detail", args=[session.pk]))
        counts.append(count)
    assert counts[0] == counts[1], counts
