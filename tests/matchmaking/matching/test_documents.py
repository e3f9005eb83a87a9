"""The certificates and documents behind a match, named in the reader's language."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from matchmaking.matching import documents

NAMES = {"health-fish": "KI-1", "halal": "Halal", "haccp": "HACCP", "coo-form-e": "SKA E"}


def country(code: str, id_name: str, en_name: str):
    return SimpleNamespace(
        code=code, localized_name=lambda language: id_name if language == "id" else en_name
    )


def test_held_and_missing_certificates_are_named_for_the_reader():
    required = ["health-fish", "halal", "haccp"]
    with translation.override("en"):
        assert documents.certificates_sentence(
            {"health-fish", "halal"}, required, NAMES, readers_own=True
        ) == ("Holds KI-1 and Halal, which you require; lacks HACCP, which you require.")
        assert documents.certificates_sentence(set(), required[:1], NAMES, readers_own=False) == (
            "Lacks KI-1, which the organisation requires."
        )
        assert documents.certificates_sentence({"halal"}, [], NAMES, readers_own=True) is None
    with translation.override("id"):
        assert documents.certificates_sentence(
            {"health-fish", "halal"}, required, NAMES, readers_own=True
        ) == (
            "Memiliki KI-1 dan Halal yang Anda syaratkan; belum memiliki HACCP yang Anda syaratkan."
        )


@pytest.mark.django_db
def test_each_market_says_whether_its_certificate_of_origin_is_ready():
    markets = [
        country("HK", "Hong Kong", "Hong Kong"),
        country("CN", "Tiongkok", "China"),
        country("JP", "Jepang", "Japan"),
    ]
    with translation.override("en"):
        assert documents.markets_sentence({"coo-form-ahk"}, markets, "en") == (
            "Form AHK ready for Hong Kong; no certificate of origin for China yet (Form E); "
            "no certificate of origin for Japan yet."
        )
        # The plain certificate of origin serves a market that asks for no form of its own;
        # China's agreement asks for Form E (by the readiness rules).
        assert documents.markets_sentence({"coo"}, markets[1:], "en") == (
            "A certificate of origin ready for Japan; "
            "no certificate of origin for China yet (Form E)."
        )
        assert documents.markets_sentence({"coo"}, [], "en") is None
    with translation.override("id"):
        assert documents.markets_sentence({"coo-form-e"}, markets[1:2], "id") == (
            "Form E siap untuk Tiongkok."
        )


@pytest.mark.django_db
def test_the_markets_follow_the_rules_ministry_staff_edit():
    from bumdes_export.reference.models import Country
    from products.models import ReadinessRule

    japan = [country("JP", "Jepang", "Japan")]
    rule = ReadinessRule.objects.get(code="form-e-china")
    rule.destinations.add(Country.objects.get(code="JP"))
    with translation.override("en"):
        assert documents.markets_sentence({"coo"}, japan, "en") == (
            "No certificate of origin for Japan yet (Form E)."
        )
        assert documents.markets_sentence({"coo-form-e"}, japan, "en") == (
            "Form E ready for Japan."
        )
    rule.active = False
    rule.save()
    with translation.override("en"):
        assert documents.markets_sentence({"coo"}, japan, "en") == (
            "A certificate of origin ready for Japan."
        )
