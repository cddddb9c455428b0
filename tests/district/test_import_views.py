"""The roster import pages: who may use them, uploading, the report, the progress endpoint."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from district.models import ImportStatus, RosterImport, Student
from district.oneroster.reading import zip_folder
from district.oneroster.schema import USERS
from tests.district.factories import RosterImportFactory, UserFactory
from tests.district.roster_files import SAMPLE, zip_of

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "roster.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/zip")


@pytest.fixture
def roster_import(db):
    return RosterImportFactory()


def pages(roster_import):
    return [
        ("get", reverse("district:import_list")),
        ("get", reverse("district:import_new")),
        ("post", reverse("district:import_new")),
        ("get", reverse("district:import_detail", args=[roster_import.pk])),
        ("get", reverse("district:import_status", args=[roster_import.pk])),
    ]


def test_anonymous_is_sent_to_sign_in(client, roster_import):
    for method, url in pages(roster_import):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor:login"))


@pytest.mark.parametrize(
    "person", ["officer_user", "school_admin", "district_admin", "supervisor", "outsider"]
)
def test_only_coordinators_may_import(request, verified_client, roster_import, person):
    verified_client.login(request.getfixturevalue(person))
    for method, url in pages(roster_import):
        assert getattr(verified_client, method)(url).status_code == 403, url
    assert RosterImport.objects.count() == 1


def test_a_coordinator_uploads_an_export_and_sees_what_changed(verified_client, coordinator, roster_folder):
    verified_client.login(coordinator)
    form = verified_client.get(reverse("district:import_new"))
    assert form.status_code == 200
    assert 'accept=".zip,application/zip"' in form.content.decode()
    assert 'enctype="multipart/form-data"' in form.content.decode()

    response = verified_client.post(
        reverse("district:import_new"), {"file": upload(roster_folder.zip_bytes())}
    )

    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("district:import_detail", args=[roster_import.pk])
    assert roster_import.status == ImportStatus.SUCCEEDED
    assert (roster_import.uploaded_by, roster_import.original_name) == (coordinator, "roster.zip")
    assert Student.objects.count() == 20

    page = verified_client.get(response["Location"]).content.decode()
    assert "The roster was imported." in page
    assert "What changed" in page
    assert '<th scope="row">Students</th>' in page
    assert "<progress" not in page

    listing = verified_client.get(reverse("district:import_list")).content.decode()
    assert reverse("district:import_detail", args=[roster_import.pk]) in listing
    assert "roster.zip" in listing


def test_a_coordinator_sees_every_rejected_row(verified_client, coordinator, roster_folder):
    roster_folder.edit(USERS, "stu-003", givenName="")
    roster_folder.edit(USERS, "stu-010", grades="6th")
    verified_client.login(coordinator)

    response = verified_client.post(
        reverse("district:import_new"), {"file": upload(roster_folder.zip_bytes())}, follow=True
    )

    page = response.content.decode()
    assert RosterImport.objects.get().status == ImportStatus.FAILED
    assert not Student.objects.exists()
    assert "nothing was written" in page
    assert "2 problems" in page
    assert "<caption>Problems in the export</caption>" in page
    assert "<td>users.csv</td>" in page
    assert '<td class="text-end">4</td>' in page and "<td>givenName</td>" in page and "is required" in page
    assert "<td>grades</td>" in page and "not a CEDS grade level" in page


def test_a_wrong_header_is_reported_not_a_server_error(verified_client, coordinator, roster_folder):
    (roster_folder.path / USERS).write_text("sourcedId,givenName\nstu-001,Rowan\n")
    verified_client.login(coordinator)

    response = verified_client.post(
        reverse("district:import_new"), {"file": upload(roster_folder.zip_bytes())}, follow=True
    )

    assert response.status_code == 200
    assert "column status is missing" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"name,grade\nRowan,09\n", "roster.zip", "not a zip file"),
        (zip_of({"manifest.csv": "propertyName,value\n"})[:40], "roster.zip", "not a zip file"),
        (zip_of({"users.csv": "sourcedId\n"}), "roster.zip", "no manifest.csv"),
        (
            zip_of({"manifest.csv": "propertyName,value\noneroster.version,1.2\n"}),
            "roster.zip",
            "OneRoster 1.2",
        ),
        (b"sourcedId\n", "users.csv", "File extension"),
    ],
)
def test_a_file_that_is_not_an_export_gets_a_form_error(verified_client, coordinator, content, name, message):
    verified_client.login(coordinator)

    response = verified_client.post(reverse("district:import_new"), {"file": upload(content, name)})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "invalid-feedback" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_large_export_runs_in_the_background_with_a_progress_bar(
    verified_client, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.SRO_ROSTER_SYNC_ROW_LIMIT = 10
    verified_client.login(coordinator)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = verified_client.post(
            reverse("district:import_new"), {"file": upload(zip_folder(SAMPLE))}, follow=True
        )

    roster_import = RosterImport.objects.get()
    assert roster_import.status == ImportStatus.PENDING and len(callbacks) == 1
    page = response.content.decode()
    assert "being imported in the background" in page
    status_url = reverse("district:import_status", args=[roster_import.pk])
    assert f'data-poll-url="{status_url}"' in page
    assert '<progress id="import-progress" class="d-block w-100" max="100" value="0">' in page
    assert "style=" not in page  # the Content-Security-Policy forbids inline styles

    assert verified_client.get(status_url).json() == {
        "status": "pending",
        "status_label": "Waiting to start",
        "percent": 0,
        "rows_done": 0,
        "rows_total": 83,
        "finished": False,
    }
    callbacks[0]()
    status = verified_client.get(status_url)
    assert status.json()["finished"] is True and status.json()["percent"] == 100
    assert "no-cache" in status["Cache-Control"]


def test_the_import_list_costs_the_same_queries_for_ten_times_the_imports(verified_client, coordinator):
    verified_client.login(coordinator)
    url = reverse("district:import_list")

    def queries_for(count: int) -> int:
        RosterImport.objects.all().delete()
        uploader = UserFactory()
        RosterImportFactory.create_batch(count, uploaded_by=uploader)
        with CaptureQueriesContext(connection) as context:
            assert verified_client.get(url).status_code == 200
        return len(context.captured_queries)

    assert queries_for(3) == queries_for(30)


def test_the_import_list_is_paginated(verified_client, coordinator):
    RosterImportFactory.create_batch(26)
    verified_client.login(coordinator)

    first = verified_client.get(reverse("district:import_list")).content.decode()
    second = verified_client.get(reverse("district:import_list"), {"page": 2}).content.decode()

    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert second.count('<th scope="row">') == 1


def test_an_unknown_import_is_not_found(verified_client, coordinator):
    verified_client.login(coordinator)
    assert verified_client.get(reverse("district:import_detail", args=[999])).status_code == 404
    assert verified_client.get(reverse("district:import_status", args=[999])).status_code == 404


def test_an_upload_survives_the_broker_being_down(
    verified_client, coordinator, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from district import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is not answering")

    monkeypatch.setattr(tasks.roster_import_process, "apply_async", broker_down)
    settings.SRO_ROSTER_SYNC_ROW_LIMIT = 10
    verified_client.login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client.post(reverse("district:import_new"), {"file": upload(zip_folder(SAMPLE))})

    assert response.status_code == 302
    assert RosterImport.objects.get().status == ImportStatus.PENDING  # the resume sweep will queue it
