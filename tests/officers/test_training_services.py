"""Training services and selectors: expiry, the compliance matrix, hours, and expiry warnings."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from officers import tasks
from officers.models import TrainingExpiryWarning, WarningKind
from officers.selectors.training import CellStatus, record_status, sro_home_context, training_matrix
from officers.services import training as services
from outbox import services as outbox_services
from outbox.models import EmailStatus, OutboundEmail
from tests.officers.factories import (
    AssignmentDayFactory,
    OfficerFactory,
    TrainingCourseFactory,
    TrainingPolicyFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 2)


# --- expiry ---------------------------------------------------------------------------------


def test_expiry_comes_from_the_course_renewal(officer):
    course = TrainingCourseFactory(renewal_months=36)
    record = services.training_record_create(
        officer=officer, course=course, completed_on=datetime.date(2026, 1, 31)
    )
    assert record.expires_on == datetime.date(2029, 1, 31)
    assert record.hours == course.hours
    assert record.verified_at is None


def test_course_without_renewal_never_expires(officer):
    course = TrainingCourseFactory(renewal_months=None)
    record = services.training_record_create(
        officer=officer, course=course, completed_on=datetime.date(2026, 3, 1)
    )
    assert record.expires_on is None
    assert record_status(expires_on=record.expires_on, today=TODAY) == CellStatus.CURRENT


def test_expiry_is_recomputed_when_the_completion_date_changes(officer):
    course = TrainingCourseFactory(renewal_months=12)
    record = services.training_record_create(
        officer=officer, course=course, completed_on=datetime.date(2025, 12, 1)
    )
    TrainingExpiryWarning.objects.create(record=record, days_before=WarningKind.DAYS_30)
    services.training_record_update(
        record=record, course=course, completed_on=datetime.date(2026, 6, 1), hours=Decimal("4")
    )
    record.refresh_from_db()
    assert record.expires_on == datetime.date(2027, 6, 1)
    assert record.hours == Decimal("4")
    assert not record.warnings.exists(), "warnings about the old expiry date no longer apply"


def test_a_second_record_of_the_same_completion_is_refused(officer):
    course = TrainingCourseFactory()
    services.training_record_create(officer=officer, course=course, completed_on=datetime.date(2026, 3, 1))
    with pytest.raises(ValidationError):
        services.training_record_create(
            officer=officer, course=course, completed_on=datetime.date(2026, 3, 1)
        )


def test_verify_marks_who_and_when(officer, coordinator):
    record = TrainingRecordFactory(officer=officer)
    services.training_record_verify(record=record, user=coordinator)
    record.refresh_from_db()
    assert record.verified_by == coordinator
    assert record.verified_at is not None


# --- matrix ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "status"),
    [
        (None, CellStatus.CURRENT),
        (61, CellStatus.CURRENT),
        (60, CellStatus.EXPIRING),
        (1, CellStatus.EXPIRING),
        (0, CellStatus.EXPIRED),
        (-30, CellStatus.EXPIRED),
    ],
)
def test_status_boundaries(days_left, status):
    expires_on = None if days_left is None else TODAY + datetime.timedelta(days=days_left)
    assert record_status(expires_on=expires_on, today=TODAY) == status


def test_matrix_statuses_use_the_latest_record(coordinator, officer, academic_year):
    basic = TrainingCourseFactory(title="Basic SRO", renewal_months=12)
    deesc = TrainingCourseFactory(title="De-escalation", renewal_months=12)
    privacy = TrainingCourseFactory(title="FERPA", renewal_months=12)
    TrainingCourseFactory(title="Elective", required_for=[])  # not a column
    # An old expired completion superseded by a current one: current.
    TrainingRecordFactory(officer=officer, course=basic, completed_on=datetime.date(2024, 1, 1))
    TrainingRecordFactory(officer=officer, course=basic, completed_on=TODAY - datetime.timedelta(days=10))
    # Expires exactly 60 days from today: expiring.
    expiring_completion = TODAY + datetime.timedelta(days=60) - datetime.timedelta(days=365)
    TrainingRecordFactory(officer=officer, course=deesc, completed_on=expiring_completion)
    assert deesc.expiry_for(expiring_completion) == TODAY + datetime.timedelta(days=60)

    matrix = training_matrix(user=coordinator, today=TODAY)

    assert [c.title for c in matrix.courses] == ["Basic SRO", "De-escalation", "FERPA"]
    (row,) = matrix.rows
    assert [cell.status for cell in row.cells] == [
        CellStatus.CURRENT,
        CellStatus.EXPIRING,
        CellStatus.MISSING,
    ]
    assert privacy.pk == row.cells[2].course.pk


def test_matrix_one_day_further_is_current(coordinator, officer, academic_year):
    course = TrainingCourseFactory(renewal_months=12)
    completion = TODAY + datetime.timedelta(days=61) - datetime.timedelta(days=365)
    TrainingRecordFactory(officer=officer, course=course, completed_on=completion)
    (row,) = training_matrix(user=coordinator, today=TODAY).rows
    assert row.cells[0].status == CellStatus.CURRENT


def test_hours_count_verified_records_within_the_year(coordinator, officer, academic_year):
    TrainingPolicyFactory(academic_year=academic_year, minimum_hours=Decimal("24"))
    course = TrainingCourseFactory(hours=Decimal("10"))
    verified = {"verified_by": coordinator, "verified_at": datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC)}
    TrainingRecordFactory(officer=officer, course=course, completed_on=academic_year.start_date, **verified)
    TrainingRecordFactory(
        officer=officer,
        course=course,
        completed_on=academic_year.start_date + datetime.timedelta(days=5),
        **verified,
    )
    # Not verified, and before the year: neither counts.
    TrainingRecordFactory(
        officer=officer, course=course, completed_on=academic_year.start_date + datetime.timedelta(1)
    )
    TrainingRecordFactory(
        officer=officer,
        course=course,
        completed_on=academic_year.start_date - datetime.timedelta(1),
        **verified,
    )
    (row,) = training_matrix(user=coordinator, today=TODAY).rows
    assert row.hours == Decimal("20")
    assert row.minimum_hours == Decimal("24")
    assert row.meets_minimum is False
    TrainingRecordFactory(
        officer=officer,
        course=course,
        completed_on=academic_year.start_date + datetime.timedelta(9),
        **verified,
    )
    (row,) = training_matrix(user=coordinator, today=TODAY).rows
    assert row.meets_minimum is True


def test_matrix_is_scoped(officer, supervisor, school_admin, other_school_admin, agency, academic_year):
    other_agency_officer = OfficerFactory(agency__name="Milton Police Department")
    assert [r.officer for r in training_matrix(user=supervisor).rows] == [officer]
    assert [r.officer for r in training_matrix(user=school_admin).rows] == [officer]
    assert training_matrix(user=other_school_admin).rows == []
    assert other_agency_officer not in [r.officer for r in training_matrix(user=supervisor).rows]


def test_sro_home_shows_today_and_training_due(officer, officer_user, academic_year):
    course = TrainingCourseFactory(title="Mental health first aid")
    assignment = officer.assignments.get()
    import django.utils.timezone as tz

    AssignmentDayFactory(assignment=assignment, weekday=tz.localdate().weekday())
    context = sro_home_context(user=officer_user)
    assert [a.school for a in context["sro_assignments_today"]] == [assignment.school]
    assert context["sro_assignments_today"][0].today_hours is not None
    assert [cell.course for cell in context["sro_training_due"]] == [course]
    assert context["sro_training_due"][0].status == CellStatus.MISSING


# --- warnings -------------------------------------------------------------------------------

OFFICER_EMAIL = "deputy@sheriff.example"


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    """Run the daily dispatcher and commit, so the outbox sends what it queued."""

    def run(today):
        with django_capture_on_commit_callbacks(execute=True):
            return services.training_warnings_dispatch(today=today)

    return run


def _warned(record):
    return sorted(record.warnings.values_list("days_before", flat=True))


def _sent_to(address):
    return [message.subject for message in mail.outbox if address in message.to]


def _time_passes():
    """Every queued email's backoff has run out."""
    OutboundEmail.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(hours=1))


