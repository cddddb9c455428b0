"""Reads of interactions for the quick log, the record page and the lists."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from district.models import School, Student
from district.roles import Role
from incidents.access import interactions_for_user, may_log_interaction
from incidents.models import Category, Interaction, InteractionStudent
from incidents.selectors.bright_lines import bright_line_statements
from incidents.selectors.officers import officer_for_user, roster_for_officer
from officers.models import Officer

SEARCH_LIMIT = 10
RECENT_LIMIT = 5
# A capitalised word: the names a note may carry ("Jordan Ellis", "Ellis, Jordan").
_WORD = re.compile(r"[A-Z][a-zA-Z'\-]+")


def students_search(*, roster: QuerySet[Student], text: str) -> list[Student]:
    """At most ``SEARCH_LIMIT`` students of ``roster`` whose id or name starts with what was typed."""
    text = text.strip()
    if len(text) < 2:
        return []
    words = text.replace(",", " ").split()
    query = Q(student_number__startswith=text)
    if len(words) == 1:
        query |= Q(given_name__istartswith=words[0]) | Q(family_name__istartswith=words[0])
    else:
        first, rest = words[0], " ".join(words[1:])
        query |= Q(given_name__istartswith=first, family_name__istartswith=rest)
        query |= Q(family_name__istartswith=first, given_name__istartswith=rest)
    return list(
        roster.filter(query)
        .select_related("school")
        .only("pk", "given_name", "family_name", "student_number", "grade", "school__name")
        .order_by("family_name", "given_name", "pk")[:SEARCH_LIMIT]
    )


def narrative_students_not_on_record(
    *, roster: QuerySet[Student], narrative: str, student_ids: Iterable[int]
) -> list[Student]:
    """Roster students whose full name appears in the note but who are not on the record."""
    words = _WORD.findall(narrative or "")[:400]
    if len(words) < 2:
        return []
    pairs = {(a.lower(), b.lower()) for a, b in zip(words, words[1:], strict=False)}
    candidates = roster.filter(family_name__in=set(words) | {w.upper() for w in words}).exclude(
        pk__in=list(student_ids)
    )
    # Names compared in lower case; either order ("Jordan Ellis" or "Ellis, Jordan").
    found = []
    for student in candidates.only("pk", "given_name", "family_name", "student_number", "grade")[:50]:
        given, family = student.given_name.lower(), student.family_name.lower()
        if (given, family) in pairs or (family, given) in pairs:
            found.append(student)
    return found


def interaction_detail(*, interaction: Interaction) -> dict:
    """The record's students and addenda, loaded in two queries, and the statement of the bright
    line it touched (one more when it touched one; None once the line left the agreement)."""
    rows = list(interaction.students.select_related("student__school"))
    addenda = list(interaction.addenda.select_related("author"))
    statement = None
    if interaction.bright_line_code:
        statement = bright_line_statements(codes=[interaction.bright_line_code]).get(
            interaction.bright_line_code
        )
    return {"student_rows": rows, "addenda": addenda, "bright_line_statement": statement}


def interaction_versions(*, interaction: Interaction) -> list:
    """Every saved version of the record, newest first, with who saved it."""
    return list(interaction.history.select_related("history_user").order_by("-history_date")[:50])


def interaction_list(*, user) -> QuerySet[Interaction]:
    """The rows a list page shows, and nothing that names a student. No aggregate here: counted over
    the whole table it would run before the page's LIMIT; ``student_counts`` counts the page's rows."""
    return (
        interactions_for_user(user=user)
        .select_related("school", "category", "officer")
        .order_by("-occurred_at", "-pk")
    )


def student_counts(*, interactions) -> dict[int, int]:
    """Named students per interaction, for the rows of one page (one query)."""
    rows = (
        InteractionStudent.objects.filter(interaction_id__in=[i.pk for i in interactions])
        .order_by()
        .values("interaction_id")
        .annotate(n=Count("pk"))
    )
    return {row["interaction_id"]: row["n"] for row in rows}


def recent_for_officer(*, user, roster: QuerySet[Student]) -> dict:
    """The categories and students the officer logged most recently, for one-tap quick logs."""
    recent = Interaction.objects.filter(author=user).order_by("-occurred_at", "-pk")[:30]
    categories = list(
        Category.objects.filter(active=True, pk__in=recent.values("category_id")).order_by("position")[
            :RECENT_LIMIT
        ]
    )
    student_rows = (
        InteractionStudent.objects.filter(interaction__author=user, student__in=roster)
        .order_by("-interaction__occurred_at", "-pk")
        .values_list("student_id", flat=True)[:30]
    )
    ordered: list[int] = []
    for student_id in student_rows:
        if student_id not in ordered:
            ordered.append(student_id)
    ordered = ordered[:RECENT_LIMIT]
    by_id = Student.objects.in_bulk(ordered)
    return {"recent_categories": categories, "recent_students": [by_id[i] for i in ordered if i in by_id]}


def officers_for_filter(*, user) -> QuerySet[Officer]:
    """Officers whose records the user's list may hold, for the list's officer filter: every officer
    for a coordinator (no scan of the records to find them), else those of the user's records."""
    if user.has_role(Role.COORDINATOR):
        return Officer.objects.order_by("family_name", "given_name")
    return Officer.objects.filter(pk__in=interactions_for_user(user=user).values("officer_id")).order_by(
        "family_name", "given_name"
    )


def schools_for_filter(*, user) -> QuerySet[School]:
    """Schools for the list's school filter, found the same way."""
    if user.has_role(Role.COORDINATOR):
        return School.objects.order_by("name")
    return School.objects.filter(pk__in=interactions_for_user(user=user).values("school_id")).order_by("name")


def quick_log_home_context(*, user) -> dict:
    """The SRO's part of the home page: the quick-log button and the last categories and students."""
    if not may_log_interaction(user):
        return {}
    officer = officer_for_user(user=user)
    if officer is None:
        return {"quick_log": {"recent_categories": [], "recent_students": []}}
    return {"quick_log": recent_for_officer(user=user, roster=roster_for_officer(officer=officer))}
