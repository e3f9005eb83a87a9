"""The forum form: times typed in the forum's own time zone, whatever the server's."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from matchmaking.forums import services as services
from matchmaking.forums.forms import ForumForm
from matchmaking.forums.models import Forum
from tests.matchmaking.forums.conftest import forum_data

pytestmark = pytest.mark.django_db


def _form(**overrides) -> ForumForm:
    data = {
        "name": "Forum Uji",
        "starts_on": "2027-03-10",
        "ends_on": "2027-03-11",
        "venue": "Kendari",
        "time_zone": Forum.TimeZone.WITA,
        "registration_opens": "2027-02-01T08:00",
        "registration_closes": "2027-03-01T17:00",
        "meeting_minutes": "30",
        **overrides,
    }
    return ForumForm(data=data)


@pytest.mark.parametrize("zone", [Forum.TimeZone.WIB, Forum.TimeZone.WITA, Forum.TimeZone.WIT])
def test_registration_times_are_read_in_the_forums_time_zone(zone):
    form = _form(time_zone=zone)
    assert form.is_valid(), form.errors
    opens = form.cleaned_data["registration_opens"]
    assert opens == datetime(2027, 2, 1, 8, 0, tzinfo=ZoneInfo(zone))


def test_a_saved_forum_shows_the_times_it_was_given_and_saving_again_moves_nothing(organiser):
    form = _form()
    assert form.is_valid(), form.errors
    forum = services.create_forum(actor=organiser, data=form.service_data())
    again = ForumForm(
        data={
            **_form().data,
            "registration_opens": ForumForm.initial_for(forum)["registration_opens"].isoformat(),
            "registration_closes": ForumForm.initial_for(forum)["registration_closes"].isoformat(),
        }
    )
    assert again.is_valid(), again.errors
    assert again.cleaned_data["registration_opens"] == forum.registration_opens


def test_registration_cannot_close_after_the_forums_last_day(organiser):
    data = forum_data()
    day_after = data["ends_on"] + timedelta(days=1)
    data["registration_closes"] = datetime.combine(
        day_after, time(9, 0), tzinfo=ZoneInfo("Asia/Makassar")
    )
    with pytest.raises(ValidationError) as error:
        services.create_forum(actor=organiser, data=data)
    assert "registration_closes" in error.value.message_dict


def test_the_outcome_form_preselects_the_only_product(world):
    from matchmaking.forums.forms import OutcomeForm
    from products.models import Product

    only = OutcomeForm(products=Product.objects.filter(pk=world.donggala_crab.pk))
    assert only.fields["product"].initial == world.donggala_crab.pk
    several = OutcomeForm(products=world.konawe.products.all())
    assert several.fields["product"].initial is None
    bound = OutcomeForm({"stage": "contract"}, products=Product.objects.filter(pk=world.oil.pk))
    assert not bound.is_valid() and "product" in bound.errors  # the choice is still sent


def test_the_follow_up_form_asks_for_a_deal_only_when_the_meeting_has_one(world, ministry, org_a):
    from matchmaking.deals import services as deal_services
    from matchmaking.deals.models import Deal
    from matchmaking.forums.forms import FollowUpForm

    assert "deal" not in FollowUpForm(owners=[ministry], deals=Deal.objects.none()).fields
    deal = deal_services.open_outside_deal(actor=ministry, product=world.crab, organisation=org_a)
    form = FollowUpForm(owners=[ministry], deals=Deal.objects.filter(pk=deal.pk))
    assert list(form.fields["deal"].queryset) == [deal]
    assert "Kepiting bakau" in form.fields["deal"].label_from_instance(deal)


def test_time_zones_offer_indonesias_three_first_then_where_buyers_join_from(forum):
    from django.utils import translation

    from matchmaking.forums.forms import AvailabilityForm

    with translation.override("id"):
        form = AvailabilityForm(forum=forum, zone=forum.tzinfo)
        blank, (indonesia, ours), (abroad, theirs) = form.fields["time_zone"].choices
        assert blank[0] == "" and str(indonesia) == "Indonesia"
        assert str(ours[1][1]).startswith("WITA (Waktu Indonesia Tengah")
        assert str(abroad) == "Tempat pembeli dan mitra bergabung"
    assert [value for value, _label in ours] == ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
    assert ("Asia/Hong_Kong", "Hong Kong (UTC+8)") in [(v, str(label)) for v, label in theirs]
    assert len(theirs) < 30  # places, not every IANA zone
    assert not AvailabilityForm(
        data={"time_zone": "America/Lima"}, forum=forum, zone=forum.tzinfo
    ).is_valid()  # a zone not offered is refused ...
    lima = AvailabilityForm(forum=forum, zone=ZoneInfo("America/Lima"))
    kept = lima.fields["time_zone"].choices[-1][1]
    assert kept == [("America/Lima", "Lima (UTC-5)")]  # ... unless it is the participant's own


def test_every_slot_says_its_day_in_the_readers_language_and_its_zone(forum, organiser):
    from django.utils import translation

    from matchmaking.forums.forms import AvailabilityForm

    services.add_slots(
        actor=organiser, forum=forum, day=forum.starts_on, start=time(9), end=time(10)
    )
    slot = forum.slots.order_by("starts_at").first()
    with translation.override("id"):
        form = AvailabilityForm(forum=forum, zone=forum.tzinfo)
        label = form.fields["slots"].label_from_instance(slot)
    local = slot.starts_at.astimezone(forum.tzinfo)
    days = ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"]
    assert label.startswith(f"{days[local.weekday()]} {local.day} ")
    assert label.endswith("09:00–09:30 WITA")
    hong_kong = ZoneInfo("Asia/Hong_Kong")
    with translation.override("en"):
        label = (
            AvailabilityForm(forum=forum, zone=hong_kong).fields["slots"].label_from_instance(slot)
        )
    assert label.endswith("09:00–09:30 HKT")  # WITA and Hong Kong share UTC+8
