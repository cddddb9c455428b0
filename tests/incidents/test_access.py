"""Who may open each incidents page. Student names are for the writing officer, coordinators and
administrators of the student's school; agency supervisors and people with no role get no page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from district.models import AccessAction, AccessLog
from incidents.models import Case, Incident, IncidentNotification, IncidentPerson, IncidentType
from incidents.selectors.retention import retention_rule
from tests.access import access_table, status_for

pytestmark = pytest.mark.django_db

# In the order of tests.access.PEOPLE: anonymous, outsider, officer_user (who wrote the record),
# supervisor, school_admin (the record's school), other_school_admin, district_admin, coordinator.
GETS = {
    "interaction_list": [302, 403, 200, 403, 200, 200, 200, 200],
    "interaction_create": [302, 403, 200, 403, 403, 403, 403, 403],
    "student_search": [302, 403, 200, 403, 403, 403, 403, 403],
    "interaction_detail": [302, 403, 200, 403, 200, 404, 200, 200],
    "interaction_edit": [302, 403, 200, 403, 403, 403, 403, 403],
    # The hand-over of a record: its writing officer, or a coordinator.
    "interaction_disclose": [302, 403, 200, 403, 403, 404, 403, 200],
    # The export names students of every school: coordinators only.
    "interaction_export": [302, 403, 403, 403, 403, 403, 403, 200],
    # A student's register: coordinators and administrators of the student's school.
    "student_disclosures": [302, 403, 403, 403, 200, 404, 200, 200],
    "retention": [302, 403, 403, 403, 403, 403, 403, 200],
    "case_list": [302, 403, 200, 403, 200, 200, 200, 200],
    "case_create": [302, 403, 200, 403, 403, 403, 403, 200],
    "case_detail": [302, 403, 200, 403, 200, 404, 200, 200],
    "follow_ups_overdue": [302, 403, 403, 403, 403, 403, 403, 200],
    "category_list": [302, 403, 403, 403, 403, 403, 403, 200],
    "category_create": [302, 403, 403, 403, 403, 403, 403, 200],
    "category_edit": [302, 403, 403, 403, 403, 403, 403, 200],
    "incident_list": [302, 403, 200, 403, 200, 200, 200, 200],
    "incident_create": [302, 403, 200, 403, 403, 403, 403, 403],
    "incident_detail": [302, 403, 200, 403, 200, 404, 200, 200],
    "incident_edit": [302, 403, 200, 403, 403, 403, 403, 403],
    # The incident types: the coordinator's list.
    "incident_type_list": [302, 403, 403, 403, 403, 403, 403, 200],
    "incident_type_create": [302, 403, 403, 403, 403, 403, 403, 200],
    "incident_type_edit": [302, 403, 403, 403, 403, 403, 403, 200],
}
POSTS = {
    # Only the writing officer adds an addendum; the one who may not see the record gets 404.
    "addendum_add": [302, 403, 302, 403, 403, 404, 403, 403],
    "interaction_disclose": [302, 403, 302, 403, 403, 404, 403, 302],
    "interaction_export": [302, 403, 403, 403, 403, 403, 403, 200],
    "retention": [302, 403, 403, 403, 403, 403, 403, 302],
    # Working a case: its officers and coordinators; an administrator reads it only.
    "case_note": [302, 403, 302, 403, 403, 404, 403, 302],
    "follow_up_add": [302, 403, 302, 403, 403, 404, 403, 302],
    "follow_up_done": [302, 403, 302, 403, 403, 404, 403, 302],
    "referral_add": [302, 403, 302, 403, 403, 404, 403, 302],
    "referral_status": [302, 403, 302, 403, 403, 404, 403, 302],
    "case_status": [302, 403, 302, 403, 403, 404, 403, 302],
    "case_from_interaction": [302, 403, 302, 403, 403, 403, 403, 302],
    # Only the officer who wrote the report (or the interaction) changes it.
    "incident_promote": [302, 403, 302, 403, 403, 403, 403, 403],
    "incident_person": [302, 403, 302, 403, 403, 403, 403, 403],
    "incident_notification": [302, 403, 302, 403, 403, 403, 403, 403],
    "incident_status": [302, 403, 302, 403, 403, 403, 403, 403],
}


def _url(page, interaction):
    case = interaction.case
    if page in ("case_detail", "case_note", "follow_up_add", "referral_add", "case_status"):
        return reverse(f"incidents:{page}", args=[case.pk])
    if page == "follow_up_done":
        return reverse(f"incidents:{page}", args=[case.pk, case.follow_ups.get().pk])
    if page == "referral_status":
        return reverse(f"incidents:{page}", args=[case.pk, case.referrals.get().pk])
    if page == "case_from_interaction":
        return reverse(f"incidents:{page}", args=[interaction.pk])
    if page in (
        "incident_detail",
        "incident_edit",
        "incident_person",
        "incident_notification",
        "incident_status",
    ):
        return reverse(f"incidents:{page}", args=[Incident.objects.get(interaction=interaction).pk])
    if page == "incident_promote":
        return reverse(f"incidents:{page}", args=[interaction.pk])
    if page == "category_edit":
        return reverse(f"incidents:{page}", args=[interaction.category_id])
    if page == "incident_type_edit":
        return reverse(f"incidents:{page}", args=[IncidentType.objects.get(name="Riot").pk])
    if page == "student_disclosures":
        return reverse(f"incidents:{page}", args=[interaction.students.first().student_id])
    if page in ("interaction_detail", "interaction_edit", "addendum_add", "interaction_disclose"):
        return reverse(f"incidents:{page}", args=[interaction.pk])
    return reverse(f"incidents:{page}")


@pytest.mark.parametrize(("page", "person", "expected"), access_table(GETS))
def test_who_may_open_each_page(request, client, verified_client, interaction, case, page, person, expected):
    assert status_for(request, client, verified_client, person, _url(page, interaction)) == expected


@pytest.fixture
def case(interaction, officer):
    """``interaction``'s case with one follow-up and one referral."""
    from incidents.services.cases import case_open_from_interaction, referral_add

    case = case_open_from_interaction(
        user=officer.user,
        interaction=interaction,
        follow_up_due=timezone.localdate() + datetime.timedelta(days=2),
    )
    referral_add(user=officer.user, case=case, referred_to="nurse")
    interaction.refresh_from_db()
    # And the incident report promoted from it (its two students).
    from incidents.services.incidents import incident_promote

    incident_promote(
        user=officer.user,
        interaction=interaction,
        incident_type=IncidentType.objects.get(name="Minor altercations"),
    )
    return case


