"""Reading a product name word by word (``bumdes_export.reference.suggestions.words``)."""

from __future__ import annotations

import pytest

from bumdes_export.reference.suggestions import words


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("kepitingnya", "kepiting"),
        ("dikeringkan", "kering"),
        ("dibekukan", "beku"),
        ("menyangrai", "sangrai"),
        ("olahan", "olah"),
    ],
)
def test_affixes_are_taken_off_to_find_the_root(word, root):
    assert root in words.roots(word)


def test_a_name_is_read_as_the_meanings_of_its_words():
    readings, unread = words.read("Kepitingnya BEKU", frozenset())
    assert [(r.written, r.key) for r in readings] == [("kepitingnya", "kepiting"), ("beku", "beku")]
    assert readings[0].stems == ("crab",) and readings[1].entry.form == "frozen"
    assert unread == []


def test_compounds_of_the_kamus_are_read_as_one_word():
    readings, _unread = words.read("rumput laut segar", frozenset())
    assert [r.written for r in readings] == ["rumput laut", "segar"]


def test_a_typo_is_read_as_the_word_it_resembles():
    readings, _unread = words.read("kepitng", frozenset())
    assert readings[0].typo_of == "kepiting" and readings[0].key == "kepiting"
    readings, unread = words.read("kepitng", frozenset(), typos=False)
    assert readings == [] and unread == ["kepitng"]


def test_english_words_are_stemmed_and_get_the_kamus_hints():
    readings, _unread = words.read("Frozen crabs", frozenset({"frozen", "crab"}))
    assert [r.stems[0] for r in readings] == ["frozen", "crab"]
    assert all(r.english for r in readings)
    assert readings[1].entry.key == "kepiting"


def test_what_a_description_says_a_code_is_not_is_left_out():
    assert words.english_stems("Ginger; neither crushed nor ground", affirmed=True) == ["ginger"]
    assert "roast" not in words.english_stems("Coffee; not roasted", affirmed=True)
    assert words.english_stems("Ground-nuts; shelled") == ["groundnut", "shell"]


def test_stemmed_words_neither_translate_nor_correct():
    assert words.stemmed_words("Kepitingnya beku") == ["kepiting", "beku"]
    assert words.stemmed_words("frozen crabs") == ["frozen", "crab"]
    assert words.stemmed_words("kepitng") == ["kepitng"]
