"""Selection by fit: the services' rules and the results' arithmetic, with known numbers."""

import datetime
import math

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from district.roles import Role
from officers.models import (
    DEFAULT_FIT_CRITERIA,
    CandidateStatus,
    CycleStatus,
    Officer,
    OfficerStatus,
    PanelAffiliation,
    Score,
    Scorecard,
)
from officers.selectors.selection import (
    cycle_progress,
    cycle_results,
    scorecards_visible,
    visible_candidate_ids,
)
from officers.services.selection import (
    candidate_nominate,
    candidate_withdraw,
    criterion_add,
    criterion_move,
    criterion_remove,
    criterion_update,
    cycle_cancel,
    cycle_decide,
    panel_set,
    scorecard_save,
    scorecard_submit,
)
from tests.district.factories import UserFactory
from tests.officers.factories import PDF_BYTES, CandidateFactory, OfficerFactory, open_cycle, submit_all

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 9, 1)


@pytest.fixture
def two_criteria(cycle):
    """Keep only the first two default criteria, so the numbers are easy to follow."""
    for criterion in list(cycle.criteria.all())[2:]:
        criterion_remove(criterion=criterion)
    return list(cycle.criteria.all())


@pytest.fixture
def panel(cycle, coordinator):
    members = [
        coordinator,
        UserFactory(roles=[Role.ADMINISTRATOR]),
        UserFactory(roles=[Role.AGENCY_SUPERVISOR]),
    ]
    affiliations = [PanelAffiliation.DISTRICT, PanelAffiliation.DISTRICT, PanelAffiliation.AGENCY]
    return panel_set(cycle=cycle, members=dict(zip(members, affiliations, strict=True)))


def nominate(cycle, user, **kwargs):
    data = {
        "given_name": "Dana",
        "family_name": "Reyes",
        "badge_number": "B77",
        "years_of_service": 9,
        "youth_experience": "School crossing and youth league coach.",
    }
    data.update(kwargs)
    return candidate_nominate(cycle=cycle, nominated_by=user, **data)


# --- Cycle and criteria ----------------------------------------------------------------------


def test_a_new_cycle_gets_the_default_criteria_in_order(cycle, school):
    assert [(c.name, c.description) for c in cycle.criteria.all()] == DEFAULT_FIT_CRITERIA
    assert [c.position for c in cycle.criteria.all()] == list(range(1, len(DEFAULT_FIT_CRITERIA) + 1))
    assert list(cycle.schools.all()) == [school]
    assert cycle.status == CycleStatus.OPEN


def test_criteria_can_be_added_renamed_moved_and_removed_before_scoring(cycle):
    added = criterion_add(cycle=cycle, name="Trauma-informed practice", description="Knows the signs.")
    assert list(cycle.criteria.all())[-1] == added
    criterion_update(criterion=added, name="Trauma-informed approach", description="")
    criterion_move(criterion=added, direction="up")
    names = [c.name for c in cycle.criteria.all()]
    assert names[-2] == "Trauma-informed approach"
    first = cycle.criteria.first()
    criterion_move(criterion=first, direction="up")  # already first: nothing changes
    assert cycle.criteria.first() == first
    criterion_remove(criterion=added)
    assert cycle.criteria.count() == len(DEFAULT_FIT_CRITERIA)


def test_a_criterion_name_is_unique_in_its_cycle(cycle):
    with pytest.raises(ValidationError):
        criterion_add(cycle=cycle, name="communication")


def test_criteria_are_fixed_once_a_score_exists(cycle, panel, coordinator, two_criteria):
    candidate = nominate(cycle, coordinator)
    scorecard_save(panelist=panel[0], candidate=candidate, scores={two_criteria[0].pk: (4, "")})
    with pytest.raises(ValidationError, match="criteria can no longer change"):
        criterion_add(cycle=cycle, name="Something new")
    with pytest.raises(ValidationError):
        criterion_remove(criterion=two_criteria[1])
    with pytest.raises(ValidationError):
        criterion_update(criterion=two_criteria[1], name="Renamed")
    with pytest.raises(ValidationError):
        criterion_move(criterion=two_criteria[1], direction="up")


# --- Nomination ------------------------------------------------------------------------------


