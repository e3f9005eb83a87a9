"""The English-text gap says "name or description": a product with an English name but no
English description read "English name and description missing". Only the seeded wording is
changed; a rule ministry staff have reworded is left as they wrote it."""

from django.db import migrations

OLD = ("Nama dan uraian bahasa Inggris belum ada", "English name and description missing")
NEW = ("Nama atau uraian bahasa Inggris belum ada", "English name or description missing")


def reword(apps, schema_editor, old=OLD, new=NEW):
    ReadinessRule = apps.get_model("products", "ReadinessRule")
    ReadinessRule.objects.filter(code="english", gap_id=old[0], gap_en=old[1]).update(
        gap_id=new[0], gap_en=new[1]
    )


def back(apps, schema_editor):
    reword(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [("products", "0006_import_suggestions")]
    operations = [migrations.RunPython(reword, back)]
