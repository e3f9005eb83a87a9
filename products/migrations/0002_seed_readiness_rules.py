"""Seed the readiness rules from the domain notes.

They are data that ministry staff edit in the admin afterwards; this migration only adds rules
whose code does not exist yet, so it never overwrites their edits.
"""

from django.db import migrations

ASEAN = ["BN", "KH", "LA", "MY", "MM", "PH", "SG", "TH", "VN"]

# code, requirement, certificate, hs_prefix, forms, destinations, weight, required,
# gap (id, en), next step (id, en)
RULES = [
    ("bumdes-nib", "bumdes_nib", None, "", [], [], 15, True,
     ("NIB belum ada", "NIB missing"),
     ("Daftarkan BUMDes di sistem OSS untuk memperoleh NIB; NIB juga syarat sertifikat halal.",
      "Register the BUMDes in the OSS system to obtain an NIB; the halal certificate needs it too.")),
    ("bumdes-npwp", "bumdes_npwp", None, "", [], [], 10, True,
     ("NPWP belum ada", "NPWP missing"),
     ("Daftarkan BUMDes di kantor pajak untuk memperoleh NPWP.",
      "Register the BUMDes with the tax office to obtain an NPWP.")),
    ("bumdes-legal-entity", "bumdes_legal_entity", None, "", [], [], 10, True,
     ("BUMDes belum berbadan hukum", "BUMDes is not yet a legal entity"),
     ("Daftarkan nama lalu status badan hukum BUMDes di sistem pendaftaran Kemendes PDTT.",
      "Register the BUMDes name, then its legal-entity status, in the ministry's system.")),
    ("bumdes-verified", "bumdes_verified", None, "", [], [], 10, True,
     ("BUMDes belum diverifikasi kementerian", "BUMDes not yet verified by the ministry"),
     ("Petugas daerah mengajukan BUMDes untuk diverifikasi staf kementerian.",
      "The regional officer submits the BUMDes for verification by ministry staff.")),
    ("capacity", "capacity", None, "", [], [], 10, True,
     ("Kapasitas produksi per bulan belum diisi", "Monthly production capacity missing"),
     ("Isi kapasitas produksi per bulan agar pembeli bisa menilai volume.",
      "Enter the monthly capacity so buyers can judge the volume.")),
    ("ki1-fishery", "certificate", "health-fish", "03", ["live", "fresh", "frozen"], [], 20, True,
     ("Sertifikat kesehatan ikan (KI-1) diperlukan untuk produk perikanan hidup, segar atau beku",
      "KI-1 fish health certificate needed for live, fresh or frozen fishery products"),
     ("Ajukan KI-1 ke Balai Karantina (Barantin) setempat untuk setiap pengiriman; untuk kepiting "
      "pastikan lebar karapas minimal sekitar 12 cm / 150 g dan tidak bertelur.",
      "Apply to the local quarantine office (Barantin) for each shipment; for crab make sure the "
      "carapace is at least about 12 cm / 150 g and females carry no eggs.")),
    ("haccp-processed-fish-1604", "certificate", "haccp", "1604", [], [], 15, True,
     ("HACCP / kelayakan pengolahan diperlukan untuk olahan ikan",
      "HACCP / processing approval needed for processed fish"),
     ("Ajukan sertifikat kelayakan pengolahan (SKP) dan HACCP ke otoritas perikanan.",
      "Apply for processing approval and HACCP with the fisheries authority.")),
    ("haccp-processed-fish-1605", "certificate", "haccp", "1605", [], [], 15, True,
     ("HACCP / kelayakan pengolahan diperlukan untuk olahan krustasea",
      "HACCP / processing approval needed for processed crustaceans"),
     ("Ajukan sertifikat kelayakan pengolahan (SKP) dan HACCP ke otoritas perikanan.",
      "Apply for processing approval and HACCP with the fisheries authority.")),
    ("form-ahk-hong-kong", "certificate", "coo-form-ahk", "", [], ["HK"], 5, False,
     ("Form AHK memungkinkan pembeli di Hong Kong memperoleh preferensi tarif",
      "Form AHK lets the buyer in Hong Kong claim the tariff preference"),
     ("Ajukan SKA Form AHK melalui e-SKA untuk setiap pengiriman ke Hong Kong.",
      "Apply for a Form AHK certificate of origin through e-SKA for each shipment to Hong Kong.")),
    ("form-e-china", "certificate", "coo-form-e", "", [], ["CN"], 5, False,
     ("Form E memungkinkan pembeli di Tiongkok memperoleh preferensi tarif",
      "Form E lets the buyer in China claim the tariff preference"),
     ("Ajukan SKA Form E melalui e-SKA.", "Apply for Form E through e-SKA.")),
    ("form-d-asean", "certificate", "coo-form-d", "", [], ASEAN, 5, False,
     ("Form D memungkinkan pembeli di ASEAN memperoleh preferensi tarif",
      "Form D lets the buyer in ASEAN claim the tariff preference"),
     ("Ajukan SKA Form D melalui e-SKA.", "Apply for Form D through e-SKA.")),
    ("photo", "photo", None, "", [], [], 5, False,
     ("Belum ada foto produk", "No product photo"),
     ("Unggah foto produk yang jelas; pembeli memilih dari foto.",
      "Upload a clear product photo; buyers choose from photos.")),
    ("price", "price", None, "", [], [], 5, False,
     ("Harga indikatif belum diisi", "Indicative price missing"),
     ("Isi harga indikatif, biasanya FOB dalam USD.",
      "Enter an indicative price, usually FOB in USD.")),
    ("packaging", "packaging", None, "", [], [], 3, False,
     ("Kemasan belum dijelaskan", "Packaging not described"),
     ("Jelaskan kemasan ekspor (bahan, ukuran, berat per kemasan).",
      "Describe the export packaging (material, size, weight per pack).")),
    ("english", "english_name", None, "", [], [], 5, False,
     ("Nama dan uraian bahasa Inggris belum ada", "English name and description missing"),
     ("Tambahkan nama dan uraian dalam bahasa Inggris untuk pembeli luar negeri.",
      "Add an English name and description for foreign buyers.")),
]