def test_a_badge_is_nominated_once_per_cycle(cycle, supervisor):
    nominate(cycle, supervisor)
    with pytest.raises(ValidationError) as error:
        nominate(cycle, supervisor, given_name="Other")
    assert "badge_number" in error.value.error_dict
    assert cycle.candidates.count() == 1


def test_the_resume_must_be_a_real_pdf_of_at_most_5_mb(cycle, supervisor):
    good = nominate(cycle, supervisor, resume=SimpleUploadedFile("cv.pdf", PDF_BYTES, "application/pdf"))
    assert good.resume.name.endswith(".pdf")
    fake = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        nominate(cycle, supervisor, badge_number="B78", resume=fake)
    renamed = SimpleUploadedFile("cv.docx", PDF_BYTES, "application/pdf")
    with pytest.raises(ValidationError, match="PDF"):
        nominate(cycle, supervisor, badge_number="B79", resume=renamed)
    big = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"%%EOF", "application/pdf")
    with pytest.raises(ValidationError, match="5 MB"):
        nominate(cycle, supervisor, badge_number="B80", resume=big)
    assert cycle.candidates.count() == 1


def test_nominating_an_officer_already_on_record_links_them(cycle, supervisor, agency):
    existing = OfficerFactory(agency=agency, badge_number="B77", status=OfficerStatus.CANDIDATE)
    assert nominate(cycle, supervisor).officer == existing


# --- Panel -----------------------------------------------------------------------------------


def test_panel_set_adds_updates_and_removes_members(cycle, coordinator):
    principal = UserFactory(roles=[Role.ADMINISTRATOR])
    sergeant = UserFactory(roles=[Role.AGENCY_SUPERVISOR])
    panel_set(cycle=cycle, members={coordinator: "district", principal: "district"})
    panel_set(cycle=cycle, members={coordinator: "agency", sergeant: "agency"})
    seats = {p.user: p.affiliation for p in cycle.panelists.all()}
    assert seats == {coordinator: "agency", sergeant: "agency"}


def test_a_panelist_who_scored_stays_on_the_panel(cycle, panel, coordinator, two_criteria):
    candidate = nominate(cycle, coordinator)
    scorer = next(seat for seat in panel if seat.user != coordinator)
    scorecard_save(panelist=scorer, candidate=candidate, scores={two_criteria[0].pk: (3, "")})
    with pytest.raises(ValidationError, match="must stay on the panel"):
        panel_set(cycle=cycle, members={coordinator: "district"})
    assert cycle.panelists.count() == 3


# --- Scoring ---------------------------------------------------------------------------------


def test_a_draft_may_be_partial_and_is_replaced_on_each_save(cycle, panel, coordinator, two_criteria):
    candidate = nominate(cycle, coordinator)
    first, second = two_criteria
    scorecard_save(panelist=panel[0], candidate=candidate, scores={first.pk: (2, "hesitant")})
    card = scorecard_save(
        panelist=panel[0], candidate=candidate, scores={first.pk: (4, "better"), second.pk: (None, "")}
    )
    assert card.submitted_at is None
    assert [(s.criterion_id, s.value, s.note) for s in card.scores.all()] == [(first.pk, 4, "better")]


@pytest.mark.parametrize("value", [0, 6, -1])
def test_a_score_outside_1_to_5_is_refused_and_nothing_is_saved(
    cycle, panel, coordinator, two_criteria, value
):
    candidate = nominate(cycle, coordinator)
    first, second = two_criteria
    with pytest.raises(ValidationError, match="1 to 5"):
        scorecard_save(
            panelist=panel[0], candidate=candidate, scores={first.pk: (3, ""), second.pk: (value, "")}
        )
    assert not Scorecard.objects.exists()
    assert not Score.objects.exists()


def test_the_database_refuses_a_score_outside_1_to_5_too(cycle, panel, coordinator, two_criteria):
    from django.db import IntegrityError, transaction

    candidate = nominate(cycle, coordinator)
    card = scorecard_save(panelist=panel[0], candidate=candidate, scores={})
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(scorecard=card, criterion=two_criteria[0], value=9)


