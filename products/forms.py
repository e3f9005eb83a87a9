"""Forms of the registry pages.

The forms only turn what a person typed into values (a village code into a ``Region``, an HS code
into an ``HsCode``, ticked months into a bitmask); every rule about those values is checked by
``products.services``, whose messages the views put back on the fields.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.access import code_within
from bumdes_export.accounts.models import User
from bumdes_export.core.i18n import active_language
from bumdes_export.core.identifiers import clean_nib, clean_npwp
from bumdes_export.core.text import SEARCH_LENGTH
from bumdes_export.reference.models import Country, HsCode, Region
from bumdes_export.reference.selectors import (
    normalize_hs_code,
    normalize_region_code,
    search_hs_codes,
    search_regions,
)
from products import access, checks, services
from products.imports.columns import CellError, parse_number
from products.models import (
    Bumdes,
    Certificate,
    CertificateType,
    CommodityForm,
    Incoterm,
    Product,
    Unit,
)
from products.selectors import PRODUCT_ORDERINGS

REGIONS_API = "/api/v1/regions/"
HS_CODES_API = "/api/v1/hs-codes/?level=subheading"
HS_SUGGEST_API = "/api/v1/hs-codes/suggest/"


def _model_field(model, name: str, **kwargs) -> forms.Field:
    """The form field Django derives from a model field: label, help text, length, choices."""
    return model._meta.get_field(name).formfield(**kwargs)


# --- Values people type ----------------------------------------------------------------------


def parse_decimal(value: str) -> Decimal:
    """Numbers as people type them, by the import's one rule (``products.imports.columns``):
    ``1500.5``, ``1.500,5``, ``2,5``; ``12.000`` is twelve thousand."""
    try:
        return parse_number(value or "")
    except CellError as error:
        raise ValueError(str(error)) from None


class FlexibleDecimalField(forms.DecimalField):
    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs["inputmode"] = "decimal"
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            value = str(parse_decimal(str(value)))
        except (InvalidOperation, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


def village_widget(user, label_prefix: str = "") -> forms.TextInput:
    """A text input for a village code; ``registry.js`` builds the cascading selects on it."""
    return forms.TextInput(
        attrs={
            "data-region-cascade": "",
            "data-api": REGIONS_API,
            "data-scope": access.officer_region(user),
            "data-label-province": _("Province"),
            "data-label-regency": _("Regency/city"),
            "data-label-district": _("District"),
            "data-label-village": _("Village"),
            "data-label-choose": _("Choose …"),
            "data-label-kelurahan": _("kelurahan: cannot own a BUMDes"),
            "data-label-loading": _("Loading …"),
            "data-label-failed": _("The list could not be loaded; type the village code instead."),
            "data-help-cascade": _("Choose the province, regency, district and village."),
            "placeholder": "74.02.01.2006",
            "autocomplete": "off",
            "spellcheck": "false",
        }
    )


def resolve_region(raw: str) -> Region:
    """A region code typed with or without dots; retired codes too (the services refuse them)."""
    code = normalize_region_code(raw)
    region = search_regions(include_retired=True).filter(code=code).first()
    if region is None:
        raise forms.ValidationError(
            checks.village_problem(code, exists=False, level=None, kind=None, retired=False)
        )
    return region


# --- BUMDes ----------------------------------------------------------------------------------


class BumdesForm(forms.Form):
    name = _model_field(Bumdes, "name")
    kind = _model_field(Bumdes, "kind")
    village = forms.CharField(
        label=_("Village"),
        max_length=20,
        help_text=_(
            "Choose province, regency, district and village; or type the village code, "
            "with or without dots (74.02.01.2006 or 7402012006)."
        ),
    )
    member_villages = forms.CharField(
        label=_("Member villages"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "data-member-villages": "", "data-label-add": _("Add village")}
        ),
        help_text=_(
            "BUM Desa Bersama only: the codes of the other villages that own it, separated by "
            "commas. All lie in the regency of the lead village."
        ),
    )
    year_founded = forms.IntegerField(
        label=_("Year founded"), required=False, min_value=1945, max_value=date.today().year
    )
    legal_status = _model_field(Bumdes, "legal_status")
    legal_certificate_number = _model_field(Bumdes, "legal_certificate_number")
    nib = forms.CharField(
        label=_("NIB"),
        required=False,
        max_length=20,
        help_text=_("13 digits, from the OSS system."),
    )
    npwp = forms.CharField(
        label=_("NPWP"),
        required=False,
        max_length=25,
        help_text=_("15 digits (01.234.567.8-901.000) or the 16-digit form."),
    )
    business_units = _model_field(
        Bumdes, "business_units", widget=forms.Textarea(attrs={"rows": 3})
    )
    manager_name = _model_field(Bumdes, "manager_name")
    contact_phone = _model_field(Bumdes, "contact_phone")
    contact_whatsapp = _model_field(Bumdes, "contact_whatsapp")
    contact_email = _model_field(Bumdes, "contact_email")
    address = _model_field(Bumdes, "address")
    description = _model_field(Bumdes, "description", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, bumdes: Bumdes | None = None, lock_village=False, **kwargs):
        if bumdes is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(bumdes)
        super().__init__(*args, **kwargs)
        self.fields["village"].widget = village_widget(user)
        self.fields["kind"].widget.attrs["data-kind-field"] = ""
        if lock_village:
            for name in ("village", "member_villages", "kind"):
                self.fields[name].disabled = True
            self.fields["village"].help_text = _("Only a regional officer can move a BUMDes.")

    @staticmethod
    def initial_from(bumdes: Bumdes) -> dict:
        initial = {name: getattr(bumdes, name) for name in services.BUMDES_FIELDS}
        initial["village"] = bumdes.village_id
        initial["member_villages"] = ", ".join(
            code
            for code in bumdes.member_villages.values_list("code", flat=True)
            if code != bumdes.village_id
        )
        return initial

    # The services check them again (one rule: bumdes_export.core.identifiers); here they are
    # checked with the other fields, so every mistake is shown at once.
    def clean_nib(self) -> str:
        return clean_nib(self.cleaned_data["nib"])

    def clean_npwp(self) -> str:
        return clean_npwp(self.cleaned_data["npwp"])

    def clean_village(self) -> Region:
        value = self.cleaned_data["village"]
        return value if isinstance(value, Region) else resolve_region(value)

    def clean_member_villages(self) -> list[Region]:
        raw = self.cleaned_data["member_villages"]
        villages, unknown = [], []
        for part in re.split(r"[,;\s]+", raw or ""):
            if not part:
                continue
            try:
                villages.append(resolve_region(part))
            except forms.ValidationError:
                unknown.append(part)
        if unknown:
            raise forms.ValidationError(
                _("There is no village with the code %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return villages

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in services.BUMDES_FIELDS if name in self.fields
        }

    def members(self) -> list[Region]:
        return self.cleaned_data.get("member_villages") or []


class OperatorForm(forms.Form):
    user = forms.CharField(
        label=_("Username of the operator account"),
        max_length=150,
        help_text=_("An account with the role BUMDes operator."),
    )

    def clean_user(self) -> User:
        username = self.cleaned_data["user"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no active account with this username."))
        return user


# --- Products --------------------------------------------------------------------------------


class CountriesField(forms.ModelMultipleChoiceField):
    """Countries by their name in the reader's language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Hold Ctrl (Cmd on a Mac) to choose several."))
        super().__init__(queryset=Country.objects.none(), required=False, **kwargs)
        self.widget.attrs["size"] = 8

    def use_language(self) -> None:
        self.language = active_language()
        order = "name_id" if self.language == "id" else "name_en"
        self.queryset = Country.objects.order_by(order)

    def label_from_instance(self, obj: Country) -> str:
        return obj.name_id if getattr(self, "language", "id") == "id" else obj.name_en


