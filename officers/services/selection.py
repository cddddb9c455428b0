"""Writes for choosing an officer by fit: open a cycle, shape its criteria, nominate candidates,
name the panel, score, and decide. Every write locks the cycle row first, so a decision and a late
score cannot interleave, and a decided cycle is read-only."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from district.models import AcademicYear, School
from officers.models import (
    DEFAULT_FIT_CRITERIA,
    Agency,
    Candidate,
    CandidateStatus,
    CycleStatus,
    FitCriterion,
    Officer,
    OfficerStatus,
    PanelAffiliation,
    Panelist,
    Score,
    Scorecard,
    SelectionCycle,
)

RESUME_MAX_BYTES = 5 * 1024 * 1024
SCORE_MIN, SCORE_MAX = 1, 5

# A criterion's score and note, keyed by criterion id; a value of None leaves it unscored (a draft).
ScoreEntries = Mapping[int, tuple[int | None, str]]


# --- Checks shared by the services -----------------------------------------------------------


def _lock_open_cycle(cycle_id: int) -> SelectionCycle:
    """Lock the cycle row and refuse any change once it is decided or cancelled."""
    cycle = SelectionCycle.objects.select_for_update().get(pk=cycle_id)
    if cycle.status != CycleStatus.OPEN:
        status = cycle.get_status_display().lower()
        raise ValidationError(f"This selection is {status}; it can no longer change.")
    return cycle


def criteria_editable(*, cycle: SelectionCycle) -> bool:
    """Criteria may change only until the first score is given."""
    return cycle.status == CycleStatus.OPEN and not Score.objects.filter(criterion__cycle=cycle).exists()


def _lock_editable_criteria(cycle_id: int) -> SelectionCycle:
    cycle = _lock_open_cycle(cycle_id)
    if Score.objects.filter(criterion__cycle=cycle).exists():
        raise ValidationError("Scoring has begun; the criteria can no longer change.")
    return cycle


def resume_check(resume: UploadedFile) -> None:
    """A résumé must be a PDF (by its content, not just its name) of at most 5 MB."""
    if resume.size is not None and resume.size > RESUME_MAX_BYTES:
        raise ValidationError("The résumé must be 5 MB or smaller.", code="too_large")
    if not resume.name.lower().endswith(".pdf"):
        raise ValidationError("The résumé must be a PDF file.", code="not_pdf")
    resume.seek(0)
    head = resume.read(1024)
    resume.seek(max(resume.size - 1024, 0) if resume.size else 0)
    tail = resume.read(1024)
    resume.seek(0)
    if not head.lstrip(b"\r\n\t ").startswith(b"%PDF-") or b"%%EOF" not in tail:
        raise ValidationError("The file is not a PDF document.", code="not_pdf")


# --- Cycles and criteria ---------------------------------------------------------------------


@transaction.atomic
def cycle_open(
    *,
    title: str,
    agency: Agency,
    academic_year: AcademicYear,
    schools: Iterable[School],
    opened_by,
) -> SelectionCycle:
    """Open a selection for an opening; it starts with the district's default fit criteria."""
    schools = list(schools)
    if not schools:
        raise ValidationError({"schools": "Choose at least one school."})
    cycle = SelectionCycle.objects.create(
        title=title.strip(), agency=agency, academic_year=academic_year, opened_by=opened_by
    )
    cycle.schools.set(schools)
    FitCriterion.objects.bulk_create(
        FitCriterion(cycle=cycle, name=name, description=description, position=position)
        for position, (name, description) in enumerate(DEFAULT_FIT_CRITERIA, start=1)
    )
    return cycle


