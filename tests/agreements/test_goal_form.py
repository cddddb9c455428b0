"""The goal form: the coordinator names the program figure that measures a goal (or none), from the
menu the annual report can compute; anything else is a form error and nothing is saved."""

import pytest
from django.urls import reverse

from agreements.forms import GoalForm
from agreements.models import Goal, GoalFigure

pytestmark = pytest.mark.django_db


def _data(**changes) -> dict:
    data = {
        "code": "fewer-arrests",
        "statement": "Fewer school-related arrests",
        "measure": "Arrests a year",
        "target": "Fewer than last year",
        "figure": GoalFigure.ARRESTS,
        "is_active": "on",
    }
    return {**data, **changes}


def test_the_form_offers_the_menu_with_a_label_and_help():
    field = GoalForm().fields["figure"]
    assert field.label == "Figure in the annual report"
    assert "survey rounds" in field.help_text
    assert not field.required
    assert [value for value, _ in field.choices] == ["", *GoalFigure.values]


def test_the_coordinator_names_and_changes_a_goals_figure(verified_client, coordinator, mou):
    agreement, _version = mou
    verified_client.login(coordinator)
    response = verified_client.post(reverse("agreements:goal_new", args=[agreement.pk]), _data())
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.figure == GoalFigure.ARRESTS
    page = verified_client.get(reverse("agreements:agreement_detail", args=[agreement.pk])).content.decode()
    assert "School-related arrests (fewer is better)" in page

    edit = reverse("agreements:goal_edit", args=[goal.pk])
    verified_client.post(edit, _data(figure=GoalFigure.RETURNED))
    goal.refresh_from_db()
    assert goal.figure == GoalFigure.RETURNED
    verified_client.post(edit, _data(figure=""))  # measured by survey rounds, or by no figure
    goal.refresh_from_db()
    assert goal.figure == ""
    assert (
        "None chosen"
        in verified_client.get(reverse("agreements:agreement_detail", args=[agreement.pk])).content.decode()
    )


def test_a_figure_off_the_menu_is_a_form_error(verified_client, coordinator, mou):
    agreement, _version = mou
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("agreements:goal_new", args=[agreement.pk]), _data(figure="arrests-per-day")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Goal.objects.exists()
