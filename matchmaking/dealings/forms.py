"""Forms of the matchmaking pages.

They only turn what a person typed into values (an HS code into an ``HsCode``, "1.500,5" into a
decimal); every rule about those values is checked by ``matchmaking.dealings.services``, whose messages the
views put back on the fields.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bumdes_export.core.i18n import active_language
from bumdes_export.reference.models import Country, HsCode
from bumdes_export.reference.selectors import normalize_hs_code
from exporters.models import Organisation, Service
from matchmaking.dealings.models import BuyingRequest, Inquiry, ServiceRequest
from matchmaking.dealings.services import BUYING_REQUEST_FIELDS, OFFER_FIELDS
from matchmaking.deals.models import Deal
from products.forms import DateInput, FlexibleDecimalField
from products.models import Incoterm, Product, Unit

ATTACHMENT_HELP = _("Optional: a PDF, JPEG or PNG file of at most 10 MB.")


def _blank(label) -> list[tuple[str, str]]:
    return [("", label)]


class ServiceDataMixin:
    fields_for_service: tuple[str, ...] = ()

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields_for_service}


# --- Inquiries -------------------------------------------------------------------------------


class InquiryForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you want?"), choices=Inquiry.Kind.choices)
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the product name."),
    )
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what you need: volumes, destination, timing, packaging or certificates."),
    )
    attachment = forms.FileField(label=_("Attachment"), required=False, help_text=ATTACHMENT_HELP)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(label=_("Attachment"), required=False, help_text=ATTACHMENT_HELP)


class InquiryStatusForm(forms.Form):
    to = forms.ChoiceField(choices=Inquiry.Status.choices, widget=forms.HiddenInput)


class InquiryFilterForm(forms.Form):
    """Inbox filters from the query string; an unknown value is ignored (shown as "all")."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(_("All statuses")) + Inquiry.Status.choices,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("All kinds")) + Inquiry.Kind.choices
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def value(self, name: str) -> str:
        if not self.is_bound:
            return ""
        self.is_valid()  # an invalid value is left out; the valid ones still apply
        return self.cleaned_data.get(name) or ""

    @property
    def active(self) -> bool:
        return any(self.value(name) for name in self.fields)


# --- Shortlist -------------------------------------------------------------------------------


class ShortlistForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


# --- Buying requests -------------------------------------------------------------------------


class CountryChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Country.objects.all(), **kwargs)

    def use_language(self) -> None:
        self.language = active_language()
        self.queryset = Country.objects.order_by("name_id" if self.language == "id" else "name_en")

    def label_from_instance(self, obj: Country) -> str:
        return obj.name_id if getattr(self, "language", "id") == "id" else obj.name_en


class BuyingRequestForm(ServiceDataMixin, forms.Form):
    fields_for_service = BUYING_REQUEST_FIELDS

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example: Live mud crab, 2 tonnes a month to Hong Kong."),
    )
    hs_code = forms.CharField(
        label=_("HS code"),
        max_length=8,
        help_text=_("An HS heading (4 digits, e.g. 0306) or subheading (6 digits, e.g. 0306.33)."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quality, size, packaging, certificates, delivery schedule."),
    )
    quantity = FlexibleDecimalField(label=_("Quantity"), max_digits=14, decimal_places=3)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.KG)
    destination = CountryChoiceField(label=_("Destination"))
    target_price = FlexibleDecimalField(
        label=_("Target price per unit"), max_digits=14, decimal_places=2, required=False
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=Incoterm.choices, initial="FOB")
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput)

    def __init__(self, *args, buying_request: BuyingRequest | None = None, **kwargs):
        if buying_request is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(buying_request, name) for name in self.fields_for_service
            }
            kwargs["initial"]["hs_code"] = buying_request.hs_code_id
            kwargs["initial"]["destination"] = buying_request.destination_id
        super().__init__(*args, **kwargs)
        self.fields["destination"].use_language()

    def clean_hs_code(self) -> HsCode:
        code = normalize_hs_code(self.cleaned_data["hs_code"])
        hs = HsCode.objects.filter(code=code).first()
        if hs is None:
            raise forms.ValidationError(
                _("There is no HS 2022 code %(code)s.") % {"code": self.cleaned_data["hs_code"]}
            )
        return hs


class OfferProductField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Product) -> str:
        return f"{obj.name_id} · {obj.bumdes.name} ({obj.hs_code_id})"


class OfferForm(ServiceDataMixin, forms.Form):
    fields_for_service = OFFER_FIELDS

    product = OfferProductField(label=_("Product"), queryset=Product.objects.none())
    price = FlexibleDecimalField(label=_("Price per unit"), max_digits=14, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=Incoterm.choices)
    quantity = FlexibleDecimalField(label=_("Quantity available"), max_digits=14, decimal_places=3)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, products=None, buying_request: BuyingRequest | None = None, **kw):
        if buying_request is not None:
            kw.setdefault(
                "initial",
                {
                    "currency": buying_request.currency,
                    "incoterm": buying_request.incoterm,
                    "unit": buying_request.unit,
                },
            )
        super().__init__(*args, **kw)
        if products is not None:
            self.fields["product"].queryset = products


class OfferDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )


class BuyingRequestFilterForm(InquiryFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(_("All statuses")) + BuyingRequest.Status.choices,
    )
    kind = None


# --- Service requests ------------------------------------------------------------------------


class ProviderField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        offered = [str(Service(s).label) for s in obj.services or [] if s in Service.values]
        return f"{obj.legal_name} ({', '.join(offered)})" if offered else obj.legal_name


class DealField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deal) -> str:
        return _("%(organisation)s, %(stage)s (deal %(id)s)") % {
            "organisation": obj.organisation.legal_name,
            "stage": obj.get_stage_display(),
            "id": obj.pk,
        }


class ServiceRequestForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    provider = ProviderField(
        label=_("Service provider"),
        queryset=Organisation.objects.none(),
        help_text=_("Verified partners; choose one that offers the service."),
    )
    deal = DealField(
        label=_("Deal"),
        queryset=Deal.objects.none(),
        required=False,
        empty_label=_("No deal: for the product in general"),
        help_text=_("Optional: the deal this help is for."),
    )
    shipment = forms.CharField(
        label=_("Shipment"),
        max_length=300,
        required=False,
        help_text=ServiceRequest._meta.get_field("shipment").help_text,
    )
    description = forms.CharField(
        label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, providers=None, deals=None, **kwargs):
        super().__init__(*args, **kwargs)
        if providers is not None:
            self.fields["provider"].queryset = providers
        if deals is not None:
            self.fields["deal"].queryset = deals
            if not deals.exists():
                del self.fields["deal"]  # nothing to choose from


class ServiceNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.FileField(label=_("Document"), required=False, help_text=ATTACHMENT_HELP)


class ServiceTransitionForm(forms.Form):
    to = forms.ChoiceField(choices=ServiceRequest.Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when declining or cancelling: say why."),
    )


class ServiceRequestFilterForm(InquiryFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(_("All statuses")) + ServiceRequest.Status.choices,
    )
    kind = None
    service = forms.ChoiceField(
        label=_("Service"), required=False, choices=_blank(_("All services")) + Service.choices
    )
    q = None
