"""Reading and checking OneRoster 1.1 exports (district/oneroster/): no database involved."""

import datetime
import io
import zipfile

import pytest

from district.models import RaceEthnicity, SchoolLevel, Sex, StaffRole
from district.oneroster import schema
from district.oneroster.checking import parse_roster
from district.oneroster.reading import read_roster, zip_folder
from district.oneroster.records import (
    KnownRecords,
    StudentChange,
    StudentRecord,
    race_ethnicity_from,
    school_level_from_name,
)
from district.oneroster.schema import (
    DEMOGRAPHICS,
    ENROLLMENTS,
    MANIFEST,
    ORGS,
    SESSIONS,
    USERS,
    FileMode,
    RosterFileError,
)
from tests.district.roster_files import SAMPLE, with_declared_size, zip_of

TODAY = datetime.date(2026, 11, 28)
DELTA_STAMP = "2026-11-20T14:05:00Z"


def parse(folder, known=None, today=TODAY):
    return parse_roster(read_roster(folder.path), known=known or KnownRecords(), today=today)


def problems(roster):
    return {(error.file, error.line, error.field) for error in roster.errors}


# Reading ------------------------------------------------------------------------------------------


def test_sample_folder_and_its_zip_read_the_same():
    from_folder = read_roster(SAMPLE)
    from_zip = read_roster(io.BytesIO(zip_folder(SAMPLE)))
    assert from_folder.modes == from_zip.modes == dict.fromkeys(schema.ROSTER_FILES, FileMode.BULK)
    assert from_folder.texts == from_zip.texts
    assert from_folder.errors == []
    assert from_folder.mode == "bulk"
    assert from_folder.row_counts() == {ORGS: 4, SESSIONS: 3, USERS: 34, ENROLLMENTS: 22, DEMOGRAPHICS: 20}
    assert from_folder.row_count() == 83


def test_files_zipped_inside_a_folder_are_found(roster_folder):
    files = {f"export/{path.name}": path.read_bytes() for path in roster_folder.path.iterdir()}
    files["__MACOSX/export/._manifest.csv"] = b"\x00\x05"
    archive = read_roster(io.BytesIO(zip_of(files)))
    assert archive.errors == []
    assert archive.row_count() == 83


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"sourcedId,status\n", "not a zip file"),
        (b"PK\x03\x04 truncated", "not a zip file"),
        (zip_of({"orgs.csv": "sourcedId\n"}), "no manifest.csv"),
        (zip_of({"a/manifest.csv": "", "b/manifest.csv": ""}), "more than one manifest.csv"),
        (zip_of({"manifest.csv": "name,value\n"}), "header line propertyName,value"),
        (zip_of({"manifest.csv": "propertyName,value\nfile.users,bulk\n"}), "which OneRoster version"),
        (zip_of({"manifest.csv": "propertyName,value\noneroster.version,1.2\n"}), "OneRoster 1.2"),
        (zip_of({"manifest.csv": b"propertyName,value\n\xff\xfe\n"}), "not UTF-8"),
    ],
)
def test_unreadable_exports_are_refused_as_a_whole(content, message):
    with pytest.raises(RosterFileError, match=message):
        read_roster(io.BytesIO(content))


def test_an_export_that_declares_more_than_the_cap_is_refused_before_anything_is_unzipped(monkeypatch):
    content = zip_folder(SAMPLE)

    def unzip(*args, **kwargs):
        raise AssertionError("a member was unzipped")

    monkeypatch.setattr(zipfile.ZipFile, "open", unzip)
    with pytest.raises(RosterFileError, match="once unzipped"):
        read_roster(io.BytesIO(content), max_bytes=len(read_roster(SAMPLE).texts[USERS]))
    # The default cap (512 MiB), against sizes that only the headers claim.
    with pytest.raises(RosterFileError, match="more than 512.0\xa0MB once unzipped"):
        read_roster(io.BytesIO(with_declared_size(content, 200 * 1024 * 1024)))