def test_submitting_needs_every_criterion_and_then_the_card_is_final(cycle, panel, coordinator, two_criteria):
    candidate = nominate(cycle, coordinator)
    first, second = two_criteria
    with pytest.raises(ValidationError, match="Score every criterion"):
        scorecard_submit(panelist=panel[0], candidate=candidate, scores={first.pk: (4, "")})
    assert not Scorecard.objects.filter(submitted_at__isnull=False).exists()
    assert not Score.objects.exists(), "a refused submission leaves nothing half-saved"

    card = submit_all(panelist=panel[0], candidate=candidate, values=[4, 5])
    assert card.submitted_at is not None
    with pytest.raises(ValidationError, match="submitted"):
        scorecard_save(panelist=panel[0], candidate=candidate, scores={first.pk: (1, "")})
    assert sorted(card.scores.values_list("value", flat=True)) == [4, 5]


def test_a_panelist_scores_only_candidates_of_their_own_cycle(
    cycle, panel, coordinator, agency, academic_year
):
    other_cycle = open_cycle(opened_by=coordinator, agency=agency, academic_year=academic_year, title="Other")
    stranger = nominate(other_cycle, coordinator)
    with pytest.raises(ValidationError):
        scorecard_save(panelist=panel[0], candidate=stranger, scores={})


def test_a_panelist_sees_no_one_elses_scores_until_they_submit_their_own(
    cycle, panel, coordinator, two_criteria
):
    candidate = nominate(cycle, coordinator)
    mine, theirs = [seat for seat in panel if seat.user != coordinator]
    submit_all(panelist=theirs, candidate=candidate, values=[5, 5])
    scorecard_save(panelist=mine, candidate=candidate, scores={two_criteria[0].pk: (3, "")})

    assert visible_candidate_ids(user=mine.user, cycle=cycle) == set()
    assert list(scorecards_visible(user=mine.user, cycle=cycle, candidate=candidate)) == []
    _criteria, results = cycle_results(
        cycle=cycle, candidate_ids=visible_candidate_ids(user=mine.user, cycle=cycle)
    )
    assert results == []
    # The coordinator sits on this panel too, so sees nothing before submitting either.
    assert visible_candidate_ids(user=coordinator, cycle=cycle) == set()
    assert list(scorecards_visible(user=coordinator, cycle=cycle, candidate=candidate)) == []

    submit_all(panelist=mine, candidate=candidate, values=[3, 4])
    assert visible_candidate_ids(user=mine.user, cycle=cycle) == {candidate.pk}
    assert {c.panelist for c in scorecards_visible(user=mine.user, cycle=cycle, candidate=candidate)} == {
        mine,
        theirs,
    }


def test_a_coordinator_off_the_panel_sees_every_score(cycle, panel, coordinator, two_criteria):
    candidate = nominate(cycle, coordinator)
    others = [seat for seat in panel if seat.user != coordinator]
    submit_all(panelist=others[0], candidate=candidate, values=[5, 5])
    panel_set(cycle=cycle, members={seat.user: seat.affiliation for seat in others})
    assert visible_candidate_ids(user=coordinator, cycle=cycle) is None
    assert len(scorecards_visible(user=coordinator, cycle=cycle, candidate=candidate)) == 1


def test_someone_off_the_panel_never_sees_scores(cycle, panel, coordinator, supervisor, two_criteria):
    candidate = nominate(cycle, coordinator)
    submit_all(panelist=panel[0], candidate=candidate, values=[5, 5])
    assert visible_candidate_ids(user=supervisor, cycle=cycle) == set()
    assert list(scorecards_visible(user=supervisor, cycle=cycle, candidate=candidate)) == []


# --- Results: known numbers ------------------------------------------------------------------


