"""Forms of the directory pages.

The forms check the shape of what a person typed or ticked and turn it into the values
``exporters.services`` takes: model instances for the profile, lists of codes for the sourcing
preferences. Every rule about those values (NIB and NPWP formats, known HS codes and certificate
types, an Indonesian company's province, unique usernames and emails, strong passwords) is the
services'; the views run them through ``bumdes_export.core.forms.form_action``, which puts their
messages back on the fields.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bumdes_export.core.i18n import active_language
from bumdes_export.core.text import SEARCH_LENGTH
from bumdes_export.reference.models import (
    CertificateType,
    Country,
    ExportGateway,
    HsCode,
    Region,
)
from bumdes_export.reference.selectors import normalize_hs_code
from exporters import services
from exporters.models import Kind, Organisation, Service

HS_CODES_API = "/api/v1/hs-codes/"
#: Incoterms 2020, in the order of the ICC's rules.
INCOTERM_ORDER = ["EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"]
#: Languages offered as tick boxes; the API takes any ISO 639-1 code.
COMMON_LANGUAGES = [
    "id",
    "en",
    "zh",
    "ms",
    "ja",
    "ko",
    "ar",
    "nl",
    "fr",
    "de",
    "es",
    "th",
    "vi",
    "ru",
]


def language_name(code: str, in_language: str | None = None) -> str:
    """``zh`` as the reader calls it: *Chinese*, *Tionghoa*."""
    # Babel loads its locale data on import, which is heavy; only the pages naming languages
    # (the profile and its form) need it.
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(in_language or active_language()).languages.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    return name[:1].upper() + name[1:] if name else code


def parse_decimal(value: str) -> Decimal:
    """``1500.5``, ``1500,5``, ``1.500,5`` and ``1,500.5``: the last separator is the decimal one."""
    text = re.sub(r"[\s\u00a0]", "", value or "")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".") if text.count(",") == 1 else text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    return Decimal(text)


class KilogramField(forms.DecimalField):
    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 3)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for name in ("step", "min", "max"):
            attrs.pop(name, None)
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


class CountryField(forms.ModelChoiceField):
    """A country by its name in the reader's language."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Country.objects.all(), **kwargs)
        self.queryset = Country.objects.order_by(
            "name_id" if active_language() == "id" else "name_en"
        )

    def label_from_instance(self, obj: Country) -> str:
        return obj.localized_name(active_language())


class CountriesField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Hold Ctrl (Cmd on a Mac) to choose several."))
        super().__init__(queryset=Country.objects.all(), **kwargs)
        self.queryset = Country.objects.order_by(
            "name_id" if active_language() == "id" else "name_en"
        )
        self.widget.attrs.update({"size": 8, "data-selected-label": _("Chosen:")})

    def label_from_instance(self, obj: Country) -> str:
        return obj.localized_name(active_language())


def provinces():
    return Region.objects.filter(level=Region.Level.PROVINCE, retired_at__isnull=True).order_by(
        "name"
    )


class ProvinceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("empty_label", _("Choose a province …"))
        super().__init__(queryset=provinces(), **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class ProvincesField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Hold Ctrl (Cmd on a Mac) to choose several."))
        super().__init__(queryset=provinces(), **kwargs)
        self.widget.attrs.update({"size": 8, "data-selected-label": _("Chosen:")})

    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class GatewaysField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Hold Ctrl (Cmd on a Mac) to choose several."))
        super().__init__(queryset=ExportGateway.objects.order_by("kind", "name"), **kwargs)
        self.widget.attrs.update({"size": 8, "data-selected-label": _("Chosen:")})

    def label_from_instance(self, obj: ExportGateway) -> str:
        return f"{obj.name} ({obj.code}) · {obj.get_kind_display()}"


class Checkboxes(forms.CheckboxSelectMultiple):
    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "choice-grid", **(attrs or {})})


def parse_hs_codes(raw: str) -> list[str]:
    """Comma-separated HS codes of any level, with or without dots. Whether each exists is for
    the services to say."""
    codes = []
    for part in re.split(r"[,;\s]+", raw or ""):
        code = normalize_hs_code(part)
        if code and code not in codes:
            codes.append(code)
    malformed = [c for c in codes if not re.fullmatch(r"\d{2}|\d{4}|\d{6}", c)]
    if malformed:
        raise forms.ValidationError(
            _("An HS code has 2, 4 or 6 digits (chapter, heading or subheading): %(codes)s")
            % {"codes": ", ".join(malformed)}
        )
    return codes


def dotted(code: str) -> str:
    return f"{code[:4]}.{code[4:]}" if len(code) == 6 else code


# --- Profile and sourcing preferences --------------------------------------------------------


def _model_field(name: str, **kwargs) -> forms.Field:
    return Organisation._meta.get_field(name).formfield(**kwargs)


