"""Writing the checked rows of an import: set-based on PostgreSQL, in bulk batches elsewhere.

Both writers receive the same rows from the same checker and write the same result: new BUMDes
(draft), new products (draft), changed products (version bumped), one history entry of kind
``imported`` per new BUMDes and per created or updated product, and the readiness score of each
product. Ids of new rows are taken before writing, so rows can refer to each other without a
round trip per row.

PostgreSQL: the rows are streamed into in-memory CSV buffers, copied into temporary staging tables
(``COPY``) and written with one ``INSERT ... SELECT`` or ``UPDATE ... FROM`` per table.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Callable

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from products.checks import to_base
from products.imports.validation import CREATE, UPDATABLE, Row
from products.models import Bumdes, HistoryEntry, Product

BATCH = 2000


class IdPool:
    """Ids for new rows of ``model``, taken up front (inside the import's transaction)."""

    def __init__(self, model: type[Model]) -> None:
        self.table = model._meta.db_table
        self.block = 50  # doubles with each block taken, up to 10,000: few gaps, few queries
        self._free: list[int] = []
        self._next: int | None = None

    def take(self) -> int:
        if connection.vendor == "postgresql":
            if not self._free:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                        "FROM generate_series(1, %s)",
                        [self.table, self.block],
                    )
                    self._free = sorted((r[0] for r in cursor.fetchall()), reverse=True)
                self.block = min(self.block * 2, 10000)
            return self._free.pop()
        if self._next is None:
            # SQLite: the transaction holds the write lock (BEGIN IMMEDIATE), so the next ids
            # are ours; AUTOINCREMENT never reuses an id, so start past the sequence too.
            quoted = connection.ops.quote_name(self.table)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608
                highest = cursor.fetchone()[0]
                if connection.vendor == "sqlite":
                    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                    found = cursor.fetchone()
                    highest = max(highest, found[0] if found else 0)
            self._next = highest + 1
        value = self._next
        self._next += 1
        return value


