"""Readiness as a reader sees it, in their language: gaps with the issuing agency and the legal
basis, the product x market matrix, a product's specification, the checklist. Shared by the
registry's product page, the API and the public checklist page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from bumdes_export.reference.models import CertificateType, ExportDocument
from products.models import CommodityForm, Product
from products.readiness import markets
from products.readiness.evaluation import Gap
from products.readiness.selectors import Checklist, MarketRow, Template


class Documents:
    """The names and issuers of certificates and documents, read once per page."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.by_certificate: dict[str, ExportDocument] = {
            d.certificate_type.code: d
            for d in ExportDocument.objects.select_related("certificate_type").filter(
                certificate_type__isnull=False
            )
            if d.certificate_type
        }
        self.certificates = {c.code: c for c in CertificateType.objects.all()}

    def issuer(self, certificate_code: str | None) -> str:
        if not certificate_code:
            return ""
        document = self.by_certificate.get(certificate_code)
        if document:
            return document.text("issuer", self.language)
        certificate = self.certificates.get(certificate_code)
        return certificate.issuer if certificate else ""

    def document_code(self, certificate_code: str | None) -> str:
        document = self.by_certificate.get(certificate_code or "")
        return document.code if document else ""


def gap_row(gap: Gap, documents: Documents, labels: dict[str, str] | None = None) -> dict[str, Any]:
    """A gap as the page and the API show it."""
    language = documents.language
    unrecorded = [(labels or {}).get(key, key) for key in gap.unrecorded]
    return {
        "code": gap.code,
        "required": gap.required,
        "awaiting_confirmation": gap.awaiting_confirmation,
        "message": gap.message(language),
        "next_step": gap.step(language),
        "issuer": documents.issuer(gap.certificate_code),
        "document": documents.document_code(gap.certificate_code),
        "legal_basis": gap.legal_basis,
        "unrecorded": unrecorded,
    }


STATE_LABELS = {
    markets.READY: lambda: _("Ready"),
    markets.DOCUMENTS: lambda: _("Market documents missing"),
    markets.BLOCKED: lambda: _("Blocked"),
}
STATE_BADGES = {markets.READY: "ok", markets.DOCUMENTS: "warn", markets.BLOCKED: "danger"}


def market_rows(
    rows: Iterable[MarketRow], documents: Documents, labels: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    language = documents.language
    shown = []
    for row in rows:
        readiness = row.readiness
        why = []
        if row.targeted:
            why.append(_("target market"))
        if row.exported:
            why.append(_("already exported to"))
        if row.asked:
            why.append(_("asked for by matching organisations"))
        shown.append(
            {
                "code": row.country.code,
                "name": row.country.localized_name(language),
                "state": row.state,
                "state_label": STATE_LABELS[row.state](),
                "badge": STATE_BADGES[row.state],
                "why": why,
                "targeted": row.targeted,
                "exported": row.exported,
                "asked": row.asked,
                "blocking": [gap_row(g, documents, labels) for g in readiness.blocking],
                "missing": [gap_row(g, documents, labels) for g in readiness.market_gaps],
            }
        )
    return shown


def field_labels(template: Template | None, language: str) -> dict[str, str]:
    return {f.key: f.label_in(language) for f in template.fields} if template else {}


def specification_rows(
    product: Product, template: Template | None, language: str
) -> list[dict[str, str]]:
    """Each field of the product's template with its recorded value ("" when not recorded)."""
    if template is None:
        return []
    values = product.specification or {}
    return [
        {
            "key": f.key,
            "label": f.label_in(language),
            "value": f.shown(values[f.key], language, _("Yes"), _("No"))
            if values.get(f.key) is not None
            else "",
        }
        for f in template.fields
    ]


def specification_text(values: dict[str, Any] | None, fields: dict[str, Any], language: str) -> str:
    """A recorded specification in one line, for the history ("Species: Mud crab (Scylla
    spp.); Smallest carapace width: 13 cm; ..."); ``fields`` the template fields by key."""
    if not values or not isinstance(values, dict):
        return ""
    shown = []
    for key, value in values.items():
        spec = fields.get(key)
        if spec is None:
            shown.append(f"{key}: {value}")
        else:
            text = spec.shown(value, language, _("Yes"), _("No"))
            shown.append(f"{spec.label_in(language)}: {text}")
    return "; ".join(shown)


def checklist_body(checklist: Checklist, language: str) -> dict[str, Any]:
    """The checklist as the API answers it and the page shows it."""
    documents = Documents(language)
    forms = dict(CommodityForm.choices)
    labels = field_labels(checklist.template, language)
    return {
        "hs": checklist.hs.code,
        "hs_dotted": checklist.hs.dotted,
        "hs_description": checklist.hs.description,
        "destination": checklist.destination.code,
        "destination_name": checklist.destination.localized_name(language),
        "form": checklist.form,
        "transport": checklist.transport,
        "documents": [
            {
                "code": item.document.code,
                "name": item.document.text("name", language),
                "kind": item.document.kind,
                "kind_label": item.document.get_kind_display(),
                "issuer": item.document.text("issuer", language),
                "where": item.document.text("apply_at", language),
                "lead_time": item.document.text("lead_time", language),
                "required": item.required,
                "needed": item.document.needed,
                "forms": list(item.forms),
                "forms_label": ", ".join(str(forms.get(f, f)).lower() for f in item.forms),
                "reasons": [gap_row(g, documents, labels) for g in item.gaps],
                "legal_basis": "; ".join(
                    dict.fromkeys(g.legal_basis for g in item.gaps if g.legal_basis)
                ),
            }
            for item in checklist.documents
        ],
        "rules": [gap_row(g, documents, labels) for g in checklist.rules],
        "specification": [
            {"key": f.key, "label": f.label_in(language), "unit": f.unit}
            for f in (checklist.template.fields if checklist.template else ())
        ],
    }
