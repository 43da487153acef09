"""Writing a reminder run's new reminders in one go (digests.py, step 1 of the run): plain values, not model
instances (a city's 45,000 of those cost seconds), through PostgreSQL's COPY where it runs (an INSERT of the same
rows as arrays, rendered to text by the driver and parsed back by the server, took twice as long), otherwise one
INSERT statement run for every row (SQLite, in-process)."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from reports.models import Reminder

# A row: these fields' values but the last, which is the moment of recording.
COLUMNS = ("recipient", "kind", "subject", "due_date", "text", "digest_date", "delivery", "created_at")
_TO_ESCAPE = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def insert_reminders(rows: list[tuple]) -> int:
    """Insert ``rows`` (recipient id, kind, subject, due date, text, digest date, delivery id), skipping any whose
    key (recipient, subject, kind, due date) is already recorded; returns how many were inserted."""
    if not rows:
        return 0
    now = timezone.now()
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():  # a savepoint: COPY knows no ON CONFLICT
                _copy(rows, now)
            return len(rows)
        except IntegrityError:
            pass  # a key recorded by someone not holding the run's lock: the INSERT below skips it
    return _insert_skipping_recorded(rows, now)


def _columns() -> str:
    return ", ".join(connection.ops.quote_name(Reminder._meta.get_field(name).column) for name in COLUMNS)


def _copy_value(value) -> str:
    """A value in COPY's text format: \\N for NULL, a backslash before a tab, newline or backslash."""
    if value is None:
        return r"\N"
    if isinstance(value, str):  # translate() is slow on CJK text: only where there is something to escape
        return value.translate(_COPY_ESCAPES) if _TO_ESCAPE.search(value) else value
    return str(value)


def _copy(rows: list[tuple], now: dt.datetime) -> None:
    stamp = f"\t{now}\n"  # the same moment on every row, written once
    text = "".join("\t".join([_copy_value(value) for value in row]) + stamp for row in rows)
    with connection.cursor() as cursor, connection.wrap_database_errors:  # the driver's errors as Django's
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(Reminder._meta.db_table)} ({_columns()}) FROM STDIN",
            io.StringIO(text),
        )


def _insert_skipping_recorded(rows: list[tuple], now: dt.datetime) -> int:
    ops = connection.ops
    values = [
        (*row[:3], ops.adapt_datefield_value(row[3]), row[4], ops.adapt_datefield_value(row[5]), row[6])
        for row in rows
    ]
    stamp = ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {ops.quote_name(Reminder._meta.db_table)} ({_columns()}) "
            f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) ON CONFLICT DO NOTHING",
            [(*row, stamp) for row in values],
        )
        return cursor.rowcount