@pytest.mark.parametrize(
    ("today", "threshold"),
    [
        (datetime.date(2026, 11, 1), None),  # 61 days left
        (datetime.date(2026, 11, 2), WarningKind.DAYS_60),
        (datetime.date(2026, 12, 2), WarningKind.DAYS_30),
        (datetime.date(2026, 12, 25), WarningKind.DAYS_7),
        (datetime.date(2027, 1, 1), WarningKind.EXPIRED),
        (datetime.date(2027, 2, 1), WarningKind.EXPIRED),  # past expiry, never warned: catches up
    ],
)
def test_the_right_threshold_on_the_right_day(expiring, coordinator, dispatch, today, threshold):
    dispatch(today)
    if threshold is None:
        assert not expiring.warnings.exists()
        assert mail.outbox == []
    else:
        assert _warned(expiring) == [threshold]
        # One email each to the officer and the coordinator.
        assert sorted(m.to[0] for m in mail.outbox) == sorted([OFFICER_EMAIL, coordinator.email])


def test_a_missed_day_sends_only_the_most_urgent_pending_threshold(expiring, coordinator, dispatch):
    # Nothing ran between 60 days before and 5 days before: only the 7-day warning goes.
    dispatch(datetime.date(2026, 12, 27))
    assert _warned(expiring) == [WarningKind.DAYS_7]
    name = expiring.officer.full_name
    assert _sent_to(OFFICER_EMAIL) == [f"Training expires in 5 days: Crisis intervention ({name})"]
    assert len(_sent_to(coordinator.email)) == 1


