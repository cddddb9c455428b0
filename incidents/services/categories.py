"""The coordinator's list of interaction categories: added, renamed, reordered, retired."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from incidents.models import Category
from incidents.selectors.bright_lines import bright_line_statements


def category_save(
    *,
    category: Category | None = None,
    name: str,
    position: int,
    active: bool,
    bright_line_code: str = "",
) -> Category:
    """Add a category or change one; a retired category stays on the records that used it.

    ``bright_line_code`` ties it to a bright line of the active agreement (or keeps the tie it
    already had to a line since retired); records already saved keep what they touched.
    """
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the category a name."})
    kept = category.bright_line_code if category is not None else ""
    if bright_line_code and bright_line_code != kept and not bright_line_statements(codes=[bright_line_code]):
        raise ValidationError({"bright_line_code": "Choose a bright line of the active agreement."})
    category = category or Category()
    category.name, category.position, category.active = name, position, active
    category.bright_line_code = bright_line_code
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise ValidationError({"name": "There is already a category with this name."}) from None
    return category
