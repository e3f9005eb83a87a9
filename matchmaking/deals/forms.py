"""Forms of the deal pages: the list filters, recording a step, a shipment or the loss, and
entering a deal made outside the portal.

They only turn what a person typed into values (a date, "1.500,5" into a decimal, "0306.33" into
an HS code); every rule about those values is checked by ``matchmaking.deals.services``, whose
messages the views put back on the fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from bumdes_export.core.i18n import active_language
from bumdes_export.reference.models import Country, ExportGateway, HsCode, Region
from bumdes_export.reference.selectors import (
    countries,
    export_gateways,
    normalize_hs_code,
    search_hs_codes,
    search_regions,
)
from exporters.models import Organisation
from matchmaking.deals.models import MANUAL_STAGES, Deal, LostReason, Shipment
from matchmaking.deals.selectors import DealFilters
from products.forms import DateInput, FlexibleDecimalField
from products.models import UNIT_BASE, Product, Unit

INDONESIA = "ID"
MAX_ID = 2**63 - 1


def _all(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _country_choices(*, abroad_only: bool = True) -> QuerySet[Country]:
    rows = countries().order_by("name_id" if active_language() == "id" else "name_en")
    return rows.exclude(code=INDONESIA) if abroad_only else rows


class CountryField(forms.ModelChoiceField):
    """A country, named in the reader's language; Indonesia is never a destination."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Country.objects.none(), **kwargs)
        self.language = "en"

    def use_language(self) -> None:
        """Name and order the countries in the reader's language (called per form)."""
        self.language = active_language()
        self.queryset = _country_choices()

    def label_from_instance(self, obj: Country) -> str:
        return obj.localized_name(self.language)


class GatewayField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=export_gateways().order_by("name"), **kwargs)

    def label_from_instance(self, obj: ExportGateway) -> str:
        return f"{obj.name} ({obj.code}, {obj.get_kind_display()})"


# --- List filters ----------------------------------------------------------------------------