def _criterion_name_free(*, cycle: SelectionCycle, name: str, exclude_pk: int | None = None) -> None:
    clash = FitCriterion.objects.filter(cycle=cycle, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": "This cycle already has a criterion with that name."})


@transaction.atomic
def criterion_add(*, cycle: SelectionCycle, name: str, description: str = "") -> FitCriterion:
    """Add a fit criterion at the end of the list (only before scoring starts)."""
    cycle = _lock_editable_criteria(cycle.pk)
    name = name.strip()
    _criterion_name_free(cycle=cycle, name=name)
    last = cycle.criteria.aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            return FitCriterion.objects.create(
                cycle=cycle, name=name, description=description, position=last + 1
            )
    except IntegrityError as exc:
        raise ValidationError({"name": "This cycle already has a criterion with that name."}) from exc


@transaction.atomic
def criterion_update(*, criterion: FitCriterion, name: str, description: str = "") -> FitCriterion:
    """Rename or redescribe a criterion (only before scoring starts)."""
    _lock_editable_criteria(criterion.cycle_id)
    name = name.strip()
    _criterion_name_free(cycle=criterion.cycle, name=name, exclude_pk=criterion.pk)
    criterion.name = name
    criterion.description = description
    criterion.save(update_fields=["name", "description"])
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: FitCriterion) -> None:
    """Remove a criterion (only before scoring starts); at least one must remain."""
    cycle = _lock_editable_criteria(criterion.cycle_id)
    if cycle.criteria.count() <= 1:
        raise ValidationError("A selection needs at least one criterion.")
    criterion.delete()


