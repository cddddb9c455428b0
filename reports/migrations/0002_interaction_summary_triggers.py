"""Triggers that keep ``reports_interactionsummary`` and ``reports_interactionsummarymonth`` exactly
current.

Statement-level AFTER triggers with transition tables, one per table and event, on
``incidents_interaction`` and ``incidents_interactionstudent``. Each turns the rows a statement
changed into signed deltas per summary key and applies them in one upsert, so a bulk insert of
thousands of rows costs one statement, and a quick log a few index probes.

Why it stays exact whatever the order of writes: a student row counts under its interaction's key
only while both rows exist (an inner join), so the interaction's triggers carry the student rows
that exist when it is inserted, moved or deleted, and the student rows' triggers carry only
themselves. Django's foreign keys are deferred, so either row may be written first in a transaction.

The local day comes from ``reports_summary_day``, made with the district's TIME_ZONE here and again
by ``manage.py summary_rebuild`` (which a change of TIME_ZONE needs).
"""

# ruff: noqa: S608 (the SQL is built from this module's own constants, never from input)
import re

from django.conf import settings
from django.db import migrations

SUMMARY = "reports_interactionsummary"
KEY = "day, school_id, officer_id, category_id, officer_role"
MONTHLY = "reports_interactionsummarymonth"
MONTH_KEY = "month, school_id, category_id, officer_role"
MONTH_OF_DAY = "(day - (EXTRACT(DAY FROM day)::int - 1))"
COUNTS = (
    "contacts",
    "minutes",
    "anonymous_students",
    "students_involved",
    "witnesses",
    "enforcement_actions",
    "crdc_referrals",
    "crdc_arrests",
    "returned_to_administration",
)

# The figures of student rows ``st`` (a table alias), as sums ready to be signed.
STUDENT_FIGURES = """
    count(*) FILTER (WHERE st.involvement = 'involved'),
    count(*) FILTER (WHERE st.involvement = 'witness'),
    count(*) FILTER (WHERE st.involvement = 'involved' AND st.action <> 'none'),
    count(*) FILTER (WHERE st.crdc_referral),
    count(*) FILTER (WHERE st.crdc_school_related_arrest),
    count(*) FILTER (WHERE st.involvement = 'involved' AND st.outcome = 'returned_to_administration')
"""


def interaction_deltas(rows: str, sign: int) -> str:
    """Deltas of interactions ``rows`` (a transition table or a subquery), with their student rows."""
    return f"""
    SELECT reports_summary_day(i.occurred_at) AS day, i.school_id, i.officer_id, i.category_id,
           i.officer_role,
           {sign} * count(*) AS contacts,
           {sign} * sum(i.duration_minutes) AS minutes,
           {sign} * sum(i.anonymous_students) AS anonymous_students,
           {sign} * coalesce(sum(f.students_involved), 0) AS students_involved,
           {sign} * coalesce(sum(f.witnesses), 0) AS witnesses,
           {sign} * coalesce(sum(f.enforcement_actions), 0) AS enforcement_actions,
           {sign} * coalesce(sum(f.crdc_referrals), 0) AS crdc_referrals,
           {sign} * coalesce(sum(f.crdc_arrests), 0) AS crdc_arrests,
           {sign} * coalesce(sum(f.returned_to_administration), 0) AS returned_to_administration
    FROM {rows} i
    LEFT JOIN LATERAL (
        SELECT {STUDENT_FIGURES.strip()}
        FROM incidents_interactionstudent st WHERE st.interaction_id = i.id
    ) f (students_involved, witnesses, enforcement_actions, crdc_referrals, crdc_arrests,
         returned_to_administration) ON true
    GROUP BY 1, 2, 3, 4, 5
    """


