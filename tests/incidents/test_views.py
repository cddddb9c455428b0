"""The quick log through its pages: opening on today's school and time, saving two students with
their own outcomes, refusing bad input with nothing saved, the names warning, the record page's
names by role and the access log, the list's filters and its query count at ten times the data."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from district.models import AccessAction, AccessLog
from incidents.models import Interaction, InteractionStudent
from tests.district.factories import StudentFactory
from tests.incidents.factories import category, log

pytestmark = pytest.mark.django_db

CREATE = reverse("incidents:interaction_create")


def payload(school, *rows, **fields):
    """A quick-log POST: ``rows`` are dicts of a student row's fields."""
    now = timezone.localtime() - datetime.timedelta(minutes=20)
    data = {
        "key": str(uuid.uuid4()),
        "school": school.pk,
        "occurred_on": now.date().isoformat(),
        "occurred_time": now.strftime("%H:%M"),
        "officer_role": "mentor",
        "category": category().pk,
        "initiator": "teacher",
        "outcome_all": "returned_to_administration",
        "action_all": "none",
        "anonymous_students": "0",
        "duration_minutes": "20",
        "place": "Cafeteria",
        "narrative": "Two students argued over a seat.",
        "students-TOTAL_FORMS": str(max(len(rows), 1)),
        "students-INITIAL_FORMS": "0",
        "students-MIN_NUM_FORMS": "0",
        "students-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"students-{index}-{name}"] = value
        data.setdefault(f"students-{index}-involvement", "involved")
    data.update(fields)
    return data


def test_the_quick_log_opens_on_todays_school_and_the_current_time(verified_client, officer, school):
    verified_client.login(officer.user)
    form = verified_client.get(CREATE).context["form"]
    assert form["school"].value() == school.pk
    assert form["occurred_on"].value() == timezone.localdate()
    now = timezone.localtime()
    opened = datetime.datetime.combine(now.date(), form["occurred_time"].value(), tzinfo=now.tzinfo)
    assert abs((now - opened).total_seconds()) < 120
    assert uuid.UUID(str(form["key"].value()))


def test_an_officer_logs_two_students_with_same_for_all_then_changes_one(
    verified_client, officer, school, student, second_student
):
    verified_client.login(officer.user)
    data = payload(
        school,
        {"student": "Jordan Ellis (200001)", "action": "custodial_arrest", "arrest_school_related": "yes"},
        {"student": "200002"},
        follow_up_needed="on",
        follow_up_due=(timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
    )
    response = verified_client.post(CREATE, data)
    interaction = Interaction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:interaction_detail", args=[interaction.pk])
    rows = {row.student_id: row for row in interaction.students.all()}
    assert rows[student.pk].outcome == rows[second_student.pk].outcome == "returned_to_administration"
    assert (rows[student.pk].action, rows[student.pk].crdc_school_related_arrest) == (
        "custodial_arrest",
        True,
    )
    assert rows[second_student.pk].action == "none"
    assert interaction.follow_up_due == timezone.localdate() + datetime.timedelta(days=3)
    # A double tap: the same key again is the same record, and says so.
    again = verified_client.post(CREATE, data, follow=True)
    assert Interaction.objects.count() == 1
    assert "already saved" in again.content.decode()


def test_add_a_student_shows_another_row_and_saves_nothing(verified_client, officer, school, student):
    verified_client.login(officer.user)
    data = payload(school, {"student": "200001"}, add_student="1")
    response = verified_client.post(CREATE, data)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 2
    assert Interaction.objects.count() == 0


def _bad(verified_client, officer, data, message):
    verified_client.login(officer.user)
    response = verified_client.post(CREATE, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Interaction.objects.count() == 0
    assert InteractionStudent.objects.count() == 0


def test_a_student_outside_the_officers_schools_is_a_form_error(
    verified_client, officer, school, outside_student
):
    _bad(verified_client, officer, payload(school, {"student": "300001"}), "No student with this name or id")


def test_a_future_date_is_a_form_error(verified_client, officer, school, student):
    later = timezone.localdate() + datetime.timedelta(days=1)
    data = payload(school, {"student": "200001"}, occurred_on=later.isoformat())
    _bad(verified_client, officer, data, "cannot be in the future")


def test_a_negative_duration_is_a_form_error(verified_client, officer, school):
    _bad(verified_client, officer, payload(school, duration_minutes="-5"), "greater than or equal to 0")


def test_an_unanswered_arrest_is_a_form_error(verified_client, officer, school, student):
    data = payload(school, {"student": "200001", "action": "custodial_arrest"})
    _bad(verified_client, officer, data, "was school-related")


def test_a_follow_up_due_before_the_interaction_is_a_form_error(verified_client, officer, school):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = payload(school, follow_up_needed="on", follow_up_due=yesterday.isoformat())
    _bad(verified_client, officer, data, "cannot be due before the interaction")


def test_a_forged_school_is_a_form_error(verified_client, officer, school, other_school):
    _bad(verified_client, officer, payload(other_school), "Select a valid choice")


def test_the_note_naming_a_student_not_on_the_record_warns_until_confirmed(
    verified_client, officer, school, student, second_student
):
    verified_client.login(officer.user)
    data = payload(school, {"student": "200001"}, narrative="Jordan Ellis pushed Riley Moreno.")
    response = verified_client.post(CREATE, data)
    assert response.status_code == 200
    assert "Riley Moreno" in response.context["named"][0].full_name
    assert Interaction.objects.count() == 0
    # The warning named the student: logged like any list.
    assert AccessLog.objects.filter(student=second_student, action=AccessAction.LIST).exists()
    response = verified_client.post(CREATE, {**data, "confirm_names": "on"})
    assert response.status_code == 302
    assert Interaction.objects.count() == 1


def test_the_record_names_students_only_to_those_who_may_see_them(
    verified_client,
    interaction,
    officer,
    school_admin,
    other_school_admin,
    coordinator,
    student,
    outside_student,
):
    # A student of the other school on the record: the other school's administrator sees that one only.
    InteractionStudent.objects.create(interaction=interaction, student=outside_student, involvement="witness")
    url = reverse("incidents:interaction_detail", args=[interaction.pk])
    for user, seen, hidden in [
        (officer.user, ["Jordan Ellis", "Riley Moreno", "Casey Nguyen"], []),
        (coordinator, ["Jordan Ellis", "Riley Moreno", "Casey Nguyen"], []),
        (school_admin, ["Jordan Ellis", "Riley Moreno"], ["Casey Nguyen"]),
        (other_school_admin, ["Casey Nguyen"], ["Jordan Ellis", "Riley Moreno"]),
    ]:
        verified_client.login(user)
        before = AccessLog.objects.filter(user=user).count()
        html = verified_client.get(url).content.decode()
        for name in seen:
            assert name in html, (user, name)
        for name in hidden:
            assert name not in html, (user, name)
        # The note may name anyone on the record: only those who see every name see it.
        assert ("argued over a seat" in html or "Talked it through" in html) is (not hidden), user
        # Each student named on the page is one access-log row.
        assert AccessLog.objects.filter(user=user, action=AccessAction.VIEW).count() - before == len(seen)


def test_the_type_ahead_lists_the_officers_roster_and_logs_the_listing(
    verified_client, officer, student, outside_student
):
    verified_client.login(officer.user)
    url = reverse("incidents:student_search")
    results = verified_client.get(url, {"q": "Jor"}).json()["results"]
    assert [r["value"] for r in results] == ["Jordan Ellis (200001)"]
    assert AccessLog.objects.filter(student=student, action=AccessAction.LIST, search="Jor").count() == 1
    assert verified_client.get(url, {"q": "Casey"}).json()["results"] == []


def test_the_home_page_carries_the_quick_log_and_the_last_category_and_student(
    verified_client, interaction, officer, student
):
    verified_client.login(officer.user)
    html = verified_client.get(reverse("home")).content.decode()
    assert "Log an interaction" in html
    assert f"{CREATE}?category={interaction.category_id}" in html
    assert f"{CREATE}?student={student.pk}" in html
    # One tap on a student opens the quick log with the student in the first row.
    form = verified_client.get(CREATE, {"student": student.pk}).context["formset"].forms[0]
    assert form["student"].value() == "Jordan Ellis (200001)"


def test_the_edit_page_closes_after_a_week(verified_client, interaction, officer):
    verified_client.login(officer.user)
    url = reverse("incidents:interaction_edit", args=[interaction.pk])
    assert verified_client.get(url).status_code == 200
    Interaction.objects.filter(pk=interaction.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert verified_client.get(url).status_code == 403
    assert verified_client.post(url, {}).status_code == 403


def test_the_officer_changes_the_record_through_the_edit_page(
    verified_client, interaction, officer, school, student
):
    verified_client.login(officer.user)
    url = reverse("incidents:interaction_edit", args=[interaction.pk])
    data = payload(school, {"student": "200001"}, key=str(interaction.key), narrative="Corrected note.")
    assert verified_client.post(url, data).status_code == 302
    interaction.refresh_from_db()
    assert interaction.narrative == "Corrected note."
    assert list(interaction.students.values_list("student_id", flat=True)) == [student.pk]


def test_the_list_filters(verified_client, officer, school, student, second_student, coordinator):
    log(author=officer.user, school=school, students=[student], narrative="lunch line dispute")
    log(
        author=officer.user,
        school=school,
        students=[second_student],
        category=category("Attendance"),
        narrative="Missed three days",
    )
    verified_client.login(coordinator)
    url = reverse("incidents:interaction_list")
    assert verified_client.get(url).context["page"].paginator.count == 2
    assert (
        verified_client.get(url, {"category": category("Attendance").pk}).context["page"].paginator.count == 1
    )
    assert verified_client.get(url, {"text": "lunch"}).context["page"].paginator.count == 1
    assert verified_client.get(url, {"outcome": "resolved"}).context["page"].paginator.count == 2
    assert verified_client.get(url, {"action": "custodial_arrest"}).context["page"].paginator.count == 0
    today = timezone.localdate().isoformat()
    assert (
        verified_client.get(url, {"occurred_from": today, "occurred_to": today})
        .context["page"]
        .paginator.count
        == 2
    )


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("person", ["officer", "coordinator", "school_admin"])
def test_the_list_and_record_run_the_same_queries_at_ten_times_the_data(
    request, verified_client, officer, school, person
):
    students = [StudentFactory(school=school) for _ in range(3)]
    log(author=officer.user, school=school, students=students)
    user = officer.user if person == "officer" else request.getfixturevalue(person)
    verified_client.login(user)
    url = reverse("incidents:interaction_list")
    detail = reverse("incidents:interaction_detail", args=[Interaction.objects.get().pk])
    small, small_detail = _count_queries(verified_client, url), _count_queries(verified_client, detail)
    for _ in range(10):
        log(author=officer.user, school=school, students=[StudentFactory(school=school) for _ in range(3)])
    assert _count_queries(verified_client, url) == small
    assert small <= 20
    # The record page writes one access-log row per student named, and nothing else grows.
    assert _count_queries(verified_client, detail) == small_detail


def test_a_supervisor_sees_no_record_and_no_section(verified_client, interaction, supervisor):
    verified_client.login(supervisor)
    nav = [item["label"] for item in verified_client.get(reverse("home")).context["nav_items"]]
    assert "Interactions" not in nav and "Quick log" not in nav


@pytest.mark.parametrize(
    ("person", "page"),
    [
        ("officer", "incidents:case_list"),
        ("coordinator", "incidents:case_list"),
        ("school_admin", "incidents:case_list"),
        ("coordinator", "incidents:follow_ups_overdue"),
        ("coordinator", "incidents:retention"),
        ("officer", "case_detail"),
        ("school_admin", "case_detail"),
    ],
)
def test_case_pages_run_the_same_queries_at_ten_times_the_data(
    request, verified_client, officer, school, person, page
):
    def grow(n):
        for _ in range(n):
            students = [StudentFactory(school=school, birth_date=datetime.date(1990, 1, 1)) for _ in range(2)]
            when = timezone.now() - datetime.timedelta(days=3)
            case = log(author=officer.user, school=school, students=students, when=when,
                       follow_up_due=timezone.localdate(when)).case  # fmt: skip
            from incidents.services.cases import case_note_add, referral_add

            case_note_add(user=officer.user, case=case, text="Met the family.")
            referral_add(user=officer.user, case=case, referred_to="counselor")

    grow(2)
    first_case = Interaction.objects.order_by("pk").first().case
    url = reverse("incidents:case_detail", args=[first_case.pk]) if page == "case_detail" else reverse(page)
    user = officer.user if person == "officer" else request.getfixturevalue(person)
    verified_client.login(user)
    small = _count_queries(verified_client, url)
    grow(20)
    assert _count_queries(verified_client, url) == small
    assert small <= 25
