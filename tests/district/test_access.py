"""Who may see the roster and the imports; the access log; the roles themselves."""

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from district.models import AccessAction, AccessLog, Student
from district.roles import SECOND_FACTOR_ROLES, Role
from tests.access import access_table, status_for
from tests.district.factories import RosterImportFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db

# Expected status per person, in the order of PEOPLE. Everyone signed in has passed the second
# factor. 302 is the sign-in redirect; 404 means "not yours to see" for a record that exists.
ACCESS = {
    "student_list": [302, 403, 403, 403, 200, 200, 200, 200],
    "student_detail": [302, 403, 403, 403, 200, 404, 200, 200],
    "student_access_log": [302, 403, 403, 403, 403, 403, 403, 200],
    "import_list": [302, 403, 403, 403, 403, 403, 403, 200],
    "import_new": [302, 403, 403, 403, 403, 403, 403, 200],
    "import_detail": [302, 403, 403, 403, 403, 403, 403, 200],
    "import_status": [302, 403, 403, 403, 403, 403, 403, 200],
}


@pytest.fixture
def student(school):
    return StudentFactory(school=school, given_name="Ada", family_name="Lovelace")


@pytest.fixture
def roster_import(coordinator):
    return RosterImportFactory(uploaded_by=coordinator)


def _url(page, student, roster_import):
    return {
        "student_list": reverse("district:student_list"),
        "student_detail": reverse("district:student_detail", args=[student.pk]),
        "student_access_log": reverse("district:student_access_log", args=[student.pk]),
        "import_list": reverse("district:import_list"),
        "import_new": reverse("district:import_new"),
        "import_detail": reverse("district:import_detail", args=[roster_import.pk]),
        "import_status": reverse("district:import_status", args=[roster_import.pk]),
    }[page]


@pytest.mark.parametrize(("page", "person", "expected"), access_table(ACCESS))
def test_role_access_table(
    request, client, verified_client, officer, student, roster_import, page, person, expected
):
    url = _url(page, student, roster_import)
    assert status_for(request, client, verified_client, person, url) == expected


# --- The roster, narrowed to the user's schools -------------------------------------------------------


@pytest.fixture
def roster(school, other_school):
    """Three students at ``school``, two at ``other_school``, one with no school."""
    return {
        "own": [StudentFactory(school=school, family_name=f"Own{n}") for n in range(3)],
        "other": [StudentFactory(school=other_school, family_name=f"Other{n}") for n in range(2)],
        "unplaced": [StudentFactory(school=None, family_name="Unplaced")],
    }


def _listed(client, **params) -> set[str]:
    response = client.get(reverse("district:student_list"), params)
    assert response.status_code == 200
    return {student.family_name for student in response.context["page"]}


def _names(*groups) -> set[str]:
    return {student.family_name for group in groups for student in group}


def test_a_school_administrator_sees_only_their_schools_students(verified_client, school_admin, roster):
    verified_client.login(school_admin)
    assert _listed(verified_client) == _names(roster["own"])


def test_choosing_another_school_in_the_filter_reveals_nothing(
    verified_client, school_admin, other_school, roster
):
    verified_client.login(school_admin)
    assert _listed(verified_client, school=other_school.pk) <= _names(roster["own"])
    assert _listed(verified_client, q="Other0") == set()


@pytest.mark.parametrize("person", ["district_admin", "coordinator"])
def test_district_administrators_and_coordinators_see_every_student(request, verified_client, roster, person):
    verified_client.login(request.getfixturevalue(person))
    assert _listed(verified_client) == _names(roster["own"], roster["other"], roster["unplaced"])


def test_another_schools_student_is_not_found(verified_client, school_admin, roster):
    verified_client.login(school_admin)
    for student in roster["other"] + roster["unplaced"]:
        response = verified_client.get(reverse("district:student_detail", args=[student.pk]))
        assert response.status_code == 404
    assert not AccessLog.objects.exists(), "a refused look is not an access"


def test_an_administrator_of_two_schools_sees_both(verified_client, school_admin, other_school, roster):
    school_admin.schools.add(other_school)
    verified_client.login(school_admin)
    assert _listed(verified_client) == _names(roster["own"], roster["other"])


# --- The access log --------------------------------------------------------------------------------


def test_opening_a_student_record_is_logged_with_who_what_and_when(verified_client, school_admin, student):
    verified_client.login(school_admin)
    before = timezone.now()
    response = verified_client.get(reverse("district:student_detail", args=[student.pk]))
    assert response.status_code == 200
    assert "Ada Lovelace" in response.content.decode()

    entry = AccessLog.objects.get()
    assert entry.user == school_admin
    assert entry.action == AccessAction.VIEW
    assert (entry.record_type, entry.record_id, entry.student) == (
        "district.student",
        str(student.pk),
        student,
    )
    assert entry.path == reverse("district:student_detail", args=[student.pk])
    assert before <= entry.at <= timezone.now()


