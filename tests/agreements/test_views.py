"""The agreements pages: the coordinator's editing and publishing, the diff, signing, acknowledging,
the matrix and the home page, with bad input shown as a clear error and query counts pinned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import (
    Acknowledgement,
    Agreement,
    AgreementKind,
    AgreementVersion,
    Signature,
    VersionStatus,
)
from agreements.services.acknowledgements import acknowledgement_record
from agreements.services.versions import agreement_version_draft
from tests.agreements.factories import agreement_with_version
from tests.district.factories import PASSWORD, UserFactory
from tests.officers.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def test_the_coordinator_creates_writes_and_publishes_an_agreement(verified_client, coordinator):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("agreements:agreement_new"), {"kind": AgreementKind.SRO_STATEMENT, "title": "SRO statement"}
    )
    draft = AgreementVersion.objects.get()
    assert response["Location"] == reverse("agreements:version_edit", args=[draft.pk])

    publish = reverse("agreements:version_publish", args=[draft.pk])
    page = verified_client.post(publish, follow=True).content.decode()
    assert "A version with no sections cannot be published" in page
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT

    verified_client.post(
        reverse("agreements:section_new", args=[draft.pk]),
        {"heading": "Your role", "section_type": "roles", "text": "You mentor students."},
    )
    response = verified_client.post(publish)
    assert response["Location"] == reverse("agreements:version_diff", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == VersionStatus.ACTIVE


def test_a_memorandum_needs_its_agency(verified_client, coordinator):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("agreements:agreement_new"), {"kind": AgreementKind.MOU, "title": "MOU"}
    )
    assert response.status_code == 200
    assert "names the agency" in response.content.decode()
    assert not Agreement.objects.exists()


def test_editing_a_published_version_starts_a_draft_and_the_diff_shows_the_change(
    verified_client, coordinator, sro_statement
):
    agreement, v1 = sro_statement
    verified_client.login(coordinator)
    assert verified_client.get(reverse("agreements:version_edit", args=[v1.pk])).status_code == 404
    response = verified_client.post(reverse("agreements:version_draft", args=[agreement.pk]))
    draft = agreement.versions.get(status=VersionStatus.DRAFT)
    assert response["Location"] == reverse("agreements:version_edit", args=[draft.pk])
    section = draft.sections.get(position=2)
    verified_client.post(
        reverse("agreements:section_edit", args=[section.pk]),
        {"heading": section.heading, "section_type": section.section_type, "text": "You never discipline."},
    )
    verified_client.post(reverse("agreements:version_publish", args=[draft.pk]))
    page = verified_client.get(reverse("agreements:version_diff", args=[draft.pk])).content.decode()
    assert "Version 1 (before)" in page and "Version 2 (after)" in page
    assert '<ins><span class="visually-hidden">[added: </span>never' in page
    assert "[removed: </span>do not administer school" in page
    assert "Changed" in page and "Unchanged" in page


def test_signing_with_a_wrong_password_is_a_form_error(verified_client, district_admin, mou):
    verified_client.login(district_admin)
    url = reverse("agreements:version_sign", args=[mou[1].pk])
    data = {
        "typed_name": "Marcus Delgado",
        "typed_title": "Superintendent",
        "password": "wrong",
        "confirm": "on",
    }
    response = verified_client.post(url, data)
    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert not Signature.objects.exists()
    response = verified_client.post(url, {**data, "password": PASSWORD})
    assert response.status_code == 302
    page = verified_client.get(reverse("agreements:version_detail", args=[mou[1].pk])).content.decode()
    assert "Marcus Delgado, Superintendent" in page and "Text unchanged since signing." in page
    again = verified_client.post(url, {**data, "password": PASSWORD})
    assert "already signed for the school district" in again.content.decode()
    assert Signature.objects.count() == 1


def test_an_officer_acknowledges_from_the_home_page(verified_client, officer, sro_statement):
    _, v1 = sro_statement
    verified_client.login(officer.user)
    home = verified_client.get(reverse("home")).content.decode()
    url = reverse("agreements:version_acknowledge", args=[v1.pk])
    assert "Agreements waiting for you" in home and url in home
    response = verified_client.post(url)
    assert response["Location"] == reverse("home")
    assert Acknowledgement.objects.filter(version=v1, user=officer.user).exists()
    assert "Agreements waiting for you" not in verified_client.get(reverse("home")).content.decode()


def test_acknowledging_an_old_version_is_a_clear_message(
    verified_client, coordinator, officer, sro_statement
):
    agreement, v1 = sro_statement
    from agreements.services.versions import agreement_version_publish

    agreement_version_publish(version=agreement_version_draft(agreement=agreement, created_by=coordinator),
                              published_by=coordinator)  # fmt: skip
    verified_client.login(officer.user)
    page = verified_client.post(reverse("agreements:version_acknowledge", args=[v1.pk]), follow=True)
    assert "not the current version" in page.content.decode()
    assert not Acknowledgement.objects.exists()


def test_the_acknowledge_page_shows_what_changed_since_the_last_acknowledged(
    verified_client, coordinator, officer, sro_statement
):
    agreement, v1 = sro_statement
    acknowledgement_record(version=v1, user=officer.user)
    from agreements.services.versions import agreement_version_publish, section_update

    draft = agreement_version_draft(agreement=agreement, created_by=coordinator)
    section = draft.sections.get(position=2)
    section_update(section=section, heading=section.heading, section_type=section.section_type, text="Never.")
    v2 = agreement_version_publish(version=draft, published_by=coordinator)
    verified_client.login(officer.user)
    page = verified_client.get(reverse("agreements:version_acknowledge", args=[v2.pk])).content.decode()
    assert "What changed since version 1, which you acknowledged" in page
    assert "[added: </span>Never." in page


def test_the_memorandum_page_says_discipline_stays_with_administrators(verified_client, school_admin, mou):
    verified_client.login(school_admin)
    page = verified_client.get(reverse("agreements:agreement_detail", args=[mou[0].pk])).content.decode()
    assert "Education Law § 2801-a" in page
    assert "No public input is recorded for this version." in page


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_matrix_runs_the_same_queries_with_ten_times_the_people(
    verified_client, coordinator, agency, sro_statement
):
    _, v1 = sro_statement
    verified_client.login(coordinator)
    url = reverse("agreements:acknowledgement_matrix", args=[v1.pk])
    counts = []
    for total in (4, 40):
        for n in range(total - len(counts) * 4):
            user = UserFactory(username=f"sro{total}_{n}")
            OfficerFactory(agency=agency, user=user)
            if n % 2:
                acknowledgement_record(version=v1, user=user)
        counts.append(_count_queries(verified_client, url))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 14, counts


def test_the_list_runs_the_same_queries_with_ten_times_the_agreements(verified_client, coordinator):
    verified_client.login(coordinator)
    url = reverse("agreements:agreement_list")
    counts = []
    for total in (2, 20):
        while Agreement.objects.count() < total:
            agreement_with_version(by=coordinator, title=f"Statement {Agreement.objects.count()}")
        counts.append(_count_queries(verified_client, url))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 12, counts


def test_the_history_page_lists_every_change(verified_client, coordinator, officer, sro_statement):
    _, v1 = sro_statement
    acknowledgement_record(version=v1, user=officer.user)
    verified_client.login(coordinator)
    page = verified_client.get(reverse("agreements:version_history", args=[v1.pk])).content.decode()
    assert "Acknowledgement" in page and "Section 2" in page and "Version 1" in page


def test_the_coordinators_home_counts_who_has_acknowledged(
    verified_client, coordinator, officer, sro_statement
):
    verified_client.login(coordinator)
    page = verified_client.get(reverse("home")).content.decode()
    assert "0 of 1 acknowledged, 1 not yet" in page
    acknowledgement_record(version=sro_statement[1], user=officer.user)
    assert "1 of 1 acknowledged</li>" in verified_client.get(reverse("home")).content.decode()


def test_the_signatory_is_asked_to_sign_on_the_home_page(verified_client, district_admin, supervisor, mou):
    for user in (district_admin, supervisor):
        verified_client.login(user)
        page = verified_client.get(reverse("home")).content.decode()
        assert reverse("agreements:version_sign", args=[mou[1].pk]) in page, user.username
