"""Each shipment keeps where it shipped from (the product's BUMDes and its village), filled in for
the shipments recorded before."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_origins(apps, schema_editor):
    Shipment = apps.get_model("matchmaking", "Shipment")
    Deal = apps.get_model("matchmaking", "Deal")
    deal = Deal.objects.filter(pk=OuterRef("deal_id"))
    Shipment.objects.update(
        bumdes_id=Subquery(deal.values("product__bumdes_id")[:1]),
        village_id=Subquery(deal.values("product__bumdes__village_id")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0010_region_tallies"),
        ("products", "0001_initial"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="shipment",
            name="bumdes",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="products.bumdes",
                verbose_name="BUMDes",
            ),
        ),
        migrations.AddField(
            model_name="shipment",
            name="village",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="reference.region",
                verbose_name="village of origin",
            ),
        ),
        migrations.RunPython(fill_origins, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="shipment",
            name="bumdes",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="products.bumdes",
                verbose_name="BUMDes",
            ),
        ),
        migrations.AlterField(
            model_name="shipment",
            name="village",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="reference.region",
                verbose_name="village of origin",
            ),
        ),
        migrations.AlterField(
            model_name="shipment",
            name="shipped_on",
            field=models.DateField(db_index=True, verbose_name="shipment date"),
        ),
    ]