def student_deltas(rows: str, sign: int) -> str:
    """Deltas of student rows ``rows`` under their interaction's key (none if it does not exist)."""
    return f"""
    SELECT reports_summary_day(i.occurred_at) AS day, i.school_id, i.officer_id, i.category_id,
           i.officer_role,
           0 AS contacts, 0 AS minutes, 0 AS anonymous_students,
           {sign} * count(*) FILTER (WHERE st.involvement = 'involved') AS students_involved,
           {sign} * count(*) FILTER (WHERE st.involvement = 'witness') AS witnesses,
           {sign} * count(*) FILTER (WHERE st.involvement = 'involved' AND st.action <> 'none')
               AS enforcement_actions,
           {sign} * count(*) FILTER (WHERE st.crdc_referral) AS crdc_referrals,
           {sign} * count(*) FILTER (WHERE st.crdc_school_related_arrest) AS crdc_arrests,
           {sign} * count(*) FILTER (
               WHERE st.involvement = 'involved' AND st.outcome = 'returned_to_administration'
           ) AS returned_to_administration
    FROM {rows} st JOIN incidents_interaction i ON i.id = st.interaction_id
    GROUP BY 1, 2, 3, 4, 5
    """


def apply(deltas: str) -> str:
    """One statement that upserts the summed deltas into the daily and the monthly summary (in key
    order, so concurrent writers lock rows in one order), then the removal of keys that no longer
    count anything."""
    sums = ", ".join(f"sum({name})" for name in COUNTS)
    nonzero = " OR ".join(f"sum({name}) <> 0" for name in COUNTS)
    updates = ", ".join(f"{name} = s.{name} + EXCLUDED.{name}" for name in COUNTS)
    empty = " AND ".join(f"s.{name} = 0" for name in COUNTS)
    return f"""
    WITH d AS MATERIALIZED ({deltas}),
    daily AS (
        INSERT INTO {SUMMARY} AS s ({KEY}, {", ".join(COUNTS)})
        SELECT {KEY}, {sums} FROM d
        GROUP BY {KEY} HAVING {nonzero} ORDER BY {KEY}
        ON CONFLICT ({KEY}) DO UPDATE SET {updates}
        RETURNING s.id, ({empty}) AS empty
    ),
    monthly AS (
        INSERT INTO {MONTHLY} AS s ({MONTH_KEY}, {", ".join(COUNTS)})
        SELECT {MONTH_OF_DAY}, school_id, category_id, officer_role, {sums} FROM d
        GROUP BY 1, 2, 3, 4 HAVING {nonzero} ORDER BY 1, 2, 3, 4
        ON CONFLICT ({MONTH_KEY}) DO UPDATE SET {updates}
        RETURNING s.id, ({empty}) AS empty
    )
    SELECT (SELECT coalesce(array_agg(id), '{{}}') FROM daily WHERE empty),
           (SELECT coalesce(array_agg(id), '{{}}') FROM monthly WHERE empty)
    INTO empty_days, empty_months;
    IF cardinality(empty_days) > 0 THEN
        DELETE FROM {SUMMARY} WHERE id = ANY(empty_days);
    END IF;
    IF cardinality(empty_months) > 0 THEN
        DELETE FROM {MONTHLY} WHERE id = ANY(empty_months);
    END IF;
    """