def month_choices() -> list[tuple[str, str]]:
    return [(str(number), name) for number, name in MONTHS.items()]


class BumdesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Bumdes) -> str:
        return f"{obj.name} ({obj.village.name})"


class ProductForm(forms.Form):
    bumdes = BumdesChoiceField(label=_("BUMDes"), queryset=Bumdes.objects.none())
    name_id = _model_field(Product, "name_id")
    name_en = _model_field(Product, "name_en")
    description_id = _model_field(
        Product, "description_id", widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = _model_field(
        Product, "description_en", widget=forms.Textarea(attrs={"rows": 3})
    )
    hs_code = forms.CharField(
        label=_("HS code"),
        max_length=12,
        help_text=_(
            "The 6-digit HS subheading, e.g. 0306.33 or 030633. Type a code or a commodity "
            "(kepiting, crab) to search."
        ),
        widget=forms.TextInput(
            attrs={
                "data-hs-search": HS_CODES_API,
                "data-hs-suggest": HS_SUGGEST_API,
                "data-name-fields": "id_name_id id_name_en",
                "data-description-field": "id_description_id",
                "data-suggest-title": _("Suggested from the product's name (pick one):"),
                "data-use-label": _("Use"),
                "data-form-label": _("Commodity form"),
                "data-unit-label": _("Unit"),
                "autocomplete": "off",
                "spellcheck": "false",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": "hs-suggestions",
            }
        ),
    )
    national_code = _model_field(Product, "national_code")
    form = forms.ChoiceField(label=_("Commodity form"), choices=CommodityForm.choices)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.KG)
    capacity_per_month = FlexibleDecimalField(
        label=_("Production capacity per month"),
        required=False,
        max_digits=14,
        decimal_places=3,
        help_text=_("In the unit above. Decimals with a point or a comma: 1500.5 or 1.500,5."),
    )
    available_months = forms.TypedMultipleChoiceField(
        label=_("Months available"),
        choices=month_choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "month-choices"}),
        help_text=_("Harvest calendar: the months in which the product can be supplied."),
    )
    min_order = FlexibleDecimalField(
        label=_("Minimum order"), required=False, max_digits=14, decimal_places=3
    )
    price = FlexibleDecimalField(
        label=_("Indicative price per unit"), required=False, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), max_length=10, initial="USD")
    incoterm = forms.ChoiceField(
        label=_("Incoterm"), choices=Incoterm.choices, initial=Incoterm.FOB
    )
    packaging = _model_field(Product, "packaging")
    shelf_life_days = forms.IntegerField(label=_("Shelf life (days)"), required=False, min_value=0)
    exported_to = CountriesField(label=_("Already exported to"))
    target_markets = CountriesField(label=_("Target markets"))

    def __init__(self, *args, user, bumdes_choices=None, product: Product | None = None, **kwargs):
        if product is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(product)
        super().__init__(*args, **kwargs)
        if bumdes_choices is None:
            del self.fields["bumdes"]
        else:
            self.fields["bumdes"].queryset = bumdes_choices
        for name in ("exported_to", "target_markets"):
            self.fields[name].use_language()
        self.fields["available_months"].initial = self.initial.get(
            "available_months", [m for m in range(1, 13)]
        )
        self.hs_description = self._hs_description()
        if self.hs_description:
            field = self.fields["hs_code"]
            field.help_text = format_html(
                '{}<br><span class="hs-current">{}</span>', field.help_text, self.hs_description
            )

    @staticmethod
    def initial_from(product: Product) -> dict:
        initial = {name: getattr(product, name) for name in services.PRODUCT_FIELDS}
        initial["hs_code"] = product.hs_code.dotted
        initial["available_months"] = product.months
        initial["exported_to"] = list(product.exported_to.all())
        initial["target_markets"] = list(product.target_markets.all())
        for name in ("capacity_per_month", "min_order", "price"):
            if initial[name] is not None:
                initial[name] = format(initial[name].normalize(), "f")
        return initial

    def _hs_description(self) -> str:
        raw = self.data.get(self.add_prefix("hs_code")) if self.is_bound else None
        raw = raw if raw is not None else self.initial.get("hs_code", "")
        code = normalize_hs_code(str(raw or ""))
        hs = search_hs_codes(level=HsCode.Level.SUBHEADING).filter(code=code).first()
        return f"{hs.dotted} {hs.description}" if hs and code else ""

    def clean_hs_code(self) -> HsCode:
        # Only turns the code into its row; whether it is a subheading, the services decide.
        typed = self.cleaned_data["hs_code"].strip()
        code = normalize_hs_code(typed)
        hs = search_hs_codes().filter(code=code).first()
        if hs is None:
            raise forms.ValidationError(checks.hs_problem(code, level=None, typed=typed))
        return hs

    def clean_national_code(self) -> str:
        return re.sub(r"[.\s]", "", self.cleaned_data["national_code"])

    def clean(self):
        data = super().clean()
        if "hs_code" in self.errors:
            # A code left out or mistyped: what the name suggests, to pick from (never applied).
            name = data.get("name_id") or data.get("name_en") or ""
            note = checks.hs_suggestion_note(name, data.get("description_id") or "")
            if note:
                self.add_error("hs_code", note)
        return data

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise forms.ValidationError(_("A currency is a 3-letter ISO code, e.g. USD or IDR."))
        return currency

    def clean_available_months(self) -> int:
        return checks.months_to_mask(self.cleaned_data["available_months"])

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.PRODUCT_FIELDS}

    def countries(self) -> dict:
        return {
            "exported_to": list(self.cleaned_data["exported_to"]),
            "target_markets": list(self.cleaned_data["target_markets"]),
        }


