"""What the catalogue shows, as plain data: the same dictionaries feed the API and the pages.

Contact details appear only in ``product_data(..., contacts=...)`` when the caller decided the
reader may see them (``access.may_see_contacts``); nothing else here reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from products.catalogue import selectors
from products.catalogue.selectors import CatalogueQuery, Facets
from products.models import UNIT_BASE, Product, ReadinessRule, Unit
from products.readiness import applies, is_met, markets
from products.readiness.selectors import catalogue_destinations
from products.selectors import active_rules, facts_of


def pick(language: str, indonesian: str, english: str) -> str:
    """The text in the reader's language, else the other one."""
    if (language or "id").startswith("en"):
        return english or indonesian
    return indonesian or english


def only_in_indonesian(product: Product, language: str) -> list[str]:
    """The product's texts a reader of ``language`` sees in Indonesian, for want of a version
    in their language: the page says so beside each. Packaging is recorded in Indonesian only."""
    if (language or "id").startswith("id"):
        return []
    texts = {
        "name": bool(product.name_id and not product.name_en),
        "description": bool(product.description_id and not product.description_en),
        "packaging": bool(product.packaging),
    }
    return [name for name, untranslated in texts.items() if untranslated]


def number(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def media_url(name: str) -> str | None:
    return default_storage.url(name) if name else None


@dataclass
class Reading:
    """What every row of one response shares: language, today, reference names, URL maker."""

    language: str
    absolute: Callable[[str], str] = field(default=lambda url: url)
    today: date = field(default_factory=timezone.localdate)

    def __post_init__(self):
        self.disadvantaged = selectors.disadvantaged_regencies(self.today)
        self.certificate_names = selectors.certificate_types()
        self.country_names = selectors.countries()
        self.month_bit = selectors.month_bit(self.today)
        self.forms = {k: str(v) for k, v in selectors.forms().items()}
        self.units = {k: str(v) for k, v in Unit.choices}
        # Item URLs are the list URLs plus the id (one reverse() per response, not per item).
        self.api_prefix = self.absolute(reverse("api-catalogue"))
        self.page_prefix = self.absolute(reverse("catalogue:list"))

    def country(self, code: str) -> str:
        names = self.country_names.get(code, {})
        return pick(self.language, names.get("id", code), names.get("en", code))

    def certificate(self, code: str) -> dict[str, str]:
        names = self.certificate_names.get(code, {})
        return {
            "code": code,
            "name": pick(self.language, names.get("id", ""), names.get("en", code)),
        }

    def url(self, value: str | None) -> str | None:
        return self.absolute(value) if value else None


def _place(code: str, name: str) -> dict[str, str]:
    return {"code": code, "name": name}


def entry_data(entry: dict, reading: Reading) -> dict:
    """One result of the catalogue list (``entry``: the ``selectors.LIST_COLUMNS`` of a
    ``CatalogueEntry``)."""
    pk = entry["product_id"]
    months = entry["available_months"]
    return {
        "id": pk,
        "name": pick(reading.language, entry["name_id"], entry["name_en"]),
        "name_id": entry["name_id"],
        "name_en": entry["name_en"],
        "bumdes": {"id": entry["bumdes_id"], "name": entry["bumdes_name"]},
        "village": _place(entry["village_code"], entry["village_name"]),
        "regency": _place(entry["regency_code"], entry["regency_name"]),
        "province": _place(entry["province_code"], entry["province_name"]),
        "hs_code": entry["hs_code"],
        "hs_chapter": entry["hs_chapter"],
        "form": entry["form"],
        "form_label": reading.forms.get(entry["form"], entry["form"]),
        "capacity_per_month": number(entry["capacity_per_month"]),
        "unit": entry["unit"],
        "unit_label": reading.units.get(entry["unit"], entry["unit"]),
        "capacity_base": number(entry["capacity_base"]),
        "base_unit": entry["base_unit"],
        "available_months": selectors.months_of(months),
        "available_this_month": bool(months & reading.month_bit),
        "certificates": [
            reading.certificate(code) for code in entry["certificates"].split("|") if code
        ],
        "ready_for": [
            {"code": code, "name": reading.country(code)}
            for code in entry.get("ready_for", "").split("|")
            if code
        ],
        "disadvantaged": entry["regency_code"] in reading.disadvantaged,
        "readiness_score": entry["readiness_score"],
        "export_ready_at": entry["export_ready_at"],
        "thumbnail": reading.url(media_url(entry["thumbnail"])),
        "url": f"{reading.api_prefix}{pk}/",
        "page_url": f"{reading.page_prefix}{pk}/",
    }


FACET_NAMES = (
    "hs_chapter",
    "province",
    "form",
    "certificate",
    "ready_for",
    "disadvantaged",
    "available_this_month",
)


BOOLEAN_FACETS = ("disadvantaged", "available_this_month")


def _option(value: str, label: str, count: int, selected: bool) -> dict:
    return {"value": value, "label": label, "count": count, "selected": selected}


def _selected(query: CatalogueQuery, name: str) -> set[str]:
    value = getattr(query, name)
    if isinstance(value, bool):
        return {"true" if value else "false"}
    if isinstance(value, tuple):
        return set(value)
    return {value} if value else set()


def facets_data(facets: Facets, query: CatalogueQuery, reading: Reading) -> dict[str, list]:
    """Each facet as ``[{value, label, count, selected}]``, largest count first."""
    chapters = selectors.hs_chapters()
    provinces = selectors.provinces()
    countries = selectors.countries()
    yes, no = _("Yes"), _("No")
    labels: dict[str, Callable[[object], str]] = {
        "hs_chapter": lambda v: f"{v} {chapters.get(v, '')}".strip(),
        "province": lambda v: provinces.get(v, v),
        "form": lambda v: str(reading.forms.get(v, v)),
        "certificate": lambda v: reading.certificate(v)["name"],
        "ready_for": lambda v: pick(
            reading.language, countries.get(v, {}).get("id", v), countries.get(v, {}).get("en", v)
        ),
        "disadvantaged": lambda v: yes if v else no,
        "available_this_month": lambda v: yes if v else no,
    }
    data: dict[str, list] = {}
    for name in FACET_NAMES:
        counter = getattr(facets, name)
        selected = _selected(query, name)
        values = []
        seen = set()
        for value, count in counter.items():
            wire = ("true" if value else "false") if isinstance(value, bool) else str(value)
            if count or wire in selected:
                seen.add(wire)
                values.append(_option(wire, labels[name](value), count, wire in selected))
        for wire in sorted(selected - seen):  # chosen, though nothing else matches it now
            value = (wire == "true") if name in BOOLEAN_FACETS else wire
            values.append(_option(wire, labels[name](value), 0, True))
        values.sort(key=lambda v: (-v["count"], v["label"]))
        data[name] = values
    return data


# --- A product's page -------------------------------------------------------------------------


def _region_chain(village) -> dict[str, dict | None]:
    chain = {"village": None, "district": None, "regency": None, "province": None}
    region = village
    for level in ("village", "district", "regency", "province"):
        if region is None:
            break
        chain[level] = _place(region.code, region.name)
        region = region.parent
    return chain


def _certificates(product: Product, reading: Reading) -> list[dict]:
    rows = []
    for certificate in product.certificates.all():
        today = reading.today
        rows.append(
            {
                **reading.certificate(certificate.type.code),
                "number": certificate.number,
                "issuer": certificate.issuer,
                "valid_from": certificate.valid_from,
                "valid_until": certificate.valid_until,
                "valid": certificate.is_valid(today),
                "expired": bool(certificate.valid_until and certificate.valid_until < today),
                "document_on_file": bool(certificate.document),
            }
        )
    return rows


def _readiness(product: Product, reading: Reading) -> dict:
    """The stored score, what is ready (met requirements), what is advised (unmet, optional)
    and the readiness for each market some rule names and the product's own markets."""
    facts = facts_of(product, reading.today)
    requirements = dict(ReadinessRule.Requirement.choices)
    ready, advice = [], []
    rules = active_rules()
    countries = selectors.countries()
    market_rows = [
        {
            "code": market.destination,
            "name": pick(
                reading.language,
                countries.get(market.destination, {}).get("id", market.destination),
                countries.get(market.destination, {}).get("en", market.destination),
            ),
            "state": market.state,
            "missing": [
                gap.message(reading.language) for gap in (*market.blocking, *market.market_gaps)
            ],
        }
        for market in markets.for_markets(
            facts, rules, catalogue_destinations(rules, facts.destinations)
        )
    ]
    # The markets it is ready for, and its own markets with what they still need (not every
    # market some rule names: nine ASEAN rows of "documents missing" say nothing).
    own = facts.destinations
    market_rows = [
        row for row in market_rows if row["state"] == markets.READY or row["code"] in own
    ]
    market_rows.sort(key=lambda row: (row["state"] != markets.READY, row["name"].lower()))
    for rule in rules:
        if not applies(rule, facts):
            continue
        if is_met(rule, facts):
            if rule.check == "certificate" and rule.certificate_code:
                label = reading.certificate(rule.certificate_code)["name"]
            else:
                label = str(requirements.get(rule.check, rule.check))
            if label not in ready:
                ready.append(label)
        elif not rule.blocks:
            advice.append(pick(reading.language, rule.gap.get("id", ""), rule.gap.get("en", "")))
    return {
        "score": product.readiness_score,
        "ready": ready,
        "advice": advice,
        "markets": market_rows,
    }


def _countries(countries, language: str) -> list[dict]:
    rows = [{"code": c.code, "name": pick(language, c.name_id, c.name_en)} for c in countries]
    return sorted(rows, key=lambda c: c["name"].lower())


def product_data(product: Product, reading: Reading, *, contacts: dict | None) -> dict:
    """A product's public page. ``contacts`` is None unless the reader may see them."""
    bumdes = product.bumdes
    village = bumdes.village
    hs = product.hs_code
    converts = UNIT_BASE.get(product.unit, (None, None))[1] not in (None, Decimal(1))
    photos = [
        {
            "image": reading.url(media_url(p.image.name)),
            "thumbnail": reading.url(media_url(p.thumbnail.name or p.image.name)),
            "caption": p.caption,
        }
        for p in product.photos.all()
    ]
    return {
        "id": product.pk,
        "name": pick(reading.language, product.name_id, product.name_en),
        "name_id": product.name_id,
        "name_en": product.name_en,
        "description": pick(reading.language, product.description_id, product.description_en),
        "description_id": product.description_id,
        "description_en": product.description_en,
        "bumdes": {
            "id": bumdes.pk,
            "name": bumdes.name,
            "kind": bumdes.kind,
            "kind_label": str(bumdes.get_kind_display()),
            "legal_status": bumdes.legal_status,
            "legal_status_label": str(bumdes.get_legal_status_display()),
            "year_founded": bumdes.year_founded,
            "verified": bumdes.status == bumdes.Status.VERIFIED,
        },
        **_region_chain(village),
        "disadvantaged": village.code[:5] in reading.disadvantaged,
        "hs_code": hs.code,
        "hs_dotted": hs.dotted,
        "hs_description": hs.description,
        "hs_chapter": hs.code[:2],
        "national_code": product.national_code,
        "form": product.form,
        "form_label": str(product.get_form_display()),
        "unit": product.unit,
        "unit_label": str(product.get_unit_display()),
        "capacity_per_month": number(product.capacity_per_month),
        "capacity_base": number(product.capacity_base) if converts else None,
        "base_unit": product.base_unit if converts else "",
        "available_months": product.months,
        "available_this_month": product.available_in(reading.today.month),
        "min_order": number(product.min_order),
        "price": number(product.price),
        "currency": product.currency,
        "incoterm": product.incoterm,
        "packaging": product.packaging,
        "only_in_indonesian": only_in_indonesian(product, reading.language),
        "shelf_life_days": product.shelf_life_days,
        "exported_to": _countries(product.exported_to.all(), reading.language),
        "target_markets": _countries(product.target_markets.all(), reading.language),
        "photos": photos,
        "certificates": _certificates(product, reading),
        "readiness": _readiness(product, reading),
        "export_ready_at": product.export_ready_at,
        "contact_visible": contacts is not None,
        "contact": _contact(contacts) if contacts else None,
        "page_url": reading.absolute(reverse("catalogue:detail", args=[product.pk])),
    }


def _contact(details: dict) -> dict:
    return {
        "manager_name": details.get("manager_name", ""),
        "phone": details.get("contact_phone", ""),
        "whatsapp": details.get("contact_whatsapp", ""),
        "email": details.get("contact_email", ""),
        "address": details.get("address", ""),
    }
