"""Who may open each incidents page. Student names are for the writing officer, coordinators and
administrators of the student's school; agency supervisors and people with no role get no page."""

import pytest
from django.urls import reverse

from district.models import AccessAction, AccessLog
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
}
POSTS = {
    # Only the writing officer adds an addendum; the one who may not see the record gets 404.
    "addendum_add": [302, 403, 302, 403, 403, 404, 403, 403],
    "interaction_disclose": [302, 403, 302, 403, 403, 404, 403, 302],
    "interaction_export": [302, 403, 403, 403, 403, 403, 403, 200],
    "retention": [302, 403, 403, 403, 403, 403, 403, 302],
}


def _url(page, interaction):
    if page == "student_disclosures":
        return reverse(f"incidents:{page}", args=[interaction.students.first().student_id])
    if page in ("interaction_detail", "interaction_edit", "addendum_add", "interaction_disclose"):
        return reverse(f"incidents:{page}", args=[interaction.pk])
    return reverse(f"incidents:{page}")


@pytest.mark.parametrize(("page", "person", "expected"), access_table(GETS))
def test_who_may_open_each_page(request, client, verified_client, interaction, page, person, expected):
    assert status_for(request, client, verified_client, person, _url(page, interaction)) == expected


@pytest.mark.parametrize(("page", "person", "expected"), access_table(POSTS))
def test_who_may_add_to_a_record(request, client, verified_client, interaction, page, person, expected):
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
    }
    assert status_for(request, client, verified_client, person, url, method="post", data=data) == expected
    changed = {
        "addendum_add": lambda: interaction.addenda.count(),
        "interaction_disclose": lambda: interaction.disclosures.count(),
        "interaction_export": lambda: AccessLog.objects.filter(action=AccessAction.EXPORT).count() // 2,
        "retention": lambda: int(retention_rule().age_years == 30),
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
