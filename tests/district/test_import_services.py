"""Writing a checked OneRoster export (district/services/roster_*.py) and the Celery tasks around it."""

import datetime

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from district import tasks
from district.models import (
    AcademicYear,
    Guardian,
    ImportMode,
    ImportStatus,
    RaceEthnicity,
    RosterImport,
    School,
    SchoolLevel,
    Sex,
    Staff,
    StaffRole,
    Student,
    StudentDemographics,
)
from district.oneroster.schema import DEMOGRAPHICS, ORGS, SESSIONS, USERS
from district.services import roster_import as roster_import_services
from district.services import roster_writing
from tests.district.factories import AcademicYearFactory, RosterImportFactory, SchoolFactory, StudentFactory
from tests.district.roster_files import SAMPLE, SAMPLE_DELTA, run_import

pytestmark = pytest.mark.django_db

ROSTER_MODELS = (School, AcademicYear, Student, StudentDemographics, Staff, Guardian)


def snapshot():
    """Rows and history rows of every roster table, and the link tables."""
    counts = {model.__name__: model.objects.count() for model in ROSTER_MODELS}
    counts |= {f"{model.__name__} history": model.history.count() for model in ROSTER_MODELS}
    counts["staff schools"] = Staff.schools.through.objects.count()
    counts["guardian students"] = Guardian.students.through.objects.count()
    return counts


def counts_of(roster_import) -> dict[str, tuple[int, int, int, int]]:
    return {
        row["kind"]: (row["created"], row["updated"], row["deactivated"], row["unchanged"])
        for row in roster_import.summary["counts"]
    }


def test_a_bulk_import_creates_the_roster(coordinator):
    roster_import = run_import(SAMPLE, user=coordinator)

    assert roster_import.status == ImportStatus.SUCCEEDED, roster_import.errors
    assert roster_import.mode == ImportMode.BULK
    assert roster_import.rows_total == roster_import.rows_done == 83
    assert roster_import.errors == []
    assert counts_of(roster_import) == {
        "schools": (3, 0, 0, 0),
        "academic_years": (1, 0, 0, 0),
        "students": (20, 0, 0, 0),
        "staff": (6, 0, 0, 0),
        "guardians": (8, 0, 0, 0),
    }
    assert roster_import.summary["guardian_links"] == {"added": 11, "removed": 0}

    schools = {school.code: school for school in School.objects.all()}
    assert {code: school.level for code, school in schools.items()} == {
        "TFHS": SchoolLevel.HIGH,
        "BHMS": SchoolLevel.MIDDLE,
        "JSES": SchoolLevel.ELEMENTARY,
    }
    assert schools["TFHS"].sourced_id == "org-tfhs"
    year = AcademicYear.objects.get()
    assert (year.name, year.sourced_id) == ("2026-2027", "as-2026")
    assert year.is_current == year.contains(timezone.localdate())

    rowan = Student.objects.get(sourced_id="stu-001")
    assert (rowan.student_number, rowan.given_name, rowan.middle_name, rowan.family_name) == (
        "260001",
        "Rowan",
        "Elise",
        "Ashby",
    )
    assert (rowan.grade, rowan.school, rowan.birth_date, rowan.active) == (
        "09",
        schools["TFHS"],
        datetime.date(2012, 2, 14),
        True,
    )
    assert rowan.email == "rashby@students.tamarackfalls.k12.example"
    assert Student.objects.get(sourced_id="stu-019").school == schools["JSES"]
    assert set(Student.objects.filter(school=schools["BHMS"]).values_list("sourced_id", flat=True)) == {
        f"stu-{n:03d}" for n in range(9, 16)
    }

    desmond = Staff.objects.get(sourced_id="tch-002")
    assert (desmond.role, desmond.identifier) == (StaffRole.TEACHER, "T1002")
    assert set(desmond.schools.values_list("code", flat=True)) == {"TFHS", "BHMS"}
    assert not Staff.objects.get(sourced_id="adm-002").schools.exists()

    naomi = Guardian.objects.get(sourced_id="gdn-001")
    assert (naomi.relationship, naomi.phone, naomi.email) == (
        "parent",
        "518-555-0101",
        "naomi.ashby@family.example",
    )
    assert set(naomi.students.values_list("sourced_id", flat=True)) == {"stu-001", "stu-017"}
    assert list(Guardian.objects.get(sourced_id="gdn-007").students.values_list("sourced_id", flat=True)) == [
        "stu-013"
    ]

    history = Student.history.filter(sourced_id="stu-001").get()
    assert (history.history_type, history.history_user, history.history_change_reason) == (
        "+",
        coordinator,
        f"OneRoster import {roster_import.pk}",
    )


