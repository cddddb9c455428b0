"""The demo: a year of interactions across the demo schools, with cases; a second run adds nothing,
and a larger scale adds only the rest."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from incidents.demo import YEAR_INTERACTIONS
from incidents.models import (
    Case,
    FollowUp,
    Incident,
    Interaction,
    InteractionStudent,
    Involvement,
    OfficerRole,
)

pytestmark = pytest.mark.django_db


def seed(scale: str) -> None:
    call_command("seed_demo", f"--scale={scale}", stdout=StringIO())


def test_a_year_of_interactions_with_cases_and_a_second_run_adds_nothing():
    seed("0.05")
    count = Interaction.objects.count()
    assert count == round(YEAR_INTERACTIONS * 0.05)
    roles = dict(Interaction.objects.values_list("officer_role").annotate(n=Count("pk")))
    assert set(roles) == set(OfficerRole.values)
    assert Interaction.objects.values("school").distinct().count() >= 4
    # Each student on a record is at that record's school; witnesses carry nothing.
    rows = InteractionStudent.objects.select_related("interaction", "student")
    assert rows.exists()
    assert all(row.student.school_id == row.interaction.school_id for row in rows)
    assert not rows.filter(involvement=Involvement.WITNESS).exclude(outcome="", action="").exists()
    assert Case.objects.exists() and FollowUp.objects.count() == Case.objects.count()
    assert Incident.objects.exists()
    assert all(report.school_id == report.interaction.school_id for report in Incident.objects.all())
    assert all(i.occurred_at <= i.created_at for i in Interaction.objects.all()[:50])
    counts = [model.objects.count() for model in (Interaction, InteractionStudent, Case, Incident)]
    seed("0.05")
    assert [model.objects.count() for model in (Interaction, InteractionStudent, Case, Incident)] == counts
    seed("0.1")
    assert Interaction.objects.count() == round(YEAR_INTERACTIONS * 0.1)
