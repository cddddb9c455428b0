"""The quick log's rules: one record per key, each student's own outcome, the Civil Rights Data
Collection's flags, the edit window and addenda, and bad input refused with nothing half-saved."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from district.models import Student
from incidents.models import (
    Addendum,
    EnforcementAction,
    Interaction,
    InteractionStudent,
    Involvement,
    OfficerRole,
    Outcome,
    RecordClass,
)
from incidents.selectors.interactions import narrative_students_not_on_record, students_search
from incidents.selectors.officers import roster_for_officer
from incidents.services.interactions import (
    StudentEntry,
    addendum_add,
    crdc_flags,
    interaction_update,
)
from tests.district.factories import StudentFactory
from tests.incidents.factories import log

pytestmark = pytest.mark.django_db


# --- The Civil Rights Data Collection's flags ---------------------------------------------------


@pytest.mark.parametrize(
    ("action", "school_related", "expected"),
    [
        (EnforcementAction.NONE, None, (False, False)),
        (EnforcementAction.WARNING, None, (False, False)),
        (EnforcementAction.SEARCH, None, (False, False)),
        (EnforcementAction.USE_OF_FORCE, None, (False, False)),
        # Citations, tickets and court referrals count as referrals to law enforcement.
        (EnforcementAction.NONCRIMINAL_CITATION, None, (True, False)),
        (EnforcementAction.CRIMINAL_CITATION, None, (True, False)),
        (EnforcementAction.REFERRAL, None, (True, False)),
        (EnforcementAction.COURT_REFERRAL, None, (True, False)),
        # A school-related arrest is both; an arrest off school grounds with no school referral neither.
        (EnforcementAction.CUSTODIAL_ARREST, True, (True, True)),
        (EnforcementAction.CUSTODIAL_ARREST, False, (False, False)),
    ],
)
def test_crdc_flags(action, school_related, expected):
    assert crdc_flags(action=action, arrest_school_related=school_related) == expected


def test_an_arrest_whose_school_related_question_is_unanswered_has_no_flags():
    with pytest.raises(ValidationError, match="school-related"):
        crdc_flags(action=EnforcementAction.CUSTODIAL_ARREST, arrest_school_related=None)


# --- Logging ------------------------------------------------------------------------------------


def test_each_involved_student_keeps_their_own_outcome_and_action(officer, school, student, second_student):
    interaction = log(
        author=officer.user,
        school=school,
        officer_role=OfficerRole.LAW_ENFORCEMENT,
        students=[
            StudentEntry(
                student=student,
                outcome=Outcome.RETURNED_TO_ADMINISTRATION,
                action=EnforcementAction.CUSTODIAL_ARREST,
                arrest_school_related=True,
            ),
            StudentEntry(student=second_student, outcome=Outcome.RETURNED_TO_ADMINISTRATION, action="none"),
        ],
    )
    rows = {row.student_id: row for row in interaction.students.all()}
    assert rows[student.pk].action == EnforcementAction.CUSTODIAL_ARREST
    assert (rows[student.pk].crdc_referral, rows[student.pk].crdc_school_related_arrest) == (True, True)
    assert rows[second_student.pk].action == EnforcementAction.NONE
    assert (rows[second_student.pk].crdc_referral, rows[second_student.pk].crdc_school_related_arrest) == (
        False,
        False,
    )
    assert interaction.record_class == RecordClass.LAW_ENFORCEMENT_UNIT


def test_a_witness_carries_no_outcome_and_no_action(officer, school, student, second_student):
    interaction = log(
        author=officer.user,
        school=school,
        students=[
            StudentEntry(student=student, outcome="resolved", action="none"),
            StudentEntry(student=second_student, involvement=Involvement.WITNESS),
        ],
    )
    witness = interaction.students.get(student=second_student)
    assert (witness.outcome, witness.action, witness.crdc_referral) == ("", "", False)
    with pytest.raises(ValidationError, match="witness"):
        log(
            author=officer.user,
            school=school,
            students=[StudentEntry(student=student, involvement=Involvement.WITNESS, outcome="resolved")],
        )


def test_mentoring_with_no_enforcement_is_a_school_record(officer, school, student):
    assert log(author=officer.user, school=school, students=[student]).record_class == RecordClass.SCHOOL


def test_the_same_key_makes_one_record(officer, school, student):
    key = uuid.uuid4()
    first = log(author=officer.user, school=school, students=[student], key=key)
    again = log(author=officer.user, school=school, students=[student], key=key, narrative="retried")
    assert again.pk == first.pk
    assert Interaction.objects.count() == 1
    assert InteractionStudent.objects.count() == 1
    assert Interaction.objects.get().narrative == "Talked it through in the hallway."


def test_another_officers_key_is_not_a_way_into_their_record(
    officer, school, student, other_officer_user, other_school
):
    key = uuid.uuid4()
    log(author=officer.user, school=school, students=[student], key=key)
    with pytest.raises(ValidationError, match="already used"):
        log(author=other_officer_user, school=other_school, key=key)


# --- Bad input: a clear error, nothing half-saved --------------------------------------------------


def _refused(match, **kwargs):
    with pytest.raises(ValidationError, match=match):
        log(**kwargs)
    assert Interaction.objects.count() == 0
    assert InteractionStudent.objects.count() == 0


def test_a_student_outside_the_officers_schools_is_refused(officer, school, student, outside_student):
    _refused("not on your schools", author=officer.user, school=school, students=[student, outside_student])


def test_an_inactive_student_is_refused(officer, school):
    gone = StudentFactory(school=school, active=False)
    _refused("not on your schools", author=officer.user, school=school, students=[gone])


def test_a_school_the_officer_does_not_serve_is_refused(officer, other_school):
    _refused("not assigned to this school", author=officer.user, school=other_school)


def test_a_future_time_is_refused(officer, school, student):
    later = timezone.now() + datetime.timedelta(hours=2)
    _refused("future", author=officer.user, school=school, students=[student], when=later)


def test_a_negative_duration_is_refused(officer, school):
    _refused("duration", author=officer.user, school=school, duration_minutes=-5)


def test_an_arrest_left_unanswered_is_refused(officer, school, student):
    entry = StudentEntry(student=student, outcome="returned_to_administration", action="custodial_arrest")
    _refused("school-related", author=officer.user, school=school, students=[entry])


def test_a_follow_up_due_before_the_interaction_is_refused(officer, school):
    when = timezone.now() - datetime.timedelta(days=2)
    due = timezone.localdate(when) - datetime.timedelta(days=1)
    _refused("before the interaction", author=officer.user, school=school, when=when, follow_up_due=due)


def test_an_involved_student_needs_an_outcome(officer, school, student):
    _refused("outcome", author=officer.user, school=school, students=[StudentEntry(student=student)])


def test_a_student_twice_is_refused(officer, school, student):
    _refused("twice", author=officer.user, school=school, students=[student, student])


def test_an_account_without_an_officer_record_cannot_log(officer_user, school):
    with pytest.raises(ValidationError, match="not linked"):
        log(author=officer_user, school=school)


# --- The edit window and addenda ---------------------------------------------------------------------


def _update(interaction, user, **changes):
    kwargs = {
        "school": interaction.school,
        "occurred_at": interaction.occurred_at,
        "officer_role": interaction.officer_role,
        "category": interaction.category,
        "initiator": interaction.initiator,
        "duration_minutes": interaction.duration_minutes,
        "students": [
            StudentEntry(student=row.student, outcome=row.outcome, action=row.action)
            for row in interaction.students.all()
        ],
        "narrative": interaction.narrative,
    }
    kwargs.update(changes)
    return interaction_update(user=user, interaction=interaction, **kwargs)


def test_the_officer_may_change_the_record_within_a_week_and_every_version_is_kept(
    interaction, officer, student
):
    _update(
        interaction,
        officer.user,
        narrative="Corrected.",
        students=[StudentEntry(student=student, outcome="diversion", action="none")],
    )
    interaction.refresh_from_db()
    assert interaction.narrative == "Corrected."
    assert list(interaction.students.values_list("student_id", "outcome")) == [(student.pk, "diversion")]
    assert interaction.history.count() == 2
    assert [v.narrative for v in interaction.history.order_by("history_date")] == [
        "Talked it through in the hallway.",
        "Corrected.",
    ]
    # The student taken off keeps their row's history (created, then deleted).
    assert InteractionStudent.history.filter(history_type="-").count() == 1


def test_after_a_week_only_an_addendum_can_be_added(interaction, officer):
    Interaction.objects.filter(pk=interaction.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    interaction.refresh_from_db()
    with pytest.raises(ValidationError, match="addendum"):
        _update(interaction, officer.user, narrative="Too late.")
    addendum = addendum_add(user=officer.user, interaction=interaction, text="The guardian called back.")
    interaction.refresh_from_db()
    assert interaction.narrative == "Talked it through in the hallway."
    assert list(interaction.addenda.all()) == [addendum]


def test_only_the_writing_officer_changes_or_adds_to_a_record(interaction, other_officer_user, coordinator):
    for user in (other_officer_user, coordinator):
        with pytest.raises(ValidationError, match="Only the officer"):
            _update(interaction, user, narrative="Not mine.")
        with pytest.raises(ValidationError, match="Only the officer"):
            addendum_add(user=user, interaction=interaction, text="Not mine.")
    assert Addendum.objects.count() == 0


def test_an_empty_addendum_is_refused(interaction, officer):
    with pytest.raises(ValidationError, match="Write"):
        addendum_add(user=officer.user, interaction=interaction, text="   ")


# --- Reads the quick log uses -----------------------------------------------------------------------


def test_the_note_names_a_roster_student_who_is_not_on_the_record(
    officer, student, second_student, outside_student
):
    roster = roster_for_officer(officer=officer)
    note = "Jordan Ellis and Riley Moreno argued; Casey Nguyen watched. Spoke with Moreno, Riley later."
    found = narrative_students_not_on_record(roster=roster, narrative=note, student_ids=[student.pk])
    # Casey is not on this officer's roster; Jordan is on the record.
    assert found == [second_student]
    assert narrative_students_not_on_record(roster=roster, narrative="riley moreno", student_ids=[]) == []


def test_the_type_ahead_finds_only_the_officers_roster_and_at_most_ten(
    officer, school, student, outside_student
):
    for n in range(15):
        StudentFactory(school=school, given_name=f"Jo{n}", family_name="Ellison")
    roster = roster_for_officer(officer=officer)
    assert students_search(roster=roster, text="Jordan") == [student]
    assert students_search(roster=roster, text="Ellis Jordan") == [student]
    assert students_search(roster=roster, text="200001") == [student]
    assert students_search(roster=roster, text="Casey") == []
    assert len(students_search(roster=roster, text="Ellis")) == 10
    assert students_search(roster=roster, text="J") == []
    assert Student.objects.count() == 17
