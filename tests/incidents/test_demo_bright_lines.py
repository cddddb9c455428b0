"""The demo ties categories to the agreement's bright lines and answers its records of them."""

from io import StringIO

import pytest
from django.core.management import call_command

from incidents.models import Category, Interaction, InteractionStudent
from incidents.selectors.focus import bright_line_touches, matters_returned_to_administration

pytestmark = pytest.mark.django_db


def test_the_demo_ties_categories_and_answers_their_records_once():
    call_command("seed_demo", "--scale=0.05", stdout=StringIO())
    ties = dict(Category.objects.exclude(bright_line_code="").values_list("name", "bright_line_code"))
    assert ties == {
        "Bullying or harassment": "no-school-discipline",
        "Dress code": "no-dress-code",
        "Classroom rules": "no-dress-code",
    }
    touched = Interaction.objects.filter(category__name="Bullying or harassment")
    assert touched.exists()
    assert not touched.filter(bright_line_code="").exists()
    assert (
        not Interaction.objects.exclude(category__name="Bullying or harassment")
        .exclude(bright_line_code="")
        .exists()
    )
    # A record whose student went back to administration says so; most of the others too.
    returned_student = InteractionStudent.objects.filter(outcome="returned_to_administration")
    assert not touched.filter(returned_to_administration=False, students__in=returned_student).exists()
    (row,) = bright_line_touches(interactions=Interaction.objects.all())
    assert row["bright_line_code"] == "no-school-discipline" and 0 < row["returned"] <= row["touches"]
    assert matters_returned_to_administration(interactions=Interaction.objects.all()) >= row["returned"]
    answers = list(Interaction.objects.values_list("pk", "returned_to_administration").order_by("pk"))
    call_command("seed_demo", "--scale=0.05", stdout=StringIO())
    assert list(Interaction.objects.values_list("pk", "returned_to_administration").order_by("pk")) == answers
