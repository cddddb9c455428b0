"""An uploaded roster export is kept only until its import finishes; what the page shows is kept."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from district import tasks
from district.models import ImportStatus, RosterImport, Student
from district.oneroster.reading import zip_folder
from district.oneroster.schema import USERS
from district.services import roster_import as roster_import_services
from district.services import roster_writing
from tests.district.factories import RosterImportFactory
from tests.district.roster_files import SAMPLE, run_import, with_declared_size, zip_of

pytestmark = pytest.mark.django_db


def stored(storage) -> list[str]:
    """Every file in the upload folder."""
    return list(roster_import_services._storage_files(storage, "roster-imports"))


def assert_only_the_record_is_kept(roster_import, storage, content: bytes) -> None:
    roster_import.refresh_from_db()
    assert not roster_import.file
    assert stored(storage) == []
    assert roster_import.size == len(content)
    assert roster_import.checksum == hashlib.sha256(content).hexdigest()


# --- Deleted when the import finishes, however it finishes ------------------------------------------


def test_the_upload_is_deleted_when_the_import_succeeds(upload_storage):
    roster_import = run_import(SAMPLE)

    assert roster_import.status == ImportStatus.SUCCEEDED
    assert_only_the_record_is_kept(roster_import, upload_storage, zip_folder(SAMPLE))


def test_the_upload_is_deleted_when_rows_are_rejected(upload_storage, roster_folder):
    roster_folder.edit(USERS, "stu-003", givenName="")

    roster_import = run_import(roster_folder)

    assert roster_import.status == ImportStatus.FAILED
    assert_only_the_record_is_kept(roster_import, upload_storage, roster_folder.zip_bytes())


def test_the_upload_is_deleted_when_the_import_stops_on_an_unexpected_error(upload_storage, monkeypatch):
    def explode(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(roster_writing.RosterWriter, "_guardians", explode)

    roster_import = run_import(SAMPLE)

    assert roster_import.status == ImportStatus.FAILED
    assert_only_the_record_is_kept(roster_import, upload_storage, zip_folder(SAMPLE))


def test_a_waiting_upload_found_unreadable_by_the_worker_is_deleted(upload_storage):
    junk = b"not a zip at all"
    roster_import = RosterImportFactory(
        status=ImportStatus.PENDING, file=ContentFile(junk, name="roster.zip"), size=len(junk)
    )
    assert len(stored(upload_storage)) == 1

    tasks.roster_import_process(roster_import.pk)

    roster_import.refresh_from_db()
    assert roster_import.status == ImportStatus.FAILED
    assert "not a zip file" in roster_import.errors[0]["reason"]
    assert not roster_import.file and stored(upload_storage) == []


def test_a_background_import_keeps_its_upload_only_until_it_finishes(
    upload_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        roster_import = run_import(SAMPLE, in_background=True)
    assert roster_import.file and len(stored(upload_storage)) == 1  # the worker still needs it

    callbacks[0]()

    assert_only_the_record_is_kept(roster_import, upload_storage, zip_folder(SAMPLE))
    assert Student.objects.count() == 20


def test_the_sweep_deletes_the_upload_of_an_import_whose_worker_vanished(upload_storage):
    now = timezone.now()
    abandoned = RosterImportFactory(status=ImportStatus.RUNNING, started_at=now)
    RosterImport.objects.filter(pk=abandoned.pk).update(started_at=now - datetime.timedelta(hours=3))
    busy = RosterImportFactory(status=ImportStatus.RUNNING, started_at=now)

    roster_import_services.roster_imports_fail_abandoned()

    abandoned.refresh_from_db()
    busy.refresh_from_db()
    assert abandoned.status == ImportStatus.FAILED and not abandoned.file
    assert (abandoned.errors_total, len(abandoned.errors)) == (1, 1)
    assert busy.file and stored(upload_storage) == [busy.file.name]


# --- Leftovers of earlier imports --------------------------------------------------------------------


def test_purge_roster_uploads_deletes_the_leftovers_of_earlier_imports(upload_storage):
    # As earlier versions left them: finished imports that kept their upload.
    succeeded = RosterImportFactory(file=ContentFile(zip_folder(SAMPLE), name="old.zip"))
    rejected = RosterImportFactory(
        status=ImportStatus.FAILED, file=ContentFile(zip_folder(SAMPLE), name="rejected.zip")
    )
    waiting = RosterImportFactory(status=ImportStatus.PENDING)
    orphan = upload_storage.save("roster-imports/2025/01/rolled-back.zip", ContentFile(b"PK"))
    young_orphan = upload_storage.save("roster-imports/2026/01/being-saved.zip", ContentFile(b"PK"))
    upload_storage._resolve(orphan).modified_time = timezone.now() - datetime.timedelta(days=2)
    out = StringIO()

    call_command("purge_roster_uploads", stdout=out)

    assert out.getvalue() == "Deleted 3 roster uploads.\n"
    succeeded.refresh_from_db()
    rejected.refresh_from_db()
    assert not succeeded.file and not rejected.file
    assert (succeeded.size, succeeded.checksum, succeeded.summary) != (0, "", {}), "the record stays"
    # The import still waiting needs its upload; a file saved a moment ago may belong to a request
    # that has not committed its import yet.
    assert sorted(stored(upload_storage)) == sorted([waiting.file.name, young_orphan])

    call_command("purge_roster_uploads", stdout=out)  # safe to run again
    assert out.getvalue().endswith("Deleted 0 roster uploads.\n")


def test_the_sweep_purges_leftovers_too(upload_storage):
    leftover = RosterImportFactory(file=ContentFile(b"PK", name="old.zip"))

    tasks.roster_imports_resume()

    leftover.refresh_from_db()
    assert not leftover.file and stored(upload_storage) == []


def test_a_leftover_that_cannot_be_deleted_does_not_stop_the_import(upload_storage, monkeypatch):
    def refuse(self, name):
        raise PermissionError(name)

    monkeypatch.setattr(InMemoryStorage, "delete", refuse)

    roster_import = run_import(SAMPLE)

    assert roster_import.status == ImportStatus.SUCCEEDED and not roster_import.file
    assert len(stored(upload_storage)) == 1  # left for purge_roster_uploads


# --- The errors kept -------------------------------------------------------------------------------


def test_only_the_first_errors_are_kept_with_the_count_of_all(
    upload_storage, roster_folder, settings, verified_client, coordinator
):
    settings.SRO_ROSTER_MAX_ERRORS_KEPT = 3
    for n in range(1, 6):
        roster_folder.edit(USERS, f"stu-00{n}", givenName="")

    roster_import = run_import(roster_folder)

    assert (len(roster_import.errors), roster_import.errors_total) == (3, 5)
    assert roster_import.errors_not_kept == 2
    verified_client.login(coordinator)
    page = verified_client.get(reverse("district:import_detail", args=[roster_import.pk])).content.decode()
    assert "The export has 5 problems." in page
    assert "The first 3 problems are listed, and 2 more were found." in page
    assert page.count("is required") == 3


def test_the_import_page_shows_the_size_and_checksum(upload_storage, verified_client, coordinator):
    roster_import = run_import(SAMPLE)
    verified_client.login(coordinator)

    page = verified_client.get(reverse("district:import_detail", args=[roster_import.pk])).content.decode()

    assert hashlib.sha256(zip_folder(SAMPLE)).hexdigest() in page
    assert "KB" in page


# --- An export that expands past the cap -----------------------------------------------------------


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("roster.zip", content, content_type="application/zip")


def bomb(size: int) -> bytes:
    """A small zip holding a manifest and a users.csv of ``size`` bytes, which compresses to little."""
    return zip_of({"manifest.csv": "propertyName,value\noneroster.version,1.1\n", USERS: b"," * size})


@pytest.mark.parametrize(
    ("content", "cap"),
    [
        pytest.param(bomb(3 * 1024 * 1024), 1024 * 1024, id="members-expand-past-the-cap"),
        pytest.param(with_declared_size(zip_folder(SAMPLE), 2**31), None, id="headers-claim-gigabytes"),
    ],
)
def test_an_export_that_expands_past_the_cap_gets_a_form_error_and_nothing_is_kept(
    upload_storage, verified_client, coordinator, settings, content, cap
):
    if cap is not None:
        settings.SRO_ROSTER_MAX_UNCOMPRESSED_BYTES = cap
    verified_client.login(coordinator)

    response = verified_client.post(reverse("district:import_new"), {"file": upload(content)})

    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page and "once unzipped" in page
    assert not RosterImport.objects.exists()
    assert stored(upload_storage) == []


def test_a_zip_whose_headers_understate_its_members_gets_a_form_error(
    upload_storage, verified_client, coordinator
):
    verified_client.login(coordinator)

    response = verified_client.post(
        reverse("district:import_new"), {"file": upload(with_declared_size(zip_folder(SAMPLE), 10))}
    )

    assert response.status_code == 200
    assert "damaged" in response.content.decode()
    assert not RosterImport.objects.exists() and stored(upload_storage) == []
