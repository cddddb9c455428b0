"""Who may open each agreements page: one table-driven test over every page and role."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import BrightLine, CommenterRole, Goal, Signature
from agreements.services.comments import comment_period_set, comment_record
from agreements.services.versions import agreement_version_draft
from tests.access import access_table, status_for
from tests.district.factories import PASSWORD

pytestmark = pytest.mark.django_db

# People: anonymous, outsider, officer_user, supervisor, school_admin, other_school_admin,
# district_admin (the memorandum's district signatory), coordinator. The SRO serves ``agency``, the
# supervisor supervises it. 404: the row exists but is not the person's to see.
ACCESS = {
    "agreement_list": [302, 403, 200, 200, 200, 200, 200, 200],
    "agreement_new": [302, 403, 403, 403, 403, 403, 403, 200],
    "mou_detail": [302, 403, 200, 200, 200, 200, 200, 200],
    "admin_statement_detail": [302, 403, 404, 404, 200, 200, 200, 200],
    "sro_statement_detail": [302, 403, 200, 200, 200, 200, 200, 200],
    "agreement_settings": [302, 403, 403, 403, 403, 403, 403, 200],
    "bright_line_new": [302, 403, 403, 403, 403, 403, 403, 200],
    "bright_line_edit": [302, 403, 403, 403, 403, 403, 403, 200],
    "goal_new": [302, 403, 403, 403, 403, 403, 403, 200],
    "goal_edit": [302, 403, 403, 403, 403, 403, 403, 200],
    "version_detail": [302, 403, 200, 200, 200, 200, 200, 200],
    "draft_detail": [302, 403, 404, 404, 404, 404, 404, 200],
    "version_print": [302, 403, 200, 200, 200, 200, 200, 200],
    # The PDF: the same readers as the print page; a draft stays the coordinator's.
    "version_pdf": [302, 403, 200, 200, 200, 200, 200, 200],
    "admin_statement_pdf": [302, 403, 404, 404, 200, 200, 200, 200],
    "draft_pdf": [302, 403, 404, 404, 404, 404, 404, 200],
    "version_edit": [302, 403, 403, 403, 403, 403, 403, 200],
    "section_new": [302, 403, 403, 403, 403, 403, 403, 200],
    "section_edit": [302, 403, 403, 403, 403, 403, 403, 200],
    "version_diff": [302, 403, 200, 200, 200, 200, 200, 200],
    "version_history": [302, 403, 403, 403, 403, 403, 403, 200],
    # Only the named administrator signs for the district, only the agency's supervisor for it.
    "version_sign": [302, 403, 403, 200, 403, 403, 200, 403],
    "sro_acknowledge": [302, 403, 200, 403, 200, 200, 200, 403],
    "acknowledgement_matrix": [302, 403, 403, 403, 403, 403, 403, 200],
    "version_comments": [302, 403, 200, 200, 200, 200, 200, 200],
    "draft_comments": [302, 403, 404, 404, 404, 404, 404, 200],
    "comment_period": [302, 403, 403, 403, 403, 403, 403, 200],
    "comment_new": [302, 403, 403, 403, 403, 403, 403, 200],
    "comment_respond": [302, 403, 403, 403, 403, 403, 403, 200],
}
# State changes: POST only, and only for the coordinator.
POSTS = {
    "version_draft": [302, 403, 403, 403, 403, 403, 403, 302],
    "version_publish": [302, 403, 403, 403, 403, 403, 403, 302],
    "section_move": [302, 403, 403, 403, 403, 403, 403, 302],
    "section_delete": [302, 403, 403, 403, 403, 403, 403, 302],
}


@pytest.fixture
def pages(coordinator, officer, mou, sro_statement, admin_statement):
    mou_agreement, mou_v1 = mou
    draft = agreement_version_draft(agreement=sro_statement[0], created_by=coordinator)
    line = BrightLine.objects.create(agreement=mou_agreement, code="no-discipline", statement="No discipline")
    goal = Goal.objects.create(
        agreement=mou_agreement, code="fewer-arrests", statement="Fewer", measure="Arrests"
    )
    section = draft.sections.first()
    today = timezone.localdate()
    comment_period_set(version=draft, opens_on=today, closes_on=today)
    comment = comment_record(
        version=draft, commenter_role=CommenterRole.PARENT, commenter_name="", received_on=today, text="Hi",
        recorded_by=coordinator,
    )  # fmt: skip
    return {
        "agreement_list": reverse("agreements:agreement_list"),
        "agreement_new": reverse("agreements:agreement_new"),
        "mou_detail": reverse("agreements:agreement_detail", args=[mou_agreement.pk]),
        "admin_statement_detail": reverse("agreements:agreement_detail", args=[admin_statement[0].pk]),
        "sro_statement_detail": reverse("agreements:agreement_detail", args=[sro_statement[0].pk]),
        "agreement_settings": reverse("agreements:agreement_settings", args=[mou_agreement.pk]),
        "bright_line_new": reverse("agreements:bright_line_new", args=[mou_agreement.pk]),
        "bright_line_edit": reverse("agreements:bright_line_edit", args=[line.pk]),
        "goal_new": reverse("agreements:goal_new", args=[mou_agreement.pk]),
        "goal_edit": reverse("agreements:goal_edit", args=[goal.pk]),
        "version_detail": reverse("agreements:version_detail", args=[mou_v1.pk]),
        "draft_detail": reverse("agreements:version_detail", args=[draft.pk]),
        "version_print": reverse("agreements:version_print", args=[mou_v1.pk]),
        "version_pdf": reverse("agreements:version_pdf", args=[mou_v1.pk]),
        "admin_statement_pdf": reverse("agreements:version_pdf", args=[admin_statement[1].pk]),
        "draft_pdf": reverse("agreements:version_pdf", args=[draft.pk]),
        "version_edit": reverse("agreements:version_edit", args=[draft.pk]),
        "section_new": reverse("agreements:section_new", args=[draft.pk]),
        "section_edit": reverse("agreements:section_edit", args=[section.pk]),
        "version_diff": reverse("agreements:version_diff", args=[sro_statement[1].pk]),
        "version_history": reverse("agreements:version_history", args=[mou_v1.pk]),
        "version_sign": reverse("agreements:version_sign", args=[mou_v1.pk]),
        "sro_acknowledge": reverse("agreements:version_acknowledge", args=[sro_statement[1].pk]),
        "acknowledgement_matrix": reverse("agreements:acknowledgement_matrix", args=[sro_statement[1].pk]),
        "version_comments": reverse("agreements:version_comments", args=[mou_v1.pk]),
        "draft_comments": reverse("agreements:version_comments", args=[draft.pk]),
        "comment_period": reverse("agreements:comment_period", args=[draft.pk]),
        "comment_new": reverse("agreements:comment_new", args=[draft.pk]),
        "comment_respond": reverse("agreements:comment_respond", args=[comment.pk]),
        "version_draft": reverse("agreements:version_draft", args=[sro_statement[0].pk]),
        "version_publish": reverse("agreements:version_publish", args=[draft.pk]),
        "section_move": reverse("agreements:section_move", args=[section.pk]),
        "section_delete": reverse("agreements:section_delete", args=[section.pk]),
    }


@pytest.mark.parametrize(("page", "person", "expected"), access_table(ACCESS))
def test_role_access_table(request, client, verified_client, pages, page, person, expected):
    assert status_for(request, client, verified_client, person, pages[page]) == expected


@pytest.mark.parametrize(("page", "person", "expected"), access_table(POSTS))
def test_only_the_coordinator_changes_agreements(
    request, client, verified_client, pages, page, person, expected
):
    assert status_for(request, client, verified_client, person, pages[page], method="post") == expected


@pytest.mark.parametrize("page", sorted(POSTS))
def test_state_changes_refuse_get(verified_client, coordinator, pages, page):
    verified_client.login(coordinator)
    assert verified_client.get(pages[page]).status_code == 405


def test_an_sro_cannot_sign_for_the_district(verified_client, officer, mou):
    verified_client.login(officer.user)
    data = {"typed_name": "X", "typed_title": "Y", "password": PASSWORD, "confirm": "on"}
    response = verified_client.post(reverse("agreements:version_sign", args=[mou[1].pk]), data)
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_a_supervisor_of_another_agency_cannot_sign(verified_client, mou):
    from district.roles import Role
    from tests.district.factories import UserFactory
    from tests.officers.factories import AgencyFactory

    stranger = UserFactory(username="other_sergeant", roles=[Role.AGENCY_SUPERVISOR])
    AgencyFactory(name="Another Police Department").supervisors.add(stranger)
    verified_client.login(stranger)
    assert verified_client.get(reverse("agreements:version_sign", args=[mou[1].pk])).status_code == 404


def test_a_supervisor_signs_only_for_the_agency(verified_client, supervisor, mou):
    verified_client.login(supervisor)
    data = {"typed_name": "Robert Kaminski", "typed_title": "Sergeant", "password": PASSWORD, "confirm": "on"}
    response = verified_client.post(reverse("agreements:version_sign", args=[mou[1].pk]), data)
    assert response.status_code == 302
    assert list(Signature.objects.values_list("party", "signer")) == [("agency", supervisor.pk)]


def test_the_public_page_opens_without_sign_in_only_when_published(client, mou):
    agreement, _ = mou
    url = reverse("agreements:agreement_public", args=[agreement.pk])
    assert client.get(url).status_code == 404
    agreement.is_public = True
    agreement.save()
    response = client.get(url)
    assert response.status_code == 200
    assert "Discipline stays with school administrators" in response.content.decode()