def test_an_export_within_the_cap_is_read(monkeypatch):
    total = sum(path.stat().st_size for path in SAMPLE.iterdir() if path.suffix == ".csv")
    assert read_roster(io.BytesIO(zip_folder(SAMPLE)), max_bytes=total).row_count() == 83
    assert read_roster(SAMPLE, max_bytes=total).row_count() == 83
    with pytest.raises(RosterFileError, match="once unzipped"):
        read_roster(SAMPLE, max_bytes=total - 1)


def test_the_bytes_are_counted_while_unzipping_so_a_lying_header_cannot_pass(monkeypatch):
    """Headers that declare almost nothing, read by an unzipper that believes the data rather than
    the headers: the count of bytes that come out still stops the read at the cap."""
    content = zip_of({"manifest.csv": "propertyName,value\noneroster.version,1.1\n", USERS: "x" * 50_000})
    infolist, open_member = zipfile.ZipFile.infolist, zipfile.ZipFile.open

    def lying_infolist(self):
        return [_declaring(info, 10) for info in infolist(self)]

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying_infolist)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, info, *a, **k: open_member(self, info.filename))

    with pytest.raises(RosterFileError, match="once unzipped"):
        read_roster(io.BytesIO(content), max_bytes=1_000)


def _declaring(info: zipfile.ZipInfo, size: int) -> zipfile.ZipInfo:
    liar = zipfile.ZipInfo(info.filename, info.date_time)
    liar.file_size, liar.compress_size, liar.header_offset = size, info.compress_size, info.header_offset
    return liar


def test_a_real_zip_whose_headers_understate_its_members_is_refused():
    content = with_declared_size(zip_folder(SAMPLE), 10)
    with pytest.raises(RosterFileError):
        read_roster(io.BytesIO(content))


def test_an_export_with_every_file_absent_has_nothing_to_import(roster_folder):
    roster_folder.set_manifest(
        **{f"file.{name.removesuffix('.csv')}": "absent" for name in schema.ROSTER_FILES}
    )
    with pytest.raises(RosterFileError, match="nothing to import"):
        roster_folder.archive()


def test_manifest_problems_are_reported_with_their_line(roster_folder):
    roster_folder.set_manifest(**{"file.orgs": "full", "file.demographics": "delta"})
    (roster_folder.path / DEMOGRAPHICS).unlink()
    archive = roster_folder.archive()
    orgs_line = next(
        i
        for i, line in enumerate((roster_folder.path / MANIFEST).read_text().splitlines(), 1)
        if line.startswith("file.orgs,")
    )
    assert {(e.file, e.line, e.field) for e in archive.errors} == {
        (MANIFEST, orgs_line, "file.orgs"),
        (DEMOGRAPHICS, None, ""),
    }
    assert archive.modes[ORGS] == FileMode.ABSENT
    assert "must be bulk, delta or absent" in archive.errors[0].reason


def test_a_file_that_is_not_utf8_is_reported_at_its_line(roster_folder):
    path = roster_folder.path / USERS
    lines = path.read_bytes().splitlines(keepends=True)
    lines[3] = lines[3].replace(b"Keziah", b"K\xe9ziah")  # Latin-1, as a spreadsheet might save it
    path.write_bytes(b"".join(lines))
    archive = roster_folder.archive()
    assert [(e.file, e.line) for e in archive.errors] == [(USERS, 4)]


# The sample, mapped -------------------------------------------------------------------------------


