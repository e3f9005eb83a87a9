"""Seed the catalogue of certificate and permit types from the domain notes.

Ministry staff edit it in the admin afterwards; only missing codes are added, so their edits stay.
"""

from django.db import migrations

CERTIFICATE_TYPES = [
    ("halal", "Sertifikat halal", "Halal certificate", "BPJPH (SIHALAL)"),
    ("bpom-ske", "Surat keterangan ekspor BPOM (SKE)", "BPOM export statement (SKE)", "BPOM"),
    ("bpom-md", "Izin edar BPOM (MD)", "BPOM product registration (MD)", "BPOM"),
    ("pirt", "Sertifikat produksi pangan industri rumah tangga (SPP-IRT)",
     "Home-industry food production certificate (SPP-IRT)", "Dinas Kesehatan"),
    ("sni", "Sertifikat SNI", "SNI (Indonesian National Standard) certificate", "BSN / LSPro"),
    ("haccp", "Sertifikat HACCP / kelayakan pengolahan", "HACCP / processing approval",
     "Otoritas perikanan"),
    ("organic", "Sertifikat organik", "Organic certificate", "LSO"),
    ("health-fish", "Sertifikat kesehatan ikan (KI-1)", "Fish health certificate (KI-1)",
     "Badan Karantina Indonesia (Barantin)"),
    ("phytosanitary", "Sertifikat fitosanitari", "Phytosanitary certificate",
     "Badan Karantina Indonesia (Barantin)"),
    ("coo", "Surat keterangan asal (SKA)", "Certificate of origin (non-preferential)", "e-SKA"),
    ("coo-form-d", "SKA Form D (ATIGA)", "Certificate of origin Form D (ASEAN, ATIGA)", "e-SKA"),
    ("coo-form-e", "SKA Form E (ACFTA)", "Certificate of origin Form E (China, ACFTA)", "e-SKA"),
    ("coo-form-ahk", "SKA Form AHK (AHKFTA)", "Certificate of origin Form AHK (Hong Kong, AHKFTA)",
     "e-SKA"),
]


def seed(apps, schema_editor):
    CertificateType = apps.get_model("reference", "CertificateType")
    for code, name_id, name_en, issuer in CERTIFICATE_TYPES:
        CertificateType.objects.get_or_create(
            code=code, defaults={"name_id": name_id, "name_en": name_en, "issuer": issuer}
        )


class Migration(migrations.Migration):
    dependencies = [("reference", "0002_certificate_type")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
