"""factory_boy factories for the district app's models: schools, years, users, the roster, imports."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from district.models import (
    AcademicYear,
    Guardian,
    ImportMode,
    ImportStatus,
    RosterImport,
    School,
    SchoolLevel,
    Staff,
    Student,
    User,
)
from district.oneroster.reading import zip_folder
from district.roles import Role
from tests.district.roster_files import SAMPLE

PASSWORD = "correct-horse-battery-9"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.Sequence(lambda n: f"School Number {n}")
    level = SchoolLevel.MIDDLE
    sourced_id = factory.Sequence(lambda n: f"org-{n}")


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicYear
        django_get_or_create = ("name",)

    name = "2026-2027"
    start_date = datetime.date(2026, 7, 1)
    end_date = datetime.date(2027, 6, 30)
    is_current = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@district.example")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``UserFactory(roles=[Role.SRO])`` puts the user in those role groups."""
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get(name=Role(role).label))
        if create:
            self.save()


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    sourced_id = factory.Sequence(lambda n: f"stu-{n}")
    student_number = factory.Sequence(lambda n: f"{100000 + n}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    grade = "07"
    school = factory.SubFactory(SchoolFactory)
    birth_date = datetime.date(2013, 5, 1)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    sourced_id = factory.Sequence(lambda n: f"staff-{n}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"staff{n}@district.example")


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    sourced_id = factory.Sequence(lambda n: f"guardian-{n}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"parent{n}@family.example")
    relationship = "parent"


def _upload_until_finished(roster_import) -> ContentFile | str:
    if roster_import.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED):
        return ""  # a finished import keeps no upload
    return ContentFile(zip_folder(SAMPLE), name="sample_roster.zip")


class RosterImportFactory(factory.django.DjangoModelFactory):
    """A finished bulk import of the sample roster, as the import list shows it (its upload deleted).

    A pending or running one holds its upload.
    """

    class Meta:
        model = RosterImport

    file = factory.LazyAttribute(_upload_until_finished)
    original_name = "sample_roster.zip"
    size = 5_432
    checksum = "5f0c6e1d3b1f4a0e9c7d2b8a6e4f1c3d5b7a9e0f2c4d6b8a0e1f3c5d7b9a2e4f"
    mode = ImportMode.BULK
    status = ImportStatus.SUCCEEDED
    rows_total = 83
    rows_done = 83
    summary = factory.LazyFunction(
        lambda: {"mode": "bulk", "counts": [], "guardian_links": {"added": 0, "removed": 0}}
    )
