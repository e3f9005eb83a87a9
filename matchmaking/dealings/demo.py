"""Demo matchmaking: conversations, a buying request with an offer, facilitation requests.

- The Hong Kong buyer (account ``pembeli``) shortlisted the Konawe live mud crab, asked about it
  (answered by the Konawe officer ``konawe``) and asked for a sample of the blue swimming crab
  (sent by the BUMDes operator ``bumdes``).
- The Kendari exporter of ``eksportir`` expressed interest in the Garut avocado oil (still open).
- The Hong Kong buyer posted a buying request for live crab (HS 0306); the Konawe BUMDes offered
  its mud crab.
- ``konawe`` asked the Alibaba partner (trading platform) for export documents (accepted, in
  progress, with a note) and logistics (completed); ``sulteng`` asked it for quality supervision
  of the Donggala crab (requested). The partner answers through the account ``mitra``.
- Deals: the Kendari exporter opened the avocado-oil deal from its expression of interest and
  reached a letter of intent; it posted a buying request for banana flour (Malaysia), accepted
  BUMDes Sigi Makmur's offer (its flour verified by the ministry meanwhile; the Lampung banana
  flour is submitted for review in turn, so the registry still has one waiting) and opened the
  deal from it; the Hong Kong buyer's sample request for blue swimming crab became a deal that
  was lost (the sample arrived partly dead).

Runs after the products and exporters demos; needs their organisations, products and accounts,
and returns ``[]`` without doing anything when they are not there. Idempotent: what exists (same
organisation, product and kind) is left as it is. Everything goes through
``matchmaking.dealings.services`` (deal steps through ``matchmaking.deals.services``, the flour's
review through ``products.services``).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bumdes_export.accounts.models import Role, User
from bumdes_export.reference.models import Country, HsCode
from exporters import services as exporter_services
from exporters.models import Kind, Membership, Organisation, Service
from matchmaking import access
from matchmaking.dealings import services
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    Offer,
    ServiceRequest,
    ShortlistEntry,
)
from matchmaking.deals import services as deal_services
from matchmaking.deals.models import Deal
from products import services as product_services
from products.models import BumdesOperator, Product

DEMO_PASSWORD = "demo12345"
PARTNER_ACCOUNT = ("mitra", "Dewi", "Lestari")


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _organisation_of(username: str) -> Organisation | None:
    membership = (
        Membership.objects.select_related("organisation").filter(user__username=username).first()
    )
    return membership.organisation if membership else None


def _hk_buyer() -> Organisation | None:
    organisation = _organisation_of("pembeli")
    if organisation is not None:
        return organisation
    return (
        Organisation.objects.filter(
            kind=Kind.BUYER, country_id="HK", status=Organisation.Status.VERIFIED
        )
        .order_by("id")
        .first()
    )


def _platform() -> Organisation | None:
    candidates = Organisation.objects.filter(
        kind__in=access.PROVIDER_KINDS, status=Organisation.Status.VERIFIED
    ).order_by("-kind", "id")  # a platform before a plain service provider
    needed = {Service.DOCUMENTS, Service.LOGISTICS, Service.QUALITY}
    for organisation in candidates:
        if needed <= set(organisation.services or []):
            return organisation
    return None


def _member(organisation: Organisation, preferred: str = "") -> User | None:
    members = organisation.memberships.select_related("user").filter(
        user__is_active=True, user__role=Role.EXPORTER
    )
    chosen = members.filter(user__username=preferred).first() if preferred else None
    chosen = chosen or members.order_by("-is_admin", "id").first()
    return chosen.user if chosen else None


def _partner_account(platform: Organisation) -> User:
    """The Alibaba partner's demo account: made and joined to the platform if missing."""
    member = _member(platform)
    if member is not None:
        return member
    username, first, last = PARTNER_ACCOUNT
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.bumdes-ekspor.id",
            "role": Role.EXPORTER,
            "first_name": first,
            "last_name": last,
            "language": "id",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    exporter_services.join(platform, [user], admin=True)
    user.refresh_from_db()
    return user


def _resync(organisation: Organisation) -> None:
    """Make the members' verified flag match the organisation (``exporters.services.join``
    keeps it so); a demo run that verified the organisation after joining left it stale."""
    for admin in (True, False):
        users = [
            m.user for m in organisation.memberships.select_related("user") if m.is_admin is admin
        ]
        if users:
            exporter_services.join(organisation, users, admin=admin)


