"""Uploaded files, and the folders made for them, are readable by the server's own user only."""

import stat

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import TemporaryUploadedFile


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_saved_upload_and_its_new_folders_are_owner_only(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    storage = FileSystemStorage()  # as the production settings configure it, under MEDIA_ROOT

    small = storage.save("roster-imports/2026/11/roster.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    # A large upload arrives as a temporary file and is moved into place rather than written.
    with TemporaryUploadedFile("large.zip", "application/zip", 10, None) as upload:
        upload.write(b"x" * 10)
        upload.seek(0)
        large = storage.save("roster-imports/2026/11/large.zip", upload)

    for name in (small, large):
        assert mode(tmp_path / "media" / name) == 0o600, name
    for folder in ("roster-imports", "roster-imports/2026", "roster-imports/2026/11"):
        assert mode(tmp_path / "media" / folder) == 0o700, folder