def test_results_mean_spread_and_ranking(cycle, panel, coordinator, two_criteria):
    a = nominate(cycle, coordinator, given_name="Ann", family_name="Mason", badge_number="A1")
    b = nominate(cycle, coordinator, given_name="Ben", family_name="Baker", badge_number="B1")
    d = nominate(cycle, coordinator, given_name="Dee", family_name="Adams", badge_number="D1")
    c = nominate(cycle, coordinator, given_name="Cal", family_name="Cole", badge_number="C1")
    e = nominate(cycle, coordinator, given_name="Eve", family_name="Evans", badge_number="E1")
    f = nominate(cycle, coordinator, given_name="Fay", family_name="Ford", badge_number="F1")
    one, two, three = panel
    # Mason: criterion 1 gets 5, 3, 4 and criterion 2 gets 3, 5, 4: mean 4, spread sqrt(2/3).
    for panelist, values in zip(panel, [[5, 3], [3, 5], [4, 4]], strict=True):
        submit_all(panelist=panelist, candidate=a, values=values)
    # Baker and Adams: every score 4, no spread; the tie goes to the name (Adams first).
    for panelist in panel:
        submit_all(panelist=panelist, candidate=b, values=4)
        submit_all(panelist=panelist, candidate=d, values=4)
    # Cole: 5, 5, 5, 5, 2, 2: mean 4 again, but spread sqrt(2).
    for panelist, value in zip(panel, [5, 5, 2], strict=True):
        submit_all(panelist=panelist, candidate=c, values=value)
    # Evans: one submitted card of 2 and 1, and a draft of 5s that must not count.
    submit_all(panelist=one, candidate=e, values=[2, 1])
    scorecard_save(panelist=two, candidate=e, scores={k.pk: (5, "") for k in two_criteria})
    # Ford: only a draft, so no result and no rank.
    scorecard_save(panelist=three, candidate=f, scores={two_criteria[0].pk: (5, "")})

    criteria, results = cycle_results(cycle=cycle)
    assert criteria == two_criteria
    assert [r.candidate for r in results] == [d, b, a, c, e, f]
    assert [r.rank for r in results] == [1, 2, 3, 4, 5, None]

    mason = results[2]
    assert mason.overall.mean == pytest.approx(4)
    assert mason.overall.stddev == pytest.approx(math.sqrt(2 / 3))
    assert (mason.overall.low, mason.overall.high, mason.overall.count) == (3, 5, 6)
    assert mason.scorecards_submitted == 3
    for _criterion, spread in mason.rows:
        assert spread.mean == pytest.approx(4)
        assert spread.stddev == pytest.approx(math.sqrt(2 / 3))
        assert (spread.low, spread.high, spread.count) == (3, 5, 3)

    cole = results[3]
    assert cole.overall.stddev == pytest.approx(math.sqrt(2))
    assert (cole.overall.low, cole.overall.high) == (2, 5)

    evans = results[4]
    assert evans.overall.mean == pytest.approx(1.5)
    assert evans.scorecards_submitted == 1
    assert [spread.mean for _c, spread in evans.rows] == [pytest.approx(2), pytest.approx(1)]
    assert [spread.stddev for _c, spread in evans.rows] == [pytest.approx(0), pytest.approx(0)]

    ford = results[5]
    assert ford.overall.mean is None and ford.scorecards_submitted == 0
    assert all(spread.count == 0 for _c, spread in ford.rows)


def _scored_cycle(coordinator, agency, academic_year, school, *, candidates: int, panelists: int):
    cycle = open_cycle(opened_by=coordinator, agency=agency, academic_year=academic_year, schools=[school])
    members = {UserFactory(roles=[Role.ADMINISTRATOR]): "district" for _ in range(panelists)}
    seats = panel_set(cycle=cycle, members=members)
    for index in range(candidates):
        candidate = CandidateFactory(cycle=cycle, nominated_by=coordinator)
        for number, seat in enumerate(seats):
            submit_all(panelist=seat, candidate=candidate, values=1 + (index + number) % 5)
    return cycle


def test_results_take_the_same_number_of_queries_with_ten_times_the_scores(
    coordinator, agency, academic_year, school
):
    small = _scored_cycle(coordinator, agency, academic_year, school, candidates=2, panelists=2)
    large = _scored_cycle(coordinator, agency, academic_year, school, candidates=10, panelists=4)
    counts = []
    for cycle in (small, large):
        with CaptureQueriesContext(connection) as queries:
            cycle_results(cycle=cycle)
        counts.append(len(queries))
    assert counts[0] == counts[1] == 4


# --- Decision --------------------------------------------------------------------------------


