"""The system administrator reads the outbox in the admin but cannot change it; the settings are checked."""

import pytest
from django.test import override_settings
from django.urls import reverse

from outbox.apps import claim_timeout_check
from outbox.models import EmailStatus
from sro_program.celery import app
from tests.district.factories import UserFactory
from tests.outbox.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def system_admin(verified_client):
    verified_client.login(UserFactory(username="sysadmin", is_staff=True, is_superuser=True))
    return verified_client


def test_the_system_administrator_sees_failed_emails_and_why(system_admin):
    failed = OutboundEmailFactory(key="feedback-invite:9", status=EmailStatus.FAILED, last_error="SMTP 550")
    OutboundEmailFactory(key="feedback-invite:10", status=EmailStatus.SENT)
    changelist = reverse("admin:outbox_outboundemail_changelist")
    response = system_admin.get(changelist, {"status__exact": "failed"})
    assert response.status_code == 200
    assert "feedback-invite:9" in response.text and "feedback-invite:10" not in response.text
    detail = system_admin.get(reverse("admin:outbox_outboundemail_change", args=[failed.pk]))
    assert detail.status_code == 200 and "SMTP 550" in detail.text


def test_the_outbox_admin_is_read_only(system_admin):
    email = OutboundEmailFactory(status=EmailStatus.FAILED)
    assert system_admin.get(reverse("admin:outbox_outboundemail_add")).status_code == 403
    change = reverse("admin:outbox_outboundemail_change", args=[email.pk])
    response = system_admin.post(change, {"status": "due", "key": email.key})
    assert response.status_code == 403
    delete = reverse("admin:outbox_outboundemail_delete", args=[email.pk])
    assert system_admin.post(delete, {"post": "yes"}).status_code == 403
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED


def test_the_dispatcher_runs_every_minute_from_the_one_schedule():
    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == "outbox.tasks.emails_dispatch"]
    assert len(entries) == 1 and entries[0]["schedule"] == 60.0


def test_the_settings_as_shipped_pass_the_check():
    assert claim_timeout_check(None) == []


@pytest.mark.parametrize(
    ("email_timeout", "claim_timeout"), [(None, 600), (300, 600)], ids=["no-smtp-timeout", "claim-too-short"]
)
def test_a_claim_timeout_a_slow_send_could_outlive_is_refused(email_timeout, claim_timeout):
    with override_settings(EMAIL_TIMEOUT=email_timeout, OUTBOX_CLAIM_TIMEOUT_SECONDS=claim_timeout):
        (error,) = claim_timeout_check(None)
    assert error.id == "outbox.E001"
