"""Checking an import row by row against the registry, in pure Python.

Everything the rows are compared with is loaded once, in a few queries (``Lookups``): the HS
codes, the villages named in the file, the BUMDes of those villages and their products (each
village the first time a batch of rows names it). Each row is then a few dictionary look-ups, so
checking 100,000 rows takes seconds, and the same checker serves the dry run and the commit
(which checks again inside its transaction, so what it writes is what it checked).

Rows are matched on natural keys: the BUMDes on (village code, name), the product on (BUMDes,
name, HS code), names trimmed and compared case-insensitively.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from bumdes_export.core.text import clip
from bumdes_export.core.validators import validate_plain_text
from bumdes_export.reference.models import HsCode, Region
from bumdes_export.reference.selectors import normalize_region_code
from bumdes_export.reference.suggestions.selectors import Suggestions, form_and_unit, suggest
from products import checks, selectors
from products.imports import columns as cols
from products.imports.columns import CellError
from products.models import (
    ALL_MONTHS,
    Bumdes,
    Certificate,
    CommodityForm,
    Product,
    ProductPhoto,
    Unit,
)
from products.readiness import ProductFacts, RuleSpec, evaluate
from products.readiness import selectors as readiness_selectors

# The product fields an import may set besides its key (name_id, hs_code), in stored order.
UPDATABLE = (
    "name_en",
    "description_id",
    "description_en",
    "national_code",
    "form",
    "unit",
    "capacity_per_month",
    "available_months",
    "min_order",
    "price",
    "currency",
    "incoterm",
    "packaging",
)
INDEX = {name: i for i, name in enumerate(UPDATABLE)}
DEFAULTS = {
    "name_en": "",
    "description_id": "",
    "description_en": "",
    "national_code": "",
    "form": None,
    "unit": "kg",
    "capacity_per_month": None,
    "available_months": ALL_MONTHS,
    "min_order": None,
    "price": None,
    "currency": "USD",
    "incoterm": "FOB",
    "packaging": "",
}
# A change to one of these sends an export-ready product back to review (as services.MATERIAL_
# FIELDS; the HS code is part of the key, so an import never changes it).
MATERIAL = ("national_code", "form", "unit", "capacity_per_month")

CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"
NOTHING_SUGGESTED = Suggestions(hs=[], form="", unit="")
PROGRESS_EVERY = 5000


def chunks(items: Sequence, size: int | None = None) -> Iterator[Sequence]:
    if size is None:
        limit = connection.features.max_query_params
        size = min(limit - 10, 5000) if limit else 10000
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class BumdesFacts:
    id: int | None
    nib: bool = False
    npwp: bool = False
    legal_entity: bool = False
    verified: bool = False


NEW_BUMDES = BumdesFacts(id=None)


@dataclass(frozen=True, slots=True)
class Existing:
    id: int
    version: int
    status: str
    values: tuple


class Lookups:
    """What the rows are checked against, loaded village by village as the rows name them.

    ``lock`` (inside the commit's transaction) locks the products that may be updated, so
    nobody changes them between this read and the write. ``readiness`` also loads what the
    readiness score needs (certificates, photos, destinations, rules).
    """

    def __init__(self, *, lock: bool = False, readiness: bool = False) -> None:
        self.lock = lock
        self.readiness = readiness
        self.hs_levels: dict[str, int] = dict(HsCode.objects.values_list("code", "level"))
        self.subheadings = [code for code, level in self.hs_levels.items() if level == 6]
        self.villages: dict[str, tuple[int, str, bool]] = {}
        self.bumdes: dict[tuple[str, str], BumdesFacts] = {}
        self.products: dict[tuple[int, str, str], Existing] = {}
        # (BUMDes, product name) -> the HS codes of its products by that name.
        self.by_name: dict[tuple[int, str], list[str]] = {}
        self.certificates: dict[int, frozenset[str]] = {}
        self.photos: set[int] = set()
        self.destinations: dict[int, frozenset[str]] = {}
        self.rules: list[RuleSpec] = selectors.active_rules() if readiness else []
        # Recorded commodity specifications (by product id, as sorted items) and the fields of
        # each HS code's specification template: the specification rules read both.
        self.specifications: dict[int, tuple[tuple[str, object], ...]] = {}
        self.templates = readiness_selectors.templates() if readiness else []
        self._template_fields: dict[str, frozenset[str]] = {}
        self._asked: set[str] = set()
        # Set by the commit when another thread shares the connection (see writers.CopyWriter).
        self.db_lock: contextlib.AbstractContextManager[object] = contextlib.nullcontext()

    def template_fields(self, hs: str) -> frozenset[str]:
        """The fields of the specification template of an HS code (empty: none)."""
        found = self._template_fields.get(hs)
        if found is None:
            template = readiness_selectors.template_among(self.templates, hs)
            found = self._template_fields[hs] = template.keys if template else frozenset()
        return found

    def ensure(self, village_codes: Iterable[str]) -> None:
        """Load the given villages, their BUMDes and products, unless loaded already."""
        codes = sorted(set(village_codes) - self._asked)
        if not codes:
            return
        self._asked.update(codes)
        with self.db_lock:
            self._load(codes)

    def _load(self, codes: list[str]) -> None:
        villages = []
        for chunk in chunks(codes):
            for code, level, kind, retired in Region.objects.filter(code__in=chunk).values_list(
                "code", "level", "kind", "retired_at"
            ):
                self.villages[code] = (level, kind, retired is not None)
                if level == 4:
                    villages.append(code)
        bumdes_ids: list[int] = []
        for chunk in chunks(villages):
            rows = Bumdes.objects.filter(village_id__in=chunk).order_by("id")
            for pk, village, name, nib, npwp, legal, status in rows.values_list(
                "id", "village_id", "name", "nib", "npwp", "legal_status", "status"
            ):
                self.bumdes.setdefault(
                    (village, cols.name_key(name)),
                    BumdesFacts(
                        id=pk,
                        nib=bool(nib),
                        npwp=bool(npwp),
                        legal_entity=legal == Bumdes.LegalStatus.LEGAL_ENTITY,
                        verified=status == Bumdes.Status.VERIFIED,
                    ),
                )
                bumdes_ids.append(pk)
        for chunk in chunks(bumdes_ids):
            products = Product.objects.filter(bumdes_id__in=chunk).order_by("id")
            if self.lock and connection.features.has_select_for_update:
                products = products.select_for_update()
            for pk, bumdes_id, name, hs, version, status, *values in products.values_list(
                "id", "bumdes_id", "name_id", "hs_code_id", "version", "status", *UPDATABLE
            ):
                key = cols.name_key(name)
                if (bumdes_id, key, hs) not in self.products:
                    self.by_name.setdefault((bumdes_id, key), []).append(hs)
                self.products.setdefault(
                    (bumdes_id, key, hs),
                    Existing(id=pk, version=version, status=status, values=tuple(values)),
                )
        if self.readiness:
            self._load_readiness(bumdes_ids)

    def _load_readiness(self, bumdes_ids: list[int]) -> None:
        today = timezone.localdate()
        certificates: dict[int, set[str]] = {}
        destinations: dict[int, set[str]] = {}
        for chunk in chunks(bumdes_ids):
            rows = Certificate.objects.filter(product__bumdes_id__in=chunk).values_list(
                "product_id", "type__code", "valid_from", "valid_until"
            )
            for product_id, code, valid_from, valid_until in rows:
                if _valid(valid_from, valid_until, today):
                    certificates.setdefault(product_id, set()).add(code)
            self.photos.update(
                ProductPhoto.objects.filter(product__bumdes_id__in=chunk).values_list(
                    "product_id", flat=True
                )
            )
            for through in (Product.exported_to.through, Product.target_markets.through):
                for product_id, country in through.objects.filter(
                    product__bumdes_id__in=chunk
                ).values_list("product_id", "country_id"):
                    destinations.setdefault(product_id, set()).add(country)
        self.certificates.update((k, frozenset(v)) for k, v in certificates.items())
        for chunk in chunks(bumdes_ids):
            for product_id, recorded in Product.objects.filter(bumdes_id__in=chunk).values_list(
                "id", "specification"
            ):
                if recorded:
                    self.specifications[product_id] = tuple(sorted(recorded.items()))
        for product_id, countries in destinations.items():
            self.destinations[product_id] = frozenset(countries)


def _valid(valid_from: date | None, valid_until: date | None, on: date) -> bool:
    # As Certificate.is_valid: an expired certificate counts as missing.
    if valid_from and valid_from > on:
        return False
    return valid_until is None or valid_until >= on


def display(value) -> str | None:
    """As services._display: how a value is written into a history entry's changes."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


class Row:
    """One checked row: what it will do, or why it cannot."""

    __slots__ = (
        "number",
        "action",
        "errors",
        "village",
        "bumdes_name",
        "bumdes_key",
        "bumdes",
        "name",
        "hs",
        "key",
        "existing",
        "values",
        "changes",
        "material",
        "suggested",
        "unconfirmed",
    )

    def __init__(self, number: int) -> None:
        self.number = number
        self.action = REJECT
        self.errors: dict[str, str] = {}
        self.village = ""
        self.bumdes_name = ""
        self.bumdes_key: tuple[str, str] = ("", "")
        self.bumdes: BumdesFacts | None = None
        self.name = ""
        self.hs = ""
        # (village, BUMDes name, product name, HS code), names compared case-insensitively;
        # None while a part is missing.
        self.key: tuple[str, str, str, str] | None = None
        self.existing: Existing | None = None
        self.values: dict | None = None
        self.changes: dict[str, list | None] = {}
        self.material: list[str] = []
        # Column -> (value, label) the portal suggested for a missing HS code, form or unit.
        self.suggested: dict[str, tuple[str, str]] = {}
        # Product fields whose suggestion the importer did not accept (set by the commit).
        self.unconfirmed: list[str] = []

    def entry(self) -> dict:
        """The row in the report."""
        entry = {
            "row": self.number,
            "action": self.action,
            "bumdes_action": ""
            if self.bumdes is None
            else ("create" if self.bumdes.id is None else "match"),
            "village": reported(self.village),
            "bumdes": reported(self.bumdes_name),
            "product": reported(self.name),
            "hs": reported(self.hs),
            "errors": {
                column: reported(message, REPORTED_MESSAGE_LENGTH)
                for column, message in self.errors.items()
            },
        }
        if self.action == UPDATE:
            entry["changes"] = sorted(self.changes)
        if self.suggested:
            entry["suggested"] = {
                column: {"value": value, "label": label}
                for column, (value, label) in self.suggested.items()
            }
        return entry


# Readers of the optional columns: column -> function(cell) -> value.
def reported(value: str, length: int = 0) -> str:
    """A cell's value (or a message quoting one) as the stored report keeps it: at most
    ``length`` characters (``REPORTED_LENGTH``), and no NUL (which PostgreSQL's JSON cannot
    hold; shown as U+FFFD)."""
    return clip(value.replace("\x00", "\ufffd"), length or REPORTED_LENGTH)


def text_problem(value: str, limit: int | None) -> str | None:
    """What is wrong with a text cell, as the forms and the API say it (a NUL character, which
    no form accepts and PostgreSQL cannot store; another control character; more than
    ``limit`` characters)."""
    if "\x00" in value:
        return str(ProhibitNullCharactersValidator.message)
    try:
        validate_plain_text(value)
    except ValidationError as error:
        return " ".join(error.messages)
    if limit and len(value) > limit:
        return _("At most %(max)d characters.") % {"max": limit}
    return None


def _text_reader(column: str) -> Callable:
    limit = cols.MAX_TEXT.get(column)

    def read(cell) -> str:
        value = cols.text(cell)
        problem = text_problem(value, limit)
        if problem:
            raise CellError(problem)
        return value

    return read


def _amount_reader(places: int) -> Callable:
    return lambda cell: cols.parse_amount(cell, places)


def _national_reader(cell) -> str:
    value = cols.parse_national_code(cell)
    if not (value.isdigit() and len(value) == 8):
        raise CellError(_("A national tariff code has 8 digits."))
    return value


READERS: dict[str, Callable] = {
    "nama_produk_en": _text_reader("nama_produk_en"),
    "kode_btki": _national_reader,
    "bentuk": lambda cell: cols.parse_form(cols.text(cell)),
    "satuan": lambda cell: cols.parse_unit(cols.text(cell)),
    "kapasitas_per_bulan": _amount_reader(3),
    "bulan_tersedia": cols.parse_months,
    "minimal_order": _amount_reader(3),
    "harga": _amount_reader(2),
    "mata_uang": lambda cell: cols.parse_currency(cols.text(cell)),
    "incoterm": lambda cell: cols.parse_incoterm(cols.text(cell)),
    "kemasan": _text_reader("kemasan"),
    "deskripsi": _text_reader("deskripsi"),
    "deskripsi_en": _text_reader("deskripsi_en"),
}


def _empty(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


EXPORT_READY = Product.Status.EXPORT_READY.value
MEMO = {"kode_btki", "bentuk", "satuan", "bulan_tersedia", "mata_uang", "incoterm", "harga"}


class Checker:
    """Checks rows against ``lookups`` for an import scoped to ``region`` (None: everywhere).

    ``record_changes`` (the commit) keeps the old and new value of every change for the
    history; the dry run needs only the names of the changed fields.
    """

    def __init__(
        self,
        lookups: Lookups,
        columns: dict[str, int],
        *,
        region: str | None,
        record_changes: bool = False,
    ) -> None:
        self.lookups = lookups
        self.region = region
        self.record_changes = record_changes
        self.key_index = tuple(columns.get(name) for name in cols.KEY_COLUMNS)
        self.width = max(columns.values()) + 1
        self.description_index = columns.get("deskripsi")
        self.no_hs = _(
            "Required: no HS code is given and none could be suggested from the product's name."
        )
        self._suggestions: dict[str, Suggestions] = {}
        self._forms: dict[tuple[str, str], tuple[str, str]] = {}
        self._labels: dict[tuple, str] = {}
        # Messages in the active language, and what repeats from row to row, worked out once.
        self.required = _("Required; this cell is empty.")
        self.form_required = _("Required for a new product: hidup, segar, beku, kering or olahan.")
        # (column, position, field, reader, memo): cells of the memo columns repeat (few
        # distinct values), so each distinct cell is read once.
        self.optional = [
            (name, columns[name], cols.FIELD_OF[name], READERS[name], {} if name in MEMO else None)
            for name in cols.COLUMN_NAMES
            if name in columns and name in cols.FIELD_OF
        ]
        self._villages: dict[object, tuple[str, str | None]] = {}
        self._hs: dict[object, tuple[str, str | None]] = {}
        self._names: dict[str, str] = {}

    def _village(self, raw) -> tuple[str, str | None]:
        found = self._villages.get(raw)
        if found is None:
            code = normalize_region_code(cols.region_code_text(raw))
            known = self.lookups.villages.get(code)
            region = self.region
            if known is None:
                problem = checks.village_problem(
                    code, exists=False, level=None, kind=None, retired=False
                )
            elif not (region is None or code == region or code.startswith(region + ".")):
                problem = checks.scope_problem(code, covered=False)
            else:
                level, kind, retired = known
                problem = checks.village_problem(
                    code, exists=True, level=level, kind=kind, retired=retired
                )
            found = self._villages[raw] = (code, problem)
        return found

    def _hs_code(self, raw) -> tuple[str, str | None]:
        found = self._hs.get(raw)
        if found is None:
            code = cols.hs_code_text(raw)
            level = self.lookups.hs_levels.get(code)
            typed = str(raw).strip()
            nearest = (
                checks.nearest_subheadings(typed, self.lookups.subheadings) if level != 6 else []
            )
            found = self._hs[raw] = (
                code,
                checks.hs_problem(code, level=level, typed=typed, nearest=nearest),
            )
        return found

    def _name_key(self, name: str) -> str:
        key = self._names.get(name)
        if key is None:
            key = self._names[name] = name.lower()
        return key

    def _suggestions_for(self, name: str, cells: Sequence) -> Suggestions:
        """What the name (and description) suggest; names that differ only in numbers share
        their suggestions (``Kepiting 12`` and ``Kepiting 13``). A name without a letter
        suggests nothing (it is no code either)."""
        at = self.description_index
        description = cols.text(cells[at])[:300] if at is not None else ""
        words = [w for w in name.lower().split() if not w.isdigit()]
        if not any(c.isalpha() for c in name):
            return NOTHING_SUGGESTED
        key = " ".join(words) + "|" + description
        found = self._suggestions.get(key)
        if found is None:
            found = self._suggestions[key] = suggest(name, description, limit=1)
        return found

    def _suggest_hs(self, row: Row, cells: Sequence) -> None:
        found = self._suggestions_for(row.name, cells).hs
        if not found:
            row.errors["kode_hs"] = self.no_hs
            return
        best = found[0]
        row.hs = best.code
        share = round(best.confidence * 100)
        label = self._labels.get(("kode_hs", best.code, share))
        if label is None:
            label = self._labels[("kode_hs", best.code, share)] = _(
                "%(code)s %(description)s (confidence %(share)d%%)"
            ) % {"code": best.dotted, "description": best.description, "share": share}
        row.suggested["kode_hs"] = (best.code, label)

    def _suggest_choice(
        self, row: Row, cells: Sequence, given: dict, column: str, field: str
    ) -> None:
        if "kode_hs" in row.suggested or not row.hs:
            suggestions = self._suggestions_for(row.name, cells)
            value = suggestions.form if field == "form" else suggestions.unit
        else:
            # The file gives the code: the form and unit usual for it (and the name's words).
            key = (row.name.lower(), row.hs)
            pair = self._forms.get(key)
            if pair is None:
                pair = self._forms[key] = form_and_unit(row.name, row.hs)
            value = pair[0] if field == "form" else pair[1]
        if not value:
            return
        given[field] = value
        label = self._labels.get((column, value))
        if label is None:
            choices = CommodityForm if field == "form" else Unit
            label = self._labels[(column, value)] = str(choices(value).label)
        row.suggested[column] = (value, label)

    def check(self, number: int, cells: Sequence) -> Row:
        if len(cells) < self.width:
            cells = list(cells) + [None] * (self.width - len(cells))
        row = Row(number)
        errors = row.errors
        required = self.required
        at_village, at_bumdes, at_name, at_hs = self.key_index

        raw = cells[at_village]
        if raw is None or raw == "" or (raw.__class__ is str and raw.isspace()):
            errors["kode_desa"] = required
        else:
            row.village, problem = self._village(raw)
            if problem:
                errors["kode_desa"] = problem

        bumdes_name = cols.text(cells[at_bumdes])
        if not bumdes_name:
            errors["nama_bumdes"] = required
        elif problem := text_problem(bumdes_name, NAME_LENGTH):
            errors["nama_bumdes"] = problem
        row.bumdes_name = bumdes_name
        name = cols.text(cells[at_name])
        if not name:
            errors["nama_produk"] = required
        elif problem := text_problem(name, NAME_LENGTH):
            errors["nama_produk"] = problem
        row.name = name

        raw = cells[at_hs] if at_hs is not None else None
        hs_missing = raw is None or raw == "" or (raw.__class__ is str and raw.isspace())
        if not hs_missing:
            row.hs, problem = self._hs_code(raw)
            if problem:
                errors["kode_hs"] = problem

        given: dict[str, object] = {}
        for column, position, field, read, memo in self.optional:
            cell = cells[position]
            if cell is None or cell == "" or (cell.__class__ is str and cell.isspace()):
                continue
            if memo is not None:
                key = cell if cell.__class__ is str else (cell.__class__, cell)
                found = memo.get(key)
                if found is None:
                    try:
                        found = memo[key] = (True, read(cell))
                    except CellError as error:
                        found = memo[key] = (False, str(error))
                if found[0]:
                    given[field] = found[1]
                else:
                    errors[column] = found[1]
                continue
            try:
                given[field] = read(cell)
            except CellError as error:
                errors[column] = str(error)

        if "national_code" in given and "kode_hs" not in errors:
            problem = checks.national_code_problem(given["national_code"], row.hs)
            if problem:
                errors["kode_btki"] = problem

        name_key = name.lower()
        row.bumdes_key = bumdes_key = (row.village, self._name_key(bumdes_name))
        bumdes = None
        if "kode_desa" not in errors and "nama_bumdes" not in errors:
            row.bumdes = bumdes = self.lookups.bumdes.get(bumdes_key, NEW_BUMDES)
        if hs_missing and not name:
            errors["kode_hs"] = self.no_hs
        elif hs_missing:
            # No code: the product the BUMDes has by this name, else what the name suggests.
            if bumdes is not None and bumdes.id is not None:
                same_name = self.lookups.by_name.get((bumdes.id, name_key), ())
                if len(same_name) == 1:
                    row.hs = same_name[0]
            if not row.hs:
                self._suggest_hs(row, cells)
        if row.village and bumdes_name and name and row.hs:
            row.key = (row.village, bumdes_key[1], name_key, row.hs)
        if bumdes is None:
            return row  # the BUMDes cannot be found without its village and name
        if bumdes.id is not None and "nama_produk" not in errors and "kode_hs" not in errors:
            row.existing = self.lookups.products.get((bumdes.id, name_key, row.hs))
        existing = row.existing
        if existing is not None:
            row.suggested.clear()  # the product keeps its own code: nothing suggested to it
        if existing is None:
            if "form" not in given and "bentuk" not in errors:
                self._suggest_choice(row, cells, given, "bentuk", "form")
                if "form" not in given:
                    errors["bentuk"] = self.form_required
            if "unit" not in given and "satuan" not in errors:
                self._suggest_choice(row, cells, given, "satuan", "unit")
            if errors:
                return row
            values = dict(DEFAULTS)
            values.update(given)
            row.values = values
            row.action = CREATE
            if self.record_changes:
                row.changes = {"name_id": [None, name], "hs_code": [None, row.hs]}
                for field, value in given.items():
                    row.changes[field] = [None, display(value)]
            return row
        if errors:
            return row
        old = existing.values
        changes: dict[str, list | None] = {}
        for field, value in given.items():
            before = old[INDEX[field]]
            if before != value:
                changes[field] = [display(before), display(value)] if self.record_changes else None
        if not changes:
            row.action = UNCHANGED
            return row
        values = dict(zip(UPDATABLE, old, strict=True))
        values.update(given)
        row.values = values
        row.changes = changes
        row.action = UPDATE
        if existing.status == EXPORT_READY:
            row.material = [f for f in MATERIAL if f in changes]
        return row


FACTS = (
    "hs_code",
    "form",
    "destinations",
    "valid_certificates",
    "bumdes_nib",
    "bumdes_npwp",
    "bumdes_legal_entity",
    "bumdes_verified",
    "has_photo",
    "has_price",
    "has_capacity",
    "has_harvest_calendar",
    "has_packaging",
    "has_english",
    "specification",
    "template_fields",
)


class Scorer:
    """The readiness score a row's product will have, as the services compute it.

    Products that share their facts share their score, so each distinct case is evaluated once.
    """

    def __init__(self, lookups: Lookups) -> None:
        self.lookups = lookups
        self._scores: dict[tuple, int] = {}

    def score(self, row: Row) -> int:
        """The readiness score the row's product will have (rules as the services apply them)."""
        values = row.values
        bumdes = row.bumdes or NEW_BUMDES
        product_id = row.existing.id if row.existing else None
        lookups = self.lookups
        empty = frozenset()
        fields = (
            row.hs,
            values["form"],
            lookups.destinations.get(product_id, empty),
            lookups.certificates.get(product_id, empty),
            bumdes.nib,
            bumdes.npwp,
            bumdes.legal_entity,
            bumdes.verified,
            product_id in lookups.photos,
            values["price"] is not None,
            bool(values["capacity_per_month"]),
            values["available_months"] not in (0,),
            bool(values["packaging"]),
            bool(values["name_en"] and values["description_en"]),
            lookups.specifications.get(product_id, ()) if product_id else (),
            lookups.template_fields(row.hs) if row.hs else frozenset(),
        )
        score = self._scores.get(fields)
        if score is None:
            named = dict(zip(FACTS, fields, strict=True))
            named["specification"] = dict(named["specification"])
            facts = ProductFacts(**named)
            score = self._scores[fields] = evaluate(facts, lookups.rules).score
        return score


#: The longest BUMDes or product name (the models' ``max_length``).
NAME_LENGTH = 200
#: How much of a cell the report keeps (the row's own error says when a value is too long).
REPORTED_LENGTH = 300
#: ... and of a message about a cell (which may quote it).
REPORTED_MESSAGE_LENGTH = 1000
