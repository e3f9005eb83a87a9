"""One word for the directory's entries: ``ExporterMatch`` and ``ExporterMatchState`` are
named ``OrganisationMatch`` and ``OrganisationMatchState`` (they hold buyers' lists too).
State only: the tables keep their names, so no data moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0003_match_scores"),
    ]

    operations = [
        migrations.AlterModelTable(name="exportermatch", table="matchmaking_exportermatch"),
        migrations.AlterModelTable(
            name="exportermatchstate", table="matchmaking_exportermatchstate"
        ),
        migrations.RenameModel(old_name="ExporterMatch", new_name="OrganisationMatch"),
        migrations.RenameModel(old_name="ExporterMatchState", new_name="OrganisationMatchState"),
    ]
