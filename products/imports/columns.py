"""The import template: its Indonesian column names and how each cell is read.

Every reader here is pure: it takes the cell as the file gave it (text, or a number or date from
an XLSX cell) and returns the value to store, or raises ``CellError`` with the message a person
should read (rendered in the active language).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.core.validators import TEXT_LENGTH
from products.checks import months_to_mask
from products.models import ALL_MONTHS, CommodityForm, Incoterm, Unit


class CellError(ValueError):
    """A cell that cannot be read; ``str(error)`` is the message for the person."""


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: Promise
    example: str


COLUMNS: list[Column] = [
    Column(
        "kode_desa",
        True,
        gettext_lazy("Kemendagri village code, with or without dots; a desa, not a kelurahan."),
        "74.02.05.2001",
    ),
    Column(
        "nama_bumdes",
        True,
        gettext_lazy(
            "Name of the BUMDes; created as a draft if the village has none by this name."
        ),
        "BUMDes Mina Sejahtera",
    ),
    Column(
        "nama_produk", True, gettext_lazy("Product name in Indonesian."), "Kepiting bakau hidup"
    ),
    Column("nama_produk_en", False, gettext_lazy("Product name in English."), "Live mud crab"),
    Column(
        "kode_hs",
        False,
        gettext_lazy(
            "HS 2022 subheading, 6 digits, with or without the dot. Left empty, the portal "
            "suggests one from the product's name, for you to accept."
        ),
        "0306.33",
    ),
    Column(
        "kode_btki",
        False,
        gettext_lazy("National tariff code (BTKI), 8 digits starting with the HS code."),
        "03063310",
    ),
    Column(
        "bentuk",
        False,
        gettext_lazy(
            "Commodity form: hidup, segar, beku, kering or olahan (or live, fresh, frozen, "
            "dried, processed). Left empty for a new product, the portal suggests one."
        ),
        "hidup",
    ),
    Column(
        "satuan",
        False,
        gettext_lazy(
            "Unit: kg, g, kuintal, ton, liter, ml, buah, lusin, pak, kotak, botol or karung. "
            "Default kg."
        ),
        "kg",
    ),
    Column(
        "kapasitas_per_bulan",
        False,
        gettext_lazy("Production capacity per month, in the unit. 1.500,5 or 1500.5."),
        "1.500",
    ),
    Column(
        "bulan_tersedia",
        False,
        gettext_lazy(
            "Months available: numbers or names with ranges, e.g. 1-3,7,12 or Jan-Mar. "
            "Empty for a new product: all year."
        ),
        "Jan-Mar, 7, 12",
    ),
    Column("minimal_order", False, gettext_lazy("Minimum order, in the unit."), "100"),
    Column("harga", False, gettext_lazy("Indicative price per unit."), "12,5"),
    Column(
        "mata_uang", False, gettext_lazy("Currency of the price, 3 letters. Default USD."), "USD"
    ),
    Column("incoterm", False, gettext_lazy("Incoterm of the price. Default FOB."), "FOB"),
    Column("kemasan", False, gettext_lazy("Export packaging."), "Kotak styrofoam 10 kg"),
    Column("deskripsi", False, gettext_lazy("Description in Indonesian."), ""),
    Column("deskripsi_en", False, gettext_lazy("Description in English."), ""),
]
COLUMN_NAMES = [c.name for c in COLUMNS]
REQUIRED = [c.name for c in COLUMNS if c.required]
#: What identifies a product in a file: village, BUMDes, product name and HS code (which the
#: portal suggests where the file has none).
KEY_COLUMNS = ("kode_desa", "nama_bumdes", "nama_produk", "kode_hs")
#: The columns whose missing value the portal suggests from the product's name.
SUGGESTED_COLUMNS = ("kode_hs", "bentuk", "satuan")

# Header names people use for the template's columns (after ``normalize_header``): ministry
# lists, regional spreadsheets, English exports.
HEADER_SYNONYMS = {
    "kode_desa": (
        "kd_desa kode_wilayah kode_wilayah_desa kode_desa_kelurahan kode_kelurahan_desa "
        "village_code kode_kemendagri id_desa desa_kode kode_desa_kemendagri"
    ),
    "nama_bumdes": (
        "bumdes nama_bum_desa bum_desa bumdes_name nama_badan_usaha_milik_desa "
        "badan_usaha_milik_desa nama_bumdesa bumdesa"
    ),
    "nama_produk": (
        "produk nama_produk_unggulan produk_unggulan komoditas nama_komoditas "
        "komoditas_unggulan product product_name nama_barang jenis_produk nama_produk_id "
        "produk_unggulan_desa"
    ),
    "nama_produk_en": "product_name_en nama_produk_inggris nama_inggris english_name name_en",
    "kode_hs": "hs hs_code kode_hs_2022 hscode kode_hs6 hs6 pos_tarif hs_2022",
    "kode_btki": "btki kode_btki_2022 hs8 kode_hs8 national_code",
    "bentuk": "bentuk_komoditas form commodity_form bentuk_produk",
    "satuan": "unit satuan_produk uom",
    "kapasitas_per_bulan": (
        "kapasitas kapasitas_produksi kapasitas_produksi_per_bulan produksi_per_bulan capacity "
        "capacity_per_month volume_per_bulan produksi"
    ),
    "bulan_tersedia": "bulan_panen musim_panen available_months bulan months",
    "minimal_order": "min_order minimum_order moq pesanan_minimum",
    "harga": "price harga_satuan harga_per_satuan",
    "mata_uang": "currency",
    "kemasan": "packaging jenis_kemasan",
    "deskripsi": "keterangan uraian deskripsi_produk description",
    "deskripsi_en": "description_en deskripsi_inggris",
}
_HEADER_NAMES = {name: name for name in COLUMN_NAMES} | {
    variant: name for name, variants in HEADER_SYNONYMS.items() for variant in variants.split()
}


def guess_column(header) -> str:
    """The template column a header names (``Kode Desa``, ``KODE_DESA``, ``kd_desa`` →
    ``kode_desa``; ``Nama Produk Unggulan`` → ``nama_produk``; ``Kode HS (6 digit)`` →
    ``kode_hs``), or "" if none."""
    name = normalize_header(header)
    if not name:
        return ""
    found = _HEADER_NAMES.get(name)
    if found:
        return found
    # A known name followed by a qualifier: the longest known name that starts it.
    starts = [known for known in _HEADER_NAMES if name.startswith(known + "_")]
    return _HEADER_NAMES[max(starts, key=len)] if starts else ""


# Column -> product field, for the columns that are not part of the natural key.
FIELD_OF = {
    "nama_produk_en": "name_en",
    "kode_btki": "national_code",
    "bentuk": "form",
    "satuan": "unit",
    "kapasitas_per_bulan": "capacity_per_month",
    "bulan_tersedia": "available_months",
    "minimal_order": "min_order",
    "harga": "price",
    "mata_uang": "currency",
    "incoterm": "incoterm",
    "kemasan": "packaging",
    "deskripsi": "description_id",
    "deskripsi_en": "description_en",
}
COLUMN_OF = {field: column for column, field in FIELD_OF.items()} | {
    "name_id": "nama_produk",
    "hs_code": "kode_hs",
}

FORMS = {
    "hidup": CommodityForm.LIVE,
    "segar": CommodityForm.FRESH,
    "beku": CommodityForm.FROZEN,
    "kering": CommodityForm.DRIED,
    "olahan": CommodityForm.PROCESSED,
} | {value: value for value in CommodityForm.values}

UNITS = {
    "kg": Unit.KG,
    "kilogram": Unit.KG,
    "g": Unit.GRAM,
    "gr": Unit.GRAM,
    "gram": Unit.GRAM,
    "kuintal": Unit.QUINTAL,
    "kwintal": Unit.QUINTAL,
    "quintal": Unit.QUINTAL,
    "ton": Unit.TON,
    "liter": Unit.LITRE,
    "litre": Unit.LITRE,
    "l": Unit.LITRE,
    "ml": Unit.MILLILITRE,
    "mililiter": Unit.MILLILITRE,
    "buah": Unit.PIECE,
    "biji": Unit.PIECE,
    "ekor": Unit.PIECE,
    "piece": Unit.PIECE,
    "pcs": Unit.PIECE,
    "lusin": Unit.DOZEN,
    "dozen": Unit.DOZEN,
    "pak": Unit.PACK,
    "pack": Unit.PACK,
    "kotak": Unit.BOX,
    "box": Unit.BOX,
    "botol": Unit.BOTTLE,
    "bottle": Unit.BOTTLE,
    "karung": Unit.SACK,
    "sack": Unit.SACK,
}
INCOTERMS = frozenset(Incoterm.values)
# Plain strings (not enum members) for speed in the row loop.
_FORM_VALUES = {word: str(getattr(form, "value", form)) for word, form in FORMS.items()}
_UNIT_VALUES = {word: str(getattr(unit, "value", unit)) for word, unit in UNITS.items()}
UNIT_WORDS = "kg, g, kuintal, ton, liter, ml, buah, lusin, pak, kotak, botol, karung"

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "januari", "january"),
            ("feb", "februari", "february", "pebruari"),
            ("mar", "maret", "march"),
            ("apr", "april"),
            ("mei", "may"),
            ("jun", "juni", "june"),
            ("jul", "juli", "july"),
            ("agu", "agt", "ags", "agustus", "aug", "august"),
            ("sep", "sept", "september"),
            ("okt", "oktober", "oct", "october"),
            ("nov", "nopember", "november"),
            ("des", "desember", "dec", "december"),
        ],
        start=1,
    )
    for name in names
}
ALL_YEAR = {"semua", "sepanjang tahun", "all", "all year", "all year round", "jan-des"}

MAX_TEXT = {
    "nama_bumdes": 200,
    "nama_produk": 200,
    "nama_produk_en": 200,
    "kemasan": 200,
    # What the forms and the API allow a text without a length of its own.
    "deskripsi": TEXT_LENGTH,
    "deskripsi_en": TEXT_LENGTH,
}
# Decimal places and the largest value each amount column holds (DecimalField(14, places)).
AMOUNTS = {
    "kapasitas_per_bulan": 3,
    "minimal_order": 3,
    "harga": 2,
}


def normalize_header(value) -> str:
    text = str(value or "").replace("\ufeff", "").strip().strip('"').strip().lower()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def text(value) -> str:
    """A trimmed cell with inner runs of whitespace made one space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def name_key(value: str) -> str:
    """How names are compared: trimmed, single-spaced, case-insensitive."""
    return " ".join(value.split()).lower()


