"""Fixtures for the roster import tests: scratch copies of the sample exports that a test may edit."""

import shutil

import pytest

from tests.district.roster_files import SAMPLE, SAMPLE_DELTA, RosterFolder


@pytest.fixture
def roster_folder(tmp_path) -> RosterFolder:
    """A scratch copy of district/sample_roster: bulk; 3 schools, 20 students, 6 staff, 8 guardians."""
    shutil.copytree(SAMPLE, tmp_path / "roster")
    return RosterFolder(tmp_path / "roster")


@pytest.fixture
def delta_folder(tmp_path) -> RosterFolder:
    """A scratch copy of district/sample_roster_delta (Imani Castellano to grade 11; Elias Thornbury left)."""
    shutil.copytree(SAMPLE_DELTA, tmp_path / "delta")
    return RosterFolder(tmp_path / "delta")


@pytest.fixture
def upload_storage(settings):
    """A fresh, empty file storage for this test (the in-memory one otherwise lasts the whole run)."""
    from django.core.files.storage import default_storage

    settings.STORAGES = {**settings.STORAGES}  # a changed setting makes Django build the storage anew
    return default_storage
