"""Each shipment keeps who bought or exported it (its deal's organisation), filled in for the
shipments recorded before; and an index from which a period's dashboard figures are added up
without reading the table (PostgreSQL; other databases get the plain date index)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_organisations(apps, schema_editor):
    Shipment = apps.get_model("matchmaking", "Shipment")
    Deal = apps.get_model("matchmaking", "Deal")
    Shipment.objects.update(
        organisation_id=Subquery(
            Deal.objects.filter(pk=OuterRef("deal_id")).values("organisation_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0012_match_announcements"),
        ("exporters", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="shipment",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="exporters.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.RunPython(fill_organisations, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="shipment",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="exporters.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AlterField(
            model_name="shipment",
            name="shipped_on",
            field=models.DateField(verbose_name="shipment date"),
        ),
        migrations.AddIndex(
            model_name="shipment",
            index=models.Index(
                fields=["shipped_on"],
                include=(
                    "hs_code",
                    "destination",
                    "village",
                    "bumdes",
                    "organisation",
                    "value_usd",
                    "volume",
                    "volume_unit",
                ),
                name="shipment_period_figures",
            ),
        ),
    ]