def _export_ready(name_id: str, **filters) -> Product | None:
    return (
        Product.objects.filter(name_id=name_id, status=Product.Status.EXPORT_READY, **filters)
        .order_by("id")
        .first()
    )


def _inquiry(actor, organisation, product, kind, subject, body) -> Inquiry | None:
    """The organisation's conversation of this kind about the product: found, or started."""
    existing = Inquiry.objects.filter(organisation=organisation, product=product, kind=kind)
    if existing.exists():
        return None
    return services.start_inquiry(
        actor=actor, product=product, kind=kind, subject=subject, body=body
    )


def _service_request(actor, provider, service, product, description, shipment=""):
    if ServiceRequest.objects.filter(provider=provider, product=product, service=service).exists():
        return None
    return services.request_service(
        actor=actor,
        provider=provider,
        service=service,
        product=product,
        description=description,
        shipment=shipment,
    )


@transaction.atomic
def load() -> list[tuple[str, str]]:
    buyer = _hk_buyer()
    exporter_org = _organisation_of("eksportir")
    platform = _platform()
    konawe, sulteng = _user("konawe"), _user("sulteng")
    operator_link = (
        BumdesOperator.objects.select_related("bumdes").filter(user__username="bumdes").first()
    )
    if not all([buyer, exporter_org, platform, konawe, sulteng, operator_link]):
        return []  # the products or exporters demo is not there (yet)
    operator = operator_link.user
    for organisation in (buyer, exporter_org):
        _resync(organisation)
    buyer_user = _member(buyer, "pembeli")
    exporter_user = _member(exporter_org, "eksportir")
    if not (buyer_user and exporter_user):
        return []
    if not (
        access.verified_organisation(buyer_user) and access.verified_organisation(exporter_user)
    ):
        return []

    mud_crab = _export_ready("Kepiting bakau hidup", bumdes=operator_link.bumdes)
    blue_crab = _export_ready("Rajungan hidup", bumdes=operator_link.bumdes)
    avocado_oil = _export_ready("Minyak alpukat murni")
    donggala_crab = (
        Product.objects.filter(
            name_id="Kepiting bakau hidup", bumdes__village__code__startswith="72."
        )
        .order_by("id")
        .first()
    )
    if not all([mud_crab, blue_crab, avocado_oil, donggala_crab]):
        return []
    partner = _partner_account(platform)

    # 1. The Hong Kong buyer shortlists the Konawe mud crab and asks about it.
    if not ShortlistEntry.objects.filter(organisation=buyer, product=mud_crab).exists():
        services.add_to_shortlist(
            actor=buyer_user, product=mud_crab, note="Main line for Q3 restaurant season"
        )
    inquiry = _inquiry(
        buyer_user,
        buyer,
        mud_crab,
        Inquiry.Kind.INQUIRY,
        "Live mud crab for Hong Kong restaurants",
        "Hello, we buy live mud crab (at least 300 g, tied) for Hong Kong restaurants, about "
        "2 tonnes a month from July. Can you ship weekly by air from Kendari, and what is your "
        "FOB price for 300-500 g crab?",
    )
    if inquiry:
        services.post_message(
            actor=konawe,
            inquiry=inquiry,
            body="Terima kasih. BUMDes Mina Bahari can supply 3 tonnes a month all year; weekly "
            "air shipments from Kendari (KDI) via Makassar are possible. FOB Kendari USD 12.50/kg "
            "for 300-500 g, tied and packed in ventilated styrofoam boxes of 20 kg. The KI-1 "
            "health certificate and Form AHK are valid.",
        )

    # 2. A sample request for the blue swimming crab: the operator answers and sends it.
    sample = _inquiry(
        buyer_user,
        buyer,
        blue_crab,
        Inquiry.Kind.SAMPLE_REQUEST,
        "Sample: live blue swimming crab, 20 kg",
        "Please send one 20 kg box of live blue swimming crab to our Aberdeen warehouse for a "
        "quality check before we order.",
    )
    if sample:
        services.post_message(
            actor=operator,
            inquiry=sample,
            body="Baik, one box goes on the Thursday flight KDI-UPG-HKG; the air waybill number "
            "follows with the shipment.",
        )
        services.set_inquiry_status(actor=operator, inquiry=sample, to=Inquiry.Status.SAMPLE_SENT)

    # 3. The Kendari exporter is interested in the Garut avocado oil (still open).
    _inquiry(
        exporter_user,
        exporter_org,
        avocado_oil,
        Inquiry.Kind.INTEREST,
        "Interest in cold-pressed avocado oil",
        "We are adding edible oils to our shipments to Singapore. We are interested in 600 "
        "litres a month of your avocado oil in 250 ml glass bottles; could you share the price "
        "and the shelf life?",
    )

    # 4. A buying request for live crab (HS 0306) with an offer from the Konawe BUMDes.
    title = "Live mud crab, 2 tonnes a month, to Hong Kong"
    buying_request = BuyingRequest.objects.filter(organisation=buyer, title=title).first()
    if buying_request is None:
        buying_request = services.create_buying_request(
            actor=buyer_user,
            data={
                "title": title,
                "hs_code": HsCode.objects.get(code="0306"),
                "description": "Live mud crab (Scylla serrata), 300-500 g, tied; weekly air "
                "shipments from July; KI-1 health certificate and Form AHK required.",
                "quantity": Decimal("2"),
                "unit": "ton",
                "destination": Country.objects.get(code="HK"),
                "target_price": Decimal("11.80"),
                "currency": "USD",
                "incoterm": "FOB",
                "valid_until": timezone.localdate() + timedelta(days=45),
            },
        )
    if not Offer.objects.filter(buying_request=buying_request, product=mud_crab).exists():
        services.make_offer(
            actor=operator,
            buying_request=buying_request,
            product=mud_crab,
            data={
                "price": Decimal("12.20"),
                "currency": "USD",
                "incoterm": "FOB",
                "quantity": Decimal("3"),
                "unit": "ton",
                "message": "3 tonnes a month from July; weekly air shipments from Kendari.",
            },
        )

    # 5. Facilitation by the Alibaba partner.
    documents = _service_request(
        konawe,
        platform,
        Service.DOCUMENTS,
        mud_crab,
        "Prepare the export documents for the first Hong Kong shipment: invoice, packing list, "
        "Form AHK and the KI-1 health certificate appointment.",
        shipment="Kendari → Hong Kong by air, 500 kg, first week of July",
    )
    if documents:
        services.transition_service_request(
            actor=partner, service_request=documents, to=ServiceRequest.Status.ACCEPTED
        )
        services.transition_service_request(
            actor=partner, service_request=documents, to=ServiceRequest.Status.IN_PROGRESS
        )
        services.add_service_note(
            actor=partner,
            service_request=documents,
            body="Invoice and packing list drafted; the Form AHK is requested from the Kendari "
            "trade office, the KI-1 inspection is booked for the day before departure.",
        )
    logistics = _service_request(
        konawe,
        platform,
        Service.LOGISTICS,
        mud_crab,
        "Book cargo space for live crab KDI-UPG-HKG and the cold chain to the airport.",
        shipment="Trial shipment, 200 kg",
    )
    if logistics:
        for step in (ServiceRequest.Status.ACCEPTED, ServiceRequest.Status.COMPLETED):
            services.transition_service_request(actor=partner, service_request=logistics, to=step)
        services.add_service_note(
            actor=konawe,
            service_request=logistics,
            body="The trial shipment arrived alive in Hong Kong. Terima kasih!",
        )
    _service_request(
        sulteng,
        platform,
        Service.QUALITY,
        donggala_crab,
        "Supervise grading and packing of live mud crab before the KI-1 inspection, so that the "
        "product can be marked export-ready.",
    )

    # 6. Deals the dealings led to.
    _deals(
        buyer_user=buyer_user,
        exporter_user=exporter_user,
        exporter_org=exporter_org,
        buyer=buyer,
        blue_crab=blue_crab,
        avocado_oil=avocado_oil,
    )
    return [(partner.username, f"service provider, {platform.legal_name} (Alibaba partner)")]