class DealFilterForm(forms.Form):
    """The filters of the deal and shipment lists, from the query string. An invalid value is
    left out (shown as "all"); the valid ones still apply. ``product``, ``organisation`` and
    ``bumdes`` narrow the list to one record's deals (the links of the page panels)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=_all(_("All stages")) + Deal.Stage.choices
    )
    channel = forms.ChoiceField(
        label=_("Started from"),
        required=False,
        choices=_all(_("All channels")) + Deal.Channel.choices,
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    hs_chapter = forms.ChoiceField(label=_("HS chapter"), required=False)
    destination = forms.ChoiceField(label=_("Destination"), required=False)
    shipped_from = forms.DateField(label=_("Shipped from"), required=False, widget=DateInput)
    shipped_until = forms.DateField(label=_("Shipped until"), required=False, widget=DateInput)
    product = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    organisation = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    bumdes = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["province"].choices = _all(_("All provinces")) + [
            (region.code, region.name)
            for region in search_regions(level=Region.Level.PROVINCE).order_by("name")
        ]
        self.fields["hs_chapter"].choices = _all(_("All HS chapters")) + [
            (hs.code, f"{hs.code} {Truncator(hs.description).chars(40)}")
            for hs in search_hs_codes(level=HsCode.Level.CHAPTER)
        ]
        language = active_language()
        self.fields["destination"].choices = _all(_("All destinations")) + [
            (country.code, country.localized_name(language)) for country in _country_choices()
        ]

    def value(self, name: str) -> Any:
        if not self.is_bound:
            return None
        if not hasattr(self, "cleaned_data"):
            self.is_valid()  # an invalid value is left out; the valid ones still apply
        return self.cleaned_data.get(name)

    @property
    def active(self) -> bool:
        return any(self.value(name) not in (None, "") for name in self.fields)

    def filters(self) -> DealFilters:
        return DealFilters(
            stage=self.value("stage") or "",
            channel=self.value("channel") or "",
            province=self.value("province") or "",
            hs_chapter=self.value("hs_chapter") or "",
            destination=self.value("destination") or "",
            shipped_from=self.value("shipped_from"),
            shipped_until=self.value("shipped_until"),
            product=self.value("product"),
            organisation=self.value("organisation"),
            q=(self.value("q") or "").strip(),
        )

    def bumdes_id(self) -> int | None:
        return self.value("bumdes")

    @property
    def narrowed(self) -> str:
        """Which record's deals the list is narrowed to (``product``, ``organisation``,
        ``bumdes``), if any."""
        return next((n for n in ("product", "organisation", "bumdes") if self.value(n)), "")


# --- Recording into a deal -------------------------------------------------------------------


def _today() -> Any:
    return timezone.localdate()


class StepForm(forms.Form):
    """A stage the deal reached by hand (up to the contract), with what was agreed."""

    stage = forms.ChoiceField(label=_("Stage reached"))
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput, initial=_today)
    volume_kg = FlexibleDecimalField(
        label=_("Volume (kg)"),
        required=False,
        max_digits=14,
        decimal_places=3,
        help_text=_("Optional: what a letter of intent or a contract says."),
    )
    value_usd = FlexibleDecimalField(
        label=_("Value (USD)"), required=False, max_digits=14, decimal_places=2
    )
    destination = CountryField(label=_("Destination country"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, stages: list[tuple[str, Any]], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "step")
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stages
        self.fields["destination"].use_language()


def open_stages(reached: set[str]) -> list[tuple[str, Any]]:
    """The stages a person may still record by hand on a deal that reached ``reached``."""
    return [(stage, Deal.Stage(stage).label) for stage in MANUAL_STAGES if stage not in reached]


class ShipmentForm(forms.Form):
    """A shipment under the deal. The weight or volume in kg or litres is asked only when the
    product's unit does not convert to them (pieces, boxes ...)."""

    shipped_on = forms.DateField(label=_("Shipment date"), widget=DateInput, initial=_today)
    hs_code = forms.CharField(
        label=_("HS subheading"),
        max_length=8,
        help_text=_("Six digits, e.g. 0306.33; the product's by default."),
    )
    quantity = FlexibleDecimalField(label=_("Quantity"), max_digits=14, decimal_places=3)
    volume = FlexibleDecimalField(
        label=_("Weight or volume"), required=False, max_digits=14, decimal_places=3
    )
    volume_unit = forms.ChoiceField(
        label=_("kg or litres"), choices=Shipment.MetricUnit.choices, initial="kg"
    )
    value_usd = FlexibleDecimalField(label=_("Value (USD)"), max_digits=14, decimal_places=2)
    idr_per_usd = FlexibleDecimalField(
        label=_("Exchange rate (IDR per USD)"),
        max_digits=10,
        decimal_places=2,
        help_text=_("The rate used for this shipment; the value in rupiah is worked out."),
    )
    destination = CountryField(label=_("Destination country"))
    gateway = GatewayField(label=_("Export gateway"))
    peb_number = forms.CharField(label=_("PEB number"), max_length=40, required=False)
    coo_number = forms.CharField(
        label=_("Certificate of origin number"), max_length=40, required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, product: Product, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "shipment")
        super().__init__(*args, **kwargs)
        self.fields["destination"].use_language()
        unit = Unit(product.unit).label if product.unit in Unit.values else product.unit
        self.fields["quantity"].label = _("Quantity (%(unit)s)") % {"unit": unit}
        if UNIT_BASE.get(product.unit) is not None:
            # Worked out from the quantity by the service.
            del self.fields["volume"]
            del self.fields["volume_unit"]
        else:
            self.fields["volume"].required = True
            self.fields["volume"].help_text = _(
                "The product is counted in %(unit)s: give the weight (kg) or volume (litres) too."
            ) % {"unit": unit}

    def clean_hs_code(self) -> str:
        return normalize_hs_code(self.cleaned_data["hs_code"])


class LostForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why was it lost?"),
        required=False,  # the service says so when none is chosen
        choices=_all("—") + LostReason.choices,
    )
    note = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is “Other”."),
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput, initial=_today)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "lost")
        super().__init__(*args, **kwargs)


# --- A deal made outside the portal ----------------------------------------------------------


class ProductField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Product) -> str:
        return f"{obj.name_id} · {obj.bumdes.name} ({obj.hs_code_id})"


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.legal_name} ({obj.country_id})" if obj.country_id else obj.legal_name


class OutsideDealForm(forms.Form):
    product = ProductField(label=_("Product"), queryset=Product.objects.none())
    organisation = OrganisationField(
        label=_("Exporter or buyer"),
        queryset=Organisation.objects.none(),
        help_text=_("Verified organisations of the directory."),
    )
    stage = forms.ChoiceField(
        label=_("Stage reached"),
        choices=[(stage, Deal.Stage(stage).label) for stage in MANUAL_STAGES],
        help_text=_("Up to the contract; record shipments on the deal's page."),
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput, initial=_today)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where and how the deal was made, who was involved."),
    )

    def __init__(
        self,
        *args: Any,
        products: QuerySet[Product],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["organisation"].queryset = organisations