@transaction.atomic
def criterion_move(*, criterion: FitCriterion, direction: Literal["up", "down"]) -> None:
    """Swap a criterion with its neighbour above or below (only before scoring starts)."""
    cycle = _lock_editable_criteria(criterion.cycle_id)
    ordered = list(cycle.criteria.order_by("position", "id"))
    index = next(i for i, item in enumerate(ordered) if item.pk == criterion.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    FitCriterion.objects.bulk_update(ordered, ["position"])


# --- Candidates and panel --------------------------------------------------------------------


@transaction.atomic
def candidate_nominate(
    *,
    cycle: SelectionCycle,
    nominated_by,
    given_name: str,
    family_name: str,
    badge_number: str,
    years_of_service: int,
    youth_experience: str,
    rank: str = "",
    email: str = "",
    phone: str = "",
    resume: UploadedFile | None = None,
) -> Candidate:
    """The agency puts an officer forward for the opening; one nomination per badge per cycle."""
    cycle = _lock_open_cycle(cycle.pk)
    badge_number = badge_number.strip()
    duplicate = {"badge_number": "A candidate with this badge number is already nominated in this cycle."}
    if cycle.candidates.filter(badge_number=badge_number).exists():
        raise ValidationError(duplicate)
    if resume:
        resume_check(resume)
    candidate = Candidate(
        cycle=cycle,
        nominated_by=nominated_by,
        given_name=given_name,
        family_name=family_name,
        badge_number=badge_number,
        rank=rank,
        email=email,
        phone=phone,
        years_of_service=years_of_service,
        youth_experience=youth_experience,
        # An officer already on record (same agency and badge) is linked from the start.
        officer=Officer.objects.filter(agency=cycle.agency_id, badge_number=badge_number).first(),
    )
    if resume:
        candidate.resume.save(f"{badge_number}.pdf", resume, save=False)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:
        raise ValidationError(duplicate) from exc
    return candidate


@transaction.atomic
def candidate_withdraw(*, candidate: Candidate) -> Candidate:
    """Take a nominee out of consideration (the agency's or the coordinator's call) while the cycle
    is open. The record and any scores stay; a withdrawn candidate is no longer scored or ranked."""
    _lock_open_cycle(candidate.cycle_id)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != CandidateStatus.NOMINATED:
        status = candidate.get_status_display().lower()
        raise ValidationError(f"{candidate} is {status}; only a nominated candidate can be withdrawn.")
    candidate.status = CandidateStatus.WITHDRAWN
    candidate.save(update_fields=["status"])
    return candidate


@transaction.atomic
def panel_set(*, cycle: SelectionCycle, members: Mapping[object, str]) -> list[Panelist]:
    """Name the interview panel: ``members`` maps each user to their affiliation (district or agency).

    A panelist who has already scored stays on the panel: their scores would otherwise vanish.
    """
    cycle = _lock_open_cycle(cycle.pk)
    if not members:
        raise ValidationError("The panel needs at least one member.")
    if any(affiliation not in PanelAffiliation.values for affiliation in members.values()):
        raise ValidationError("Each panelist is either from the district or from the agency.")
    wanted = {user.pk: affiliation for user, affiliation in members.items()}
    current = {panelist.user_id: panelist for panelist in cycle.panelists.all()}
    leaving = [panelist for user_id, panelist in current.items() if user_id not in wanted]
    scored = Scorecard.objects.filter(panelist__in=leaving).select_related("panelist__user")
    if scored.exists():
        names = sorted({str(card.panelist.user) for card in scored})
        raise ValidationError(f"{', '.join(names)} already scored candidates and must stay on the panel.")
    Panelist.objects.filter(pk__in=[panelist.pk for panelist in leaving]).delete()
    for user_id, affiliation in wanted.items():
        panelist = current.get(user_id)
        if panelist is None:
            Panelist.objects.create(cycle=cycle, user_id=user_id, affiliation=affiliation)
        elif panelist.affiliation != affiliation:
            panelist.affiliation = affiliation
            panelist.save(update_fields=["affiliation"])
    return list(cycle.panelists.select_related("user"))


# --- Scoring ---------------------------------------------------------------------------------


def _scorecard_write(
    *, panelist: Panelist, candidate: Candidate, scores: ScoreEntries, note: str
) -> tuple[Scorecard, list[FitCriterion]]:
    if candidate.cycle_id != panelist.cycle_id:
        raise ValidationError("This candidate is not in this panelist's selection.")
    cycle = _lock_open_cycle(panelist.cycle_id)
    # Read under the cycle's lock, not from the caller's copy: a withdrawal may have just committed.
    status = Candidate.objects.filter(pk=candidate.pk).values_list("status", flat=True).get()
    if status != CandidateStatus.NOMINATED:
        raise ValidationError("This candidate is no longer being considered.")
    criteria = list(cycle.criteria.all())
    known = {criterion.pk for criterion in criteria}
    unknown = set(scores) - known
    if unknown:
        raise ValidationError("A score was given on a criterion that this selection does not use.")
    for value, _note in scores.values():
        if value is not None and not (SCORE_MIN <= value <= SCORE_MAX):
            raise ValidationError(f"Each score is a whole number from {SCORE_MIN} to {SCORE_MAX}.")
    scorecard, _ = Scorecard.objects.select_for_update().get_or_create(panelist=panelist, candidate=candidate)
    if scorecard.submitted_at is not None:
        raise ValidationError("This scorecard was submitted; it can no longer change.")
    scorecard.note = note
    scorecard.save(update_fields=["note"])
    # Replace the card's scores as a whole: what is saved is exactly what the panelist sees.
    scorecard.scores.all().delete()
    Score.objects.bulk_create(
        Score(scorecard=scorecard, criterion_id=criterion_id, value=value, note=score_note)
        for criterion_id, (value, score_note) in scores.items()
        if value is not None
    )
    return scorecard, criteria


@transaction.atomic
def scorecard_save(
    *, panelist: Panelist, candidate: Candidate, scores: ScoreEntries, note: str = ""
) -> Scorecard:
    """Keep a panelist's draft scores for a candidate; criteria may be left unscored for now."""
    scorecard, _ = _scorecard_write(panelist=panelist, candidate=candidate, scores=scores, note=note)
    return scorecard


@transaction.atomic
def scorecard_submit(
    *, panelist: Panelist, candidate: Candidate, scores: ScoreEntries, note: str = ""
) -> Scorecard:
    """Save and submit a scorecard: every criterion must be scored. After this the panelist sees
    the other panelists' scores for the candidate, and the card no longer changes."""
    scorecard, criteria = _scorecard_write(panelist=panelist, candidate=candidate, scores=scores, note=note)
    missing = [c.name for c in criteria if scores.get(c.pk, (None, ""))[0] is None]
    if missing:
        raise ValidationError(f"Score every criterion before submitting. Missing: {', '.join(missing)}.")
    scorecard.submitted_at = timezone.now()
    scorecard.save(update_fields=["submitted_at"])
    return scorecard


# --- Decision --------------------------------------------------------------------------------


@transaction.atomic
def cycle_decide(
    *,
    cycle: SelectionCycle,
    chosen: Candidate,
    rationale: str,
    decided_by,
    program_start_date: datetime.date,
) -> Officer:
    """Record the decision: the chosen candidate becomes an active officer (a new record, or the
    agency's existing one with that badge), the others are marked not selected and keep their
    records, and the cycle is decided and read-only from then on."""
    cycle = _lock_open_cycle(cycle.pk)
    rationale = rationale.strip()
    if not rationale:
        raise ValidationError({"rationale": "Explain the decision: the rationale is required."})
    chosen = Candidate.objects.select_for_update().get(pk=chosen.pk)
    if chosen.cycle_id != cycle.pk or chosen.status != CandidateStatus.NOMINATED:
        raise ValidationError({"chosen": "Choose one of this cycle's nominated candidates."})

    officer = (
        Officer.objects.select_for_update()
        .filter(agency=cycle.agency_id, badge_number=chosen.badge_number)
        .first()
    )
    if officer is None:
        officer = Officer.objects.create(
            agency_id=cycle.agency_id,
            badge_number=chosen.badge_number,
            given_name=chosen.given_name,
            family_name=chosen.family_name,
            rank=chosen.rank,
            phone=chosen.phone,
            email=chosen.email,
            status=OfficerStatus.ACTIVE,
            program_start_date=program_start_date,
        )
    else:
        # A serving officer keeps the day they first joined; one returning or new to it starts now.
        if officer.status != OfficerStatus.ACTIVE or officer.program_start_date is None:
            officer.program_start_date = program_start_date
        officer.status = OfficerStatus.ACTIVE
        officer.save(update_fields=["status", "program_start_date"])

    chosen.status = CandidateStatus.SELECTED
    chosen.officer = officer
    chosen.save(update_fields=["status", "officer"])
    # Saved one by one (a cycle has a handful) so each change keeps its history.
    for other in cycle.candidates.filter(status=CandidateStatus.NOMINATED).exclude(pk=chosen.pk):
        other.status = CandidateStatus.NOT_SELECTED
        other.save(update_fields=["status"])
    _cycle_close(cycle, status=CycleStatus.DECIDED, closed_by=decided_by, rationale=rationale)
    return officer


def _cycle_close(cycle: SelectionCycle, *, status: CycleStatus, closed_by, rationale: str) -> None:
    # The decision fields record who closed the cycle, when and why, whichever way it closed.
    cycle.status = status
    cycle.decided_by = closed_by
    cycle.decided_at = timezone.now()
    cycle.decision_rationale = rationale
    cycle.save(update_fields=["status", "decided_by", "decided_at", "decision_rationale"])


@transaction.atomic
def cycle_cancel(*, cycle: SelectionCycle, reason: str, cancelled_by) -> SelectionCycle:
    """Close a selection without choosing anyone, saying why. Candidates, scores and the panel keep
    their records; like a decided cycle, a cancelled one no longer changes."""
    cycle = _lock_open_cycle(cycle.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the selection is cancelled: the reason is required."})
    _cycle_close(cycle, status=CycleStatus.CANCELLED, closed_by=cancelled_by, rationale=reason)
    return cycle