def test_importing_the_same_export_again_changes_nothing():
    run_import(SAMPLE)
    before = snapshot()

    again = run_import(SAMPLE)

    assert again.status == ImportStatus.SUCCEEDED
    assert snapshot() == before
    assert all(
        created == updated == deactivated == 0
        for created, updated, deactivated, _ in counts_of(again).values()
    )
    assert counts_of(again)["students"] == (0, 0, 0, 20)
    assert again.summary["guardian_links"] == {"added": 0, "removed": 0}


def test_a_later_export_updates_by_sourced_id(roster_folder):
    run_import(roster_folder)
    rowan = Student.objects.get(sourced_id="stu-001")
    roster_folder.edit(USERS, "stu-001", familyName="Ashby-Cole", grades="10")
    roster_folder.edit(ORGS, "org-tfhs", name="Tamarack Falls Senior High School")
    before = snapshot()

    roster_import = run_import(roster_folder)

    rowan.refresh_from_db()
    assert (rowan.family_name, rowan.grade) == ("Ashby-Cole", "10")
    assert counts_of(roster_import)["students"] == (0, 1, 0, 19)
    assert counts_of(roster_import)["schools"] == (0, 1, 0, 2)
    assert Student.objects.count() == before["Student"]
    assert Student.history.count() == before["Student history"] + 1
    assert rowan.history.first().history_type == "~"
    # The level was a guess: a coordinator's correction survives later imports.
    School.objects.filter(code="TFHS").update(level=SchoolLevel.OTHER)
    run_import(roster_folder)
    assert School.objects.get(code="TFHS").level == SchoolLevel.OTHER


def test_a_students_email_is_read_changed_and_cleared(roster_folder):
    run_import(roster_folder)
    roster_folder.edit(USERS, "stu-001", email="rowan.ashby@students.example")
    roster_folder.edit(USERS, "stu-002", email="")
    roster_import = run_import(roster_folder)
    assert Student.objects.get(sourced_id="stu-001").email == "rowan.ashby@students.example"
    assert Student.objects.get(sourced_id="stu-002").email == ""
    assert counts_of(roster_import)["students"] == (0, 2, 0, 18)


def test_a_delta_updates_and_deactivates():
    run_import(SAMPLE)
    before = snapshot()

    roster_import = run_import(SAMPLE_DELTA)

    assert roster_import.status == ImportStatus.SUCCEEDED, roster_import.errors
    assert roster_import.mode == ImportMode.DELTA
    imani = Student.objects.get(sourced_id="stu-005")
    elias = Student.objects.get(sourced_id="stu-008")
    assert (imani.grade, imani.active) == ("11", True)
    assert (elias.grade, elias.active) == ("12", False)
    assert counts_of(roster_import)["students"] == (0, 1, 1, 0)
    assert Student.objects.filter(active=True).count() == 19
    after = snapshot()
    assert after["Student"] == before["Student"]
    assert after["Student history"] == before["Student history"] + 2
    assert {k: v for k, v in after.items() if k != "Student history"} == {
        k: v for k, v in before.items() if k != "Student history"
    }