class ProfileFields(forms.Form):
    """The organisation's public profile, shared by registration and editing."""

    legal_name = _model_field("legal_name")
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    country = CountryField(label=_("Country"))
    province = ProvinceField(
        label=_("Province"),
        required=False,
        help_text=_("Indonesian companies: the province of the registered office."),
    )
    nib = forms.CharField(
        label=_("NIB"),
        required=False,
        max_length=25,
        help_text=_("Indonesian companies: the 13-digit business identification number (OSS)."),
    )
    npwp = forms.CharField(
        label=_("NPWP"),
        required=False,
        max_length=25,
        help_text=_("Indonesian companies: 15 digits (01.234.567.8-901.000) or the 16-digit form."),
    )
    address = _model_field("address")
    website = _model_field("website", assume_scheme="https")
    description = _model_field("description", widget=forms.Textarea(attrs={"rows": 4}))


class OrganisationForm(ProfileFields):
    """Profile and sourcing preferences, for the organisation's admins and ministry staff."""

    contact_name = _model_field("contact_name")
    contact_email = _model_field("contact_email")
    contact_phone = _model_field("contact_phone")
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), required=False, widget=Checkboxes
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        required=False,
        choices=Service.choices,
        widget=Checkboxes,
        help_text=_("Service providers and trading platforms: what you do for exporters."),
    )
    hs_interests = forms.CharField(
        label=_("HS codes of interest"),
        required=False,
        help_text=_(
            "Chapters (03), headings (0306) or subheadings (0306.33), separated by commas. "
            "Type a code or a commodity (crab, kepiting) to search."
        ),
        widget=forms.TextInput(
            attrs={
                "data-hs-multi": HS_CODES_API,
                "autocomplete": "off",
                "spellcheck": "false",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": "hs-suggestions",
                "placeholder": "0306.33, 1605",
            }
        ),
    )
    destination_markets = CountriesField(label=_("Destination markets"))
    min_order_kg = KilogramField(
        label=_("Minimum order per shipment (kg)"),
        help_text=_("Decimals with a point or a comma: 1500.5 or 1.500,5."),
    )
    max_volume_kg_per_month = KilogramField(label=_("Maximum volume per month (kg)"))
    required_certificates = forms.MultipleChoiceField(
        label=_("Required certificates"),
        required=False,
        widget=Checkboxes,
        help_text=_("Certificates and permits the products you buy must hold."),
    )
    preferred_provinces = ProvincesField(label=_("Preferred origin provinces"))
    preferred_gateways = GatewaysField(label=_("Preferred export gateways"))
    incoterms = forms.MultipleChoiceField(
        label=_("Accepted Incoterms"),
        required=False,
        choices=[(term, term) for term in INCOTERM_ORDER],
        widget=Checkboxes(attrs={"class": "choice-grid narrow-choices"}),
    )

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs):
        if organisation is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(organisation)
        super().__init__(*args, **kwargs)
        reader = active_language()
        current = list((organisation.languages if organisation else []) or [])
        self.fields["languages"].choices = [
            (code, language_name(code, reader))
            for code in COMMON_LANGUAGES + [c for c in current if c not in COMMON_LANGUAGES]
        ]
        self.fields["required_certificates"].choices = sorted(
            ((t.code, t.localized_name(reader)) for t in CertificateType.objects.all()),
            key=lambda choice: choice[1].lower(),
        )
        hs = self._hs_descriptions()
        if hs:
            field = self.fields["hs_interests"]
            field.help_text = format_html(
                '{}<br><span class="hs-current">{}</span>', field.help_text, hs
            )

    @staticmethod
    def initial_from(organisation: Organisation) -> dict:
        initial = {name: getattr(organisation, name) for name in services.PROFILE_FIELDS}
        for name in ("min_order_kg", "max_volume_kg_per_month"):
            if initial[name] is not None:
                initial[name] = format(initial[name].normalize(), "f")
        initial["hs_interests"] = ", ".join(
            dotted(code)
            for code in organisation.hs_interests.order_by("code").values_list("code", flat=True)
        )
        initial["destination_markets"] = list(organisation.destination_markets.all())
        initial["preferred_provinces"] = list(organisation.preferred_provinces.all())
        initial["preferred_gateways"] = list(organisation.preferred_gateways.all())
        return initial

    def _hs_descriptions(self) -> str:
        raw = self.data.get(self.add_prefix("hs_interests")) if self.is_bound else None
        raw = raw if raw is not None else self.initial.get("hs_interests", "")
        codes = [normalize_hs_code(part) for part in re.split(r"[,;\s]+", raw or "")]
        found = HsCode.objects.filter(code__in=[c for c in codes if c]).order_by("code")
        return "; ".join(f"{hs.dotted} {_shorten(hs.description)}" for hs in found)

    def clean_hs_interests(self) -> list[str]:
        return parse_hs_codes(self.cleaned_data["hs_interests"])

    def service_kwargs(self) -> dict[str, Any]:
        """The profile (``data``) and the sourcing preferences (lists of codes), as
        ``services.update_organisation`` takes them."""
        data = {name: self.cleaned_data[name] for name in services.PROFILE_FIELDS}
        preferences = {
            "hs_interests": self.cleaned_data["hs_interests"],
            "destination_markets": [c.code for c in self.cleaned_data["destination_markets"]],
            "preferred_provinces": [r.code for r in self.cleaned_data["preferred_provinces"]],
            "preferred_gateways": [g.code for g in self.cleaned_data["preferred_gateways"]],
        }
        return {"data": data, "preferences": preferences}


