"""Cases: opened from an interaction's follow-up or directly; referrals followed to their end;
follow-ups never due before the matter; an overdue follow-up reminded once, even by two workers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from district.models import AccessAction, AccessLog
from incidents.models import Case, CaseStatus, FollowUp, ReferralStatus
from incidents.services.cases import (
    case_open,
    case_open_from_interaction,
    case_status_set,
    follow_up_add,
    follow_up_done,
    follow_ups_remind_overdue,
    referral_add,
    referral_status_set,
)
from outbox.models import OutboundEmail
from tests.incidents.factories import log
from tests.threads import at_once

pytestmark = pytest.mark.django_db


def test_a_logged_follow_up_opens_a_case_with_the_students_and_the_task(
    officer, school, student, second_student
):
    due = timezone.localdate() + datetime.timedelta(days=3)
    interaction = log(
        author=officer.user, school=school, students=[student, second_student], follow_up_due=due
    )
    case = interaction.case
    assert case is not None and case.school == school
    assert set(case.students.values_list("pk", flat=True)) == {student.pk, second_student.pk}
    assert list(case.officers.all()) == [officer]
    (follow_up,) = case.follow_ups.all()
    assert (follow_up.owner, follow_up.due_on) == (officer.user, due)
    # Asking again is the same case.
    assert case_open_from_interaction(user=officer.user, interaction=interaction) == case
    assert Case.objects.count() == 1


def test_no_follow_up_no_case(interaction):
    assert interaction.case is None


def test_a_follow_up_due_before_the_interaction_is_refused(officer, school, student):
    when = timezone.now() - datetime.timedelta(days=5)
    interaction = log(author=officer.user, school=school, students=[student], when=when)
    case = case_open_from_interaction(user=officer.user, interaction=interaction)
    with pytest.raises(ValidationError, match="before the interaction"):
        follow_up_add(
            user=officer.user, case=case, task="Call home", owner=officer.user,
            due_on=timezone.localdate(when) - datetime.timedelta(days=1),
        )  # fmt: skip
    assert FollowUp.objects.count() == 0


def test_a_referral_is_followed_until_it_ends(interaction, officer):
    case = case_open_from_interaction(user=officer.user, interaction=interaction)
    referral = referral_add(user=officer.user, case=case, referred_to="social_worker", to_whom="Ms. Ortiz")
    assert referral.status == ReferralStatus.MADE
    referral_status_set(user=officer.user, referral=referral, status=ReferralStatus.ACCEPTED)
    referral_status_set(user=officer.user, referral=referral, status=ReferralStatus.COMPLETED)
    with pytest.raises(ValidationError, match="cannot become"):
        referral_status_set(user=officer.user, referral=referral, status=ReferralStatus.MADE)
    assert referral.history.count() == 3


def test_a_case_closes_only_with_a_reason(interaction, officer):
    case = case_open_from_interaction(user=officer.user, interaction=interaction)
    with pytest.raises(ValidationError, match="why"):
        case_status_set(user=officer.user, case=case, status=CaseStatus.CLOSED)
    case_status_set(
        user=officer.user, case=case, status=CaseStatus.CLOSED, reason="Attendance back to normal"
    )
    case.refresh_from_db()
    assert (case.status, case.closed_reason) == (CaseStatus.CLOSED, "Attendance back to normal")


def test_an_officer_opens_a_case_only_at_their_school(officer, school, other_school):
    assert case_open(user=officer.user, title="Truancy pattern", school=school).officers.get() == officer
    with pytest.raises(ValidationError, match="not assigned"):
        case_open(user=officer.user, title="Elsewhere", school=other_school)
    with pytest.raises(ValidationError, match="title"):
        case_open(user=officer.user, title=" ", school=school)


def _overdue(officer, school, student, days=2):
    when = timezone.now() - datetime.timedelta(days=days + 1)
    due = timezone.localdate() - datetime.timedelta(days=days)
    return log(author=officer.user, school=school, students=[student], when=when, follow_up_due=due)


def test_an_overdue_follow_up_is_reminded_once(officer, school, student, second_student):
    _overdue(officer, school, student)
    done = _overdue(officer, school, second_student).case.follow_ups.get()
    follow_up_done(user=officer.user, follow_up=done)
    log(
        author=officer.user, school=school, students=[student], follow_up_due=timezone.localdate()
    )  # due today
    assert follow_ups_remind_overdue() == 1
    email = OutboundEmail.objects.get()
    assert email.recipients == [officer.user.email]
    # No student's name leaves by email.
    assert "Jordan" not in email.body and "Ellis" not in email.body
    assert follow_ups_remind_overdue() == 0
    assert OutboundEmail.objects.count() == 1


def test_a_done_follow_up_cannot_be_done_twice(officer, school, student):
    follow_up = _overdue(officer, school, student).case.follow_ups.get()
    follow_up_done(user=officer.user, follow_up=follow_up)
    with pytest.raises(ValidationError, match="already"):
        follow_up_done(user=officer.user, follow_up=follow_up)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_remind_an_overdue_follow_up_once(officer, school, student):
    _overdue(officer, school, student)
    assert sorted(at_once(follow_ups_remind_overdue)) == [0, 1]
    assert OutboundEmail.objects.count() == 1


def test_the_case_page_names_students_by_role_and_logs_each_view(
    verified_client, officer, school, student, school_admin, other_school_admin, supervisor
):
    due = timezone.localdate() + datetime.timedelta(days=1)
    case = log(author=officer.user, school=school, students=[student], follow_up_due=due).case
    url = reverse("incidents:case_detail", args=[case.pk])
    verified_client.login(school_admin)
    html = verified_client.get(url).content.decode()
    assert "Jordan Ellis" in html and "Mark done" not in html
    assert AccessLog.objects.filter(user=school_admin, student=student, action=AccessAction.VIEW).count() == 1
    for outsider in (other_school_admin, supervisor):
        verified_client.login(outsider)
        assert verified_client.get(url).status_code in (403, 404)


def test_the_officer_works_the_case_through_its_page(verified_client, officer, school, student):
    due = timezone.localdate() + datetime.timedelta(days=1)
    case = log(author=officer.user, school=school, students=[student], follow_up_due=due).case
    verified_client.login(officer.user)
    detail = reverse("incidents:case_detail", args=[case.pk])
    verified_client.post(reverse("incidents:case_note", args=[case.pk]), {"text": "Met the family."})
    verified_client.post(reverse("incidents:referral_add", args=[case.pk]), {"service": "counselor"})
    referral = case.referrals.get()
    verified_client.post(
        reverse("incidents:referral_status", args=[case.pk, referral.pk]), {"status": "accepted"}
    )
    follow_up = case.follow_ups.get()
    verified_client.post(reverse("incidents:follow_up_done", args=[case.pk, follow_up.pk]))
    bad = verified_client.post(
        reverse("incidents:case_status", args=[case.pk]), {"status": "closed"}, follow=True
    )
    assert "Say why the case is closed." in bad.content.decode()
    html = verified_client.get(detail).content.decode()
    assert "Met the family." in html and "Accepted" in html and "Done" in html
    referral.refresh_from_db()
    follow_up.refresh_from_db()
    assert referral.status == "accepted" and follow_up.done_at is not None
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_the_coordinator_sees_overdue_follow_ups(verified_client, officer, school, student, coordinator):
    case = _overdue(officer, school, student).case
    verified_client.login(coordinator)
    html = verified_client.get(reverse("incidents:follow_ups_overdue")).content.decode()
    assert f"#{case.pk}" in html


# --- A follow-up added while the record is edited (within the week) ---------------------------


def _edit_payload(interaction, school, student, **fields):
    from tests.incidents.test_views import payload

    return payload(school, {"student": student.student_number}, key=str(interaction.key), **fields)


def test_a_follow_up_added_on_the_edit_page_opens_a_case(verified_client, officer, school, student):
    interaction = log(author=officer.user, school=school, students=[student])
    assert interaction.case is None
    due = timezone.localdate() + datetime.timedelta(days=4)
    verified_client.login(officer.user)
    url = reverse("incidents:interaction_edit", args=[interaction.pk])
    data = _edit_payload(interaction, school, student, follow_up_needed="on", follow_up_due=due.isoformat())
    assert verified_client.post(url, data).status_code == 302
    interaction.refresh_from_db()
    case = interaction.case
    assert case is not None and case.school == school
    assert list(case.students.all()) == [student] and list(case.officers.all()) == [officer]
    assert list(case.follow_ups.values_list("due_on", "owner_id", "done_at")) == [
        (due, officer.user.pk, None)
    ]
    # Saving the edit again with the same follow-up opens nothing more and adds no task.
    assert verified_client.post(url, data).status_code == 302
    assert Case.objects.count() == 1 and FollowUp.objects.count() == 1


def test_a_follow_up_moved_on_edit_moves_the_open_task_and_one_added_to_a_case_joins_it(
    officer, school, student
):
    from incidents.services.interactions import StudentEntry, interaction_update

    today = timezone.localdate()
    interaction = log(author=officer.user, school=school, students=[student],
                      follow_up_due=today + datetime.timedelta(days=2))  # fmt: skip
    fields = {
        "user": officer.user, "school": school, "occurred_at": interaction.occurred_at,
        "officer_role": "mentor", "category": interaction.category, "initiator": "teacher",
        "duration_minutes": 10,
        "students": [StudentEntry(student=student, outcome="resolved", action="none")],
    }  # fmt: skip
    interaction_update(interaction=interaction, follow_up_due=today + datetime.timedelta(days=5), **fields)
    case = Case.objects.get()
    assert list(case.follow_ups.values_list("due_on", flat=True)) == [today + datetime.timedelta(days=5)]
    # Taken off, the follow-up leaves the case and its task as they are.
    interaction_update(interaction=interaction, follow_up_due=None, **fields)
    assert case.follow_ups.count() == 1
    # A record put on a case without a follow-up: the follow-up added later joins that case.
    other = log(author=officer.user, school=school, students=[student])
    opened = case_open_from_interaction(user=officer.user, interaction=other)
    interaction_update(interaction=other, follow_up_due=today + datetime.timedelta(days=3), **fields)
    assert Case.objects.count() == 2
    assert list(opened.follow_ups.values_list("due_on", flat=True)) == [today + datetime.timedelta(days=3)]


def test_an_edit_with_a_follow_up_due_before_the_interaction_opens_no_case(officer, school, student):
    from incidents.services.interactions import interaction_update

    interaction = log(author=officer.user, school=school, students=[student])
    with pytest.raises(ValidationError):
        interaction_update(
            user=officer.user, interaction=interaction, school=school, occurred_at=interaction.occurred_at,
            officer_role="mentor", category=interaction.category, initiator="teacher", duration_minutes=10,
            follow_up_due=timezone.localdate() - datetime.timedelta(days=3),
        )  # fmt: skip
    assert not Case.objects.exists()
    interaction.refresh_from_db()
    assert interaction.case_id is None and interaction.follow_up_due is None
