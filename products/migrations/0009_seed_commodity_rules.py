"""Commodity rules as data (issue: export-ready for which market).

Adds the specification templates (crab and blue swimming crab, coffee, seaweed, essential oils),
the crab rules of the domain notes (mud crab for export above about 12 cm carapace width or 150 g
per animal, whatever its form, as the notes state it for crab; never egg-bearing females), and rules for the programme's next products (banana flour,
avocado oil, essential oils). Every figure the domain notes do not give (blue swimming crab's
minimum, coffee's and seaweed's moisture, what essential oils need) is marked as awaiting the
ministry's confirmation: such a rule advises until ministry staff confirm it in the admin.
Seeded rules get their legal basis where the domain notes or the law name it. Only missing codes
are added and only seeded wording is changed, so ministry staff's edits stay.
"""

from django.db import migrations

CRAB_LAW = (
    "Permen KP No. 12/PERMEN-KP/2020 tentang Pengelolaan Lobster, Kepiting, dan Rajungan, "
    "dan perubahannya"
)


def _label(id_, en):
    return {"id": id_, "en": en}


TEMPLATES = [
    (
        "kepiting-rajungan",
        "Kepiting dan rajungan",
        "Crab and blue swimming crab",
        ["030614", "030633", "030693"],
        [
            {"key": "species", "kind": "choice",
             "label": _label("Jenis", "Species"),
             "choices": [
                 {"value": "scylla", "label": _label("Kepiting bakau (Scylla spp.)",
                                                     "Mud crab (Scylla spp.)")},
                 {"value": "portunus", "label": _label("Rajungan (Portunus spp.)",
                                                       "Blue swimming crab (Portunus spp.)")},
                 {"value": "other", "label": _label("Lainnya", "Other")},
             ]},
            {"key": "carapace_width_cm", "kind": "number", "unit": "cm", "min": 1, "max": 40,
             "label": _label("Lebar karapas terkecil", "Smallest carapace width"),
             "help": _label("Lebar karapas ekor terkecil yang dikirim.",
                            "Carapace width of the smallest animal shipped.")},
            {"key": "weight_g", "kind": "number", "unit": "g", "min": 1, "max": 5000,
             "label": _label("Berat terkecil per ekor", "Smallest weight per animal"),
             "help": _label("Berat ekor teringan yang dikirim.",
                            "Weight of the lightest animal shipped.")},
            {"key": "egg_bearing_excluded", "kind": "yes_no",
             "label": _label("Betina bertelur disortir keluar",
                             "Egg-bearing females sorted out"),
             "help": _label("Ya jika setiap betina bertelur dikeluarkan sebelum pengiriman.",
                            "Yes if every egg-bearing female is taken out before shipping.")},
        ],
    ),
    (
        "kopi",
        "Kopi",
        "Coffee",
        ["0901"],
        [
            {"key": "grade", "kind": "choice", "label": _label("Mutu (SNI 2907)", "Grade (SNI 2907)"),
             "choices": [{"value": str(n), "label": _label(f"Mutu {n}", f"Grade {n}")}
                         for n in range(1, 7)]},
            {"key": "moisture_pct", "kind": "number", "unit": "%", "min": 0, "max": 100,
             "label": _label("Kadar air", "Moisture")},
        ],
    ),
    (
        "rumput-laut",
        "Rumput laut",
        "Seaweed",
        ["1212"],
        [
            {"key": "moisture_pct", "kind": "number", "unit": "%", "min": 0, "max": 100,
             "label": _label("Kadar air", "Moisture")},
            {"key": "impurities_pct", "kind": "number", "unit": "%", "min": 0, "max": 100,
             "label": _label("Kotoran / benda asing", "Impurities")},
        ],
    ),
    (
        "minyak-atsiri",
        "Minyak atsiri",
        "Essential oils",
        ["3301"],
        [
            {"key": "purity_pct", "kind": "number", "unit": "%", "min": 0, "max": 100,
             "label": _label("Kemurnian (kadar komponen utama)", "Purity (main component)")},
            {"key": "packaging", "kind": "choice", "label": _label("Kemasan", "Packaging"),
             "choices": [
                 {"value": "drum", "label": _label("Drum baja atau aluminium",
                                                   "Steel or aluminium drum")},
                 {"value": "glass", "label": _label("Botol kaca gelap", "Dark glass bottle")},
                 {"value": "plastic", "label": _label("Jeriken / botol plastik",
                                                      "Plastic jerrycan or bottle")},
             ]},
        ],
    ),
]