def test_the_sample_maps_to_the_district_records():
    roster = parse_roster(read_roster(SAMPLE), known=KnownRecords(), today=TODAY)
    assert roster.errors == []
    assert [(s.code, s.level) for s in roster.schools] == [
        ("TFHS", SchoolLevel.HIGH),
        ("BHMS", SchoolLevel.MIDDLE),
        ("JSES", SchoolLevel.ELEMENTARY),
    ]
    assert [(y.name, y.start_date, y.end_date) for y in roster.academic_years] == [
        ("2026-2027", datetime.date(2026, 7, 1), datetime.date(2027, 6, 30))
    ]
    assert len(roster.students) == 20
    assert len(roster.staff) == 6
    assert len(roster.guardians) == 8
    rowan = next(s for s in roster.students if s.sourced_id == "stu-001")
    assert rowan == StudentRecord(
        "stu-001", "260001", "Rowan", "Elise", "Ashby", "09", "org-tfhs", datetime.date(2012, 2, 14),
        email="rashby@students.tamarackfalls.k12.example",
    )  # fmt: skip
    theo = next(s for s in roster.students if s.sourced_id == "stu-017")
    assert theo.grade == "KG"
    # No enrollment: the school is the first of the student's orgs that is a school.
    samuel = next(s for s in roster.students if s.sourced_id == "stu-019")
    assert samuel.school_sourced_id == "org-jses"
    desmond = next(s for s in roster.staff if s.sourced_id == "tch-002")
    assert desmond.school_sourced_ids == {"org-bhms", "org-tfhs"}
    assert desmond.role == StaffRole.TEACHER
    district_office = next(s for s in roster.staff if s.sourced_id == "adm-002")
    assert district_office.school_sourced_ids == frozenset()
    # Links declared on either side: Dolores only on the student's row, Samira only on her own.
    assert ("gdn-007", "stu-013") in roster.guardian_links
    assert ("gdn-008", "stu-009") in roster.guardian_links
    assert len(roster.guardian_links) == 11
    assert {d.student_sourced_id: d.race_ethnicity for d in roster.demographics}["stu-003"] == (
        RaceEthnicity.TWO_OR_MORE
    )


def test_a_current_enrollment_decides_the_school(roster_folder):
    roster_folder.append(
        ENROLLMENTS,
        {
            "sourcedId": "enr-old",
            "classSourcedId": "cls-jses-homeroom-05",
            "schoolSourcedId": "org-jses",
            "userSourcedId": "stu-009",
            "role": "student",
            "beginDate": "2025-09-08",
            "endDate": "2026-06-25",
        },
    )
    rows = roster_folder.rows(ENROLLMENTS)
    rows.insert(0, rows.pop())  # the finished enrollment comes first in the file
    roster_folder.write(ENROLLMENTS, rows)
    noor = next(s for s in parse(roster_folder).students if s.sourced_id == "stu-009")
    assert noor.school_sourced_id == "org-bhms"
    last_spring = parse(roster_folder, today=datetime.date(2026, 3, 1))
    assert next(s for s in last_spring.students if s.sourced_id == "stu-009").school_sourced_id == "org-jses"


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({}, RaceEthnicity.NOT_REPORTED),
        ({"white": True}, RaceEthnicity.WHITE),
        ({"asian": True, "white": False}, RaceEthnicity.ASIAN),
        ({"white": True, "hispanicOrLatinoEthnicity": True}, RaceEthnicity.HISPANIC),
        ({"hispanicOrLatinoEthnicity": True}, RaceEthnicity.HISPANIC),
        ({"blackOrAfricanAmerican": True, "white": True}, RaceEthnicity.TWO_OR_MORE),
        ({"demographicRaceTwoOrMoreRaces": True}, RaceEthnicity.TWO_OR_MORE),
        ({"nativeHawaiianOrOtherPacificIslander": True}, RaceEthnicity.PACIFIC_ISLANDER),
        ({"americanIndianOrAlaskaNative": True}, RaceEthnicity.AMERICAN_INDIAN),
    ],
)
def test_race_and_ethnicity_follow_the_federal_categories(flags, expected):
    assert race_ethnicity_from(flags) == expected


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("Juniper Street Elementary School", SchoolLevel.ELEMENTARY),
        ("Oak Primary", SchoolLevel.ELEMENTARY),
        ("Birch Hollow Middle School", SchoolLevel.MIDDLE),
        ("Lincoln Junior High School", SchoolLevel.MIDDLE),
        ("Tamarack Falls High School", SchoolLevel.HIGH),
        ("Highland Academy", SchoolLevel.OTHER),
        ("Alternative Learning Center", SchoolLevel.OTHER),
    ],
)
def test_the_level_is_guessed_from_the_name(name, level):
    assert school_level_from_name(name) == level


