"""Seed the export documents from the domain notes' table (and the two certificate types the
essential-oil rules name). Only missing codes are added, so ministry staff's edits stay.

How long a document takes is left empty: the domain notes do not say.
"""

from django.db import migrations

CERTIFICATE_TYPES = [
    ("coa", "Sertifikat analisis (COA)", "Certificate of analysis (COA)",
     "Laboratorium terakreditasi KAN"),
    ("msds", "Lembar data keselamatan (MSDS/SDS)", "Safety data sheet (MSDS/SDS)",
     "Produsen / laboratorium"),
]

# code, kind, needed, certificate type, (name id, en), (issuer id, en), (where to apply id, en)
DOCUMENTS = [
    ("NIB", "licence", "every_shipment", None,
     ("Nomor Induk Berusaha (NIB)", "Business identity number (NIB)"),
     ("Sistem OSS", "The OSS system"),
     ("Daring di oss.go.id", "Online at oss.go.id")),
    ("NPWP", "licence", "every_shipment", None,
     ("Nomor Pokok Wajib Pajak (NPWP)", "Tax number (NPWP)"),
     ("Direktorat Jenderal Pajak", "Directorate General of Taxes"),
     ("Kantor pajak setempat atau daring", "The local tax office, or online")),
    ("CUSTOMS_REG", "licence", "every_shipment", None,
     ("Registrasi kepabeanan (NIK kepabeanan)", "Customs registration (NIK kepabeanan)"),
     ("Direktorat Jenderal Bea dan Cukai (DJBC)", "Directorate General of Customs (DJBC)"),
     ("Portal pengguna jasa Bea Cukai", "The customs service users' portal")),
    ("PEB", "declaration", "every_shipment", None,
     ("Pemberitahuan Ekspor Barang (PEB)", "Export declaration (PEB)"),
     ("Direktorat Jenderal Bea dan Cukai (DJBC)", "Directorate General of Customs (DJBC)"),
     ("Secara elektronik, sebelum barang masuk kawasan pabean",
      "Electronically, before the goods enter the customs area")),
    ("NPE", "declaration", "every_shipment", None,
     ("Nota Pelayanan Ekspor (NPE)", "Export approval (NPE)"),
     ("Direktorat Jenderal Bea dan Cukai (DJBC)", "Directorate General of Customs (DJBC)"),
     ("Terbit secara elektronik atas PEB", "Issued electronically on the PEB")),
    ("INVOICE", "commercial", "every_shipment", None,
     ("Faktur komersial (commercial invoice)", "Commercial invoice"),
     ("Eksportir", "The exporter"),
     ("Dibuat eksportir untuk setiap pengiriman", "Drawn up by the exporter for each shipment")),
    ("PACKING_LIST", "commercial", "every_shipment", None,
     ("Daftar kemasan (packing list)", "Packing list"),
     ("Eksportir", "The exporter"),
     ("Dibuat eksportir untuk setiap pengiriman", "Drawn up by the exporter for each shipment")),
    ("BL", "transport", "sea", None,
     ("Konosemen (bill of lading)", "Bill of lading"),
     ("Perusahaan pelayaran", "The shipping line"),
     ("Diterbitkan pengangkut saat barang dimuat", "Issued by the carrier when loaded")),
    ("AWB", "transport", "air", None,
     ("Surat muatan udara (air waybill)", "Air waybill"),
     ("Maskapai atau agen kargo udara", "The airline or its cargo agent"),
     ("Diterbitkan pengangkut saat barang diterima", "Issued by the carrier on acceptance")),
    ("SKA", "origin", "by_rule", "coo",
     ("Surat keterangan asal (SKA) non-preferensi", "Certificate of origin (non-preferential)"),
     ("Instansi penerbit SKA (IPSKA)", "A certificate of origin issuing office (IPSKA)"),
     ("Daring melalui e-SKA", "Online through e-SKA")),
    ("SKA_D", "origin", "by_rule", "coo-form-d",
     ("SKA Form D (ATIGA, ASEAN)", "Certificate of origin Form D (ATIGA, ASEAN)"),
     ("Instansi penerbit SKA (IPSKA)", "A certificate of origin issuing office (IPSKA)"),
     ("Daring melalui e-SKA", "Online through e-SKA")),
    ("SKA_E", "origin", "by_rule", "coo-form-e",
     ("SKA Form E (ACFTA, Tiongkok)", "Certificate of origin Form E (ACFTA, China)"),
     ("Instansi penerbit SKA (IPSKA)", "A certificate of origin issuing office (IPSKA)"),
     ("Daring melalui e-SKA", "Online through e-SKA")),
    ("SKA_AHK", "origin", "by_rule", "coo-form-ahk",
     ("SKA Form AHK (AHKFTA, Hong Kong)", "Certificate of origin Form AHK (AHKFTA, Hong Kong)"),
     ("Instansi penerbit SKA (IPSKA)", "A certificate of origin issuing office (IPSKA)"),
     ("Daring melalui e-SKA", "Online through e-SKA")),
    ("KI_1", "health", "by_rule", "health-fish",
     ("Sertifikat kesehatan ikan (KI-1)", "Fish health certificate (KI-1)"),
     ("Badan Karantina Indonesia (Barantin), karantina ikan",
      "Indonesian Quarantine Agency (Barantin), fish quarantine"),
     ("Balai karantina setempat, untuk setiap pengiriman",
      "The local quarantine office, for each shipment")),
    ("PHYTO", "health", "by_rule", "phytosanitary",
     ("Sertifikat fitosanitari", "Phytosanitary certificate"),
     ("Badan Karantina Indonesia (Barantin), karantina tumbuhan",
      "Indonesian Quarantine Agency (Barantin), plant quarantine"),
     ("Balai karantina setempat, sebelum pengiriman",
      "The local quarantine office, before shipping")),
    ("HALAL", "quality", "by_rule", "halal",
     ("Sertifikat halal", "Halal certificate"),
     ("BPJPH", "BPJPH (halal product assurance agency)"),
     ("Daring melalui SIHALAL; perlu NIB", "Online through SIHALAL; needs the NIB")),
    ("BPOM_SKE", "quality", "by_rule", "bpom-ske",
     ("Surat keterangan ekspor BPOM (SKE)", "BPOM export statement (SKE)"),
     ("Badan POM", "BPOM (food and drug authority)"),
     ("Balai POM atau layanan daring BPOM", "A BPOM office or BPOM's online service")),
    ("HACCP", "quality", "by_rule", "haccp",
     ("Sertifikat HACCP / kelayakan pengolahan", "HACCP / processing approval"),
     ("Otoritas kompeten perikanan (KKP)", "The fisheries competent authority (KKP)"),
     ("Dinas atau unit pelaksana teknis KKP", "The fisheries office or KKP's technical unit")),
    ("COA", "quality", "by_rule", "coa",
     ("Sertifikat analisis (COA)", "Certificate of analysis (COA)"),
     ("Laboratorium terakreditasi KAN", "A KAN-accredited laboratory"),
     ("Kirim contoh produk ke laboratorium", "Send a sample to the laboratory")),
    ("MSDS", "quality", "by_rule", "msds",
     ("Lembar data keselamatan (MSDS/SDS)", "Safety data sheet (MSDS/SDS)"),
     ("Produsen / laboratorium", "The producer or a laboratory"),
     ("Disusun produsen; diminta pengangkut untuk barang mudah terbakar",
      "Drawn up by the producer; carriers ask for it for flammable goods")),
]


