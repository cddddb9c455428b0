"""The coordinator's list of interaction categories: added, renamed, reordered, retired."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from incidents.models import Category


def category_save(*, category: Category | None = None, name: str, position: int, active: bool) -> Category:
    """Add a category or change one; a retired category stays on the records that used it."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the category a name."})
    category = category or Category()
    category.name, category.position, category.active = name, position, active
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise ValidationError({"name": "There is already a category with this name."}) from None
    return category