def test_a_bulk_export_deactivates_who_has_left(roster_folder):
    run_import(roster_folder)
    closed = SchoolFactory(code="OLD", name="Old Mill School", sourced_id="org-old-mill")
    roster_folder.remove_student("stu-004")
    roster_folder.drop(USERS, "tch-001")
    roster_folder.drop("enrollments.csv", "tch-001", column="userSourcedId")
    roster_folder.drop(USERS, "gdn-006")
    roster_folder.remove_student("stu-007")

    roster_import = run_import(roster_folder)

    assert roster_import.status == ImportStatus.SUCCEEDED, roster_import.errors
    assert set(Student.objects.filter(active=False).values_list("sourced_id", flat=True)) == {
        "stu-004",
        "stu-007",
    }
    assert not Staff.objects.get(sourced_id="tch-001").active
    assert not Guardian.objects.get(sourced_id="gdn-006").active
    closed.refresh_from_db()
    assert not closed.active
    assert Student.objects.count() == 20  # deactivated, never deleted
    counts = counts_of(roster_import)
    assert counts["students"] == (0, 0, 2, 18)
    assert counts["staff"] == (0, 0, 1, 5)
    assert counts["schools"] == (0, 0, 1, 3)


def test_someone_back_in_a_later_export_is_active_again(roster_folder):
    run_import(roster_folder)
    run_import(SAMPLE_DELTA)
    assert not Student.objects.get(sourced_id="stu-008").active

    roster_import = run_import(roster_folder)

    assert Student.objects.get(sourced_id="stu-008").active
    assert Student.objects.get(sourced_id="stu-005").grade == "10"  # the bulk export is the truth
    assert counts_of(roster_import)["students"] == (0, 2, 0, 18)


def test_guardian_links_follow_the_export(roster_folder):
    run_import(roster_folder)
    # Naomi's row now lists only Theo; Rowan's row no longer lists her.
    roster_folder.edit(USERS, "gdn-001", agentSourcedIds="stu-017")
    roster_folder.edit(USERS, "stu-001", agentSourcedIds="")

    roster_import = run_import(roster_folder)

    naomi = Guardian.objects.get(sourced_id="gdn-001")
    assert list(naomi.students.values_list("sourced_id", flat=True)) == ["stu-017"]
    assert roster_import.summary["guardian_links"] == {"added": 0, "removed": 1}


def test_a_rejected_export_writes_nothing(roster_folder, coordinator):
    roster_folder.edit(USERS, "stu-003", givenName="")
    roster_folder.edit(DEMOGRAPHICS, "stu-015", birthDate="30/01/2013")
    before = snapshot()

    roster_import = run_import(roster_folder, user=coordinator)

    assert roster_import.status == ImportStatus.FAILED
    assert snapshot() == before
    assert roster_import.summary == {}
    assert roster_import.errors == [
        {"file": USERS, "line": 4, "field": "givenName", "reason": "is required"},
        {
            "file": DEMOGRAPHICS,
            "line": 16,
            "field": "birthDate",
            "reason": "must be a date written YYYY-MM-DD, not '30/01/2013'",
        },
    ]
    assert roster_import.is_finished and roster_import.percent_done == 100


def test_a_conflict_with_the_database_is_rejected_before_writing(roster_folder):
    StudentFactory(sourced_id="stu-legacy", student_number="260001")
    before = snapshot()

    roster_import = run_import(roster_folder)

    assert roster_import.status == ImportStatus.FAILED
    assert [(e["file"], e["line"], e["field"]) for e in roster_import.errors] == [(USERS, 2, "identifier")]
    assert snapshot() == before


def test_a_school_entered_by_hand_is_linked_by_its_code(roster_folder):
    by_hand = School.objects.create(
        code="TFHS", name="Tamarack Falls HS", level=SchoolLevel.HIGH, phone="0131"
    )

    run_import(roster_folder)

    by_hand.refresh_from_db()
    assert (by_hand.sourced_id, by_hand.name, by_hand.phone) == (
        "org-tfhs",
        "Tamarack Falls High School",
        "0131",
    )
    assert School.objects.count() == 3