@pytest.mark.parametrize(("page", "person", "expected"), access_table(POSTS))
def test_who_may_add_to_a_record(request, client, verified_client, interaction, case, page, person, expected):
    if page == "case_from_interaction":
        interaction.case = None
        interaction.save()
    if page == "incident_promote":
        Incident.objects.all().delete()
    url = _url(page, interaction)
    data = {
        "text": "Spoke with the guardian.",
        "recipient": "Sgt. Ortiz, County Sheriff",
        "purpose": "Court subpoena",
        "description": "This record",
        "destination": "inside",
        "save_rule": "1",
        "name": "Local rule",
        "age_years": "30",
        "task": "Call the family",
        "owner": interaction.author_id,
        "due_on": "2099-01-01",
        "service": "counselor",
        "status": {"referral_status": "accepted", "incident_status": "submitted"}.get(page, "monitoring"),
        "incident_type": IncidentType.objects.get(name="Riot").pk,
        "kind": "staff",
        "part": "target",
        "party": "administrator",
        "notified_on": timezone.localdate().isoformat(),
        "notified_time": timezone.localtime().strftime("%H:%M"),
    }
    assert status_for(request, client, verified_client, person, url, method="post", data=data) == expected
    changed = {
        "addendum_add": lambda: interaction.addenda.count(),
        "interaction_disclose": lambda: interaction.disclosures.count(),
        "interaction_export": lambda: AccessLog.objects.filter(action=AccessAction.EXPORT).count() // 2,
        "retention": lambda: int(retention_rule().age_years == 30),
        "case_note": lambda: interaction.case.notes.count(),
        "follow_up_add": lambda: interaction.case.follow_ups.count() - 1,
        "follow_up_done": lambda: interaction.case.follow_ups.filter(done_at__isnull=False).count(),
        "referral_add": lambda: interaction.case.referrals.count() - 1,
        "referral_status": lambda: interaction.case.referrals.filter(status="accepted").count(),
        "case_status": lambda: interaction.case.history.count() - 1,
        "case_from_interaction": lambda: Case.objects.count() - 1,
        "incident_promote": lambda: Incident.objects.count(),
        "incident_person": lambda: IncidentPerson.objects.count() - 2,
        "incident_notification": lambda: IncidentNotification.objects.count(),
        "incident_status": lambda: Incident.objects.filter(status="submitted").count(),
    }[page]()
    assert changed == (1 if expected in (200, 302) and person != "anonymous" else 0)


@pytest.mark.parametrize("page", ["interaction_detail", "interaction_edit", "addendum_add"])
def test_a_forged_id_of_another_officers_record_is_not_found(
    verified_client, interaction, other_officer_user, page
):
    verified_client.login(other_officer_user)
    url = _url(page, interaction)
    method = verified_client.post if page == "addendum_add" else verified_client.get
    assert method(url, {"text": "x"} if page == "addendum_add" else {}).status_code == 404
    assert (
        verified_client.post(reverse("incidents:interaction_edit", args=[interaction.pk]), {}).status_code
        == 404
    )
    assert interaction.addenda.count() == 0