def test_every_opening_is_logged(verified_client, coordinator, student):
    verified_client.login(coordinator)
    for _ in range(3):
        verified_client.get(reverse("district:student_detail", args=[student.pk]))
    assert AccessLog.objects.filter(user=coordinator, student=student).count() == 3


def test_the_list_and_its_search_are_logged_one_entry_per_student_listed(
    verified_client, school_admin, roster
):
    verified_client.login(school_admin)
    url = reverse("district:student_list")

    response = verified_client.get(url, {"q": "Own", "grade": ""})

    listed = {student.pk for student in response.context["page"]}
    assert listed == {student.pk for student in roster["own"]}
    entries = AccessLog.objects.all()
    assert {entry.student_id for entry in entries} == listed and len(entries) == len(listed)
    for entry in entries:
        assert (entry.user, entry.action) == (school_admin, AccessAction.LIST)
        assert entry.record_type == "district.student"
        assert (entry.record_id, entry.path, entry.search) == (str(entry.student_id), url, "q=Own&grade=")


def test_only_the_students_on_the_page_shown_are_logged(verified_client, coordinator, school):
    StudentFactory.create_batch(55, school=school)
    verified_client.login(coordinator)

    response = verified_client.get(reverse("district:student_list"), {"page": 2})

    assert {entry.student_id for entry in AccessLog.objects.all()} == {s.pk for s in response.context["page"]}
    assert AccessLog.objects.count() == 5
    assert set(AccessLog.objects.values_list("search", flat=True)) == {"page=2"}


def test_a_search_that_lists_nobody_logs_nothing(verified_client, coordinator, roster):
    verified_client.login(coordinator)
    verified_client.get(reverse("district:student_list"), {"q": "Nobody"})
    assert not AccessLog.objects.exists()


# --- A student's access log, for coordinators -------------------------------------------------------


def test_a_coordinator_sees_who_opened_listed_or_exported_a_student(
    verified_client, coordinator, school_admin, district_admin, student
):
    other = StudentFactory(school=student.school)
    verified_client.login(school_admin)
    verified_client.get(reverse("district:student_detail", args=[student.pk]))
    verified_client.login(district_admin)
    verified_client.get(reverse("district:student_list"), {"q": "Lovelace"})
    verified_client.get(reverse("district:student_detail", args=[other.pk]))  # someone else's record
    verified_client.login(coordinator)

    detail = verified_client.get(reverse("district:student_detail", args=[student.pk])).content.decode()
    url = reverse("district:student_access_log", args=[student.pk])
    assert f'href="{url}"' in detail
    response = verified_client.get(url)

    assert response.status_code == 200
    entries = list(response.context["page"])
    assert [(entry.user, entry.action) for entry in entries] == [
        (coordinator, AccessAction.VIEW),
        (district_admin, AccessAction.LIST),
        (school_admin, AccessAction.VIEW),
    ]
    page = response.content.decode()
    assert "Ada Lovelace" in page and "Listed" in page and "?q=Lovelace" in page
    assert str(district_admin) in page and str(school_admin) in page

    narrowed = verified_client.get(url, {"action": AccessAction.LIST})
    assert [entry.user for entry in narrowed.context["page"]] == [district_admin]


def test_the_link_to_the_access_log_is_shown_only_to_coordinators(verified_client, school_admin, student):
    verified_client.login(school_admin)
    detail = verified_client.get(reverse("district:student_detail", args=[student.pk])).content.decode()
    assert reverse("district:student_access_log", args=[student.pk]) not in detail


def test_the_access_log_is_paginated(verified_client, coordinator, student):
    AccessLog.objects.bulk_create(
        AccessLog(user=coordinator, record_type="district.student", record_id=str(s.pk), student=s)
        for s in [student] * 51
    )
    verified_client.login(coordinator)
    url = reverse("district:student_access_log", args=[student.pk])

    first = verified_client.get(url)
    second = verified_client.get(url, {"page": 2})

    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 1
    assert "Page 2 of 2" in second.content.decode()


def test_an_unknown_student_has_no_access_log(verified_client, coordinator):
    verified_client.login(coordinator)
    assert verified_client.get(reverse("district:student_access_log", args=[999_999])).status_code == 404


# --- The access log is append-only in the database ---------------------------------------------------


@pytest.fixture
def entry(coordinator, student):
    return AccessLog.objects.create(
        user=coordinator, record_type="district.student", record_id=str(student.pk), student=student
    )