class BaseWriter:
    """Collects what to write; ``finish`` writes what is left and returns the product ids."""

    def __init__(self, *, actor_id: int | None, note: str, progress: Callable[[float], None]):
        self.actor_id = actor_id
        self.note = note
        self.progress = progress
        self.now = timezone.now()
        self.bumdes_pool = IdPool(Bumdes)
        self.product_pool = IdPool(Product)
        self.new_bumdes: dict[tuple[str, str], int] = {}
        self.product_ids: list[int] = []
        self.back_to_review: list[tuple[int, list[str]]] = []
        self.created = 0
        self.updated = 0

    def bumdes_id(self, row: Row) -> int:
        if row.bumdes is not None and row.bumdes.id is not None:
            return row.bumdes.id
        key = row.bumdes_key
        pk = self.new_bumdes.get(key)
        if pk is None:
            pk = self.new_bumdes[key] = self.bumdes_pool.take()
            self.stage_bumdes(pk, row)
        return pk

    def add(self, row: Row, score: int) -> None:
        bumdes_id = self.bumdes_id(row)
        values = row.values
        base, base_unit = to_base(values["capacity_per_month"], values["unit"])
        if row.action == CREATE:
            pk = self.product_pool.take()
            self.created += 1
        else:
            pk = row.existing.id
            self.updated += 1
            if row.material:
                self.back_to_review.append((pk, row.material))
        self.product_ids.append(pk)
        self.stage_product(pk, bumdes_id, row, base, base_unit, score)

    def bumdes_changes(self, row: Row) -> dict:
        return {"name": [None, row.bumdes_name], "village": [None, row.village]}

    def stage_bumdes(self, pk: int, row: Row) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def stage_product(self, pk, bumdes_id, row, base, base_unit, score) -> None:  # pragma: no cover
        raise NotImplementedError

    def finish(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class BulkWriter(BaseWriter):
    """Any database: ``bulk_create`` and ``bulk_update`` in batches of ``BATCH`` rows."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._bumdes: list[Bumdes] = []
        self._created: list[Product] = []
        self._updated: list[Product] = []
        self._history: list[HistoryEntry] = []

    def stage_bumdes(self, pk: int, row: Row) -> None:
        self._bumdes.append(
            Bumdes(id=pk, name=row.bumdes_name, village_id=row.village, created_by_id=self.actor_id)
        )
        self._history.append(
            HistoryEntry(
                bumdes_id=pk,
                actor_id=self.actor_id,
                kind=HistoryEntry.Kind.IMPORTED,
                to_status=Bumdes.Status.DRAFT,
                changes=self.bumdes_changes(row),
                note=self.note,
            )
        )

    def stage_product(self, pk, bumdes_id, row, base, base_unit, score) -> None:
        fields = dict(row.values, capacity_base=base, base_unit=base_unit, readiness_score=score)
        if row.action == CREATE:
            product = Product(
                id=pk,
                bumdes_id=bumdes_id,
                name_id=row.name,
                hs_code_id=row.hs,
                created_by_id=self.actor_id,
                **fields,
            )
            self._created.append(product)
        else:
            product = Product(
                id=pk, version=row.existing.version + 1, updated_at=self.now, **fields
            )
            self._updated.append(product)
        self._history.append(
            HistoryEntry(
                bumdes_id=bumdes_id,
                product_id=pk,
                actor_id=self.actor_id,
                kind=HistoryEntry.Kind.IMPORTED,
                to_status=Product.Status.DRAFT if row.action == CREATE else "",
                changes=row.changes,
                note=self.note,
            )
        )
        if len(self._created) + len(self._updated) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        Bumdes.objects.bulk_create(self._bumdes, batch_size=500)
        Product.objects.bulk_create(self._created, batch_size=500)
        Product.objects.bulk_update(
            self._updated,
            [*UPDATABLE, "capacity_base", "base_unit", "readiness_score", "version", "updated_at"],
            batch_size=200,
        )
        HistoryEntry.objects.bulk_create(self._history, batch_size=500)
        for pending in (self._bumdes, self._created, self._updated, self._history):
            pending.clear()

    def finish(self) -> None:
        self._flush()
        self.progress(1.0)


class Param:
    """A value passed as a query parameter (prepared for its field) in ``_insert_select``."""

    def __init__(self, value) -> None:
        self.value = value


def _insert_select(cursor, model: type[Model], sources: dict, from_sql: str, skip=()) -> None:
    """``INSERT INTO model (every column) SELECT ... from_sql``.

    ``sources`` maps field attnames to SQL expressions or ``Param`` values; every other column
    gets its model default, so a field added to the model later still gets a value.
    """
    names, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.attname in skip:
            continue
        names.append(connection.ops.quote_name(field.column))
        source = sources.get(field.attname)
        if source is None or isinstance(source, Param):
            value = field.get_default() if source is None else source.value
            expressions.append("%s")
            params.append(field.get_db_prep_save(value, connection))
        else:
            expressions.append(source)
    cursor.execute(
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(names)}) "
        f"SELECT {', '.join(expressions)} {from_sql}",
        params,
    )


PRODUCT_STAGE = (
    "id",
    "bumdes_id",
    "is_new",
    "name_id",
    "hs_code_id",
    *UPDATABLE,
    "capacity_base",
    "base_unit",
    "readiness_score",
    "changes",
)


class CopyWriter(BaseWriter):
    """PostgreSQL: COPY into temporary staging tables, then one statement per table."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.null = f"\\N{secrets.token_hex(6)}"
        # UTF-8 bytes, not a StringIO (which holds up to 4 bytes a character).
        self._bumdes_buffer = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
        self._product_buffer = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
        self._bumdes_csv = csv.writer(self._bumdes_buffer, lineterminator="\n")
        self._product_csv = csv.writer(self._product_buffer, lineterminator="\n")

    def stage_bumdes(self, pk: int, row: Row) -> None:
        self._bumdes_csv.writerow(
            [pk, row.village, row.bumdes_name, json.dumps(self.bumdes_changes(row))]
        )

    def stage_product(self, pk, bumdes_id, row, base, base_unit, score) -> None:
        null = self.null
        values = row.values
        self._product_csv.writerow(
            [
                pk,
                bumdes_id,
                "t" if row.action == CREATE else "f",
                row.name,
                row.hs,
                *(null if values[f] is None else values[f] for f in UPDATABLE),
                null if base is None else base,
                base_unit,
                score,
                json.dumps(row.changes),
            ]
        )

    def _types(self) -> dict[str, str]:
        fields = {f.attname: f for f in Product._meta.concrete_fields}
        types = {name: fields[name].db_type(connection) for name in PRODUCT_STAGE if name in fields}
        types.update(id="bigint", bumdes_id="bigint", is_new="boolean", changes="text")
        return types

    def finish(self) -> None:
        types = self._types()
        bumdes_fields = {f.attname: f for f in Bumdes._meta.concrete_fields}
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg2 cursor, for copy_expert
            cursor.execute("DROP TABLE IF EXISTS product_import_bumdes, product_import_rows")
            cursor.execute(
                "CREATE TEMP TABLE product_import_bumdes (id bigint, village_id "
                f"{bumdes_fields['village_id'].db_type(connection)}, name "
                f"{bumdes_fields['name'].db_type(connection)}, changes text) ON COMMIT DROP"
            )
            columns = ", ".join(f"{name} {types[name]}" for name in PRODUCT_STAGE)
            cursor.execute(f"CREATE TEMP TABLE product_import_rows ({columns}) ON COMMIT DROP")
            for table, buffer, names in (
                ("product_import_bumdes", self._bumdes_buffer, "id, village_id, name, changes"),
                ("product_import_rows", self._product_buffer, ", ".join(PRODUCT_STAGE)),
            ):
                buffer.flush()
                data = buffer.detach()
                data.seek(0)
                raw.copy_expert(
                    f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, ENCODING 'UTF8', "
                    f"NULL '{self.null}')",
                    data,
                    size=1 << 20,
                )
                data.close()
            self.progress(0.2)

            actor, now, note = Param(self.actor_id), Param(self.now), Param(self.note)
            _insert_select(
                cursor,
                Bumdes,
                {
                    "id": "s.id",
                    "name": "s.name",
                    "village_id": "s.village_id",
                    "created_by_id": actor,
                    "created_at": now,
                    "updated_at": now,
                },
                "FROM product_import_bumdes s ORDER BY s.id",
            )
            staged = {name: f"s.{name}" for name in PRODUCT_STAGE[3:-1]}
            _insert_select(
                cursor,
                Product,
                staged
                | {
                    "id": "s.id",
                    "bumdes_id": "s.bumdes_id",
                    "version": Param(1),
                    "created_by_id": actor,
                    "created_at": now,
                    "updated_at": now,
                },
                "FROM product_import_rows s WHERE s.is_new ORDER BY s.id",
            )
            self.progress(0.5)

            assignments = ", ".join(f"{name} = s.{name}" for name in PRODUCT_STAGE[5:-1])
            cursor.execute(
                f"UPDATE {Product._meta.db_table} p SET {assignments}, "
                "version = p.version + 1, updated_at = %s "
                "FROM product_import_rows s WHERE p.id = s.id AND NOT s.is_new",
                [Product._meta.get_field("updated_at").get_db_prep_save(self.now, connection)],
            )
            self.progress(0.75)

            history = {
                "actor_id": actor,
                "at": now,
                "kind": Param(HistoryEntry.Kind.IMPORTED.value),
                "changes": "s.changes::jsonb",
                "note": note,
            }
            _insert_select(
                cursor,
                HistoryEntry,
                history
                | {
                    "bumdes_id": "s.id",
                    "product_id": "NULL",
                    "to_status": Param(Bumdes.Status.DRAFT.value),
                },
                "FROM product_import_bumdes s ORDER BY s.id",
                skip=("id",),
            )
            _insert_select(
                cursor,
                HistoryEntry,
                history
                | {
                    "bumdes_id": "s.bumdes_id",
                    "product_id": "s.id",
                    "to_status": f"CASE WHEN s.is_new THEN '{Product.Status.DRAFT.value}' "
                    "ELSE '' END",
                },
                "FROM product_import_rows s ORDER BY s.id",
                skip=("id",),
            )
            cursor.execute("DROP TABLE IF EXISTS product_import_bumdes, product_import_rows")
        self.progress(1.0)


def writer_for(**kwargs) -> BaseWriter:
    if connection.vendor == "postgresql":
        return CopyWriter(**kwargs)
    return BulkWriter(**kwargs)
