"""The student programs import: checked first, all or nothing, each problem with its line, the file
never kept, and only where the district keeps demographics."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from district.models import Disability, StudentDemographics
from district.services.student_programs import StudentProgramsRejected, student_programs_import
from tests.access import access_table, status_for
from tests.district.factories import StudentFactory

pytestmark = pytest.mark.django_db

HEADER = "student_id,idea,section_504,english_learner\n"


@pytest.fixture
def enabled(settings):
    settings.SRO_DEMOGRAPHICS_ENABLED = True
    return settings


@pytest.fixture
def students(school):
    return [StudentFactory(school=school, student_number=str(n)) for n in (101, 102, 103, 104)]


def test_each_row_sets_the_disability_group_and_english_learner_status(enabled, students):
    data = (HEADER + "101,yes,no,no\n102,no,yes,yes\n103,Y,Y,\n104,no,no,no\n").encode()
    assert student_programs_import(data=data) == {"rows": 4, "created": 4, "updated": 0, "unchanged": 0}
    kept = {
        d.student.student_number: (d.disability, d.english_learner) for d in StudentDemographics.objects.all()
    }
    assert kept == {
        "101": (Disability.IDEA, False),
        "102": (Disability.SECTION_504, True),
        "103": (Disability.IDEA, None),  # IDEA and 504: IDEA; English learner not known
        "104": (Disability.NONE, False),
    }
    # The same file again changes nothing; a changed row changes that student only, with history.
    assert student_programs_import(data=data)["unchanged"] == 4
    assert student_programs_import(data=data.replace(b"104,no,no,no", b"104,no,yes,no"))["updated"] == 1
    changed = StudentDemographics.objects.get(student__student_number="104")
    assert changed.disability == Disability.SECTION_504 and changed.history.count() == 2


def test_a_bad_file_writes_nothing_and_lists_every_problem_by_line(enabled, students):
    data = (HEADER + "101,yes,no,no\n999,no,no,no\n102,maybe,no,no\n101,no,no,no\n,no,no,no\n").encode()
    with pytest.raises(StudentProgramsRejected) as rejected:
        student_programs_import(data=data)
    assert [(e.line, e.field) for e in rejected.value.errors] == [
        (3, "student_id"), (4, "idea"), (5, "student_id"), (6, "student_id"),
    ]  # fmt: skip
    assert StudentDemographics.objects.count() == 0


def test_a_file_without_the_columns_is_refused_on_line_one(enabled):
    with pytest.raises(StudentProgramsRejected) as rejected:
        student_programs_import(data=b"id,iep\n1,yes\n")
    assert rejected.value.errors[0].line == 1


ACCESS = {"student_programs_import": [302, 403, 403, 403, 403, 403, 403, 200]}


@pytest.mark.parametrize(("page", "person", "expected"), access_table(ACCESS))
def test_only_the_coordinator_imports_student_programs(
    request, client, verified_client, enabled, page, person, expected
):
    url = reverse(f"district:{page}")
    assert status_for(request, client, verified_client, person, url) == expected


def test_the_page_uploads_checks_and_keeps_no_file(enabled, verified_client, coordinator, students):
    verified_client.login(coordinator)
    url = reverse("district:student_programs_import")
    listed_before = default_storage.listdir("")
    bad = SimpleUploadedFile("programs.csv", (HEADER + "555,yes,no,no\n").encode(), content_type="text/csv")
    response = verified_client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "No student 555 on the roster." in response.content.decode()
    good = SimpleUploadedFile("programs.csv", (HEADER + "101,yes,no,no\n").encode(), content_type="text/csv")
    response = verified_client.post(url, {"file": good}, follow=True)
    assert "Student programs imported: 1 rows, 1 students added" in response.content.decode()
    assert StudentDemographics.objects.get().disability == Disability.IDEA
    assert default_storage.listdir("") == listed_before


def test_without_demographics_the_page_says_so_plainly(settings, verified_client, coordinator, students):
    settings.SRO_DEMOGRAPHICS_ENABLED = False
    verified_client.login(coordinator)
    url = reverse("district:student_programs_import")
    response = verified_client.get(url)
    assert response.status_code == 200 and "keeps no student demographics" in response.content.decode()
    upload = SimpleUploadedFile(
        "programs.csv", (HEADER + "101,yes,no,no\n").encode(), content_type="text/csv"
    )
    assert verified_client.post(url, {"file": upload}).status_code == 200
    assert StudentDemographics.objects.count() == 0