def test_the_decision_creates_an_active_officer_and_marks_the_others(cycle, panel, coordinator, agency):
    chosen = nominate(
        cycle, coordinator, given_name="Ann", family_name="Mason", badge_number="A1", rank="Deputy"
    )
    other = nominate(cycle, coordinator, given_name="Ben", family_name="Baker", badge_number="B1")
    officer = cycle_decide(
        cycle=cycle,
        chosen=chosen,
        rationale="Strongest fit.",
        decided_by=coordinator,
        program_start_date=START,
    )
    assert (officer.agency, officer.badge_number, officer.given_name, officer.family_name, officer.rank) == (
        agency,
        "A1",
        "Ann",
        "Mason",
        "Deputy",
    )
    assert officer.status == OfficerStatus.ACTIVE and officer.program_start_date == START
    chosen.refresh_from_db()
    other.refresh_from_db()
    cycle.refresh_from_db()
    assert chosen.status == CandidateStatus.SELECTED and chosen.officer == officer
    assert other.status == CandidateStatus.NOT_SELECTED and other.officer is None
    assert cycle.status == CycleStatus.DECIDED and cycle.decided_by == coordinator
    assert cycle.decision_rationale == "Strongest fit." and cycle.decided_at is not None
    assert cycle.candidates.count() == 2, "the others keep their record"


def test_the_decision_activates_the_agencys_existing_officer_with_that_badge(cycle, coordinator, agency):
    existing = OfficerFactory(agency=agency, badge_number="A1", status=OfficerStatus.CANDIDATE)
    OfficerFactory(badge_number="A1", agency__name="Another Police Department")  # same badge elsewhere
    chosen = nominate(cycle, coordinator, badge_number="A1")
    officer = cycle_decide(
        cycle=cycle, chosen=chosen, rationale="Fit.", decided_by=coordinator, program_start_date=START
    )
    assert officer == existing
    existing.refresh_from_db()
    assert existing.status == OfficerStatus.ACTIVE and existing.program_start_date == START
    assert Officer.objects.filter(badge_number="A1").count() == 2


def test_a_serving_officer_keeps_the_day_they_joined(cycle, coordinator, agency):
    joined = datetime.date(2024, 8, 26)
    OfficerFactory(agency=agency, badge_number="A1", program_start_date=joined)
    chosen = nominate(cycle, coordinator, badge_number="A1")
    officer = cycle_decide(
        cycle=cycle, chosen=chosen, rationale="Fit.", decided_by=coordinator, program_start_date=START
    )
    assert officer.program_start_date == joined


@pytest.mark.parametrize("rationale", ["", "   "])
def test_the_decision_needs_a_rationale(cycle, coordinator, rationale):
    chosen = nominate(cycle, coordinator)
    with pytest.raises(ValidationError) as error:
        cycle_decide(
            cycle=cycle, chosen=chosen, rationale=rationale, decided_by=coordinator, program_start_date=START
        )
    assert "rationale" in error.value.error_dict
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    assert not Officer.objects.exists()


def test_the_chosen_candidate_must_belong_to_the_cycle(cycle, coordinator, agency, academic_year):
    other_cycle = open_cycle(opened_by=coordinator, agency=agency, academic_year=academic_year, title="Other")
    stranger = nominate(other_cycle, coordinator)
    with pytest.raises(ValidationError):
        cycle_decide(
            cycle=cycle, chosen=stranger, rationale="x", decided_by=coordinator, program_start_date=START
        )


