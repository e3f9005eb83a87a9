"""Forms of the forum pages.

They only turn what a person typed into values; every rule is checked by
``matchmaking.forums.services``, whose messages the views put back on the fields.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.models import User
from bumdes_export.reference.models import Region
from matchmaking.dealings.forms import CountryChoiceField
from matchmaking.deals.models import MANUAL_STAGES, Deal, DealStage
from matchmaking.forums import selectors
from matchmaking.forums.models import (
    Forum,
    ForumParticipant,
    ForumSlot,
    ForumTable,
)
from matchmaking.forums.zones import slot_label, zone_choices
from products.forms import DateInput, FlexibleDecimalField
from products.models import Product


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"


class FilterForm(forms.Form):
    """Filters from the query string; an invalid value is left out."""

    def value(self, name: str):
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""


class ForumFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Forum.Status.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class RegionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.code} {obj.name}"


class ForumForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_on = forms.DateField(label=_("First day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https"
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=Forum.TimeZone.choices)
    registration_opens = forms.DateTimeField(label=_("Registration opens"), widget=DateTimeInput)
    registration_closes = forms.DateTimeField(label=_("Registration closes"), widget=DateTimeInput)
    meeting_minutes = forms.IntegerField(
        label=_("Meeting length (minutes)"), min_value=5, max_value=240, initial=30
    )
    invited_regions = RegionsField(
        label=_("Invited regions"),
        required=False,
        queryset=Region.objects.filter(level__in=[1, 2], retired_at__isnull=True).order_by("code"),
        help_text=_("Provinces or regencies. None: every region may register."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organisers"),
        required=False,
        queryset=selectors.co_organiser_candidates().order_by("username"),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    @classmethod
    def initial_for(cls, forum: Forum) -> dict:
        return {
            **{name: getattr(forum, name) for name in cls.base_fields if hasattr(forum, name)},
            "registration_opens": forum.registration_opens.astimezone(forum.tzinfo).replace(
                tzinfo=None
            ),
            "registration_closes": forum.registration_closes.astimezone(forum.tzinfo).replace(
                tzinfo=None
            ),
            "invited_regions": list(forum.invited_regions.all()),
            "co_organisers": list(forum.co_organisers.all()),
        }

    def clean(self) -> dict:
        data = super().clean()
        # Registration times are typed in the forum's time zone, not the server's: keep the
        # wall-clock time entered and attach the forum's zone to it.
        zone = data.get("time_zone")
        if zone in Forum.TimeZone.values:
            for name in ("registration_opens", "registration_closes"):
                value = data.get(name)
                if value is not None:
                    data[name] = timezone.make_aware(
                        timezone.make_naive(value).replace(tzinfo=None), ZoneInfo(zone)
                    )
        return data

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class ForumStatusForm(forms.Form):
    to = forms.ChoiceField(choices=Forum.Status.choices, widget=forms.HiddenInput)


class SlotsForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput)
    start = forms.TimeField(label=_("From"), widget=TimeInput)
    end = forms.TimeField(label=_("To"), widget=TimeInput)
    break_minutes = forms.IntegerField(
        label=_("Break between meetings (minutes)"), min_value=0, max_value=120, initial=0
    )
    in_the_past = forms.BooleanField(
        label=_("Add them even if they begin in the past"),
        required=False,
        help_text=_("Only to record meetings that took place outside the plan."),
    )


class TableForm(forms.Form):
    name = forms.CharField(label=_("Table or room"), max_length=60)


class RegisterForm(forms.Form):
    """What the registering user may register: ``kinds`` come from
    ``matchmaking.forums.access.registration_kinds``, the BUMDes and products from the
    selectors."""

    kind = forms.ChoiceField(label=_("Register"), choices=ForumParticipant.Kind.choices)
    bumdes = forms.ModelChoiceField(label=_("BUMDes"), queryset=None, required=False)
    products = forms.ModelMultipleChoiceField(
        label=_("Products brought"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note to the organiser"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        required=False,
        help_text=_("For online participants elsewhere: times are shown in this zone."),
    )

    def __init__(self, *args, kinds, bumdes, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in ForumParticipant.Kind.choices if c[0] in kinds]
        self.fields["bumdes"].queryset = bumdes
        self.fields["products"].queryset = products
        self.fields["products"].label_from_instance = lambda p: (
            f"{p.name_id} ({p.hs_code_id}) · {p.bumdes.name}"
        )
        self.fields["time_zone"].choices = zone_choices()
        if ForumParticipant.Kind.BUMDES not in kinds:
            del self.fields["bumdes"], self.fields["products"]


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class AvailabilityForm(forms.Form):
    slots = forms.ModelMultipleChoiceField(
        label=_("Slots you can attend"),
        queryset=ForumSlot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    time_zone = forms.ChoiceField(label=_("Your time zone"), required=False)

    def __init__(self, *args, forum: Forum, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slots"].queryset = forum.slots.all()
        self.fields["slots"].label_from_instance = lambda s: slot_label(s, zone)
        self.fields["time_zone"].choices = zone_choices(getattr(zone, "key", ""))


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)


class RequestForm(forms.Form):
    to_participant = forms.ModelChoiceField(
        label=_("Meet"), queryset=ForumParticipant.objects.none()
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say what you would like to talk about."),
    )

    def __init__(self, *args, counterparts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_participant"].queryset = counterparts
        self.fields["to_participant"].label_from_instance = lambda p: p.display_name


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
    answer = forms.CharField(label=_("Answer"), required=False, max_length=2000)


class MoveForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Slot"), queryset=ForumSlot.objects.none())
    table = forms.ModelChoiceField(label=_("Table"), queryset=ForumTable.objects.none())

    def __init__(self, *args, forum: Forum, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = forum.slots.all()
        self.fields["table"].queryset = forum.tables.all()


class RecordForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("Did the meeting take place?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        required=False,
        choices=[("", "–"), *[(str(n), "★" * n) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
    )
    comment = forms.CharField(
        label=_("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutcomeForm(forms.Form):
    """What a meeting led to, recorded into the deal of the product and the organisation."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[c for c in DealStage.choices if c[0] in MANUAL_STAGES]
    )
    occurred_on = forms.DateField(label=_("Date"), required=False, widget=DateInput)
    volume_kg = FlexibleDecimalField(label=_("Volume (kg)"), required=False)
    value_usd = FlexibleDecimalField(label=_("Value (USD)"), required=False)
    destination = CountryChoiceField(label=_("Destination country"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        field.queryset = products
        field.label_from_instance = lambda p: f"{p.name_id} ({p.hs_code_id})"
        only = list(products[:2])
        if len(only) == 1:
            field.initial = only[0].pk
            field.empty_label = None
        self.fields["destination"].use_language()


class DealChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deal) -> str:
        return f"{obj.product.name_id} ↔ {obj.organisation.legal_name} ({obj.get_stage_display()})"


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DateInput)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    deal = DealChoiceField(label=_("About the deal"), queryset=Deal.objects.none(), required=False)

    def __init__(self, *args, owners, deals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=[u.pk for u in owners])
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["deal"].queryset = deals
        if not deals.exists():
            del self.fields["deal"]