def _deals(*, buyer_user, exporter_user, exporter_org, buyer, blue_crab, avocado_oil) -> None:
    """The avocado oil deal opened from the Kendari exporter's expression of interest, at a
    letter of intent; the banana-flour deal from its buying request's accepted offer; the blue
    swimming crab deal from the Hong Kong buyer's sample request, lost. Each once."""
    today = timezone.localdate()
    interest = Inquiry.objects.filter(
        organisation=exporter_org, product=avocado_oil, kind=Inquiry.Kind.INTEREST
    ).first()
    if interest is not None and not Deal.objects.filter(inquiry=interest).exists():
        opening = services.open_deal_from_inquiry(actor=exporter_user, inquiry=interest)
        if opening.created:
            deal_services.record_step(
                actor=exporter_user,
                deal=opening.deal,
                data={
                    "stage": Deal.Stage.LOI_MOU,
                    "occurred_on": today,
                    "volume_kg": Decimal("552"),  # 600 litres
                    "value_usd": Decimal("10800"),
                    "destination": Country.objects.get(code="SG"),
                    "note": "Letter of intent: 600 litres a month in 250 ml glass bottles to "
                    "Singapore, from next quarter; USD 18 a litre FOB Jakarta.",
                },
            )
    _banana_flour_deal(exporter_user, exporter_org)
    sample = Inquiry.objects.filter(
        organisation=buyer, product=blue_crab, kind=Inquiry.Kind.SAMPLE_REQUEST
    ).first()
    if sample is not None and not Deal.objects.filter(inquiry=sample).exists():
        opening = services.open_deal_from_inquiry(actor=buyer_user, inquiry=sample)
        if opening.created:
            deal_services.record_step(
                actor=buyer_user,
                deal=opening.deal,
                data={"stage": Deal.Stage.SAMPLE_SENT, "occurred_on": today},
            )
            deal_services.close_as_lost(
                actor=buyer_user,
                deal=opening.deal,
                reason=Deal.LostReason.LOGISTICS,
                note="A quarter of the 20 kg sample arrived dead after the transfer in Makassar; "
                "we buy blue swimming crab from a supplier with a direct flight for now.",
                occurred_on=today,
            )