def _unchanged(entry) -> None:
    stored = AccessLog.objects.get(pk=entry.pk)
    assert (stored.user_id, stored.action, stored.path, stored.student_id, stored.at) == (
        entry.user_id,
        entry.action,
        entry.path,
        entry.student_id,
        entry.at,
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda entry: AccessLog.objects.filter(pk=entry.pk).update(path="/x/"), id="update"),
        pytest.param(lambda entry: AccessLog.objects.update(action=AccessAction.EXPORT), id="update-all"),
        pytest.param(lambda entry: entry.save(), id="save"),
        pytest.param(lambda entry: entry.delete(), id="delete"),
        pytest.param(lambda entry: AccessLog.objects.all().delete(), id="delete-all"),
    ],
)
def test_the_database_refuses_to_change_or_delete_an_access_log_entry(entry, change):
    entry.path = "/tampered/"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change(entry)
    entry.path = ""
    _unchanged(entry)


def test_a_student_with_access_log_entries_cannot_be_deleted(entry, student):
    with pytest.raises(ProtectedError), transaction.atomic():
        student.delete()
    assert Student.objects.filter(pk=student.pk).exists()
    _unchanged(entry)


def test_entries_are_still_added(entry, coordinator, student):
    AccessLog.objects.create(user=coordinator, record_type="district.student", record_id="1", student=student)
    assert AccessLog.objects.count() == 2


# --- Query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["coordinator", "school_admin", "district_admin"])
def test_the_student_list_costs_the_same_queries_for_ten_times_the_rows(
    request, verified_client, school, person
):
    verified_client.login(request.getfixturevalue(person))
    counts = []
    for total in (5, 50):
        StudentFactory.create_batch(total - Student.objects.count(), school=school)
        with CaptureQueriesContext(connection) as queries:
            response = verified_client.get(reverse("district:student_list"), {"q": ""})
        assert response.status_code == 200
        assert len(response.context["page"]) == total
        counts.append(len(queries))
        insert = 'INSERT INTO "district_accesslog"'
        inserts = [q for q in queries.captured_queries if q["sql"].startswith(insert)]
        assert len(inserts) == 1, "one INSERT for the whole page"
    assert counts[0] == counts[1], counts
    assert counts[1] <= 14, counts
    assert AccessLog.objects.count() == 55


def test_a_students_access_log_costs_the_same_queries_for_ten_times_the_entries(
    verified_client, coordinator, school_admin, student
):
    verified_client.login(coordinator)
    url = reverse("district:student_access_log", args=[student.pk])
    counts = []
    for total in (5, 50):
        AccessLog.objects.bulk_create(
            AccessLog(
                user=UserFactory() if n % 2 else school_admin,
                record_type="district.student",
                record_id=str(student.pk),
                student=student,
            )
            for n in range(total - AccessLog.objects.count())
        )
        with CaptureQueriesContext(connection) as queries:
            response = verified_client.get(url)
        assert response.status_code == 200
        assert len(response.context["page"]) == total
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 12, counts


# --- The roles -------------------------------------------------------------------------------------


# Every permission each role holds, written out: a change to a role's rights is a deliberate edit here
# and a new data migration, never a side effect of editing live code.
_OFFICERS_MODELS = [
    "agency", "officer", "assignment", "officerleave", "selectioncycle", "fitcriterion", "candidate",
    "panelist", "scorecard", "score", "trainingcourse", "trainingpolicy", "trainingsession",
    "sessionparticipant", "trainingrecord", "assignmentday",
]  # fmt: skip
_OFFICERS_TRAINING_VIEW = [
    "officers.view_trainingrecord", "officers.view_trainingcourse", "officers.view_trainingsession",
    "officers.view_assignmentday",
]  # fmt: skip
_AGREEMENTS_READ = [
    "agreements.view_agreement", "agreements.view_agreementversion", "agreements.view_brightline",
    "agreements.view_goal", "agreements.view_meeting", "agreements.view_actionitem",
]  # fmt: skip
# Coordinators and SROs open and work cases and their follow-ups.
_INCIDENTS_CASE_WORK = [f"incidents.{a}_{m}" for m in ("case", "followup") for a in ("view", "add", "change")]

