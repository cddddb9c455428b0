"""District-level joint sessions: capacity, invitations and attendance that creates records."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from district.roles import Role
from officers.models import SessionParticipant, TrainingRecord
from officers.services import training as services
from tests.district.factories import StaffFactory, UserFactory
from tests.officers.factories import OfficerFactory, TrainingRecordFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

PAST = datetime.date(2026, 10, 1)


@pytest.fixture
def session(db):
    return TrainingSessionFactory(
        date=PAST, capacity=3, course__title="Joint threat assessment", course__hours=6
    )


def test_invitations_mix_officers_administrators_and_staff(session, officer, district_admin):
    staff = StaffFactory()
    added = services.session_invite(
        session=session, officers=[officer], users=[district_admin], staff=[staff]
    )
    assert added == 3
    assert session.participants.count() == 3
    # Inviting someone again adds nobody.
    assert services.session_invite(session=session, officers=[officer]) == 0


def test_invitations_cannot_exceed_capacity(session):
    officers = [OfficerFactory() for _ in range(4)]
    with pytest.raises(ValidationError, match="holds 3 people"):
        services.session_invite(session=session, officers=officers)
    assert session.participants.count() == 0
    services.session_invite(session=session, officers=officers[:2])
    with pytest.raises(ValidationError, match="at most 1 more"):
        services.session_invite(session=session, officers=officers[2:])


def test_capacity_cannot_drop_below_the_invited(session):
    services.session_invite(session=session, officers=[OfficerFactory(), OfficerFactory()])
    session.capacity = 1
    with pytest.raises(ValidationError):
        services.training_session_save(session=session)


def test_attendance_creates_records_idempotently(session, coordinator, district_admin):
    present, absent = OfficerFactory(), OfficerFactory()
    services.session_invite(session=session, officers=[present, absent], users=[district_admin])
    ids = {p.officer_id or p.user_id: p.pk for p in session.participants.all()}
    attended = [ids[present.pk], ids[district_admin.pk]]

    services.session_attendance_take(session=session, attended_ids=attended, user=coordinator)
    services.session_attendance_take(session=session, attended_ids=attended, user=coordinator)

    record = TrainingRecord.objects.get()
    assert record.officer == present
    assert record.session == session
    assert record.hours == 6
    assert record.completed_on == PAST
    assert record.expires_on == session.course.expiry_for(PAST)
    assert record.verified_by == coordinator
    assert SessionParticipant.objects.get(pk=ids[absent.pk]).attended is False
    assert SessionParticipant.objects.get(pk=ids[district_admin.pk]).attended is True
    session.refresh_from_db()
    assert session.attendance_taken_at is not None


def test_unticking_removes_only_the_record_attendance_created(session, coordinator):
    officer_a, officer_b = OfficerFactory(), OfficerFactory()
    # officer_b already entered this completion themself: attendance must not take it away.
    own = TrainingRecordFactory(officer=officer_b, course=session.course, completed_on=session.date)
    services.session_invite(session=session, officers=[officer_a, officer_b])
    everyone = list(session.participants.values_list("pk", flat=True))
    services.session_attendance_take(session=session, attended_ids=everyone, user=coordinator)
    assert TrainingRecord.objects.count() == 2

    services.session_attendance_take(session=session, attended_ids=[], user=coordinator)
    assert list(TrainingRecord.objects.all()) == [own]


def test_attendance_waits_for_the_day(coordinator):
    future = TrainingSessionFactory(date=datetime.date(2099, 1, 1))
    with pytest.raises(ValidationError):
        services.session_attendance_take(session=future, attended_ids=[], user=coordinator)


def test_invite_form_refuses_more_than_capacity(verified_client, coordinator, session):
    officers = [OfficerFactory() for _ in range(4)]
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("officers:session_invite", args=[session.pk]), {"officers": [o.pk for o in officers]}
    )
    assert response.status_code == 400
    assert "you can invite at most 3 more (you chose 4)" in response.content.decode()
    assert session.participants.count() == 0


def test_attendance_page_creates_records(verified_client, coordinator, session):
    officer = OfficerFactory()
    staff = StaffFactory()
    services.session_invite(session=session, officers=[officer], staff=[staff])
    participant = session.participants.get(officer=officer)
    verified_client.login(coordinator)
    url = reverse("officers:session_attendance", args=[session.pk])
    assert verified_client.get(url).status_code == 200
    for _ in range(2):
        response = verified_client.post(url, {"attended": [participant.pk]})
        assert response.status_code == 302
    assert TrainingRecord.objects.filter(officer=officer, session=session).count() == 1
    detail = verified_client.get(reverse("officers:session_detail", args=[session.pk]))
    assert detail.status_code == 200


def test_invited_officer_sees_the_session_but_not_the_list(verified_client, officer, officer_user, session):
    other = TrainingSessionFactory(date=PAST)
    services.session_invite(session=session, officers=[officer])
    verified_client.login(officer_user)
    assert verified_client.get(reverse("officers:session_detail", args=[session.pk])).status_code == 200
    assert verified_client.get(reverse("officers:session_detail", args=[other.pk])).status_code == 404
    assert verified_client.post(reverse("officers:session_attendance", args=[session.pk])).status_code == 403


def test_invite_form_offers_administrators(coordinator, session):
    from officers.forms.training import SessionInviteForm

    admin = UserFactory(username="ap", roles=[Role.ADMINISTRATOR])
    form = SessionInviteForm(session=session)
    assert admin in form.fields["users"].queryset
