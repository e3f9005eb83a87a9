"""Loading the national reference data. Every loader is idempotent: a second run changes nothing.

Loaders diff the file against what is stored and write only the difference, in bulk, inside one
transaction, so a reload of the 91,599 regions takes seconds and a failed load leaves the old
data intact.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ForeignKey
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bumdes_export.reference.models import (
    Country,
    DisadvantagedDesignation,
    ExportGateway,
    HsAlias,
    HsCode,
    HsSection,
    ReferenceLoad,
    Region,
)

#: A regency centre's latitude and longitude (either may be missing from the file).
Coordinates = tuple[Decimal | None, Decimal | None]

CURRENT_WILAYAH_EDITION = "Kepmendagri 300.2.2-2430/2025"
BATCH = 2000


@dataclass
class LoadResult:
    dataset: str
    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    details: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "dataset": self.dataset,
            "created": self.created,
            "updated": self.updated,
            "retired": self.retired,
            "unchanged": self.unchanged,
            **self.details,
        }


def data_path(name: str) -> Path:
    return Path(settings.REFERENCE_DATA_DIR) / name


def read_csv(path: Path | str) -> Iterator[dict[str, str]]:
    """Rows of a CSV file, plain or gzip-compressed, with a BOM tolerated."""
    path = Path(path)
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    yield from csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))


# --- Regions ---------------------------------------------------------------------------------


def region_level(code: str) -> int:
    return {2: 1, 5: 2, 8: 3, 13: 4}[len(code)]


def region_kind(code: str, name: str, level: int) -> str:
    if level == Region.Level.REGENCY:
        return (
            Region.Kind.KOTA if name.strip().upper().startswith("KOTA") else Region.Kind.KABUPATEN
        )
    if level == Region.Level.VILLAGE:
        # The last segment tells: 1xxx is a kelurahan, 2xxx a desa.
        return Region.Kind.KELURAHAN if code[-4] == "1" else Region.Kind.DESA
    return Region.Kind.NONE


def _parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _coord(value: str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(value).quantize(Decimal("0.000001"))


@transaction.atomic
def load_regions(
    rows: Iterable[dict[str, str]],
    *,
    edition: str,
    coordinates: dict[str, Coordinates] | None = None,
) -> LoadResult:
    """Bring the stored regions in line with one edition of the Kemendagri codes.

    New codes are created, changed names (or coordinates) updated, codes absent from the edition
    retired, and retired codes that reappear revived. Nothing is deleted.
    """
    coordinates = coordinates or {}
    incoming: dict[str, Region] = {}
    for row in rows:
        code = row["kode"].strip()
        name = " ".join(row["nama"].split())
        level = region_level(code)
        lat, lon = coordinates.get(code, (None, None))
        incoming[code] = Region(
            code=code,
            name=name,
            level=level,
            parent_id=_parent_code(code),
            kind=region_kind(code, name, level),
            latitude=lat,
            longitude=lon,
        )

    existing = {
        r[0]: r
        for r in Region.objects.values_list(
            "code", "name", "kind", "latitude", "longitude", "retired_at"
        )
    }
    now = timezone.now()
    result = LoadResult(dataset="regions")
    to_create: list[Region] = []
    to_update: list[Region] = []
    for code, region in incoming.items():
        old = existing.get(code)
        if old is None:
            to_create.append(region)
            continue
        _, name, kind, lat, lon, retired_at = old
        if region.latitude is None and code not in coordinates:
            region.latitude, region.longitude = lat, lon
        if (name, kind, lat, lon, retired_at) == (
            region.name,
            region.kind,
            region.latitude,
            region.longitude,
            None,
        ):
            result.unchanged += 1
        else:
            region.retired_at = None
            to_update.append(region)

    # Parents first: a new village may hang under a new district.
    to_create.sort(key=lambda r: (r.level, r.code))
    Region.objects.bulk_create(to_create, batch_size=BATCH)
    Region.objects.bulk_update(
        to_update,
        ["name", "kind", "latitude", "longitude", "retired_at"],
        batch_size=BATCH,
    )
    vanished = [code for code, old in existing.items() if code not in incoming and old[5] is None]
    for start in range(0, len(vanished), BATCH):
        Region.objects.filter(code__in=vanished[start : start + BATCH]).update(retired_at=now)

    result.created, result.updated, result.retired = len(to_create), len(to_update), len(vanished)
    _record(result, edition)
    return result


def read_regency_coordinates(path: Path | str) -> dict[str, Coordinates]:
    return {
        row["kode"].strip(): (_coord(row["latitude"]), _coord(row["longitude"]))
        for row in read_csv(path)
    }


# --- Disadvantaged regions -------------------------------------------------------------------


@transaction.atomic
def load_disadvantaged(
    rows: Iterable[dict[str, str]], *, period_start: int, period_end: int, legal_basis: str
) -> LoadResult:
    result = LoadResult(dataset="disadvantaged")
    for row in rows:
        _, created = DisadvantagedDesignation.objects.update_or_create(
            region_id=row["kode"].strip(),
            period_start=period_start,
            defaults={"period_end": period_end, "legal_basis": legal_basis},
        )
        if created:
            result.created += 1
        else:
            result.unchanged += 1
    return result


#: The columns of a designation file, as shipped (``daerah_tertinggal_2020_2024.csv.gz``).
DESIGNATION_COLUMNS = ("kode", "nama", "provinsi")


@dataclass(frozen=True)
class RowProblem:
    row: int
    code: str
    message: str


class DesignationFileError(ValidationError):
    """A designation file refused as a whole, with what is wrong on which row."""

    def __init__(self, message: str, problems: list[RowProblem] | None = None) -> None:
        super().__init__({"file": message})
        self.problems = problems or []


def import_designation(
    content: bytes, *, period_start: int, period_end: int, legal_basis: str
) -> LoadResult:
    """Load a newer designation of disadvantaged regencies from a CSV file in the shipped format
    (columns kode, nama, provinsi; one regency per row). All or nothing: any row that does not
    name a current regency refuses the whole file, with a report of every such row."""
    errors: dict[str, str] = {}
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        errors["legal_basis"] = _("Name the decree (e.g. Perpres 63/2020).")
    if not 2000 <= period_start <= 2100 or not 2000 <= period_end <= 2100:
        errors["period_start"] = _("Give the years of the period.")
    elif period_end < period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DesignationFileError(
            _("The file is not UTF-8 text (save it as CSV UTF-8).")
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in DESIGNATION_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DesignationFileError(
            _("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows = list(reader)
    if not rows:
        raise DesignationFileError(_("The file names no regency."))
    current = set(
        Region.objects.filter(level=Region.Level.REGENCY, retired_at__isnull=True).values_list(
            "code", flat=True
        )
    )
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        code = (row.get("kode") or "").strip()
        if code not in current:
            problems.append(RowProblem(number, code, _("not a current regency code")))
        elif code in seen:
            problems.append(RowProblem(number, code, _("named twice")))
        seen.add(code)
    if problems:
        raise DesignationFileError(
            ngettext(
                "%(n)d row does not name a current regency; nothing was loaded.",
                "%(n)d rows do not name a current regency; nothing was loaded.",
                len(problems),
            )
            % {"n": len(problems)},
            problems,
        )
    with transaction.atomic():
        return load_disadvantaged(
            rows, period_start=period_start, period_end=period_end, legal_basis=legal_basis
        )


# --- HS codes --------------------------------------------------------------------------------


def _is_placeholder(row: dict[str, str]) -> bool:
    # Section TOTAL holds UN Comtrade's statistical rows (chapter 99, 9999, 999999, TOTAL).
    return row["section"].strip() == "TOTAL" or row["hscode"].strip() == "TOTAL"


@transaction.atomic
def load_hs(
    sections: Iterable[dict[str, str]],
    codes: Iterable[dict[str, str]],
    aliases: Iterable[dict[str, str]],
) -> LoadResult:
    result = LoadResult(dataset="hs")
    stored_sections = dict(HsSection.objects.values_list("code", "name"))
    for row in sections:
        code, name = row["section"].strip(), row["name"].strip()
        if stored_sections.get(code) != name:
            HsSection.objects.update_or_create(code=code, defaults={"name": name})

    incoming = []
    for row in codes:
        if _is_placeholder(row):
            continue
        code = row["hscode"].strip()
        level = int(row["level"])
        incoming.append(
            HsCode(
                code=code,
                level=level,
                description=row["description"].strip(),
                parent_id=None if level == 2 else row["parent"].strip(),
                section_id=row["section"].strip(),
            )
        )
    existing = {
        c: (lvl, d, p, s)
        for c, lvl, d, p, s in HsCode.objects.values_list(
            "code", "level", "description", "parent_id", "section_id"
        )
    }
    to_create = [c for c in incoming if c.code not in existing]
    to_update = [
        c
        for c in incoming
        if c.code in existing
        and existing[c.code] != (c.level, c.description, c.parent_id, c.section_id)
    ]
    to_create.sort(key=lambda c: (c.level, c.code))
    HsCode.objects.bulk_create(to_create, batch_size=BATCH)
    HsCode.objects.bulk_update(
        to_update, ["level", "description", "parent", "section"], batch_size=BATCH
    )
    result.created, result.updated = len(to_create), len(to_update)
    result.unchanged = len(incoming) - len(to_create) - len(to_update)

    stored_aliases = set(HsAlias.objects.values_list("term", "language", "hs_code_id"))
    new_aliases = []
    for row in aliases:
        code = row["hscode"].strip()
        note = row.get("catatan", "").strip()
        for term, language in ((row["istilah"], "id"), (row["term_en"], "en")):
            key = (term.strip().lower(), language, code)
            if term.strip() and key not in stored_aliases:
                stored_aliases.add(key)
                new_aliases.append(
                    HsAlias(
                        term=key[0],
                        language=language,
                        hs_code_id=code,
                        note=note,
                        from_reference=True,
                    )
                )
    HsAlias.objects.bulk_create(new_aliases)
    result.details["aliases_created"] = len(new_aliases)
    _record(result, "HS 2022")
    return result


# --- Countries and gateways ------------------------------------------------------------------


@transaction.atomic
def load_countries() -> LoadResult:
    # pycountry's and Babel's data are large; only this loader (a command, a background job)
    # needs them, not the web process that imports this module for its other services.
    import pycountry
    from babel import Locale

    names_id = Locale("id").territories
    names_en = Locale("en").territories
    result = LoadResult(dataset="countries")
    stored = {c.code: (c.alpha3, c.numeric, c.name_id, c.name_en) for c in Country.objects.all()}
    for country in pycountry.countries:
        code = country.alpha_2
        name_en = names_en.get(code) or getattr(country, "common_name", None) or country.name
        values = (country.alpha_3, country.numeric, names_id.get(code) or name_en, name_en)
        if stored.get(code) == values:
            result.unchanged += 1
            continue
        Country.objects.update_or_create(
            code=code,
            defaults=dict(zip(("alpha3", "numeric", "name_id", "name_en"), values, strict=True)),
        )
        result.created += code not in stored
        result.updated += code in stored
    return result


@transaction.atomic
def load_gateways(rows: Iterable[dict[str, str]]) -> LoadResult:
    result = LoadResult(dataset="gateways")
    for row in rows:
        values = {
            "name": row["name"].strip(),
            "kind": row["kind"].strip(),
            "province_id": row["province_kode"].strip(),
            "latitude": _coord(row["latitude"]),
            "longitude": _coord(row["longitude"]),
        }
        gateway = ExportGateway.objects.filter(code=row["code"].strip()).first()
        if gateway is None:
            ExportGateway.objects.create(code=row["code"].strip(), **values)
            result.created += 1
        elif any(getattr(gateway, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(gateway, k, v)
            gateway.save()
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def load_steps(
    *, wilayah: Path | None = None, edition: str | None = None
) -> list[tuple[str, Callable[[], LoadResult]]]:
    """The loaders of every shipped data set, in dependency order, ready to call one by one."""
    return [
        (
            "regions",
            lambda: load_regions(
                read_csv(wilayah or data_path("wilayah.csv.gz")),
                edition=edition or CURRENT_WILAYAH_EDITION,
                coordinates=read_regency_coordinates(data_path("regency_coordinates.csv.gz")),
            ),
        ),
        (
            "disadvantaged",
            lambda: load_disadvantaged(
                read_csv(data_path("daerah_tertinggal_2020_2024.csv.gz")),
                period_start=2020,
                period_end=2024,
                legal_basis="Perpres 63/2020",
            ),
        ),
        (
            "hs",
            lambda: load_hs(
                read_csv(data_path("sections.csv.gz")),
                read_csv(data_path("harmonized-system.csv.gz")),
                read_csv(data_path("komoditas_hs.csv.gz")),
            ),
        ),
        ("countries", load_countries),
        ("gateways", lambda: load_gateways(read_csv(data_path("export_gateways.csv.gz")))),
    ]


def load_all(*, wilayah: Path | None = None, edition: str | None = None) -> list[LoadResult]:
    """Load every reference data set shipped with the portal (or a given regions file)."""
    return [step() for _, step in load_steps(wilayah=wilayah, edition=edition)]


def _record(result: LoadResult, edition: str) -> None:
    if result.created or result.updated or result.retired:
        ReferenceLoad.objects.create(
            dataset=result.dataset,
            edition=edition,
            created=result.created,
            updated=result.updated,
            retired=result.retired,
            unchanged=result.unchanged,
        )


# --- Retired codes ---------------------------------------------------------------------------


def region_foreign_keys() -> list[ForeignKey]:
    """Every foreign key in the project that points at a region, wherever its model lives."""
    return [
        rel.field
        for rel in Region._meta.related_objects
        if isinstance(rel.field, ForeignKey) and rel.related_model is not Region
    ]


class RegionMoveError(ValidationError):
    """A move the rules refuse, with the message on the field (``old`` or ``new``) it is about."""


@transaction.atomic
def move_region_references(*, old: Region, new: Region) -> int:
    """Point every record that refers to the retired region ``old`` at the current ``new`` (of
    the same level)."""
    if not old.is_retired:
        raise RegionMoveError({"old": _("This is not a retired region code.")})
    if new.is_retired:
        raise RegionMoveError(
            {"new": _("There is no current region with the code %(code)s.") % {"code": new.code}}
        )
    if new.level != old.level:
        raise RegionMoveError(
            {"new": _("The new region must be of the same level as the retired one.")}
        )
    moved = 0
    for fk in region_foreign_keys():
        moved += fk.model._default_manager.filter(**{fk.name: old}).update(**{fk.name: new})
    return moved
