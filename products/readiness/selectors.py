"""Reads of the readiness rules: the rules in force, specification templates, the product x
market matrix, the markets each certificate opens (for matching) and the public checklist."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bumdes_export.reference.models import CertificateType, Country, ExportDocument, HsCode
from bumdes_export.reference.suggestions import selectors as suggestions
from products.models import CommodityForm, Product, ReadinessRule
from products.readiness import markets, specification
from products.readiness.evaluation import (
    Gap,
    ProductFacts,
    RuleSpec,
    applies,
    assumed_facts,
    gap_of,
)
from products.readiness.models import SpecificationTemplate

log = logging.getLogger(__name__)


def rules_in_force(on: date | None = None) -> list[RuleSpec]:
    """The active rules valid on ``on`` (today), as the evaluation reads them."""
    on = on or timezone.localdate()
    rules = (
        ReadinessRule.objects.filter(active=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("certificate_type")
        .prefetch_related("destinations")
    )
    return [
        RuleSpec(
            code=r.code,
            check=r.requirement,
            weight=r.weight,
            required=r.required,
            hs_prefix=r.hs_prefix,
            forms=tuple(r.forms or ()),
            destinations=frozenset(c.code for c in r.destinations.all()),
            certificate_code=r.certificate_type.code if r.certificate_type else None,
            gap={"id": r.gap_id, "en": r.gap_en},
            next_step={"id": r.next_step_id, "en": r.next_step_en},
            confirmed=r.confirmed,
            legal_basis=r.legal_basis,
            conditions=tuple(r.conditions or ()),
            any_condition=r.any_condition,
            applies_when=dict(r.applies_when or {}),
        )
        for r in rules
        if _well_formed(r)
    ]


def _well_formed(rule: ReadinessRule) -> bool:
    """A rule whose conditions cannot be read (written around the admin's checks) is left
    out, and logged, rather than breaking every page that evaluates readiness."""
    try:
        specification.check_conditions(rule.conditions, rule.applies_when)
    except specification.TemplateError as error:
        log.error("Readiness rule %s left out: %s", rule.code, error)
        return False
    return True


# --- Specification templates ------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    code: str
    name: dict[str, str]
    prefixes: tuple[str, ...]
    fields: tuple[specification.FieldSpec, ...]

    def name_in(self, language: str) -> str:
        return self.name["id"] if language.startswith("id") else self.name["en"]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.fields)


def templates() -> list[Template]:
    """The active templates whose fields are well formed (a broken one is left out)."""
    found = []
    for row in SpecificationTemplate.objects.filter(active=True):
        try:
            fields = specification.fields_of(row.fields)
        except specification.TemplateError:
            continue
        found.append(
            Template(
                row.code,
                {"id": row.name_id, "en": row.name_en},
                tuple(str(p) for p in row.hs_prefixes or ()),
                fields,
            )
        )
    return found


def template_among(found: Iterable[Template], hs_code: str | None) -> Template | None:
    """The template with the longest prefix of ``hs_code`` (None: the product records none)."""
    best: tuple[int, Template] | None = None
    for template in found:
        for prefix in template.prefixes:
            if hs_code and hs_code.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), template)
    return best[1] if best else None


def template_for(hs_code: str | None) -> Template | None:
    return template_among(templates(), hs_code)


def rule_fields_problem(
    hs_prefix: str, conditions: object, applies_when: object
) -> dict[str, str] | None:
    """Why a rule's conditions cannot be read against the templates covering its HS prefix
    (a field no such template has, or no template at all), by form field; None if they can."""
    if not conditions and not applies_when:
        return None
    prefix = hs_prefix or ""
    covering = [
        t
        for t in templates()
        if any(p.startswith(prefix) or prefix.startswith(p) for p in t.prefixes)
    ]
    if not covering:
        return {"hs_prefix": _("No specification template covers this HS prefix: add one first.")}
    try:
        specification.check_conditions(
            conditions, applies_when, [f for t in covering for f in t.fields]
        )
    except specification.TemplateError as error:
        return {"conditions": str(error)}
    return None


# --- The product x market matrix --------------------------------------------------------------

#: Functions ``(product) -> country codes`` naming more markets a product's matrix shows (the
#: markets of the organisations it matches: registered by matchmaking, which products never
#: imports).
MarketSource = Callable[[Product], Iterable[str]]
_market_sources: list[MarketSource] = []


def register_market_source(source: MarketSource) -> None:
    if source not in _market_sources:
        _market_sources.append(source)


@dataclass(frozen=True)
class MarketRow:
    """One destination of a product's matrix: its readiness and why it is shown."""

    country: Country
    readiness: markets.MarketReadiness
    targeted: bool
    exported: bool
    asked: bool  # an organisation matching the product ships there

    @property
    def state(self) -> str:
        return self.readiness.state


def market_matrix(product: Product, facts: ProductFacts, rules: list[RuleSpec]) -> list[MarketRow]:
    """The product's readiness for each of its target markets, the markets it has shipped to
    and those its matching organisations ask for, in that order."""
    targeted = list(product.target_markets.order_by("code").values_list("code", flat=True))
    exported = list(product.exported_to.order_by("code").values_list("code", flat=True))
    asked: list[str] = []
    for source in _market_sources:
        asked.extend(sorted(set(source(product))))
    codes = list(dict.fromkeys([*targeted, *exported, *asked]))
    countries = Country.objects.in_bulk(codes)
    rows = []
    for market in markets.for_markets(facts, rules, [c for c in codes if c in countries]):
        code = market.destination
        rows.append(
            MarketRow(
                countries[code],
                market,
                targeted=code in targeted,
                exported=code in exported,
                asked=code in asked,
            )
        )
    return rows


def catalogue_destinations(rules: list[RuleSpec], own: Iterable[str]) -> list[str]:
    """The markets a catalogue entry's "ready for" is worked out for: every market some rule
    names, and the product's own target and past markets."""
    return sorted(markets.rule_destinations(rules) | set(own))


# --- Matching: which markets a product's documents open ----------------------------------------


@dataclass(frozen=True)
class MarketDocuments:
    """The certificates each market asks for by the rules in force (certificate rules that
    name destinations and apply to every product: the certificate of origin of its agreement
    ...), and the certificates of origin any market accepts (``ExportDocument.
    opens_any_market``: the non-preferential SKA), which open a market that asks for nothing of
    its own. Rules limited to some products (an HS prefix, forms, a specification) are each
    product's readiness, not its market's."""

    by_market: dict[str, frozenset[str]]
    general_origin: frozenset[str]

    def ready(self, country: str, held: Iterable[str]) -> bool:
        held = set(held)
        wanted = self.by_market.get(country)
        if wanted:
            return wanted <= held
        return bool(self.general_origin & held)


def market_documents(on: date | None = None) -> MarketDocuments:
    by_market: dict[str, set[str]] = {}
    for rule in rules_in_force(on):
        market_wide = not (rule.hs_prefix or rule.forms or rule.applies_when)
        if rule.check == "certificate" and rule.certificate_code and market_wide:
            for country in rule.destinations:
                by_market.setdefault(country, set()).add(rule.certificate_code)
    general = ExportDocument.objects.filter(opens_any_market=True, certificate_type__isnull=False)
    return MarketDocuments(
        {country: frozenset(codes) for country, codes in by_market.items()},
        frozenset(general.values_list("certificate_type__code", flat=True)),
    )


# --- The public checklist ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    document: ExportDocument
    required: bool
    gaps: tuple[Gap, ...] = ()  # the rules that ask for it (none: every shipment)
    forms: tuple[str, ...] = ()  # only for these forms of the product (all: empty)


@dataclass(frozen=True)
class Checklist:
    hs: HsCode
    destination: Country
    form: str
    transport: str
    documents: tuple[ChecklistItem, ...]
    rules: tuple[Gap, ...]  # specification rules (size, moisture ...): no document of their own
    template: Template | None


def destinations() -> QuerySet[Country]:
    """The countries a shipment can go to: every country but Indonesia, where it leaves from."""
    return Country.objects.exclude(code="ID")


@dataclass(frozen=True)
class NamedChecklist:
    checklist: Checklist
    alternatives: list[Any]  # the other HS subheadings the name could be (suggestions)


def named_checklist(
    name: str, destination: str, *, form: str = "", transport: str = ""
) -> NamedChecklist | None:
    """The checklist for a product named in either language (or by its code), read by the HS
    suggestions: the best subheading, the next ones as alternatives. None when the name says
    nothing the suggestions read, or the destination is not one. A form is never guessed from
    the name ("kepiting" is not always fresh)."""
    found = suggestions.suggest(name).hs
    country = destinations().filter(code=destination).first()
    chosen = HsCode.objects.filter(code=found[0].code).first() if found else None
    if chosen is None or country is None:
        return None
    return NamedChecklist(
        checklist(chosen, country, form=form, transport=transport), list(found[1:])
    )


def transport_for(form: str) -> str:
    """Live products travel by air (domain notes); other forms are not decided by their form."""
    return "air" if form == CommodityForm.LIVE else ""


def checklist(
    hs: HsCode,
    destination: Country,
    *,
    form: str = "",
    transport: str = "",
    on: date | None = None,
) -> Checklist:
    """The documents and licences a shipment of ``hs`` to ``destination`` needs, by the rules in
    force: those of every shipment, the transport document of the mode (both when not given),
    and each document a rule for the code, form and destination asks for."""
    transport = transport or transport_for(form)
    rules = rules_in_force(on)
    chosen = template_for(hs.code)
    # Which rules could apply: a form not given matches every form of a rule (said per item).
    facts = assumed_facts(hs.code, form, destination.code, chosen.keys if chosen else frozenset())
    by_certificate: dict[str, list[tuple[RuleSpec, Gap]]] = {}
    rule_gaps: list[Gap] = []
    for rule in rules:
        candidate = rule if form or not rule.forms else _without_forms(rule)
        if not applies(candidate, facts, destination.code):
            continue
        gap = gap_of(rule)
        if rule.check == "certificate" and rule.certificate_code:
            by_certificate.setdefault(rule.certificate_code, []).append((rule, gap))
        elif rule.check == "specification":
            rule_gaps.append(gap)
    items = []
    documents = ExportDocument.objects.select_related("certificate_type")
    for document in documents:
        if document.needed == ExportDocument.Needed.EVERY_SHIPMENT:
            items.append(ChecklistItem(document, True))
        elif document.needed in (ExportDocument.Needed.SEA, ExportDocument.Needed.AIR):
            if not transport or transport == document.needed:
                items.append(ChecklistItem(document, True))
        elif document.certificate_type and document.certificate_type.code in by_certificate:
            asking = by_certificate[document.certificate_type.code]
            forms = () if form else tuple(sorted({f for rule, _ in asking for f in rule.forms}))
            if any(not rule.forms for rule, _ in asking):
                forms = ()
            items.append(
                ChecklistItem(
                    document,
                    required=any(gap.required for _, gap in asking),
                    gaps=tuple(gap for _, gap in asking),
                    forms=forms,
                )
            )
    # A certificate a rule asks for that has no document of its own yet is listed all the same.
    listed = {
        item.document.certificate_type.code for item in items if item.document.certificate_type
    }
    for certificate in CertificateType.objects.filter(code__in=set(by_certificate) - listed):
        asking = by_certificate[certificate.code]
        items.append(
            ChecklistItem(
                _document_of(certificate),
                required=any(gap.required for _, gap in asking),
                gaps=tuple(gap for _, gap in asking),
            )
        )
    rule_gaps.sort(key=lambda g: (not g.required, g.awaiting_confirmation, g.code))
    return Checklist(hs, destination, form, transport, tuple(items), tuple(rule_gaps), chosen)


def _document_of(certificate: CertificateType) -> ExportDocument:
    """An export document (unsaved) standing for a certificate type that has none."""
    return ExportDocument(
        code=certificate.code.upper().replace("-", "_"),
        kind=ExportDocument.Kind.QUALITY,
        needed=ExportDocument.Needed.BY_RULE,
        certificate_type=certificate,
        name_id=certificate.name_id,
        name_en=certificate.name_en,
        issuer_id=certificate.issuer,
        issuer_en=certificate.issuer,
    )


def _without_forms(rule: RuleSpec) -> RuleSpec:
    return replace(rule, forms=())
