"""The benchmark's helpers: every registered page answers as expected on a small demo, its floor
runs, and the table reads right. No timings are asserted: they depend on the machine."""

from io import StringIO

import pytest
from django.core.management import call_command

from bench.pages import PAGES, Measure, context_for, measure, percentile, signed_in_client, table
from incidents.models import Interaction


def test_percentile_interpolates_between_ranks():
    assert percentile([5.0], 0.95) == 5.0
    assert percentile([float(n) for n in range(1, 101)], 0.95) == pytest.approx(95.05)
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0


def test_the_table_marks_targets_and_pages_not_built_yet():
    text = table(
        [
            Measure("fast page", 10, 20, 7, floor_ms=2, target_ms=100),
            Measure("slow page", 150, 300, 9, floor_ms=50, target_ms=100),
            Measure("future page", target_ms=100, note="not built yet"),
        ]
    )
    lines = text.splitlines()
    assert lines[2] == "| fast page | 10 | 20 ✓ | 100 | 7 | 2.0 | 5.0× |"
    assert lines[3] == "| slow page | 150 | 300 ✗ | 100 | 9 | 50.0 | 3.0× |"
    assert lines[4] == "| future page | not built yet | | 100 | | | |"


def test_every_page_is_a_one_line_spec_with_a_known_user():
    assert len({page.label for page in PAGES}) == len(PAGES)
    assert {page.user for page in PAGES} <= {"coordinator", "sro"}


@pytest.mark.django_db
def test_every_page_answers_and_its_floor_runs_on_the_demo():
    call_command("seed_demo", "--scale=0.05", stdout=StringIO())
    ctx = context_for()
    clients = {"coordinator": signed_in_client(ctx.coordinator), "sro": signed_in_client(ctx.sro)}
    before = Interaction.objects.count()

    measures = [measure(page, ctx, clients, repeat=2) for page in PAGES]

    for page, result in zip(PAGES, measures, strict=True):
        if result.note:
            assert result.note == "not built yet" and page.request(ctx) is None, page.label
            continue
        assert result.median_ms > 0 and result.p95_ms >= result.median_ms, page.label
        assert result.queries > 0, page.label
        assert page.floor is None or result.floor_ms > 0, page.label
    # The save ran three times (a warm-up and two timed), each with a new key: three new records; the
    # floor's own write was rolled back.
    assert Interaction.objects.count() == before + 3
    assert {m.label for m in measures if not m.note} >= {"quick log (SRO)", "student type-ahead (SRO)"}
