"""factory_boy factories for the district tests that tests/factories.py does not hold."""

import factory
from django.core.files.base import ContentFile

from district.models import ImportMode, ImportStatus, RosterImport
from district.oneroster import zip_folder
from tests.district.roster_files import SAMPLE


class RosterImportFactory(factory.django.DjangoModelFactory):
    """A finished bulk import of the sample roster, as the import list shows it."""

    class Meta:
        model = RosterImport

    file = factory.LazyFunction(lambda: ContentFile(zip_folder(SAMPLE), name="sample_roster.zip"))
    original_name = "sample_roster.zip"
    mode = ImportMode.BULK
    status = ImportStatus.SUCCEEDED
    rows_total = 83
    rows_done = 83
    summary = factory.LazyFunction(
        lambda: {"mode": "bulk", "counts": [], "guardian_links": {"added": 0, "removed": 0}}
    )
