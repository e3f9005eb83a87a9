"""Writing the checked rows of an import: set-based on PostgreSQL, in bulk batches elsewhere.

Both writers receive the same rows from the same checker and write the same result: new BUMDes
(draft), new products (draft), changed products (version bumped), one history entry of kind
``imported`` per new BUMDes and per created or updated product, and the readiness score of each
product. Ids of new rows are taken before writing, so rows can refer to each other without a
round trip per row.

PostgreSQL (``CopyWriter``): the rows are streamed into in-memory CSV buffers, copied into
temporary staging tables (``COPY``) in batches of 10,000 and written with one ``INSERT ...
SELECT`` or ``UPDATE ... FROM`` per table and batch, by a second thread on the same connection
and transaction, while the rows after them are being checked. Elsewhere (``BulkWriter``, the
embedded SQLite mode): ``bulk_create`` and ``bulk_update`` in batches.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import operator
import queue
import secrets
import threading
from collections.abc import Callable

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from products.checks import to_base
from products.imports.validation import CREATE, UPDATABLE, Row
from products.models import Bumdes, HistoryEntry, Product

BATCH = 2000
UPDATED_FIELDS = (
    *UPDATABLE,
    "capacity_base",
    "base_unit",
    "readiness_score",
    "version",
    "updated_at",
)


class IdPool:
    """Ids for new rows of ``model``, taken up front (inside the import's transaction)."""

    def __init__(
        self, model: type[Model], lock: threading.Lock | None = None, first_block: int = 50
    ) -> None:
        self.table = model._meta.db_table
        self.vendor = connection.vendor
        self.lock = lock or contextlib.nullcontext()
        # The first block fits the expected number of new rows; later blocks double (up to
        # 50,000): few queries, few unused ids.
        self.block = max(50, min(first_block + first_block // 100 + 10, 100_000))
        self._free: list[int] = []
        self._next: int | None = None

    def take(self) -> int:
        if self.vendor == "postgresql":
            if not self._free:
                with self.lock, connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                        "FROM generate_series(1, %s)",
                        [self.table, self.block],
                    )
                    self._free = sorted((r[0] for r in cursor.fetchall()), reverse=True)
                self.block = min(self.block * 2, 50_000)
            return self._free.pop()
        if self._next is None:
            # SQLite: the transaction holds the write lock (BEGIN IMMEDIATE), so the next ids
            # are ours; AUTOINCREMENT never reuses an id, so start past the sequence too.
            quoted = connection.ops.quote_name(self.table)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608
                highest = cursor.fetchone()[0]
                if self.vendor == "sqlite":
                    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                    found = cursor.fetchone()
                    highest = max(highest, found[0] if found else 0)
            self._next = highest + 1
        value = self._next
        self._next += 1
        return value


class BaseWriter:
    """Collects what to write; ``finish`` writes what is left and returns the product ids."""

    #: Held while the connection is in use by another thread of the writer (None: no thread).
    db_lock: threading.Lock | None = None

    def __init__(
        self,
        *,
        actor_id: int | None,
        note: str,
        progress: Callable[[float], None],
        expected_products: int = 0,
        expected_bumdes: int = 0,
    ):
        """``expected_*``: how many new rows the dry run counted, to take their ids at once."""
        self.actor_id = actor_id
        self.note = note
        self.progress = progress
        self.now = timezone.now()
        self.bumdes_pool = IdPool(Bumdes, self.db_lock, first_block=expected_bumdes)
        self.product_pool = IdPool(Product, self.db_lock, first_block=expected_products)
        self.new_bumdes: dict[tuple[str, str], int] = {}
        self.product_ids: list[int] = []
        self.back_to_review: list[tuple[int, list[str]]] = []
        # The fields still to confirm (suggested, not accepted) -> the products concerned.
        self.unconfirmed: dict[tuple[str, ...], list[int]] = {}
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
        if row.unconfirmed:
            self.unconfirmed.setdefault(tuple(row.unconfirmed), []).append(pk)
        self.stage_product(pk, bumdes_id, row, base, base_unit, score)

    def bumdes_changes(self, row: Row) -> dict:
        return {"name": [None, row.bumdes_name], "village": [None, row.village]}

    def stage_bumdes(self, pk: int, row: Row) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def stage_product(self, pk, bumdes_id, row, base, base_unit, score) -> None:  # pragma: no cover
        raise NotImplementedError

    def finish(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def abort(self) -> None:
        """Give up (the transaction is being rolled back)."""


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
        if self._updated:
            # One prepared UPDATE run for many rows: far quicker than bulk_update's CASE WHEN.
            fields = [Product._meta.get_field(name) for name in UPDATED_FIELDS]
            quote = connection.ops.quote_name
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {quote(Product._meta.db_table)} SET {assignments} WHERE id = %s",
                    [
                        [f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields]
                        + [p.pk]
                        for p in self._updated
                    ],
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


def _insert_select(model: type[Model], sources: dict, from_sql: str, skip=()) -> tuple:
    """``INSERT INTO model (every column) SELECT ... from_sql``, as SQL and parameters.

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
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(names)}) "
        f"SELECT {', '.join(expressions)} {from_sql}"
    )
    return sql, params


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


_updatable = operator.itemgetter(*UPDATABLE)
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class CopyWriter(BaseWriter):
    """PostgreSQL: COPY into temporary staging tables, then one statement per table.

    The rows go in batches of ``batch_rows``; a second thread writes each batch (COPY, then
    ``INSERT ... SELECT`` / ``UPDATE ... FROM``) on the same connection and transaction while
    this thread checks the next rows, so the database and Python work at the same time. The
    thread only ever waits on the database (psycopg2 releases the GIL meanwhile).
    """

    batch_rows = 10_000

    def __init__(self, **kwargs) -> None:
        # psycopg2 lets go of its own connection lock during a COPY, so the two threads take
        # turns with this one: the writing thread holds it for a whole batch, this thread for
        # each query it makes (new ids, look-ups of villages not seen yet).
        self.db_lock = threading.Lock()
        super().__init__(**kwargs)
        self.null = f"\\N{secrets.token_hex(6)}"
        self._statements = self._prepare()
        self._new_buffers()
        self._staged = 0
        self._batches = 0
        self._written = 0
        self._error: BaseException | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=2)
        connection.ensure_connection()
        self._raw = connection.connection  # the psycopg2 connection, in this transaction
        self._thread = threading.Thread(target=self._work, name="product-import-copy", daemon=True)
        self._thread.start()

    def _new_buffers(self) -> None:
        # UTF-8 bytes, not a StringIO (which holds up to 4 bytes a character).
        self._bumdes_buffer = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
        self._product_buffer = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
        self._bumdes_csv = csv.writer(self._bumdes_buffer, lineterminator="\n")
        self._product_csv = csv.writer(self._product_buffer, lineterminator="\n")

    def stage_bumdes(self, pk: int, row: Row) -> None:
        self._bumdes_csv.writerow(
            [pk, row.village, row.bumdes_name, _json(self.bumdes_changes(row))]
        )

    def stage_product(self, pk, bumdes_id, row, base, base_unit, score) -> None:
        null = self.null
        cells = [pk, bumdes_id, "t" if row.action == CREATE else "f", row.name, row.hs]
        cells += [null if v is None else v for v in _updatable(row.values)]
        cells += [null if base is None else base, base_unit, score, _json(row.changes)]
        self._product_csv.writerow(cells)
        self._staged += 1
        if self._staged >= self.batch_rows:
            self._ship()

    def _ship(self) -> None:
        if self._error is not None:
            raise self._error
        if not self._staged:
            return
        batch = []
        for buffer in (self._bumdes_buffer, self._product_buffer):
            buffer.flush()
            batch.append(buffer.detach())
        self._queue.put(tuple(batch))
        self._batches += 1
        self._staged = 0
        self._new_buffers()

    def _prepare(self) -> dict[str, tuple[str, list]]:
        """Every statement of a batch, with its parameters, built once."""
        product_fields = {f.attname: f for f in Product._meta.concrete_fields}
        types = {
            n: product_fields[n].db_type(connection) for n in PRODUCT_STAGE if n in product_fields
        }
        types.update(id="bigint", bumdes_id="bigint", is_new="boolean", changes="text")
        bumdes_fields = {f.attname: f for f in Bumdes._meta.concrete_fields}
        actor, now, note = Param(self.actor_id), Param(self.now), Param(self.note)
        history = {
            "actor_id": actor,
            "at": now,
            "kind": Param(HistoryEntry.Kind.IMPORTED.value),
            "changes": "s.changes::jsonb",
            "note": note,
        }
        staged = {name: f"s.{name}" for name in PRODUCT_STAGE[3:-1]}
        assignments = ", ".join(f"{name} = s.{name}" for name in PRODUCT_STAGE[5:-1])
        return {
            "drop": ("DROP TABLE IF EXISTS product_import_bumdes, product_import_rows", []),
            # Foreign keys are checked as each statement ends, in the writing thread, rather
            # than all at COMMIT (Django makes them DEFERRABLE INITIALLY DEFERRED).
            "immediate": ("SET CONSTRAINTS ALL IMMEDIATE", []),
            "deferred": ("SET CONSTRAINTS ALL DEFERRED", []),
            "create_bumdes": (
                "CREATE TEMP TABLE product_import_bumdes (id bigint, village_id "
                f"{bumdes_fields['village_id'].db_type(connection)}, name "
                f"{bumdes_fields['name'].db_type(connection)}, changes text) ON COMMIT DROP",
                [],
            ),
            "create_rows": (
                "CREATE TEMP TABLE product_import_rows ("
                + ", ".join(f"{name} {types[name]}" for name in PRODUCT_STAGE)
                + ") ON COMMIT DROP",
                [],
            ),
            "truncate": ("TRUNCATE product_import_bumdes, product_import_rows", []),
            "insert_bumdes": _insert_select(
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
            ),
            "bumdes_history": _insert_select(
                HistoryEntry,
                history
                | {
                    "bumdes_id": "s.id",
                    "product_id": "NULL",
                    "to_status": Param(Bumdes.Status.DRAFT.value),
                },
                "FROM product_import_bumdes s ORDER BY s.id",
                skip=("id",),
            ),
            "insert_products": _insert_select(
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
            ),
            "update_products": (
                f"UPDATE {connection.ops.quote_name(Product._meta.db_table)} p "
                f"SET {assignments}, version = p.version + 1, updated_at = %s "
                "FROM product_import_rows s WHERE p.id = s.id AND NOT s.is_new",
                [product_fields["updated_at"].get_db_prep_save(self.now, connection)],
            ),
            "product_history": _insert_select(
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
            ),
        }

    def _work(self) -> None:
        """The writing thread: one batch after another, until told to stop."""
        statements = self._statements
        cursor = self._raw.cursor()
        try:
            with self.db_lock:
                for name in ("immediate", "drop", "create_bumdes", "create_rows"):
                    cursor.execute(*statements[name])
            while True:
                batch = self._queue.get()
                if batch is None:
                    return
                if self._error is not None:
                    continue  # drain: the main thread raises the error
                try:
                    with self.db_lock:
                        self._write_batch(cursor, *batch)
                except BaseException as error:  # noqa: BLE001 - handed to the main thread
                    self._error = error
        except BaseException as error:  # noqa: BLE001
            self._error = error
            while self._queue.get() is not None:
                pass
        finally:
            cursor.close()

    def _write_batch(self, cursor, bumdes: io.BytesIO, products: io.BytesIO) -> None:
        statements = self._statements
        cursor.execute(*statements["truncate"])
        for table, data, names in (
            ("product_import_bumdes", bumdes, "id, village_id, name, changes"),
            ("product_import_rows", products, ", ".join(PRODUCT_STAGE)),
        ):
            data.seek(0)
            cursor.copy_expert(
                f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, ENCODING 'UTF8', "
                f"NULL '{self.null}')",
                data,
                size=1 << 20,
            )
            data.close()
        for name in (
            "insert_bumdes",
            "bumdes_history",
            "insert_products",
            "update_products",
            "product_history",
        ):
            cursor.execute(*statements[name])
        self._written += 1

    def finish(self) -> None:
        try:
            self._ship()
        finally:
            self._queue.put(None)
            while self._thread.is_alive():
                self._thread.join(timeout=1.0)
                if self._batches:
                    self.progress(self._written / self._batches)
        if self._error is not None:
            raise self._error
        with connection.cursor() as cursor:
            cursor.execute(*self._statements["drop"])
            cursor.execute(*self._statements["deferred"])
        self.progress(1.0)

    def abort(self) -> None:
        """Stop the writing thread (the transaction is being rolled back)."""
        if self._thread.is_alive():
            self._error = self._error or RuntimeError("aborted")
            self._queue.put(None)
            self._thread.join()


def writer_for(**kwargs) -> BaseWriter:
    if connection.vendor == "postgresql":
        return CopyWriter(**kwargs)
    return BulkWriter(**kwargs)