# code, requirement, certificate, hs prefix, forms, weight, required, confirmed, legal basis,
# applies_when, conditions, any_condition, gap (id, en), next step (id, en)
RULES = [
    ("crab-size-mud-crab", "specification", None, "0306", [], 10, True, True, CRAB_LAW,
     {"species": "scylla"},
     [{"field": "carapace_width_cm", "op": ">", "value": 12},
      {"field": "weight_g", "op": ">", "value": 150}], True,
     ("Kepiting bakau hanya boleh diekspor dengan lebar karapas di atas 12 cm atau berat di "
      "atas 150 g per ekor",
      "Mud crab may only be exported above 12 cm carapace width or 150 g per animal"),
     ("Catat jenis, lebar karapas dan berat ekor terkecil di spesifikasi produk; sortir "
      "kepiting di bawah ukuran sebelum pengiriman.",
      "Record the species and the smallest carapace width and weight in the product's "
      "specification; sort out undersized crabs before shipping.")),
    ("crab-no-egg-bearing-mud-crab", "specification", None, "0306", [], 10, True, True,
     CRAB_LAW, {"species": "scylla"},
     [{"field": "egg_bearing_excluded", "op": "=", "value": True}], False,
     ("Kepiting bakau betina bertelur tidak boleh diekspor",
      "Egg-bearing female mud crabs may not be exported"),
     ("Sortir dan lepaskan betina bertelur, lalu catat di spesifikasi produk.",
      "Sort out and release egg-bearing females, then record it in the product's "
      "specification.")),
    ("crab-size-blue-swimming-crab", "specification", None, "0306", [], 10, True, False,
     CRAB_LAW, {"species": "portunus"},
     [{"field": "carapace_width_cm", "op": ">", "value": 10}], False,
     ("Rajungan di bawah ukuran minimum (10 cm, menunggu konfirmasi kementerian)",
      "Blue swimming crab below its minimum size (10 cm, awaiting the ministry's "
      "confirmation)"),
     ("Catat lebar karapas terkecil; kementerian mengonfirmasi ukuran minimum rajungan.",
      "Record the smallest carapace width; the ministry confirms blue swimming crab's "
      "minimum.")),
    ("crab-no-egg-bearing-blue-swimming-crab", "specification", None, "0306", [], 10, True,
     False, CRAB_LAW, {"species": "portunus"},
     [{"field": "egg_bearing_excluded", "op": "=", "value": True}], False,
     ("Rajungan betina bertelur sebaiknya tidak diekspor (menunggu konfirmasi kementerian)",
      "Egg-bearing female blue swimming crabs should not be exported (awaiting the "
      "ministry's confirmation)"),
     ("Sortir betina bertelur dan catat di spesifikasi produk.",
      "Sort out egg-bearing females and record it in the product's specification.")),
    ("coffee-moisture", "specification", None, "0901", [], 10, True, False,
     "SNI 2907:2008 Biji kopi", {},
     [{"field": "moisture_pct", "op": "<=", "value": 12.5}], False,
     ("Kadar air kopi di atas 12,5% (menunggu konfirmasi kementerian)",
      "Coffee moisture above 12.5% (awaiting the ministry's confirmation)"),
     ("Keringkan biji kopi sampai kadar air paling tinggi 12,5% dan catat hasil ujinya.",
      "Dry the beans to at most 12.5% moisture and record the test result.")),
    ("seaweed-moisture-impurities", "specification", None, "1212", [], 10, True, False,
     "SNI 2690:2015 Rumput laut kering", {},
     [{"field": "moisture_pct", "op": "<=", "value": 38},
      {"field": "impurities_pct", "op": "<=", "value": 5}], False,
     ("Kadar air atau kotoran rumput laut di atas batas (38% / 5%, menunggu konfirmasi "
      "kementerian)",
      "Seaweed moisture or impurities above the limit (38% / 5%, awaiting the ministry's "
      "confirmation)"),
     ("Jemur dan bersihkan rumput laut, lalu catat kadar air dan kotorannya.",
      "Dry and clean the seaweed, then record its moisture and impurities.")),
    ("essential-oil-specification", "specification", None, "3301", [], 10, True, False,
     "", {},
     [{"field": "purity_pct", "op": "set"},
      {"field": "packaging", "op": "!=", "value": "plastic"}], False,
     ("Kemurnian minyak atsiri belum dicatat atau kemasannya plastik (menunggu konfirmasi "
      "kementerian)",
      "Essential oil purity not recorded, or packed in plastic (awaiting the ministry's "
      "confirmation)"),
     ("Catat kemurnian dari hasil uji laboratorium; kemas dalam drum logam atau botol kaca.",
      "Record the purity from a laboratory test; pack in metal drums or glass bottles.")),
    ("coa-essential-oil", "certificate", "coa", "3301", [], 10, True, False, "", {}, [], False,
     ("Sertifikat analisis (COA) biasanya diminta pembeli minyak atsiri (menunggu konfirmasi "
      "kementerian)",
      "Buyers of essential oils usually ask for a certificate of analysis (awaiting the "
      "ministry's confirmation)"),
     ("Uji contoh di laboratorium terakreditasi KAN dan unggah COA-nya.",
      "Have a sample tested by a KAN-accredited laboratory and upload the COA.")),
    ("msds-essential-oil", "certificate", "msds", "3301", [], 5, True, False, "", {}, [], False,
     ("Lembar data keselamatan (MSDS) diminta pengangkut untuk minyak atsiri (menunggu "
      "konfirmasi kementerian)",
      "Carriers ask for a safety data sheet (MSDS) for essential oils (awaiting the "
      "ministry's confirmation)"),
     ("Susun MSDS dari hasil uji dan unggah bersama produk.",
      "Draw up the MSDS from the test results and upload it with the product.")),
]

