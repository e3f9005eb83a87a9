"""Folding and splitting search words (``products.catalogue.text``)."""

from __future__ import annotations

import pytest

from products.catalogue.text import fold, tsquery, words

pytestmark = pytest.mark.django_db


# --- Text -------------------------------------------------------------------------------------


def test_text_is_folded_and_split_into_safe_words():
    assert fold("  Kepíting  BAKAU ") == "kepiting bakau"
    assert words("Kopi & 'robusta' | !kopi") == ["kopi", "robusta"]
    assert words("the and") == ["the", "and"]  # only stop words: kept, so they find nothing
    assert words("kopi of the valley") == ["kopi", "valley"]
    assert tsquery([["kopi"], ["ab"]]) == "kopi:* & ab"
    assert tsquery([["kepiting", "kepitings"], ["bakau"]]) == "(kepiting:* | kepitings:*) & bakau:*"