def function(name: str, body: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE empty_days bigint[]; empty_months bigint[];
    BEGIN
    {body}
    RETURN NULL;
    END
    $fn$;
    """


# Only rows whose counted columns changed are carried (a retention removal or a corrected note moves
# nothing).
INTERACTION_CHANGED = """
    (o.occurred_at, o.school_id, o.officer_id, o.category_id, o.officer_role, o.duration_minutes,
     o.anonymous_students)
    IS DISTINCT FROM
    (n.occurred_at, n.school_id, n.officer_id, n.category_id, n.officer_role, n.duration_minutes,
     n.anonymous_students)
"""
STUDENT_CHANGED = """
    (o.interaction_id, o.involvement, o.outcome, o.action, o.crdc_referral, o.crdc_school_related_arrest)
    IS DISTINCT FROM
    (n.interaction_id, n.involvement, n.outcome, n.action, n.crdc_referral, n.crdc_school_related_arrest)
"""

FUNCTIONS = {
    "reports_summary_interaction_insert": apply(interaction_deltas("new_rows", 1)),
    "reports_summary_interaction_delete": apply(interaction_deltas("old_rows", -1)),
    "reports_summary_interaction_update": apply(
        interaction_deltas(
            f"(SELECT o.* FROM old_rows o JOIN new_rows n USING (id) WHERE {INTERACTION_CHANGED})", -1
        )
        + " UNION ALL "
        + interaction_deltas(
            f"(SELECT n.* FROM old_rows o JOIN new_rows n USING (id) WHERE {INTERACTION_CHANGED})", 1
        )
    ),
    "reports_summary_student_insert": apply(student_deltas("new_rows", 1)),
    "reports_summary_student_delete": apply(student_deltas("old_rows", -1)),
    "reports_summary_student_update": apply(
        student_deltas(f"(SELECT o.* FROM old_rows o JOIN new_rows n USING (id) WHERE {STUDENT_CHANGED})", -1)
        + " UNION ALL "
        + student_deltas(
            f"(SELECT n.* FROM old_rows o JOIN new_rows n USING (id) WHERE {STUDENT_CHANGED})", 1
        )
    ),
}

TRIGGERS = [
    # (trigger, table, event, transition tables, function)
    ("reports_summary_ins", "incidents_interaction", "INSERT", "NEW TABLE AS new_rows", "interaction_insert"),
    ("reports_summary_del", "incidents_interaction", "DELETE", "OLD TABLE AS old_rows", "interaction_delete"),
    (
        "reports_summary_upd",
        "incidents_interaction",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "interaction_update",
    ),
    (
        "reports_summary_ins",
        "incidents_interactionstudent",
        "INSERT",
        "NEW TABLE AS new_rows",
        "student_insert",
    ),
    (
        "reports_summary_del",
        "incidents_interactionstudent",
        "DELETE",
        "OLD TABLE AS old_rows",
        "student_delete",
    ),
    (
        "reports_summary_upd",
        "incidents_interactionstudent",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "student_update",
    ),
]

CREATE = "".join(function(name, body) for name, body in FUNCTIONS.items()) + "".join(
    f"""
    CREATE TRIGGER {trigger} AFTER {event} ON {table} REFERENCING {tables}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_summary_{fn}();
    """
    for trigger, table, event, tables, fn in TRIGGERS
)
DROP = "".join(f"DROP TRIGGER IF EXISTS {trigger} ON {table};" for trigger, table, *_ in TRIGGERS) + "".join(
    f"DROP FUNCTION IF EXISTS {name}();" for name in FUNCTIONS
)

# The interactions that exist when the triggers arrive are counted once, here.
FILL = f"""
    INSERT INTO {SUMMARY} ({KEY}, {", ".join(COUNTS)})
    SELECT {KEY}, {", ".join(f"sum({name})" for name in COUNTS)}
    FROM ({interaction_deltas("incidents_interaction", 1)}) d
    GROUP BY {KEY};
    INSERT INTO {MONTHLY} ({MONTH_KEY}, {", ".join(COUNTS)})
    SELECT {MONTH_OF_DAY}, school_id, category_id, officer_role, {", ".join(f"sum({name})" for name in COUNTS)}
    FROM {SUMMARY}
    GROUP BY 1, 2, 3, 4;
"""


def create_day_function(apps, schema_editor):
    zone = settings.TIME_ZONE
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", zone):
        raise ValueError(f"Unexpected TIME_ZONE {zone!r}")
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION reports_summary_day(at timestamptz) RETURNS date "
        f"LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT (at AT TIME ZONE '{zone}')::date $$"
    )


def drop_day_function(apps, schema_editor):
    schema_editor.execute("DROP FUNCTION IF EXISTS reports_summary_day(timestamptz)")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("incidents", "0002_defaults_and_permissions"),
    ]

    operations = [
        migrations.RunPython(create_day_function, drop_day_function),
        migrations.RunSQL(CREATE + FILL, DROP + f"DELETE FROM {SUMMARY}; DELETE FROM {MONTHLY};"),
    ]