# --- Certificates, photos, workflow ----------------------------------------------------------


class CertificateTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CertificateType) -> str:
        return obj.localized_name(active_language())


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CertificateForm(forms.Form):
    type = CertificateTypeField(label=_("Type"), queryset=CertificateType.objects.all())
    number = _model_field(Certificate, "number")
    issuer = _model_field(Certificate, "issuer")
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty if the certificate does not expire."),
    )
    document = forms.FileField(
        label=_("Document"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )

    def __init__(self, *args, certificate: Certificate | None = None, **kwargs):
        if certificate is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(certificate, name) for name in services.CERTIFICATE_FIELDS
            }
        super().__init__(*args, **kwargs)
        if certificate is not None:
            self.fields["document"].help_text = _(
                "Upload a file only to replace the current document."
            )
        self.fields["type"].queryset = CertificateType.objects.order_by(
            "name_id" if active_language() == "id" else "name_en"
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("A certificate cannot expire before it is valid."))
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.CERTIFICATE_FIELDS}


class PhotoForm(forms.Form):
    # A plain file field: the services decide what counts as an image and say why not.
    image = forms.FileField(
        label=_("Photo"),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def __init__(self, *args, caption=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not caption:
            del self.fields["caption"]


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Product.Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when returning: say what needs to change."),
    )


# --- List filters ----------------------------------------------------------------------------


class RegionFilterForm(forms.Form):
    """Filters of a registry list, read from the query string; invalid values are ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_LENGTH)
    province = forms.ChoiceField(label=_("Province"), required=False)
    regency = forms.ChoiceField(label=_("Regency/city"), required=False)

    def __init__(self, data, *, user):
        super().__init__(data)
        scope_code = access.officer_region(user)

        def in_scope(code: str) -> bool:
            return not scope_code or code_within(code, scope_code) or code_within(scope_code, code)

        provinces = [
            (r.code, r.name)
            for r in search_regions(level=Region.Level.PROVINCE)
            if in_scope(r.code)
        ]
        self.fields["province"].choices = [("", _("All provinces")), *provinces]
        self.fields["province"].widget.attrs.update(
            {"data-regency-select": self.add_prefix("regency"), "data-api": REGIONS_API}
        )
        province = (data.get("province") or data.get("regency", "")[:2] or "").strip()
        if not province and len(provinces) == 1:
            province = provinces[0][0]
        regencies = []
        if province in {code for code, _name in provinces}:
            regencies = [
                (r.code, r.name)
                for r in search_regions(level=Region.Level.REGENCY).filter(
                    code__startswith=f"{province}."
                )
                if in_scope(r.code)
            ]
        self.fields["regency"].choices = [("", _("All regencies")), *regencies]
        self.fields["regency"].widget.attrs["data-scope"] = scope_code or ""

    def value(self, name: str):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or ""

    def active(self) -> bool:
        return any(self.value(name) for name in self.fields if name != "ordering")


class BumdesFilterForm(RegionFilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Bumdes.Status.choices]
    )


YES_NO = [
    ("", _("Disadvantaged or not")),
    ("1", _("Disadvantaged regencies")),
    ("0", _("Other regencies")),
]

ORDERING_LABELS = {
    "name": _("Name A–Z"),
    "-name": _("Name Z–A"),
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "capacity": _("Largest capacity"),
    "readiness": _("Most export-ready"),
    "updated": _("Recently changed"),
}


class ProductFilterForm(RegionFilterForm):
    hs_chapter = forms.ChoiceField(label=_("HS chapter"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Product.Status.choices],
    )
    disadvantaged = forms.ChoiceField(
        label=_("Disadvantaged regency"), required=False, choices=YES_NO
    )
    certificate = forms.ChoiceField(label=_("Valid certificate"), required=False)
    ordering = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, ORDERING_LABELS.get(key, key)) for key in PRODUCT_ORDERINGS],
    )

    def __init__(self, data, *, user):
        super().__init__(data, user=user)
        self.fields["hs_chapter"].choices = [
            ("", _("All HS chapters")),
            *(
                (hs.code, f"{hs.code} {_shorten(hs.description)}")
                for hs in search_hs_codes(level=HsCode.Level.CHAPTER)
            ),
        ]
        language = active_language()
        self.fields["certificate"].choices = [
            ("", _("Any certificate")),
            *sorted(
                ((t.code, t.localized_name(language)) for t in CertificateType.objects.all()),
                key=lambda choice: choice[1].lower(),
            ),
        ]

    def selector_kwargs(self) -> dict:
        disadvantaged = self.value("disadvantaged")
        return {
            "q": self.value("q").strip(),
            "province": self.value("province"),
            "regency": self.value("regency"),
            "hs_chapter": self.value("hs_chapter"),
            "status": self.value("status"),
            "disadvantaged": {"1": True, "0": False}.get(disadvantaged),
            "certificate": self.value("certificate"),
            "ordering": self.value("ordering") or "name",
        }


def _shorten(text: str, length: int = 48) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
