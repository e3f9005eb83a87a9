"""Reading and writing match results.

A product's list is packed into bytes (``RECORD``); an organisation's list is rows. Writes of a
product's list are conditional: a result computed from an older product version, or older
weights, never replaces a newer one (the stale-write guard lives in the SQL itself).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db import connection, transaction
from psycopg2.extras import execute_values

RECORD = np.dtype([("organisation", "<i4"), ("score", "<i2"), ("components", "<i2", (6,))])


@dataclass(frozen=True)
class StoredMatch:
    organisation_id: int
    score: int  # tenths
    components: tuple[int, ...]


def pack(
    organisations: Sequence[int] | np.ndarray,
    scores: Sequence[int] | np.ndarray,
    components: Sequence[Sequence[int]] | np.ndarray,
) -> bytes:
    """A product's list as bytes (``RECORD`` per organisation, best first)."""
    records = np.zeros(len(organisations), dtype=RECORD)
    if len(organisations):
        records["organisation"] = organisations
        records["score"] = scores
        records["components"] = components
    return records.tobytes()


def unpack(blob: bytes | memoryview | None) -> list[StoredMatch]:
    if not blob:
        return []
    records = np.frombuffer(bytes(blob), dtype=RECORD)
    return [
        StoredMatch(int(r["organisation"]), int(r["score"]), tuple(int(c) for c in r["components"]))
        for r in records
    ]


@dataclass(frozen=True)
class ProductRow:
    product_id: int
    product_version: int
    weights_version: int
    best_score: int
    size: int
    entries: bytes
    computed_at: datetime


def write_product_lists(rows: Iterable[ProductRow]) -> int:
    """Upsert product lists unless the stored one is from a newer product or weights version.

    Returns the number of rows sent (the guard may keep some stored rows as they are).
    """
    rows = list(rows)
    if not rows:
        return 0
    table = "matchmaking_productmatches"
    columns = "product_id, product_version, weights_version, best_score, size, entries, computed_at"
    update = (
        "product_version = excluded.product_version, weights_version = excluded.weights_version, "
        "best_score = excluded.best_score, size = excluded.size, entries = excluded.entries, "
        "computed_at = excluded.computed_at"
    )
    guard = (
        f"{table}.product_version <= excluded.product_version "
        f"AND {table}.weights_version <= excluded.weights_version"
    )
    values = [
        (
            r.product_id,
            r.product_version,
            r.weights_version,
            r.best_score,
            r.size,
            r.entries,
            r.computed_at,
        )
        for r in rows
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(values) > 200:
            # Many rows (a chunk of a full run): COPY into a temporary table, then one guarded
            # upsert from it; several times faster than row-by-row VALUES.
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS matching_incoming "
                f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            )
            buffer = io.StringIO()
            for v in values:
                buffer.write(
                    f"{v[0]}\t{v[1]}\t{v[2]}\t{v[3]}\t{v[4]}\t\\\\x{v[5].hex()}\t"
                    f"{v[6].isoformat()}\n"
                )
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY matching_incoming ({columns}) FROM STDIN", buffer)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM matching_incoming "
                f"ON CONFLICT (product_id) DO UPDATE SET {update} WHERE {guard}"
            )
            cursor.execute("DELETE FROM matching_incoming")
        elif connection.vendor == "postgresql":
            execute_values(
                cursor.cursor,
                f"INSERT INTO {table} ({columns}) VALUES %s "
                f"ON CONFLICT (product_id) DO UPDATE SET {update} WHERE {guard}",
                [(*v[:5], memoryview(v[5]), v[6]) for v in values],
                page_size=2000,
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                f"ON CONFLICT (product_id) DO UPDATE SET {update} WHERE {guard}",
                values,
            )
    return len(rows)


EXPORTER_COLUMNS = (
    "organisation_id",
    "product_id",
    "product_version",
    "score",
    "fit",
    "volume",
    "certificates",
    "markets",
    "logistics",
    "readiness",
)


def insert_exporter_rows(rows: Sequence[tuple[int, ...]]) -> int:
    """Insert organisation list rows (``EXPORTER_COLUMNS`` order); COPY on PostgreSQL."""
    if not rows:
        return 0
    table = "matchmaking_exportermatch"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            buffer.writelines("\t".join(map(str, row)) + "\n" for row in rows)
            buffer.seek(0)
            cursor.cursor.copy_expert(
                f"COPY {table} ({', '.join(EXPORTER_COLUMNS)}) FROM STDIN", buffer
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(EXPORTER_COLUMNS)}) "
                f"VALUES ({', '.join(['%s'] * len(EXPORTER_COLUMNS))})",
                rows,
            )
    return len(rows)
