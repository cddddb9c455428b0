"""Bulk writes for the demo seeds: model instances streamed to PostgreSQL with COPY.

``bulk_create`` compiles one INSERT with a parameter per value; a million rows take minutes that
way. COPY takes the rows as text and is several times faster. The rows are still Django model
instances, so a field added to a model is written too (its default applies as in ``save``).
Primary keys are reserved from the table's sequence first, so rows can point at each other before
they are written. No signals, no history rows: these are demo rows, not edits anyone made.
"""

from __future__ import annotations

import datetime
import decimal
import io
import uuid
from collections.abc import Callable, Sequence

from django.db import connection, models

COPY_CHUNK = 50_000  # rows per COPY statement: bounded memory, few round trips


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys from the model's sequence, in order."""
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, int | float | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):  # datetimes are dates too
        return value.isoformat()
    return _escape(str(value))


def _reader(field: models.Field) -> Callable[[models.Model], object]:
    """How to read a field's database value from an instance, chosen once per field."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.pre_save(obj, add=True)
    if field.get_internal_type() in {"JSONField", "ArrayField"}:
        return lambda obj: field.get_db_prep_save(getattr(obj, field.attname), connection)
    attname = field.attname
    return lambda obj: getattr(obj, attname)


def copy_insert(objs: Sequence[models.Model], *, model: type[models.Model] | None = None) -> int:
    """Write ``objs`` (instances of one model) with COPY; give each one without a key a reserved one.

    Returns how many rows were written. Unlike ``bulk_create(ignore_conflicts=True)`` a duplicate is
    an error: callers leave out what already exists.
    """
    if not objs:
        return 0
    model = model or type(objs[0])
    missing = [obj for obj in objs if obj.pk is None]
    for obj, pk in zip(missing, reserve_ids(model, len(missing)), strict=True):
        obj.pk = pk
    fields = [field for field in model._meta.concrete_fields if not field.generated]
    readers = [_reader(field) for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), COPY_CHUNK):
            buffer = io.StringIO()
            buffer.writelines(
                "\t".join([_text(read(obj)) for read in readers]) + "\n"
                for obj in objs[start : start + COPY_CHUNK]
            )
            buffer.seek(0)
            cursor.cursor.copy_expert(sql, buffer)  # the psycopg2 cursor under Django's wrapper
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return len(objs)
