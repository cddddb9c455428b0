"""The selection demo: one finished selection, built through the services, and idempotent."""

import random

import pytest

from district import demo as district_demo
from officers import demo as officers_demo
from officers import demo_selection
from officers.models import CandidateStatus, CycleStatus, Officer, Scorecard, SelectionCycle
from officers.selectors.selection import cycle_results

pytestmark = pytest.mark.django_db


def test_without_the_demo_users_nothing_is_created():
    assert demo_selection.seed(rng=random.Random(1), scale=1) == {}
    assert not SelectionCycle.objects.exists()


def test_the_demo_selection_is_finished_and_idempotent():
    district_demo.seed(rng=random.Random(1), scale=0.02)
    officers_demo.seed(rng=random.Random(2), scale=0.02)
    officers_before = list(Officer.objects.values_list("pk", "status", "program_start_date"))

    result = demo_selection.seed(rng=random.Random(3), scale=0.02)
    assert result["created"] == {"selection_cycles": 1, "candidates": 3, "panelists": 3, "scorecards": 9}

    cycle = SelectionCycle.objects.get()
    assert cycle.status == CycleStatus.DECIDED and cycle.decision_rationale
    assert cycle.academic_year.is_current and cycle.schools.get().level == "high"
    assert {p.user.username for p in cycle.panelists.select_related("user")} == {
        "coordinator",
        "sergeant",
        f"principal.{cycle.schools.get().code.lower()}",
    }
    assert Scorecard.objects.filter(submitted_at__isnull=False).count() == 9
    chosen = cycle.candidates.get(status=CandidateStatus.SELECTED)
    assert chosen.officer is not None and chosen.officer.user is not None, "an existing demo officer"
    assert cycle.candidates.filter(status=CandidateStatus.NOT_SELECTED).count() == 2
    _criteria, results = cycle_results(cycle=cycle)
    assert results[0].candidate == chosen
    assert list(Officer.objects.values_list("pk", "status", "program_start_date")) == officers_before

    again = demo_selection.seed(rng=random.Random(3), scale=0.02)
    assert not any(again["created"].values())
    assert SelectionCycle.objects.count() == 1 and Scorecard.objects.count() == 9