for chapter in ["06", "07", "08", "09", "10", "12", "14"]:
    RULES.append(
        (f"phytosanitary-{chapter}", "certificate", "phytosanitary", chapter, [], [], 10, False,
         ("Sertifikat fitosanitari biasanya diminta negara tujuan untuk produk tumbuhan",
          "Phytosanitary certificate usually required by the destination for plant products"),
         ("Ajukan sertifikat fitosanitari ke Balai Karantina (Barantin) sebelum pengiriman.",
          "Apply to the quarantine office (Barantin) for a phytosanitary certificate before "
          "shipping."))
    )
for chapter in ["16", "17", "18", "19", "20", "21"]:
    RULES.append(
        (f"halal-{chapter}", "certificate", "halal", chapter, [], [], 10, False,
         ("Sertifikat halal diminta banyak pembeli untuk pangan olahan",
          "Halal certificate expected by many buyers of processed food"),
         ("Ajukan sertifikat halal melalui SIHALAL (BPJPH); perlu NIB.",
          "Apply for halal certification through SIHALAL (BPJPH); it needs the NIB."))
    )
    RULES.append(
        (f"bpom-ske-{chapter}", "certificate", "bpom-ske", chapter, ["processed"], [], 10, False,
         ("Surat keterangan ekspor BPOM (SKE) untuk pangan olahan",
          "BPOM export statement (SKE) for processed food"),
         ("Ajukan SKE ke BPOM jika negara tujuan memintanya.",
          "Apply to BPOM for an export statement where the destination requires one."))
    )


def seed(apps, schema_editor):
    CertificateType = apps.get_model("reference", "CertificateType")
    ReadinessRule = apps.get_model("products", "ReadinessRule")
    Country = apps.get_model("reference", "Country")
    for (code, requirement, certificate, prefix, forms, destinations, weight, required,
         gap, step) in RULES:
        rule, created = ReadinessRule.objects.get_or_create(
            code=code,
            defaults={
                "requirement": requirement,
                "certificate_type": CertificateType.objects.filter(code=certificate).first(),
                "hs_prefix": prefix,
                "forms": forms,
                "weight": weight,
                "required": required,
                "gap_id": gap[0],
                "gap_en": gap[1],
                "next_step_id": step[0],
                "next_step_en": step[1],
            },
        )
        if created and destinations:
            rule.destinations.set([_country(Country, code) for code in destinations])


def _country(Country, code):
    """The country row, created from ISO data if reference data is not loaded yet."""
    import pycountry
    from babel import Locale

    found = Country.objects.filter(code=code).first()
    if found:
        return found
    iso = pycountry.countries.get(alpha_2=code)
    return Country.objects.create(
        code=code,
        alpha3=iso.alpha_3,
        numeric=iso.numeric,
        name_id=Locale("id").territories.get(code, iso.name),
        name_en=Locale("en").territories.get(code, iso.name),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0001_initial"),
        ("reference", "0003_seed_certificate_types"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

