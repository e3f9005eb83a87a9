"""The move to one word for the directory's entries (``OrganisationMatch``) moves no data."""

from __future__ import annotations

from django.db.migrations.loader import MigrationLoader

from matchmaking.matching.models import OrganisationMatch, OrganisationMatchState


def test_renaming_the_organisation_match_models_keeps_their_tables():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    before = loader.project_state(("matchmaking", "0003_match_scores")).apps
    after = loader.project_state(("matchmaking", "0004_organisation_match_names")).apps
    for old, new in (
        ("ExporterMatch", "OrganisationMatch"),
        ("ExporterMatchState", "OrganisationMatchState"),
    ):
        old_model = before.get_model("matchmaking", old)
        new_model = after.get_model("matchmaking", new)
        assert old_model._meta.db_table == new_model._meta.db_table
        assert [f.column for f in old_model._meta.fields] == [
            f.column for f in new_model._meta.fields
        ]


def test_the_tables_keep_their_names():
    assert OrganisationMatch._meta.db_table == "matchmaking_exportermatch"
    assert OrganisationMatchState._meta.db_table == "matchmaking_exportermatchstate"