def test_whole_schedule_sends_each_warning_once_to_each_person(expiring, coordinator, dispatch):
    day = datetime.date(2026, 10, 25)
    while day <= datetime.date(2027, 1, 10):
        dispatch(day)
        dispatch(day)  # a second beat, or a retry, the same day
        day += datetime.timedelta(days=1)
    assert _warned(expiring) == [0, 7, 30, 60]
    assert len(_sent_to(OFFICER_EMAIL)) == 4
    assert len(_sent_to(coordinator.email)) == 4
    assert len(mail.outbox) == 8
    assert all(len(message.to) == 1 and not message.cc for message in mail.outbox)
    assert OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == 8


def test_claiming_and_queueing_are_one_transaction(expiring, dispatch):
    with (
        mock.patch("officers.services.training.email_queue", side_effect=OperationalError("lost")),
        pytest.raises(OperationalError),
    ):
        dispatch(datetime.date(2026, 11, 2))
    assert not expiring.warnings.exists(), "no warning is claimed without its emails"
    dispatch(datetime.date(2026, 11, 2))  # the next run claims it and queues its emails
    assert _warned(expiring) == [WarningKind.DAYS_60]
    assert len(mail.outbox) == 2


def test_a_failed_send_is_retried_by_the_outbox_and_never_doubled(
    expiring, coordinator, dispatch, tasks_retry_as_on_a_worker, django_capture_on_commit_callbacks
):
    day = datetime.date(2026, 11, 2)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError):
        assert dispatch(day) == 1
    assert _warned(expiring) == [WarningKind.DAYS_60], "claimed, its emails waiting in the outbox"
    assert mail.outbox == []
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.DUE}

    assert dispatch(day) == 0, "the same day again claims nothing new"
    _time_passes()
    with django_capture_on_commit_callbacks(execute=True):
        outbox_services.emails_dispatch()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([OFFICER_EMAIL, coordinator.email])
    assert dispatch(day + datetime.timedelta(days=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        outbox_services.emails_dispatch(now=timezone.now() + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2
    assert expiring.warnings.count() == 1


def test_a_superseded_record_gets_no_warnings(expiring, dispatch):
    TrainingRecordFactory(
        officer=expiring.officer, course=expiring.course, completed_on=datetime.date(2026, 10, 1)
    )
    dispatch(datetime.date(2026, 12, 25))
    assert not expiring.warnings.exists()
    assert mail.outbox == []


def test_a_queued_warning_of_a_record_superseded_later_is_not_sent(
    expiring, dispatch, tasks_retry_as_on_a_worker, django_capture_on_commit_callbacks
):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError):
        dispatch(datetime.date(2026, 11, 2))
    services.training_record_create(
        officer=expiring.officer, course=expiring.course, completed_on=datetime.date(2026, 11, 3)
    )
    _time_passes()
    with django_capture_on_commit_callbacks(execute=True):
        outbox_services.emails_dispatch()
    dispatch(datetime.date(2026, 11, 4))
    assert mail.outbox == []
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.CANCELLED}


def test_a_queued_warning_about_a_changed_expiry_date_is_not_sent(
    expiring, dispatch, tasks_retry_as_on_a_worker, django_capture_on_commit_callbacks
):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError):
        dispatch(datetime.date(2026, 11, 2))
    services.training_record_update(
        record=expiring, course=expiring.course, completed_on=datetime.date(2026, 6, 1)
    )
    _time_passes()
    with django_capture_on_commit_callbacks(execute=True):
        outbox_services.emails_dispatch()
    assert mail.outbox == []
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.CANCELLED}