def test_the_school_year_containing_today_becomes_current(roster_folder):
    today = timezone.localdate()
    old_current = AcademicYearFactory(
        name="2019-2020",
        start_date=datetime.date(2019, 7, 1),
        end_date=datetime.date(2020, 6, 30),
        is_current=True,
    )
    start = datetime.date(today.year - 5, 7, 1)
    roster_folder.edit(
        SESSIONS, "as-2026", startDate=str(start), endDate=str(start.replace(year=start.year + 1))
    )
    roster_folder.append(
        SESSIONS,
        {
            "sourcedId": "as-now",
            "title": "This year",
            "type": "schoolYear",
            "startDate": str(today - datetime.timedelta(days=100)),
            "endDate": str(today + datetime.timedelta(days=200)),
            "schoolYear": str(today.year + 1),
        },
    )

    roster_import = run_import(roster_folder)

    assert roster_import.status == ImportStatus.SUCCEEDED, roster_import.errors
    assert AcademicYear.objects.get(is_current=True).sourced_id == "as-now"
    old_current.refresh_from_db()
    assert not old_current.is_current
    assert old_current.history.first().history_change_reason == f"OneRoster import {roster_import.pk}"
    assert run_import(roster_folder).summary["counts"][1]["updated"] == 0


def test_demographics_are_ignored_when_the_district_has_not_turned_them_on(settings):
    settings.SRO_DEMOGRAPHICS_ENABLED = False

    roster_import = run_import(SAMPLE)

    assert not StudentDemographics.objects.exists()
    assert Student.objects.get(sourced_id="stu-002").birth_date == datetime.date(2011, 12, 9)
    assert roster_import.summary["demographics_stored"] is False
    assert "demographics" not in counts_of(roster_import)


def test_demographics_are_kept_when_the_district_has_turned_them_on(settings):
    settings.SRO_DEMOGRAPHICS_ENABLED = True

    roster_import = run_import(SAMPLE)

    kept = {
        d.student.sourced_id: (d.sex, d.race_ethnicity)
        for d in StudentDemographics.objects.select_related("student")
    }
    assert len(kept) == 20
    assert kept["stu-001"] == (Sex.FEMALE, RaceEthnicity.WHITE)
    assert kept["stu-002"] == (Sex.MALE, RaceEthnicity.HISPANIC)  # Hispanic, whatever the race
    assert kept["stu-003"] == (Sex.FEMALE, RaceEthnicity.TWO_OR_MORE)
    assert kept["stu-012"] == (Sex.MALE, RaceEthnicity.TWO_OR_MORE)
    assert kept["stu-015"] == (Sex.FEMALE, RaceEthnicity.AMERICAN_INDIAN)
    assert counts_of(roster_import)["demographics"] == (20, 0, 0, 0)
    before = snapshot()
    assert counts_of(run_import(SAMPLE))["demographics"] == (0, 0, 0, 20)
    assert snapshot() == before


# Running in Celery ---------------------------------------------------------------------------------


@pytest.fixture
def small_batches(monkeypatch, settings):
    """Batches of 10 rows, and anything over 20 rows goes to Celery."""
    monkeypatch.setattr(roster_writing, "ROSTER_BATCH_SIZE", 10)
    settings.SRO_ROSTER_SYNC_ROW_LIMIT = 20