def region_code_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def hs_code_text(value) -> str:
    """The HS code as digits, mending what spreadsheets do to leading zeros.

    ``0306.33`` typed into a number cell arrives as 306.33, and ``030633`` as 30633.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            value = int(value)
        else:
            return f"{value:07.2f}".replace(".", "")
    if isinstance(value, int):
        digits = str(value)
        return digits.zfill(len(digits) + 1) if len(digits) % 2 else digits
    raw = str(value).strip()
    match = re.fullmatch(r"(\d{1,4})[.\s](\d{1,2})(?:[.\s](\d{1,2}))?", raw)
    if match:
        head, sub, national = match.groups()
        return head.zfill(4) + sub.zfill(2) + (national.zfill(2) if national else "")
    digits = raw.replace(".", "").replace(" ", "")
    if digits.isdigit() and len(digits) in (1, 3, 5, 7):
        digits = "0" + digits
    return digits


_PLAIN = re.compile(r"\d+")
_INDONESIAN = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d+,\d+")
_ENGLISH = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+")
_THOUSANDS_DOT = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")


def parse_number(value) -> Decimal:
    """Indonesian (``1.500,5``, ``12.000``, ``2,5``) and plain (``2500.5``) numbers.

    A single dot followed by exactly three digits groups thousands, as in Indonesian writing
    (``12.000`` is twelve thousand); any other single dot is a decimal point.
    """
    if value.__class__ is str and value.isdigit():
        return Decimal(value)
    if isinstance(value, bool):
        raise CellError(_("%(value)s is not a number.") % {"value": value})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raw = str(value).strip().replace("\u00a0", "").replace(" ", "")
    number = raw[1:] if raw.startswith("-") else raw
    if _PLAIN.fullmatch(number):
        result = number
    elif _THOUSANDS_DOT.fullmatch(number):
        result = number.replace(".", "")
    elif _INDONESIAN.fullmatch(number):
        result = number.replace(".", "").replace(",", ".")
    elif _ENGLISH.fullmatch(number):
        result = number.replace(",", "")
    else:
        raise CellError(
            _("%(value)s is not a number; write e.g. 1.500,5 or 1500.5.") % {"value": raw}
        )
    try:
        parsed = Decimal(result)
    except InvalidOperation:  # pragma: no cover - the patterns above admit only digits
        raise CellError(_("%(value)s is not a number.") % {"value": raw}) from None
    return -parsed if raw.startswith("-") else parsed


_QUANTUM = {places: Decimal(1).scaleb(-places) for places in (2, 3)}
_LIMIT = {places: Decimal(10) ** (14 - places) for places in (2, 3)}


def parse_amount(value, places: int) -> Decimal:
    number = parse_number(value)
    if number < 0:
        raise CellError(_("Enter zero or more."))
    number = number.quantize(_QUANTUM[places])
    if number >= _LIMIT[places]:
        raise CellError(
            _("Too large: at most %(digits)d digits before the decimal point.")
            % {"digits": 14 - places}
        )
    return number


def _month(word: str, raw: str) -> int:
    if word.isdigit():
        number = int(word)
        if 1 <= number <= 12:
            return number
    elif word in MONTHS:
        return MONTHS[word]
    elif word[:3] in MONTHS and len(word) > 3 and any(n.startswith(word) for n in MONTHS):
        return MONTHS[word[:3]]
    raise CellError(
        _("%(value)s is not a list of months; write e.g. 1-3,7,12 or Jan-Mar.") % {"value": raw}
    )


def parse_months(value) -> int:
    """``1-3,7,12``, ``Jan-Mar, Jul`` or ``Nov-Feb`` (wrapping the year) to a bitmask."""
    if isinstance(value, datetime | date):
        raise CellError(
            _("The months arrived as a date; format the cell as text and write e.g. Jan-Mar.")
        )
    if isinstance(value, int | float) and float(value).is_integer():
        value = str(int(value))
    raw = " ".join(str(value).split())
    lowered = raw.lower().replace("\u2013", "-").replace("\u2014", "-").replace("s.d.", "-")
    lowered = re.sub(r"\s*-\s*", "-", lowered)
    if lowered in ALL_YEAR:
        return ALL_MONTHS
    months: list[int] = []
    for part in re.split(r"[,;/\s]+", lowered):
        if not part:
            continue
        if "-" in part:
            first, _sep, last = part.partition("-")
            start, end = _month(first, raw), _month(last, raw)
            span = (end - start) % 12
            months += [(start - 1 + i) % 12 + 1 for i in range(span + 1)]
        else:
            months.append(_month(part, raw))
    if not months:
        raise CellError(
            _("%(value)s is not a list of months; write e.g. 1-3,7,12 or Jan-Mar.") % {"value": raw}
        )
    return months_to_mask(months)


def parse_form(value: str) -> str:
    form = _FORM_VALUES.get(value.lower())
    if form is None:
        raise CellError(
            _("Unknown commodity form %(value)s; use hidup, segar, beku, kering or olahan.")
            % {"value": value}
        )
    return form


def parse_unit(value: str) -> str:
    unit = _UNIT_VALUES.get(value.lower().rstrip("."))
    if unit is None:
        raise CellError(
            _("Unknown unit %(value)s; use one of: %(units)s.")
            % {"value": value, "units": UNIT_WORDS}
        )
    return unit


def parse_currency(value: str) -> str:
    code = value.upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise CellError(_("A currency is a 3-letter code such as USD or IDR."))
    return code


def parse_incoterm(value: str) -> str:
    term = value.upper()
    if term not in INCOTERMS:
        raise CellError(
            _("Unknown Incoterm %(value)s; use one of: %(terms)s.")
            % {"value": value, "terms": ", ".join(Incoterm.values)}
        )
    return term


def parse_national_code(value) -> str:
    return hs_code_text(value)
