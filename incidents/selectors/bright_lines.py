"""The bright lines of the active agreement as the officers' logs see them: which categories touch
one, and what each line says. Read through ``agreements.selectors.items``; the logs keep only the
line's code, so a new version of the agreement keeps every tie."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from agreements.selectors.items import bright_lines_active
from incidents.models import Category


def bright_line_choices() -> list[tuple[str, str]]:
    """``(code, statement)`` of every active bright line, for the coordinator's category page."""
    return [(line.code, line.statement) for line in bright_lines_active().order_by("code")]


def bright_line_statements(*, codes) -> dict[str, str]:
    """The statement of each active line among ``codes`` (a retired line's code is absent)."""
    codes = {code for code in codes if code}
    if not codes:
        return {}
    return dict(bright_lines_active().filter(code__in=codes).values_list("code", "statement"))


def touched_bright_line(*, category: Category) -> str:
    """The code of the active bright line ``category`` is tied to, or "" when it touches none."""
    code = category.bright_line_code
    return code if code and bright_lines_active().filter(code=code).exists() else ""


def categories_with_bright_lines(categories: QuerySet[Category]) -> QuerySet[Category]:
    """``categories``, each with ``bright_line_statement``: the statement of the active bright line it
    is tied to, or None. One query, for the quick log's list and its validation."""
    line = bright_lines_active().filter(code=OuterRef("bright_line_code")).exclude(code="")
    return categories.annotate(bright_line_statement=Subquery(line.values("statement")[:1]))