def test_sex_is_mapped_and_blank_means_not_reported(roster_folder):
    roster_folder.edit(DEMOGRAPHICS, "stu-004", sex="")
    sexes = {d.student_sourced_id: d.sex for d in parse(roster_folder).demographics}
    assert (sexes["stu-001"], sexes["stu-002"], sexes["stu-004"]) == (Sex.FEMALE, Sex.MALE, Sex.NOT_REPORTED)


def test_extension_columns_are_allowed_after_the_standard_ones(roster_folder):
    header = [*schema.HEADERS[ORGS], "metadata.district.region"]
    rows = [row | {"metadata.district.region": "north"} for row in roster_folder.rows(ORGS)]
    roster_folder.write(ORGS, rows, header=header)
    assert parse(roster_folder).errors == []


# Bad rows: every one is reported with file, line, field and reason ------------------------------


def _student_copy(folder, sourced_id="stu-001", **changes):
    return folder.append(USERS, folder.row(USERS, sourced_id) | changes)


BAD_ROWS = [
    # (file, sourcedId of the row to change, changes, field reported)
    (ORGS, "org-tfhs", {"identifier": ""}, "identifier"),
    (ORGS, "org-tfhs", {"type": "campus"}, "type"),
    (ORGS, "org-tfhs", {"name": ""}, "name"),
    (ORGS, "org-tfhs", {"parentSourcedId": "org-county"}, "parentSourcedId"),
    (ORGS, "org-bhms", {"identifier": "TFHS"}, "identifier"),
    (SESSIONS, "as-2026", {"startDate": "09/01/2026"}, "startDate"),
    (SESSIONS, "as-2026", {"endDate": "2026-02-30"}, "endDate"),
    (SESSIONS, "as-2026", {"endDate": "2026-06-30"}, "endDate"),
    (SESSIONS, "as-2026", {"schoolYear": "26-27"}, "schoolYear"),
    (SESSIONS, "as-2026", {"type": "year"}, "type"),
    (SESSIONS, "as-2026-s1", {"parentSourcedId": "as-1999"}, "parentSourcedId"),
    (USERS, "stu-001", {"givenName": ""}, "givenName"),
    (USERS, "stu-001", {"familyName": "x" * 101}, "familyName"),
    (USERS, "stu-001", {"role": "counselor"}, "role"),
    (USERS, "stu-001", {"enabledUser": "yes"}, "enabledUser"),
    (USERS, "stu-001", {"orgSourcedIds": ""}, "orgSourcedIds"),
    (USERS, "stu-001", {"orgSourcedIds": "org-nowhere"}, "orgSourcedIds"),
    (USERS, "stu-001", {"username": ""}, "username"),
    (USERS, "stu-001", {"userIds": "SIS-260001"}, "userIds"),
    (USERS, "stu-001", {"agentSourcedIds": "gdn-999"}, "agentSourcedIds"),
    (USERS, "stu-001", {"grades": "9th"}, "grades"),
    (USERS, "stu-001", {"email": "rowan at example"}, "email"),
    (USERS, "stu-001", {"identifier": ""}, "identifier"),
    (USERS, "stu-002", {"identifier": "260001"}, "identifier"),
    (USERS, "stu-001", {"status": "inactive"}, "status"),
    (USERS, "stu-001", {"dateLastModified": "yesterday"}, "dateLastModified"),
    (USERS, "gdn-001", {"phone": "5" * 41}, "phone"),
    (ENROLLMENTS, "enr-stu-001", {"userSourcedId": "stu-999"}, "userSourcedId"),
    (ENROLLMENTS, "enr-stu-001", {"schoolSourcedId": "org-district"}, "schoolSourcedId"),
    (ENROLLMENTS, "enr-stu-001", {"classSourcedId": ""}, "classSourcedId"),
    (ENROLLMENTS, "enr-stu-001", {"role": "guardian"}, "role"),
    (ENROLLMENTS, "enr-stu-001", {"primary": "maybe"}, "primary"),
    (ENROLLMENTS, "enr-stu-001", {"beginDate": "2026-9-8"}, "beginDate"),
    (ENROLLMENTS, "enr-stu-001", {"endDate": "2026-01-01"}, "endDate"),
    (DEMOGRAPHICS, "stu-001", {"birthDate": "2099-01-01"}, "birthDate"),
    (DEMOGRAPHICS, "stu-001", {"sex": "f"}, "sex"),
    (DEMOGRAPHICS, "stu-001", {"white": "1"}, "white"),
    (DEMOGRAPHICS, "stu-001", {"sourcedId": "stu-999"}, "sourcedId"),
]