def _banana_flour_deal(exporter_user: User, exporter_org: Organisation) -> None:
    """The Kendari exporter asks for banana flour for its Malaysian buyer (a buying request);
    BUMDes Sigi Makmur offers its kepok banana flour, verified by the ministry in the meantime;
    the exporter accepts and opens the deal."""
    flour = (
        Product.objects.filter(name_id="Tepung pisang kepok", bumdes__name="BUMDes Sigi Makmur")
        .order_by("id")
        .first()
    )
    sulteng, ministry = _user("sulteng"), _user("kemendes")
    if flour is None or sulteng is None or ministry is None:
        return
    title = "Banana flour, 5 tonnes a month, to Malaysia"
    if BuyingRequest.objects.filter(organisation=exporter_org, title=title).exists():
        return
    if flour.status == Product.Status.SUBMITTED:
        flour = product_services.transition_product(
            actor=ministry, product=flour, to=Product.Status.VERIFIED
        )
        # The registry keeps a product waiting for review: the Lampung banana flour is
        # submitted in turn.
        waiting = Product.objects.filter(
            name_id="Tepung pisang", status=Product.Status.DRAFT
        ).first()
        if waiting is not None:
            product_services.transition_product(
                actor=ministry, product=waiting, to=Product.Status.SUBMITTED
            )
    buying_request = services.create_buying_request(
        actor=exporter_user,
        data={
            "title": title,
            "hs_code": HsCode.objects.get(code="1106"),
            "description": "Kepok banana flour, gluten-free, moisture at most 12%, in 25 kg "
            "kraft bags, for a bakery chain in Kuala Lumpur; monthly sea shipments.",
            "quantity": Decimal("5"),
            "unit": "ton",
            "destination": Country.objects.get(code="MY"),
            "target_price": Decimal("3.00"),
            "currency": "USD",
            "incoterm": "FOB",
            "valid_until": timezone.localdate() + timedelta(days=30),
        },
    )
    offer = services.make_offer(
        actor=sulteng,
        buying_request=buying_request,
        product=flour,
        data={
            "price": Decimal("3.10"),
            "currency": "USD",
            "incoterm": "FOB",
            "quantity": Decimal("5"),
            "unit": "ton",
            "message": "5 tonnes a month from BUMDes Sigi Makmur, shipped from Pantoloan.",
        },
    )
    services.decide_offer(actor=exporter_user, offer=offer, accept=True)
    services.open_deal_from_offer(actor=exporter_user, offer=offer)
