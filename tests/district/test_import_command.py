"""manage.py import_oneroster: a folder or a zip, imported at once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from district.models import ImportStatus, RosterImport, Student
from district.oneroster.schema import USERS
from tests.district.roster_files import SAMPLE, SAMPLE_DELTA

pytestmark = pytest.mark.django_db


def run(path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_oneroster", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_folder_is_imported_and_the_summary_printed():
    out, _ = run(SAMPLE)

    roster_import = RosterImport.objects.get()
    assert roster_import.status == ImportStatus.SUCCEEDED
    assert roster_import.uploaded_by is None and roster_import.original_name == "sample_roster/"
    assert Student.objects.count() == 20
    assert f"Roster import {roster_import.pk} (bulk): imported." in out
    assert "Students" in out and "20" in out
    assert "Guardian links: 11 added, 0 removed." in out


def test_a_zip_is_imported_whatever_its_size(roster_folder, settings, tmp_path):
    settings.SRO_ROSTER_SYNC_ROW_LIMIT = 1  # the command never hands the work to Celery
    path = tmp_path / "export.zip"
    path.write_bytes(roster_folder.zip_bytes())

    run(path)
    out, _ = run(SAMPLE_DELTA)

    assert RosterImport.objects.filter(status=ImportStatus.SUCCEEDED).count() == 2
    assert "(delta): imported." in out
    assert not Student.objects.get(sourced_id="stu-008").active


def test_bad_rows_are_printed_and_the_command_fails(roster_folder):
    roster_folder.edit(USERS, "stu-003", givenName="")
    err = StringIO()

    with pytest.raises(CommandError, match="rejected: 1 problem; nothing was written"):
        call_command("import_oneroster", str(roster_folder.path), stdout=StringIO(), stderr=err)

    assert "users.csv:4 givenName: is required" in err.getvalue()
    assert not Student.objects.exists()


def test_a_path_that_is_not_an_export_fails(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run(tmp_path / "missing.zip")
    with pytest.raises(CommandError, match="no manifest.csv"):
        run(tmp_path)
    (tmp_path / "roster.zip").write_text("not a zip")
    with pytest.raises(CommandError, match="not a zip file"):
        run(tmp_path / "roster.zip")
    assert not RosterImport.objects.exists()