def _shorten(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class LogoForm(forms.Form):
    # A plain file field: the services decide what counts as an image and say why not.
    logo = forms.FileField(
        label=_("Logo"),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, at most 5 MB. It is shown at most 400 pixels wide."),
    )


# --- Registration ----------------------------------------------------------------------------


class RegistrationForm(ProfileFields):
    """A new account and its organisation; the account's owner becomes its first admin."""

    ACCOUNT_FIELDS = ["username", "email", "password1", "password2", "name", "language"]

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("We send a link to this address to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not like your name or email."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the portal's emails to you."),
    )
    contact_phone = _model_field("contact_phone")
    privacy_consent = forms.BooleanField(
        label=_("I have read and accept the privacy notice"), required=False
    )

    field_order = [
        *ACCOUNT_FIELDS,
        "legal_name",
        "kind",
        "country",
        "province",
        "nib",
        "npwp",
        "address",
        "contact_phone",
        "website",
        "description",
        "privacy_consent",
    ]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("language", active_language())
        kwargs["initial"].setdefault("country", "ID")
        super().__init__(*args, **kwargs)

    def account_fields(self):
        return [self[name] for name in self.ACCOUNT_FIELDS]

    def organisation_fields(self):
        return [
            self[name]
            for name in self.fields
            if name not in self.ACCOUNT_FIELDS and name != "privacy_consent"
        ]

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """The arguments of ``services.register``."""
        data = self.cleaned_data
        organisation = {
            name: data[name]
            for name in (
                "legal_name",
                "kind",
                "country",
                "province",
                "nib",
                "npwp",
                "address",
                "contact_phone",
                "website",
                "description",
            )
        }
        organisation["contact_name"] = data["name"].strip()
        organisation["contact_email"] = data["email"]
        return {
            "username": data["username"],
            "email": data["email"],
            "password": data["password1"],
            "first_name": data["name"],
            "language": data["language"],
            "organisation": organisation,
            "privacy_consent": data["privacy_consent"],
        }


#: Where a service's error key lands on the registration form.
REGISTRATION_ERROR_FIELDS = {"password": "password1", "first_name": "name"}


# --- Members, verification -------------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    is_admin = forms.BooleanField(
        label=_("Organisation admin"),
        required=False,
        help_text=_("Admins edit the profile and invite or remove colleagues."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("language", active_language())
        super().__init__(*args, **kwargs)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required: the organisation's members read it."),
    )


# --- Directory filters -----------------------------------------------------------------------


class DirectoryFilterForm(forms.Form):
    """Filters of the directory, read from the query string; invalid values are ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    hs = forms.CharField(label=_("HS code"), required=False)
    market = forms.ChoiceField(label=_("Destination market"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, data: Any, *, with_status: bool) -> None:
        """``with_status``: offer the status filter (to those who see every status)."""
        super().__init__(data)
        reader = active_language()
        self.fields["kind"].choices = [("", _("All kinds")), *Kind.choices]
        self.fields["market"].choices = [
            ("", _("All markets")),
            *(
                (c.code, c.localized_name(reader))
                for c in Country.objects.order_by("name_id" if reader == "id" else "name_en")
            ),
        ]
        self.fields["province"].choices = [
            ("", _("All provinces")),
            *((r.code, r.name) for r in provinces()),
        ]
        self.fields["service"].choices = [("", _("All services")), *Service.choices]
        if with_status:
            self.fields["status"].choices = [
                ("", _("All statuses")),
                *Organisation.Status.choices,
            ]
        else:
            del self.fields["status"]
        self.fields["hs"].widget.attrs.update({"placeholder": _("HS code, e.g. 0306")})

    def clean_hs(self) -> str:
        code = normalize_hs_code(self.cleaned_data["hs"])
        if code and not re.fullmatch(r"\d{2}|\d{4}|\d{6}", code):
            raise forms.ValidationError(_("An HS code has 2, 4 or 6 digits."))
        return code

    def value(self, name: str) -> str:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or ""

    def active(self) -> bool:
        return any(self.value(name) for name in self.fields)

    def selector_kwargs(self) -> dict:
        return {name: self.value(name).strip() for name in self.fields}
