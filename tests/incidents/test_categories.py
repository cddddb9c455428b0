"""The coordinator extends the categories; a retired one leaves the quick log but stays on records."""

import pytest
from django.urls import reverse

from district.models import School
from incidents.forms import InteractionForm
from incidents.models import Category

pytestmark = pytest.mark.django_db


def test_the_coordinator_adds_renames_and_retires_a_category(verified_client, coordinator, interaction):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("incidents:category_create"), {"name": "  Dress   code ", "position": "5", "active": "on"}
    )
    assert response.status_code == 302
    added = Category.objects.get(name="Dress code")
    duplicate = verified_client.post(
        reverse("incidents:category_create"), {"name": "Dress code", "position": "5"}
    )
    assert "already a category" in duplicate.content.decode()
    used = interaction.category
    verified_client.post(
        reverse("incidents:category_edit", args=[used.pk]), {"name": used.name, "position": "1"}
    )
    used.refresh_from_db()
    assert used.active is False
    offered = InteractionForm(schools=School.objects.all()).fields["category"].queryset
    assert added in offered and used not in offered
    interaction.refresh_from_db()
    assert interaction.category == used
    html = verified_client.get(reverse("incidents:category_list")).content.decode()
    assert "Retired" in html and "Dress code" in html