@pytest.mark.parametrize(("file", "sourced_id", "changes", "field"), BAD_ROWS)
def test_each_bad_value_is_reported_where_it_is(roster_folder, file, sourced_id, changes, field):
    line = roster_folder.line_of(file, sourced_id)
    roster_folder.edit(file, sourced_id, **changes)
    roster = parse(roster_folder)
    assert (file, line, field) in problems(roster)
    error = next(e for e in roster.errors if (e.file, e.line, e.field) == (file, line, field))
    assert error.reason


def test_a_duplicate_sourced_id_is_reported_on_its_second_line(roster_folder):
    first = roster_folder.line_of(USERS, "stu-004")
    line = _student_copy(roster_folder, "stu-004", identifier="269999")
    roster = parse(roster_folder)
    assert problems(roster) == {(USERS, line, "sourcedId")}
    assert f"first on line {first}" in roster.errors[0].reason


def test_a_row_with_the_wrong_number_of_fields_is_reported(roster_folder):
    path = roster_folder.path / ORGS
    path.write_text(path.read_text() + "org-extra,,,Extra School,school,EXS,org-district,surplus\n")
    assert problems(parse(roster_folder)) == {(ORGS, 6, "")}


@pytest.mark.parametrize(
    ("header", "field", "reason"),
    [
        (["sourcedid", *schema.HEADERS[ORGS][1:]], "sourcedId", "case-sensitive"),
        (list(schema.HEADERS[ORGS][:-1]), "parentSourcedId", "missing"),
        ([*schema.HEADERS[ORGS], "region"], "region", "not a OneRoster 1.1 column"),
        (["status", "sourcedId", *schema.HEADERS[ORGS][2:]], "sourcedId", "out of order"),
    ],
)
def test_a_wrong_header_is_reported_on_line_one(roster_folder, header, field, reason):
    rows = [{column: row.get(column, "") for column in header} for row in roster_folder.rows(ORGS)]
    roster_folder.write(ORGS, rows, header=header)
    roster = parse(roster_folder)
    wrong_header = [e for e in roster.errors if e.file == ORGS]
    assert [(e.line, e.field) for e in wrong_header] == [(1, field)]
    assert reason in wrong_header[0].reason


def test_every_bad_row_in_every_file_is_reported_at_once(roster_folder):
    roster_folder.edit(ORGS, "org-bhms", type="campus")
    roster_folder.edit(USERS, "stu-003", givenName="")
    roster_folder.edit(USERS, "stu-010", grades="6th")
    roster_folder.edit(ENROLLMENTS, "enr-stu-012", role="")
    roster_folder.edit(DEMOGRAPHICS, "stu-015", birthDate="2013/01/30")
    roster = parse(roster_folder)
    assert {(e.file, e.field) for e in roster.errors} >= {
        (ORGS, "type"),
        (USERS, "givenName"),
        (USERS, "grades"),
        (ENROLLMENTS, "role"),
        (DEMOGRAPHICS, "birthDate"),
    }


# Against what the database holds ------------------------------------------------------------------


def test_a_building_code_taken_by_another_school_is_refused(roster_folder):
    known = KnownRecords(school_ids=frozenset({"org-elsewhere"}), school_codes={"TFHS": "org-elsewhere"})
    assert (ORGS, 3, "identifier") in problems(parse(roster_folder, known))