def test_a_decided_cycle_is_read_only(cycle, panel, coordinator, two_criteria):
    chosen = nominate(cycle, coordinator, badge_number="A1")
    other = nominate(cycle, coordinator, badge_number="B1")
    cycle_decide(
        cycle=cycle, chosen=chosen, rationale="Fit.", decided_by=coordinator, program_start_date=START
    )
    attempts = [
        lambda: nominate(cycle, coordinator, badge_number="C1"),
        lambda: criterion_add(cycle=cycle, name="Late"),
        lambda: criterion_remove(criterion=two_criteria[0]),
        lambda: panel_set(cycle=cycle, members={coordinator: "district"}),
        lambda: scorecard_save(panelist=panel[0], candidate=other, scores={}),
        lambda: submit_all(panelist=panel[0], candidate=chosen, values=5),
        lambda: cycle_decide(
            cycle=cycle, chosen=other, rationale="Changed.", decided_by=coordinator, program_start_date=START
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="decided"):
            attempt()
    other.refresh_from_db()
    assert other.status == CandidateStatus.NOT_SELECTED
    assert not Scorecard.objects.exists()


# --- Withdrawal and cancellation -------------------------------------------------------------


def test_a_withdrawn_candidate_keeps_the_record_but_is_neither_scored_ranked_nor_chosen(
    cycle, panel, coordinator, two_criteria
):
    staying = nominate(cycle, coordinator, badge_number="A1", family_name="Adams")
    leaving = nominate(cycle, coordinator, badge_number="B1", family_name="Baker")
    submit_all(panelist=panel[0], candidate=leaving, values=5)
    submit_all(panelist=panel[0], candidate=staying, values=3)

    withdrawn = candidate_withdraw(candidate=leaving)

    assert withdrawn.status == CandidateStatus.WITHDRAWN
    assert leaving.scorecards.count() == 1, "the scores stay on record"
    _criteria, results = cycle_results(cycle=cycle)
    assert [r.candidate for r in results] == [staying] and results[0].rank == 1
    assert cycle_progress(cycle=cycle) == {"candidates": 1, "panelists": 3, "submitted": 1, "due": 3}
    with pytest.raises(ValidationError, match="no longer being considered"):
        submit_all(panelist=panel[1], candidate=leaving, values=4)
    with pytest.raises(ValidationError) as error:
        cycle_decide(
            cycle=cycle, chosen=leaving, rationale="x", decided_by=coordinator, program_start_date=START
        )
    assert "chosen" in error.value.error_dict
    with pytest.raises(ValidationError, match="only a nominated candidate"):
        candidate_withdraw(candidate=leaving)
    cycle_decide(
        cycle=cycle, chosen=staying, rationale="Fit.", decided_by=coordinator, program_start_date=START
    )
    leaving.refresh_from_db()
    assert leaving.status == CandidateStatus.WITHDRAWN, "the decision does not turn it into not selected"
    assert not Officer.objects.filter(badge_number="B1").exists()


def test_no_withdrawal_once_the_cycle_is_decided(cycle, coordinator):
    chosen = nominate(cycle, coordinator, badge_number="A1")
    other = nominate(cycle, coordinator, badge_number="B1")
    cycle_decide(
        cycle=cycle, chosen=chosen, rationale="Fit.", decided_by=coordinator, program_start_date=START
    )
    with pytest.raises(ValidationError, match="decided"):
        candidate_withdraw(candidate=other)
    other.refresh_from_db()
    assert other.status == CandidateStatus.NOT_SELECTED


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_needs_a_reason(cycle, coordinator, reason):
    with pytest.raises(ValidationError) as error:
        cycle_cancel(cycle=cycle, reason=reason, cancelled_by=coordinator)
    assert "reason" in error.value.error_dict
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN


def test_a_cancelled_cycle_keeps_its_records_and_is_read_only(cycle, panel, coordinator, two_criteria):
    candidate = nominate(cycle, coordinator, badge_number="A1")
    submit_all(panelist=panel[0], candidate=candidate, values=4)

    cancelled = cycle_cancel(cycle=cycle, reason=" The opening was withdrawn. ", cancelled_by=coordinator)

    assert cancelled.status == CycleStatus.CANCELLED
    assert (cancelled.decided_by, cancelled.decision_rationale) == (coordinator, "The opening was withdrawn.")
    assert cancelled.decided_at is not None
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.NOMINATED and candidate.scorecards.count() == 1
    attempts = [
        lambda: nominate(cycle, coordinator, badge_number="C1"),
        lambda: candidate_withdraw(candidate=candidate),
        lambda: criterion_add(cycle=cycle, name="Late"),
        lambda: panel_set(cycle=cycle, members={coordinator: "district"}),
        lambda: submit_all(panelist=panel[1], candidate=candidate, values=5),
        lambda: cycle_cancel(cycle=cycle, reason="Again.", cancelled_by=coordinator),
        lambda: cycle_decide(
            cycle=cycle, chosen=candidate, rationale="x", decided_by=coordinator, program_start_date=START
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="cancelled"):
            attempt()
    assert not Officer.objects.filter(badge_number="A1").exists()
    assert Scorecard.objects.count() == 1