HALAL = (
    ("Sertifikat halal diminta banyak pembeli untuk pangan olahan",
     "Halal certificate expected by many buyers of processed food"),
    ("Ajukan sertifikat halal melalui SIHALAL (BPJPH); perlu NIB.",
     "Apply for halal certification through SIHALAL (BPJPH); it needs the NIB."),
)
BPOM = (
    ("Surat keterangan ekspor BPOM (SKE) untuk pangan olahan",
     "BPOM export statement (SKE) for processed food"),
    ("Ajukan SKE ke BPOM jika negara tujuan memintanya.",
     "Apply to BPOM for an export statement where the destination requires one."),
)
# Banana flour (1106) and avocado oil (1515): halal and BPOM like other processed food.
for chapter in ("11", "15"):
    RULES.append((f"halal-{chapter}", "certificate", "halal", chapter, [], 10, False, True,
                  "UU No. 33 Tahun 2014 tentang Jaminan Produk Halal", {}, [], False, *HALAL))
    RULES.append((f"bpom-ske-{chapter}", "certificate", "bpom-ske", chapter, ["processed"], 10,
                  False, True, "", {}, [], False, *BPOM))

LEGAL_BASES = {
    "bumdes-nib": "PP No. 5 Tahun 2021 (perizinan berusaha berbasis risiko, OSS)",
    "bumdes-legal-entity": "PP No. 11 Tahun 2021 tentang Badan Usaha Milik Desa",
    "bumdes-verified": "PP No. 11 Tahun 2021 tentang Badan Usaha Milik Desa",
    "ki1-fishery": "UU No. 21 Tahun 2019 tentang Karantina Hewan, Ikan, dan Tumbuhan",
    "form-ahk-hong-kong": "ASEAN-Hong Kong, China Free Trade Agreement (AHKFTA)",
    "form-e-china": "ASEAN-China Free Trade Area (ACFTA)",
    "form-d-asean": "ASEAN Trade in Goods Agreement (ATIGA)",
}
for chapter in ["06", "07", "08", "09", "10", "12", "14"]:
    LEGAL_BASES[f"phytosanitary-{chapter}"] = (
        "UU No. 21 Tahun 2019 tentang Karantina Hewan, Ikan, dan Tumbuhan"
    )
for chapter in ["16", "17", "18", "19", "20", "21"]:
    LEGAL_BASES[f"halal-{chapter}"] = "UU No. 33 Tahun 2014 tentang Jaminan Produk Halal"

# The KI-1 rule's next step gave the crab size as advice; it is a rule of its own now.
KI1_OLD = (
    "Ajukan KI-1 ke Balai Karantina (Barantin) setempat untuk setiap pengiriman; untuk kepiting "
    "pastikan lebar karapas minimal sekitar 12 cm / 150 g dan tidak bertelur.",
    "Apply to the local quarantine office (Barantin) for each shipment; for crab make sure the "
    "carapace is at least about 12 cm / 150 g and females carry no eggs.",
)
KI1_NEW = (
    "Ajukan KI-1 ke Balai Karantina (Barantin) setempat untuk setiap pengiriman.",
    "Apply to the local quarantine office (Barantin) for each shipment.",
)


def seed(apps, schema_editor):
    CertificateType = apps.get_model("reference", "CertificateType")
    ReadinessRule = apps.get_model("products", "ReadinessRule")
    SpecificationTemplate = apps.get_model("products", "SpecificationTemplate")
    for code, name_id, name_en, prefixes, fields in TEMPLATES:
        SpecificationTemplate.objects.get_or_create(
            code=code,
            defaults={"name_id": name_id, "name_en": name_en, "hs_prefixes": prefixes,
                      "fields": fields},
        )
    for (code, requirement, certificate, prefix, forms, weight, required, confirmed, basis,
         applies_when, conditions, any_condition, gap, step) in RULES:
        certificate_type = None
        if certificate:
            certificate_type = CertificateType.objects.filter(code=certificate).first()
            if certificate_type is None:
                continue
        ReadinessRule.objects.get_or_create(
            code=code,
            defaults={
                "requirement": requirement,
                "certificate_type": certificate_type,
                "hs_prefix": prefix,
                "forms": forms,
                "weight": weight,
                "required": required,
                "confirmed": confirmed,
                "legal_basis": basis,
                "applies_when": applies_when,
                "conditions": conditions,
                "any_condition": any_condition,
                "gap_id": gap[0],
                "gap_en": gap[1],
                "next_step_id": step[0],
                "next_step_en": step[1],
            },
        )
    for code, basis in LEGAL_BASES.items():
        ReadinessRule.objects.filter(code=code, legal_basis="").update(legal_basis=basis)
    ReadinessRule.objects.filter(
        code="ki1-fishery", next_step_id=KI1_OLD[0], next_step_en=KI1_OLD[1]
    ).update(next_step_id=KI1_NEW[0], next_step_en=KI1_NEW[1])


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0008_market_readiness"),
        ("reference", "0006_seed_export_documents"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