def test_a_school_entered_by_hand_with_the_same_code_is_adopted(roster_folder):
    assert parse(roster_folder, KnownRecords(school_codes={"TFHS": None})).errors == []


def test_a_student_id_taken_by_another_student_is_refused(roster_folder):
    known = KnownRecords(student_ids=frozenset({"stu-old"}), student_numbers={"260001": "stu-old"})
    assert problems(parse(roster_folder, known)) == {(USERS, 2, "identifier")}


def test_a_school_year_held_under_another_sourced_id_is_refused(roster_folder):
    known = KnownRecords(year_ids=frozenset({"sy-2026"}), year_names={"2026-2027": "sy-2026"})
    assert problems(parse(roster_folder, known)) == {(SESSIONS, 2, "startDate")}


# Delta exports ------------------------------------------------------------------------------------


KNOWN_SAMPLE = KnownRecords(
    school_ids=frozenset({"org-tfhs", "org-bhms", "org-jses"}),
    student_ids=frozenset({"stu-005", "stu-008"}),
    guardian_ids=frozenset({"gdn-004"}),
    student_numbers={"260005": "stu-005", "260008": "stu-008"},
)


def test_a_delta_refers_to_what_the_database_holds(delta_folder):
    roster = parse(delta_folder, KNOWN_SAMPLE)
    assert roster.errors == []
    assert [(s.sourced_id, s.grade, s.school_sourced_id) for s in roster.students] == [
        ("stu-005", "11", "org-tfhs")
    ]
    assert roster.deleted_users == {"stu-008"}
    assert roster.guardian_links == {("gdn-004", "stu-005")}


def test_the_same_references_are_unknown_without_the_database(delta_folder):
    roster = parse(delta_folder)
    assert (USERS, 2, "agentSourcedIds") in problems(roster)


@pytest.mark.parametrize("field", ["status", "dateLastModified"])
def test_a_delta_must_say_status_and_when(delta_folder, field):
    delta_folder.edit(USERS, "stu-005", **{field: ""})
    roster = parse(delta_folder, KNOWN_SAMPLE)
    assert problems(roster) == {(USERS, 2, field)}
    assert "delta" in roster.errors[0].reason


def test_a_row_to_be_deleted_needs_only_its_id_status_and_date(delta_folder):
    delta_folder.write(
        USERS,
        [
            delta_folder.row(USERS, "stu-005"),
            {"sourcedId": "stu-008", "status": "tobedeleted", "dateLastModified": DELTA_STAMP},
        ],
    )
    roster = parse(delta_folder, KNOWN_SAMPLE)
    assert roster.errors == []
    assert roster.deleted_users == {"stu-008"}


def test_a_delta_may_bring_news_of_students_it_does_not_list(delta_folder):
    delta_folder.set_manifest(**{"file.enrollments": "delta", "file.demographics": "delta"})
    delta_folder.write(
        ENROLLMENTS,
        [
            {
                "sourcedId": "enr-move",
                "status": "active",
                "dateLastModified": DELTA_STAMP,
                "classSourcedId": "cls-bhms-homeroom-07",
                "schoolSourcedId": "org-bhms",
                "userSourcedId": "stu-009",
                "role": "student",
            }
        ],
    )
    delta_folder.write(
        DEMOGRAPHICS,
        [
            {
                "sourcedId": "stu-010",
                "status": "active",
                "dateLastModified": DELTA_STAMP,
                "birthDate": "2014-09-24",
            }
        ],
    )
    known = KnownRecords(
        school_ids=KNOWN_SAMPLE.school_ids,
        student_ids=KNOWN_SAMPLE.student_ids | {"stu-009", "stu-010"},
        guardian_ids=KNOWN_SAMPLE.guardian_ids,
        student_numbers=KNOWN_SAMPLE.student_numbers,
    )
    roster = parse(delta_folder, known)
    assert roster.errors == []
    assert roster.student_changes == {
        "stu-009": StudentChange(school_sourced_id="org-bhms"),
        "stu-010": StudentChange(birth_date=datetime.date(2014, 9, 24)),
    }