ROLE_PERMISSIONS = {
    Role.COORDINATOR: {
        "district.view_school", "district.view_academicyear", "district.view_student", "district.view_staff",
        "district.view_guardian", "district.view_rosterimport", "district.add_rosterimport",
        "district.view_accesslog",
        *(f"officers.{a}_{m}" for m in _OFFICERS_MODELS for a in ("view", "add", "change", "delete")),
        "people.manage_people", "people.view_invitation", "people.add_invitation", "people.change_invitation",
        "people.view_accesschange",
        *(f"agreements.{a}_{m}"
          for m in ("agreement", "agreementversion", "section", "brightline", "goal", "comment", "meeting",
                    "actionitem")
          for a in ("view", "add", "change", "delete")),
        "agreements.view_signature", "agreements.view_acknowledgement",
        "feedback.view_survey", "feedback.add_survey", "feedback.change_survey", "feedback.view_campaign",
        "feedback.add_campaign", "feedback.change_campaign", "feedback.view_round", "feedback.add_round",
        "feedback.view_improvementaction", "feedback.add_improvementaction",
        "feedback.change_improvementaction", "feedback.view_concern", "feedback.change_concern",
        "incidents.view_category", "incidents.add_category", "incidents.change_category",
        "incidents.view_interaction", "incidents.view_addendum", "incidents.export_interaction",
        "incidents.view_disclosure", "incidents.add_disclosure",
        "incidents.view_retentionrule", "incidents.change_retentionrule",
        *_INCIDENTS_CASE_WORK,
        "incidents.view_incident", "incidents.view_incidenttype", "incidents.add_incidenttype",
        "incidents.change_incidenttype",
    },
    Role.SRO: {
        "district.view_school", "officers.view_officer", "officers.view_assignment",
        "officers.add_trainingrecord", *_OFFICERS_TRAINING_VIEW,
        *_AGREEMENTS_READ, "agreements.add_acknowledgement",
        "feedback.view_round", "feedback.add_round", "feedback.view_improvementaction",
        "feedback.add_improvementaction",
        "incidents.view_category", "incidents.view_interaction", "incidents.add_interaction",
        "incidents.change_interaction", "incidents.view_addendum", "incidents.add_addendum",
        "incidents.add_disclosure", *_INCIDENTS_CASE_WORK,
        "incidents.view_incident", "incidents.add_incident", "incidents.change_incident",
    },
    Role.ADMINISTRATOR: {
        "district.view_school", "district.view_academicyear", "district.view_student", "district.view_staff",
        "officers.view_officer", "officers.view_assignment", "officers.view_agency",
        "officers.view_officerleave", *_OFFICERS_TRAINING_VIEW,
        *_AGREEMENTS_READ, "agreements.add_acknowledgement", "agreements.add_signature",
        "incidents.view_interaction", "incidents.view_addendum", "incidents.view_disclosure",
        "incidents.view_case", "incidents.view_followup", "incidents.view_incident",
    },
    Role.AGENCY_SUPERVISOR: {
        "district.view_school", "officers.view_officer", "officers.change_officer",
        "officers.view_assignment", "officers.view_agency", "officers.view_selectioncycle",
        "officers.view_candidate",
        "officers.add_candidate", "officers.change_candidate", "officers.add_trainingrecord",
        "officers.view_officerleave", "officers.add_officerleave", "officers.change_officerleave",
        *_OFFICERS_TRAINING_VIEW,
        *_AGREEMENTS_READ, "agreements.add_signature",
        "feedback.view_round", "feedback.view_improvementaction",
    },
}  # fmt: skip


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_the_migrations_give_each_role_exactly_its_permissions(role):
    group = Group.objects.get(name=role.label)
    held = {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }
    assert held == ROLE_PERMISSIONS[role]


def test_there_are_four_role_groups():
    assert Group.objects.filter(name__in=[role.label for role in Role]).count() == 4


@pytest.mark.parametrize("role", [Role.AGENCY_SUPERVISOR])
def test_agency_supervisors_hold_no_permission_on_student_identifying_records(role):
    held = set(Group.objects.get(name=role.label).permissions.values_list("codename", flat=True))
    for model in (
        "student",
        "studentdemographics",
        "guardian",
        "accesslog",
        "rosterimport",
        "interaction",
        "addendum",
        "disclosure",
        "case",
        "followup",
        "incident",
    ):
        assert not {f"view_{model}", f"change_{model}", f"add_{model}"} & held


def test_a_user_may_hold_several_roles(verified_client, officer, school):
    person = UserFactory(username="principal_deputy", roles=[Role.SRO, Role.ADMINISTRATOR])
    person.schools.add(school)
    assert person.roles == {Role.SRO, Role.ADMINISTRATOR}
    assert person.has_role(Role.SRO) and person.has_role(Role.ADMINISTRATOR)
    assert not person.has_role(Role.COORDINATOR)
    assert person.needs_second_factor
    assert person.has_perm("officers.view_agency"), "the administrator's permission"
    assert person.has_perm("district.view_staff")

    verified_client.login(person)
    html = verified_client.get(reverse("home")).content.decode()
    assert "Your schools today" in html and "Officers at your schools today" in html
    assert verified_client.get(reverse("district:student_list")).status_code == 200


def test_only_the_roles_that_never_see_student_names_skip_the_second_factor():
    assert {Role.COORDINATOR, Role.SRO, Role.ADMINISTRATOR} == SECOND_FACTOR_ROLES
