"""Demo BUMDes and products: the programme's story, in every workflow state.

Live crab and blue swimming crab from Konawe (first shipment to Hong Kong done), crab from
Central Sulawesi, avocado oil, banana flour, vanilla and seaweed, in six provinces, several in
disadvantaged regencies. Idempotent: existing BUMDes (by village and name) are left as they are.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bumdes_export.accounts.models import Role, User
from bumdes_export.reference.models import Country, HsCode, Region
from products import checks, services
from products.catalogue.services import refresh_all
from products.illustrations import illustration
from products.models import Bumdes, CertificateType

DEMO_PASSWORD = "demo12345"


def _desa(regency: str, index: int = 0) -> Region:
    villages = Region.objects.filter(
        code__startswith=f"{regency}.", level=4, kind="desa", retired_at__isnull=True
    ).order_by("code")
    return villages[index]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _certificate(actor, product, code: str, number: str, days: int = 365) -> None:
    services.add_certificate(
        actor=actor,
        product=product,
        data={
            "type": CertificateType.objects.get(code=code),
            "number": number,
            "issuer": CertificateType.objects.get(code=code).issuer,
            "valid_from": timezone.localdate() - timedelta(days=30),
            "valid_until": timezone.localdate() + timedelta(days=days),
        },
    )


#: Commodity specifications the readiness rules read (``products.readiness``): export-size
#: live crab, egg-bearing females sorted out.
MUD_CRAB = {
    "species": "scylla",
    "carapace_width_cm": 13,
    "weight_g": 200,
    "egg_bearing_excluded": True,
}
BLUE_SWIMMING_CRAB = {
    "species": "portunus",
    "carapace_width_cm": 11,
    "weight_g": 120,
    "egg_bearing_excluded": True,
}


def _product(actor, bumdes, hs: str, *, countries=(), markets=(), **data):
    months = data.pop("months", None)
    if months:
        data["available_months"] = checks.months_to_mask(months)
    product = services.create_product(
        actor=actor,
        bumdes=bumdes,
        data={"hs_code": HsCode.objects.get(code=hs), **data},
        exported_to=list(Country.objects.filter(code__in=countries)),
        target_markets=list(Country.objects.filter(code__in=markets)),
    )
    # A drawing (clearly one) until the BUMDes uploads photos.
    services.add_photo(
        actor=actor, product=product, upload=illustration(product), caption="Ilustrasi demo"
    )
    return product


def _walk(bumdes_or_product, steps, *, officer, ministry, note="") -> None:
    for step in steps:
        actor = officer if step == "submitted" else ministry
        extra = {"note": note} if step == "returned" else {}
        if isinstance(bumdes_or_product, Bumdes):
            services.transition_bumdes(actor=actor, bumdes=bumdes_or_product, to=step, **extra)
        else:
            services.transition_product(actor=actor, product=bumdes_or_product, to=step, **extra)


def _bumdes(actor, regency: str, name: str, index: int = 0, **data) -> Bumdes | None:
    village = _desa(regency, index)
    if Bumdes.objects.filter(village=village, name__iexact=name).exists():
        return None
    return services.create_bumdes(actor=actor, data={"name": name, "village": village, **data})


@transaction.atomic
def load() -> list[tuple[str, str]]:
    ministry, sultra, sulteng, konawe = (
        _user(u) for u in ("kemendes", "sultra", "sulteng", "konawe")
    )
    operator, created = User.objects.get_or_create(
        username="bumdes",
        defaults={
            "email": "bumdes@demo.bumdes-ekspor.id",
            "role": Role.OPERATOR,
            "first_name": "Wa Ode",
            "last_name": "Nurhayati",
        },
    )
    if created:
        operator.set_password(DEMO_PASSWORD)
        operator.save()

    # 1. Konawe: the first success — live crab and blue swimming crab to Hong Kong.
    mina = _bumdes(
        konawe,
        "74.02",
        "BUMDes Mina Bahari",
        year_founded=2017,
        legal_status=Bumdes.LegalStatus.LEGAL_ENTITY,
        legal_certificate_number="AHU-00421.AH.01.33.2022",
        nib="9120001234567",
        npwp="01.234.567.8-811.000",
        manager_name="La Ode Rahim",
        contact_phone="+62 812-4000-1001",
        contact_whatsapp="+62 812-4000-1001",
        contact_email="minabahari@example.id",
        address="Jl. Poros Pantai No. 3",
        business_units="Perikanan tangkap\nPengumpulan kepiting\nSimpan pinjam",
        description="Kepiting bakau dan rajungan dari nelayan desa pesisir Konawe; "
        "pengiriman pertama ke Hong Kong selesai.",
    )
    if mina:
        _walk(mina, ["submitted", "verified"], officer=konawe, ministry=ministry)
        services.link_operator(actor=konawe, bumdes=mina, user=operator)
        for name_id, name_en, capacity, specification in (
            ("Kepiting bakau hidup", "Live mud crab", 3, MUD_CRAB),
            ("Rajungan hidup", "Live blue swimming crab", 2, BLUE_SWIMMING_CRAB),
        ):
            crab = _product(
                konawe,
                mina,
                "030633",
                countries=["HK"],
                markets=["HK", "SG", "CN"],
                name_id=name_id,
                name_en=name_en,
                form="live",
                unit="ton",
                capacity_per_month=capacity,
                min_order="0.5",
                price="12500",
                currency="USD",
                incoterm="FOB",
                packaging="Kotak styrofoam berventilasi 20 kg",
                shelf_life_days=3,
                description_id=f"{name_id} ukuran ekspor (≥150 g).",
                description_en=f"{name_en}, export size (at least 150 g), tied and packed live.",
                months=list(range(1, 13)),
                specification=specification,
            )
            _certificate(konawe, crab, "health-fish", f"KI-1/7402/{capacity:03d}")
            _certificate(konawe, crab, "coo-form-ahk", f"AHK/KDI/2026/{capacity:03d}", 180)
            _certificate(konawe, crab, "coo-form-e", f"E/KDI/2026/{capacity:03d}", 180)
            _walk(
                crab, ["submitted", "verified", "export_ready"], officer=konawe, ministry=ministry
            )
        draft = _product(
            operator,
            mina,
            "160510",
            name_id="Daging rajungan pasteurisasi",
            name_en="Pasteurised crab meat",
            form="processed",
            unit="kg",
            capacity_per_month=800,
        )
        assert draft.status == "draft"

    # 2. Central Sulawesi, Donggala (daerah tertinggal): crab, verified, waiting for KI-1.
    bakau = _bumdes(
        sulteng,
        "72.03",
        "BUMDes Bakau Lestari",
        year_founded=2019,
        legal_status=Bumdes.LegalStatus.NAME_REGISTERED,
        nib="9120007654321",
        manager_name="Abdul Karim",
        contact_phone="+62 813-5500-2002",
        description="Kepiting bakau dari hutan mangrove pesisir Donggala.",
    )
    if bakau:
        _walk(bakau, ["submitted", "verified"], officer=sulteng, ministry=ministry)
        crab = _product(
            sulteng,
            bakau,
            "030633",
            markets=["HK", "MY"],
            name_id="Kepiting bakau hidup",
            name_en="Live mud crab",
            form="live",
            unit="kg",
            capacity_per_month=900,
            price="11",
            packaging="Keranjang bambu",
            months=[3, 4, 5, 6, 7, 8, 9, 10],
            specification={**MUD_CRAB, "carapace_width_cm": 12.5, "weight_g": 170},
        )
        _walk(crab, ["submitted", "verified"], officer=sulteng, ministry=ministry)

    # 3. Sigi (daerah tertinggal): banana flour, submitted for review.
    sigi = _bumdes(
        sulteng,
        "72.10",
        "BUMDes Sigi Makmur",
        year_founded=2018,
        manager_name="Ni Ketut Ayu",
        description="Olahan pisang kepok petani Sigi.",
    )
    if sigi:
        _walk(sigi, ["submitted"], officer=sulteng, ministry=ministry)
        flour = _product(
            sulteng,
            sigi,
            "110630",
            markets=["JP", "KR"],
            name_id="Tepung pisang kepok",
            name_en="Kepok banana flour",
            form="processed",
            unit="kg",
            capacity_per_month=1500,
            price="3.20",
            packaging="Kantong kraft 25 kg",
            shelf_life_days=365,
        )
        _walk(flour, ["submitted"], officer=sulteng, ministry=ministry)

    # 4. Garut, Jawa Barat: avocado oil, export-ready.
    garut = _bumdes(
        ministry,
        "32.05",
        "BUMDes Alpukat Garut",
        year_founded=2016,
        legal_status=Bumdes.LegalStatus.LEGAL_ENTITY,
        legal_certificate_number="AHU-00107.AH.01.33.2021",
        nib="9120003456789",
        npwp="02.345.678.9-443.000",
        manager_name="Asep Saepudin",
        contact_email="alpukat.garut@example.id",
        description="Minyak alpukat perasan dingin dari kebun alpukat desa.",
    )
    if garut:
        _walk(garut, ["submitted", "verified"], officer=ministry, ministry=ministry)
        oil = _product(
            ministry,
            garut,
            "151590",
            markets=["NL", "AE"],
            name_id="Minyak alpukat murni",
            name_en="Cold-pressed avocado oil",
            form="processed",
            unit="l",
            capacity_per_month=600,
            price="18",
            packaging="Botol kaca 250 ml",
            shelf_life_days=540,
            description_en="Cold-pressed avocado oil.",
            description_id="Minyak alpukat perasan dingin.",
        )
        _certificate(ministry, oil, "halal", "ID32110001234560124")
        _walk(oil, ["submitted", "verified", "export_ready"], officer=ministry, ministry=ministry)
        essential = _product(
            ministry,
            garut,
            "330129",
            name_id="Minyak atsiri daun alpukat",
            name_en="Avocado leaf essential oil",
            form="processed",
            unit="ml",
            capacity_per_month=20000,
            specification={"purity_pct": 92, "packaging": "glass"},
        )
        assert essential.status == "draft"

    # 5. Sumba Barat Daya, NTT (daerah tertinggal): vanilla, returned with a reason.
    sumba = _bumdes(
        ministry, "53.18", "BUMDes Vanili Sumba", year_founded=2020, manager_name="Yohanis Bili"
    )
    if sumba:
        vanilla = _product(
            ministry,
            sumba,
            "090510",
            name_id="Vanili kering",
            name_en="Cured vanilla beans",
            form="dried",
            unit="kg",
            capacity_per_month=40,
            months=[6, 7, 8, 9],
        )
        _walk(
            vanilla,
            ["submitted", "returned"],
            officer=ministry,
            ministry=ministry,
            note="Lengkapi NIB BUMDes dan rencana sertifikat fitosanitari.",
        )

    # 6. Lampung Selatan: banana flour, still a draft.
    lampung = _bumdes(ministry, "18.01", "BUMDes Pisang Agung", year_founded=2021)
    if lampung:
        _product(
            ministry,
            lampung,
            "110630",
            name_id="Tepung pisang",
            form="processed",
            unit="kg",
            capacity_per_month=500,
        )

    # 7. Kepulauan Tanimbar, Maluku (daerah tertinggal): seaweed; the BUMDes was returned.
    tanimbar = _bumdes(
        ministry,
        "81.03",
        "BUMDes Rumput Laut Tanimbar",
        year_founded=2019,
        npwp="03.456.789.0-942.000",
    )
    if tanimbar:
        _walk(
            tanimbar,
            ["submitted", "returned"],
            officer=ministry,
            ministry=ministry,
            note="Nama BUMDes belum sesuai sertifikat pendaftaran; mohon diperbaiki.",
        )
        _product(
            ministry,
            tanimbar,
            "121221",
            name_id="Rumput laut kering",
            name_en="Dried seaweed (Eucheuma cottonii)",
            form="dried",
            unit="ton",
            capacity_per_month=12,
            specification={"moisture_pct": 35, "impurities_pct": 3},
        )

    # Products created before the catalogue existed are listed too.
    refresh_all()
    return [("bumdes", "BUMDes operator, BUMDes Mina Bahari (Konawe crab)")]
