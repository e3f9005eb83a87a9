"""Demo organisations of the exporter directory, verified and pending.

- PT Gerbang Niaga Global: Alibaba.com's channel partner in Indonesia, a trading platform that
  also offers export documents, quality control, payment and logistics (Jakarta).
- Harbour Fresh Seafood Trading (Hong Kong): buys live crab landed through Kendari or Makassar;
  account ``pembeli``.
- PT Samudra Kepiting Sultra (Kendari): exports live mud crab and pasteurised crab meat; the
  foundation's ``eksportir`` account is its admin.
- CV Atsiri Priangan (Garut): essential oils to Europe and the Gulf.
- Yamato Natural Foods (Osaka): buys banana and other fruit flours; awaiting verification, with
  the account ``baru``.

Organisations are made with ``exporters.services`` by the ministry's ``kemendes`` account and
verified by it. Idempotent: an organisation that exists (by legal name) is left as it is.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from bumdes_export.accounts.models import Role, User
from bumdes_export.reference.models import Country, Region
from exporters import services
from exporters.models import Kind, Organisation, Service

DEMO_PASSWORD = "demo12345"

ORGANISATIONS = [
    {
        "key": "platform",
        "verify": True,
        "colour": (255, 106, 0),
        "data": {
            "legal_name": "PT Gerbang Niaga Global",
            "kind": Kind.PLATFORM,
            "country": "ID",
            "province": "31",
            "nib": "9120105550123",
            "npwp": "01.987.654.3-073.000",
            "address": "Menara Niaga Lt. 18, Jl. Jend. Sudirman Kav. 52-53, Jakarta Selatan",
            "contact_name": "Dewi Lestari",
            "contact_email": "mitra@gerbangniaga.example.id",
            "contact_phone": "+62 21 5000 8800",
            "website": "https://gerbangniaga.example.id",
            "description": (
                "Alibaba.com channel partner in Indonesia (demo data). We put export-ready "
                "village products on Alibaba.com and help BUMDes through their first shipments: "
                "export documents, product supervision and quality control, payment and "
                "logistics."
            ),
            "languages": ["id", "en", "zh"],
            "services": [Service.DOCUMENTS, Service.QUALITY, Service.PAYMENT, Service.LOGISTICS],
            "incoterms": ["EXW", "FOB", "CIF", "DAP"],
        },
        # What the partner lists on Alibaba.com: the programme's first products and the next.
        "preferences": {
            "destination_markets": ["CN", "HK", "SG", "MY", "AE", "US"],
            "hs_interests": ["0306", "1106", "1515", "3301"],
        },
    },
    {
        "key": "buyer_hk",
        "verify": True,
        "colour": (0, 94, 184),
        "data": {
            "legal_name": "Harbour Fresh Seafood Trading Ltd",
            "kind": Kind.BUYER,
            "country": "HK",
            "province": None,
            "address": "Unit 12, 8/F, Aberdeen Wholesale Fish Market Building, Hong Kong",
            "contact_name": "Chan Wai Ming",
            "contact_email": "buying@harbourfresh.example.hk",
            "contact_phone": "+852 2555 0188",
            "website": "https://harbourfresh.example.hk",
            "description": (
                "Importer and wholesaler of live crab for Hong Kong's restaurants and wet "
                "markets. We buy live mud crab and blue swimming crab from Sulawesi, flown in "
                "through Kendari or Makassar."
            ),
            "languages": ["en", "zh"],
            "min_order_kg": "500",
            "max_volume_kg_per_month": "20000",
            "required_certificates": ["health-fish", "coo-form-ahk"],
            "incoterms": ["FOB", "CFR", "CIF"],
        },
        "preferences": {
            "hs_interests": ["0306"],
            "destination_markets": ["HK"],
            "preferred_provinces": ["74", "72", "73"],
            "preferred_gateways": ["KDI", "UPG"],
        },
        "admin": ("pembeli", "Wai Ming", "Chan", "en"),
    },
    {
        "key": "crab_exporter",
        "verify": True,
        "colour": (11, 110, 79),
        "data": {
            "legal_name": "PT Samudra Kepiting Sultra",
            "kind": Kind.EXPORTER,
            "country": "ID",
            "province": "74",
            "nib": "9120202677410",
            "npwp": "02.456.789.1-811.000",
            "address": "Jl. Pelabuhan Perikanan Samudera No. 7, Puuwatu, Kendari",
            "contact_name": "Budi Santoso",
            "contact_email": "ekspor@samudrakepiting.example.id",
            "contact_phone": "+62 401 312 4455",
            "description": (
                "Kendari exporter of live mud crab and pasteurised crab meat. We collect from "
                "BUMDes and fishing villages along the coast of Sulawesi Tenggara and ship to "
                "Hong Kong, Singapore and China."
            ),
            "languages": ["id", "en"],
            "min_order_kg": "200",
            "max_volume_kg_per_month": "8000",
            "required_certificates": ["health-fish", "coo-form-ahk", "coo-form-e"],
            "incoterms": ["FOB", "CFR"],
        },
        "preferences": {
            "hs_interests": ["030633", "160510"],
            "destination_markets": ["HK", "SG", "CN"],
            "preferred_provinces": ["74", "72"],
            "preferred_gateways": ["KDI", "IDKDI"],
        },
        "join": "eksportir",
    },
    {
        "key": "essential_oil",
        "verify": True,
        "colour": (122, 84, 160),
        "data": {
            "legal_name": "CV Atsiri Priangan",
            "kind": Kind.EXPORTER,
            "country": "ID",
            "province": "32",
            "nib": "9120303889032",
            "npwp": "03.567.891.2-443.000",
            "address": "Jl. Raya Samarang No. 21, Garut",
            "contact_name": "Rina Kurniasih",
            "contact_email": "sales@atsiripriangan.example.id",
            "contact_phone": "+62 262 233 7788",
            "description": (
                "Distiller and exporter of essential oils (patchouli, citronella, avocado leaf) "
                "for perfumers in the Netherlands and France and traders in the Gulf."
            ),
            "languages": ["id", "en", "fr"],
            "min_order_kg": "25",
            "max_volume_kg_per_month": "1500",
            "required_certificates": ["coo"],
            "incoterms": ["FOB", "CIF", "DAP"],
        },
        "preferences": {
            "hs_interests": ["33", "3301", "151590"],
            "destination_markets": ["NL", "FR", "AE"],
            "preferred_provinces": ["32", "11", "74"],
            "preferred_gateways": ["IDTPP", "CGK"],
        },
    },
    {
        "key": "flour_buyer",
        "verify": False,
        "colour": (196, 30, 58),
        "data": {
            "legal_name": "Yamato Natural Foods K.K.",
            "kind": Kind.BUYER,
            "country": "JP",
            "province": None,
            "address": "2-14-8 Utsubohommachi, Nishi-ku, Osaka",
            "contact_name": "Sato Haruka",
            "contact_email": "sourcing@yamatonatural.example.jp",
            "contact_phone": "+81 6 6441 2200",
            "website": "https://yamatonatural.example.jp",
            "description": (
                "Importer of gluten-free flours for Japanese bakeries: banana, cassava and other "
                "fruit and root flours, in 25 kg kraft bags."
            ),
            "languages": ["ja", "en"],
            "min_order_kg": "1000",
            "max_volume_kg_per_month": "10000",
            "required_certificates": ["phytosanitary", "halal"],
            "incoterms": ["FOB", "CIF"],
        },
        "preferences": {
            "hs_interests": ["1106"],
            "destination_markets": ["JP"],
            "preferred_provinces": ["72", "18"],
        },
        "admin": ("baru", "Haruka", "Sato", "en"),
    },
]

DESCRIPTIONS = {
    "pembeli": "foreign buyer, Harbour Fresh Seafood Trading (Hong Kong), verified",
    "baru": "foreign buyer, Yamato Natural Foods (Japan), awaiting verification",
}


def _logo(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    """A square logo with the organisation's initials."""
    words = [w for w in name.replace(".", " ").split() if w[:1].isalpha()]
    skip = {"PT", "CV", "Ltd", "K", "KK"}
    initials = "".join(w[0] for w in words if w not in skip)[:2].upper() or name[:1]
    image = Image.new("RGB", (240, 240), colour)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=110)
    except TypeError:  # Pillow < 10.1
        font = ImageFont.load_default()
    draw.text((120, 122), initials, fill=(255, 255, 255), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def _account(username: str, first: str, last: str, language: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.bumdes-ekspor.id",
            "role": Role.EXPORTER,
            "first_name": first,
            "last_name": last,
            "language": language,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _organisation(ministry: User, spec: dict) -> Organisation:
    data = dict(spec["data"])
    existing = Organisation.objects.filter(legal_name=data["legal_name"]).first()
    if existing is not None:
        return existing
    data["country"] = Country.objects.get(code=data["country"])
    if data.get("province"):
        data["province"] = Region.objects.get(code=data["province"])
    organisation = services.create_organisation(
        actor=ministry, data=data, preferences=spec["preferences"]
    )
    organisation.privacy_consent_at = timezone.now()
    organisation.save(update_fields=["privacy_consent_at"])
    services.set_logo(
        actor=ministry,
        organisation=organisation,
        upload=_logo(organisation.legal_name, spec["colour"]),
    )
    if spec["verify"]:
        organisation = services.verify(actor=ministry, organisation=organisation)
    return organisation


@transaction.atomic
def load() -> list[tuple[str, str]]:
    ministry = User.objects.get(username="kemendes")
    for spec in ORGANISATIONS:
        organisation = _organisation(ministry, spec)
        if "admin" in spec:
            services.join(organisation, [_account(*spec["admin"])], admin=True)
        if "join" in spec:
            user = User.objects.filter(username=spec["join"], role=Role.EXPORTER).first()
            if user is not None:
                services.join(organisation, [user], admin=True)
    return [(username, description) for username, description in DESCRIPTIONS.items()]