def test_the_beat_task_dispatches_through_the_services(
    officer, coordinator, django_capture_on_commit_callbacks
):
    import django.utils.timezone as tz

    course = TrainingCourseFactory(renewal_months=12)
    completion = tz.localdate() + datetime.timedelta(days=7) - datetime.timedelta(days=365)
    record = TrainingRecordFactory(officer=officer, course=course, completed_on=completion)
    assert record.expires_on == tz.localdate() + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.training_warnings_dispatch.delay()
        tasks.training_warnings_dispatch.delay()
    assert _warned(record) == [WarningKind.DAYS_7]
    assert len(_sent_to(coordinator.email)) == 1
    assert len(mail.outbox) == 2  # the officer (by the user's address) and the coordinator


def test_beat_schedule_runs_the_dispatcher_daily():
    from sro_program.celery import app

    entries = [
        e for e in app.conf.beat_schedule.values() if e["task"] == "officers.tasks.training_warnings_dispatch"
    ]
    assert len(entries) == 1


@override_settings(OUTBOX_MAX_ATTEMPTS=1)
def test_a_failed_warning_overtaken_by_a_more_urgent_one_is_not_sent_as_well(
    expiring, dispatch, tasks_retry_as_on_a_worker, django_capture_on_commit_callbacks
):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError):
        dispatch(datetime.date(2026, 11, 2))  # the 60-day emails fail for good
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.FAILED}
    assert dispatch(datetime.date(2026, 12, 2)) == 1
    assert _warned(expiring) == [WarningKind.DAYS_30, WarningKind.DAYS_60]
    assert [s.split(":")[0] for s in _sent_to(OFFICER_EMAIL)] == ["Training expires in 30 days"]
    dispatch(datetime.date(2026, 12, 3))
    with django_capture_on_commit_callbacks(execute=True):
        outbox_services.emails_dispatch(now=timezone.now() + datetime.timedelta(days=40))
    assert len(_sent_to(OFFICER_EMAIL)) == 1


# --- records: the service's own checks ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("cert.pdf", b"MZ\x90\x00 an executable", "wrong_type"),
        ("cert.png", b"%PDF-1.7\n%%EOF\n", "wrong_type"),
        ("cert.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "too_large"),
    ],
)
def test_the_service_refuses_a_bad_certificate_whoever_calls_it(officer, name, content, code):
    from django.core.files.uploadedfile import SimpleUploadedFile

    course = TrainingCourseFactory()
    with pytest.raises(ValidationError) as error:
        services.training_record_create(
            officer=officer,
            course=course,
            completed_on=datetime.date(2026, 3, 1),
            certificate=SimpleUploadedFile(name, content),
        )
    assert [e.code for e in error.value.error_dict["certificate"]] == [code]
    record = TrainingRecordFactory(officer=officer, course=course)
    with pytest.raises(ValidationError):
        services.training_record_update(
            record=record,
            course=course,
            completed_on=datetime.date(2026, 4, 1),
            certificate=SimpleUploadedFile(name, content),
        )
    record.refresh_from_db()
    assert record.completed_on == datetime.date(2026, 1, 15) and not record.certificate
    assert officer.training_records.count() == 1


def test_an_update_without_hours_takes_the_courses(officer):
    course = TrainingCourseFactory(hours=Decimal("6"))
    record = TrainingRecordFactory(officer=officer, course=course, hours=Decimal("2"))
    services.training_record_update(record=record, course=course, completed_on=record.completed_on)
    record.refresh_from_db()
    assert record.hours == Decimal("6")


def test_a_lost_race_on_the_same_completion_is_a_validation_error(officer):
    course = TrainingCourseFactory()
    services.training_record_create(officer=officer, course=course, completed_on=datetime.date(2026, 3, 1))
    # The other request saved the same completion after our check ran: only the database notices.
    with (
        mock.patch.object(services.TrainingRecord.objects, "filter") as check,
        pytest.raises(ValidationError) as error,
    ):
        check.return_value.exists.return_value = False
        services.training_record_create(
            officer=officer, course=course, completed_on=datetime.date(2026, 3, 1)
        )
    assert "completed_on" in error.value.error_dict
    assert officer.training_records.count() == 1  # and the transaction is still usable
