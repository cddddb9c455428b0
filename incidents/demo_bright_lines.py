"""Demo data: the categories the demo coordinator tied to the agreement's bright lines, and the
answer on the demo's records of those categories (run after ``incidents.demo``, which writes them).

Bullying and harassment is the school's under New York's Dignity Act, so it is tied to the line that
officers do not administer school discipline; dress code and classroom rules to the line that says
so. Each record of a tied category gets the line and whether the matter went back to administration:
always when a student's outcome says so, else four times in five (by the record's minute, so the
same rows at any scale and on any database). Idempotent: only records without
the answer are written, in one UPDATE, so a larger scale answers only the new ones.
"""

from __future__ import annotations

import random

from django.db.models import Case, Exists, OuterRef, Value, When
from django.db.models.functions import ExtractMinute, Mod
from django.db.models.lookups import Exact

from agreements.selectors.items import bright_lines_active
from incidents.models import Category, Interaction, InteractionStudent, Involvement, Outcome

TIES = [
    ("Bullying or harassment", "no-school-discipline", None),
    ("Dress code", "no-dress-code", 150),
    ("Classroom rules", "no-dress-code", 151),
]


def seed(*, rng: random.Random, scale: float) -> dict:
    created = {"categories": 0, "categories tied": 0, "records at a bright line": 0}
    active = set(bright_lines_active().values_list("code", flat=True))
    for name, code, position in TIES:
        if code not in active:
            continue  # the agreements demo has not written the line
        if position is not None:
            created["categories"] += Category.objects.get_or_create(
                name=name, defaults={"position": position}
            )[1]
        created["categories tied"] += Category.objects.filter(name=name, bright_line_code="").update(
            bright_line_code=code
        )
    returned = InteractionStudent.objects.filter(
        interaction=OuterRef("pk"),
        involvement=Involvement.INVOLVED,
        outcome=Outcome.RETURNED_TO_ADMINISTRATION,
    )
    for category in Category.objects.filter(bright_line_code__in=active):
        created["records at a bright line"] += Interaction.objects.filter(
            category=category, bright_line_code=""
        ).update(
            bright_line_code=category.bright_line_code,
            returned_to_administration=Case(
                When(Exists(returned), then=Value(True)),
                When(Exact(Mod(ExtractMinute("occurred_at"), 5), 0), then=Value(False)),
                default=Value(True),
            ),
        )
    return {"created": created}