def test_a_large_export_runs_in_celery_and_records_its_progress(
    small_batches, monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    publish = roster_writing.RosterProgress.publish
    monkeypatch.setattr(
        roster_writing.RosterProgress, "publish", lambda self: (published.append(self.done), publish(self))
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        roster_import = run_import(SAMPLE, in_background=None)
    assert roster_import.status == ImportStatus.PENDING
    assert len(callbacks) == 1
    callbacks[0]()  # the worker picks the task up once the upload is committed

    roster_import.refresh_from_db()
    assert roster_import.status == ImportStatus.SUCCEEDED
    assert roster_import.rows_done == roster_import.rows_total == 83
    assert len(published) >= 5
    assert published == sorted(published) and published[-1] <= 83
    assert Student.objects.count() == 20


def test_a_second_run_of_the_task_does_nothing(small_batches, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        roster_import = run_import(SAMPLE, in_background=True)
    roster_import.refresh_from_db()
    finished_at = roster_import.finished_at
    before = snapshot()

    tasks.roster_import_process(roster_import.pk)

    roster_import.refresh_from_db()
    assert (roster_import.status, roster_import.finished_at) == (ImportStatus.SUCCEEDED, finished_at)
    assert snapshot() == before
    assert roster_import_services.roster_import_run(roster_import_id=roster_import.pk) is False


def test_the_sweep_queues_imports_left_waiting(django_capture_on_commit_callbacks):
    stale = RosterImportFactory(status=ImportStatus.PENDING, rows_done=0)
    RosterImport.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    fresh = RosterImportFactory(status=ImportStatus.PENDING, rows_done=0)
    running = RosterImportFactory(status=ImportStatus.RUNNING, rows_done=0)
    RosterImport.objects.filter(pk=running.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )

    with django_capture_on_commit_callbacks(execute=True):
        tasks.roster_imports_resume()

    stale.refresh_from_db()
    fresh.refresh_from_db()
    running.refresh_from_db()
    assert stale.status == ImportStatus.SUCCEEDED
    assert Student.objects.count() == 20
    assert (fresh.status, running.status) == (ImportStatus.PENDING, ImportStatus.RUNNING)


def test_the_sweep_closes_imports_whose_worker_vanished():
    now = timezone.now()
    abandoned = RosterImportFactory(status=ImportStatus.RUNNING, rows_done=40, started_at=now)
    RosterImport.objects.filter(pk=abandoned.pk).update(started_at=now - datetime.timedelta(hours=3))
    busy = RosterImportFactory(status=ImportStatus.RUNNING, rows_done=40, started_at=now)

    tasks.roster_imports_resume()

    abandoned.refresh_from_db()
    busy.refresh_from_db()
    assert (abandoned.status, abandoned.rows_done) == (ImportStatus.FAILED, 0)
    assert "nothing was written" in abandoned.errors[0]["reason"]
    assert abandoned.finished_at is not None
    assert busy.status == ImportStatus.RUNNING
    assert Student.objects.count() == 0


def test_an_unexpected_error_fails_the_import_and_writes_nothing(monkeypatch):
    def explode(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(roster_writing.RosterWriter, "_guardians", explode)

    roster_import = run_import(SAMPLE)

    assert roster_import.status == ImportStatus.FAILED
    assert "unexpected error" in roster_import.errors[0]["reason"]
    assert not Student.objects.exists() and not School.objects.exists()


def test_an_import_waits_for_the_one_already_running():
    """Two imports at once would each check the roster against rows the other is changing."""
    running_elsewhere = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with running_elsewhere.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [roster_import_services._ROSTER_LOCK_KEY])
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '200ms'")  # waits, then gives up, rather than hang
        roster_import = run_import(SAMPLE)
    finally:
        running_elsewhere.close()

    assert roster_import.status == ImportStatus.FAILED
    assert "unexpected error" in roster_import.errors[0]["reason"]
    assert not Student.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_is_visible_to_the_status_page_while_the_import_runs(small_batches, monkeypatch):
    """The write is one transaction; progress still reaches other connections as it goes."""
    seen = []
    publish = roster_writing.RosterProgress.publish
    observer = connections.create_connection(DEFAULT_DB_ALIAS)

    def publish_and_look(self):
        publish(self)
        with observer.cursor() as cursor:
            cursor.execute(
                "SELECT rows_done FROM district_rosterimport WHERE id = %s", [self.roster_import_id]
            )
            rows_done = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM district_student")
            seen.append((rows_done, cursor.fetchone()[0]))

    monkeypatch.setattr(roster_writing.RosterProgress, "publish", publish_and_look)
    try:
        roster_import = run_import(SAMPLE)
    finally:
        observer.close()

    assert roster_import.status == ImportStatus.SUCCEEDED
    assert len(seen) >= 5
    assert [rows for rows, _ in seen] == sorted(rows for rows, _ in seen) and seen[-1][0] > seen[0][0] > 0
    # Meanwhile nobody else sees a half-written roster.
    assert {students for _, students in seen} == {0}
