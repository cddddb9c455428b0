"""Words in the note: the list's search reads PostgreSQL's built-in full-text index (no extension),
finds every word typed, whole, in any order, and never reads what was typed as query syntax. The
search uses the index's own expression, and the planner chooses the index on a larger table."""

import re
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from incidents.forms import InteractionFilter, note_search_query
from incidents.models import Interaction
from incidents.selectors.interactions import interaction_list
from tests.incidents.factories import log

pytestmark = pytest.mark.django_db

LIST = reverse("incidents:interaction_list")


@pytest.fixture
def notes(officer, school):
    return [
        log(
            author=officer.user,
            school=school,
            narrative="Lunch line dispute near the CAFETERIA.",
            place="Hall",
        ),
        log(
            author=officer.user,
            school=school,
            narrative="Missed three days; called the guardian.",
            place="Gym",
        ),
        log(author=officer.user, school=school, narrative="Talked with Zoë about the café line.", place=""),
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("lunch", [0]),
        ("LUNCH Line", [0]),
        ("line", [0, 2]),
        ("lin", []),  # whole words (see incidents.forms.note_search_query for why)
        ("cafeteria", [0]),
        ("cafe", []),
        ("café", [2]),
        ("zoë", [2]),
        ("gym", [1]),  # the place too
        ("guardian missed", [1]),  # every word, in any order
        ("lunch missed", []),
        ("unch", []),  # a word's start, not its middle
        ("lunch & !(", [0]),  # query syntax is not syntax here
        ("dispute:* | lunch", [0]),  # nor is "|" an "or": both words are wanted
    ],
)
def test_the_list_finds_the_words_in_the_note(verified_client, coordinator, notes, text, found):
    verified_client.login(coordinator)
    page = verified_client.get(LIST, {"text": text}).context["page"]
    assert sorted(i.pk for i in page.object_list) == sorted(notes[n].pk for n in found)


def test_nothing_to_search_for_filters_nothing(verified_client, coordinator, notes):
    verified_client.login(coordinator)
    assert verified_client.get(LIST, {"text": "&!():*'"}).context["page"].paginator.count == 3
    assert note_search_query("  ,;  ") is None


def test_an_officer_finds_only_their_own_records(verified_client, notes, other_officer_user, other_school):
    log(author=other_officer_user, school=other_school, narrative="Lunch with the team.")
    verified_client.login(notes[0].author)
    assert [i.pk for i in verified_client.get(LIST, {"text": "lunch"}).context["page"].object_list] == [
        notes[0].pk
    ]


def _search_sql(coordinator, text="lunch") -> str:
    found = InteractionFilter({"text": text}, queryset=interaction_list(user=coordinator)).qs
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params).decode()


def test_the_search_uses_the_indexs_own_expression(coordinator):
    index = next(index for index in Interaction._meta.indexes if index.name == "interaction_note_search")
    created = str(index.create_sql(Interaction, connection.schema_editor()))
    expression = re.search(r"USING gin \(\((.*)\)\)$", created).group(1)
    assert expression.startswith("to_tsvector('simple'::regconfig, ")
    where = _search_sql(coordinator, "Lunch, line!").split(" WHERE ", 1)[1]
    assert where.replace('"incidents_interaction".', "").startswith(
        f"{expression} @@ (plainto_tsquery('simple'::regconfig, 'Lunch line'))"
    )


def test_postgresql_can_answer_the_search_from_the_index(officer, school, coordinator, notes):
    """With sequential scans priced out, a search whose expression differed from the index's would
    still scan the table: reading the index proves that they are the same."""
    sql, params = InteractionFilter(
        {"text": "lunch"}, queryset=interaction_list(user=coordinator)
    ).qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Bitmap Index Scan on interaction_note_search" in plan, plan


def test_the_planner_chooses_the_index_on_a_larger_table(officer, school, coordinator):
    template = log(author=officer.user, school=school, narrative="Checked the doors.")
    words = ["hallway", "bus", "cafeteria", "gym", "library", "attendance", "mentoring", "family"]
    rows = []
    for n in range(6000):
        row = Interaction.objects.get(pk=template.pk)
        row.pk = None
        row.key = uuid.uuid4()
        row.narrative = f"Talked about {words[n % 8]} and {words[(n * 3) % 8]} with the class, visit {n}."
        rows.append(row)
    rows[4321].narrative = "The zeppelin model went missing from the science room."
    Interaction.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_interaction")
        plans = {}
        for name, text in [("one word", "zeppelin"), ("two words", "science zeppelin")]:
            found = InteractionFilter({"text": text}, queryset=interaction_list(user=coordinator)).qs
            for label, query in [("rows", found[:25]), ("count", found.order_by())]:
                sql, params = query.query.sql_with_params()
                if label == "count":
                    sql = f"SELECT COUNT(*) FROM ({sql}) counted"
                cursor.execute(f"EXPLAIN {sql}", params)
                plans[(name, label)] = "\n".join(line for (line,) in cursor.fetchall())
    for plan in plans.values():
        assert "interaction_note_search" in plan, plan
    assert (
        InteractionFilter({"text": "zeppelin"}, queryset=interaction_list(user=coordinator)).qs.count() == 1
    )