def seed(apps, schema_editor):
    CertificateType = apps.get_model("reference", "CertificateType")
    ExportDocument = apps.get_model("reference", "ExportDocument")
    for code, name_id, name_en, issuer in CERTIFICATE_TYPES:
        CertificateType.objects.get_or_create(
            code=code, defaults={"name_id": name_id, "name_en": name_en, "issuer": issuer}
        )
    for position, (code, kind, needed, certificate, name, issuer, apply_at) in enumerate(
        DOCUMENTS, start=1
    ):
        if ExportDocument.objects.filter(code=code).exists():
            continue
        certificate_type = None
        if certificate:
            certificate_type = CertificateType.objects.filter(code=certificate).first()
            if certificate_type is None or ExportDocument.objects.filter(
                certificate_type=certificate_type
            ).exists():
                continue  # renamed or removed by ministry staff: theirs to add back
        ExportDocument.objects.create(
            code=code,
            kind=kind,
            needed=needed,
            certificate_type=certificate_type,
            name_id=name[0],
            name_en=name[1],
            issuer_id=issuer[0],
            issuer_en=issuer[1],
            apply_at_id=apply_at[0],
            apply_at_en=apply_at[1],
            position=position * 10,
        )


class Migration(migrations.Migration):
    dependencies = [("reference", "0005_export_documents")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
