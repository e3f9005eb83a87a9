"""Bahasa Indonesia is the default language: every user-facing string has its translation."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from tests.conftest import ROOT

PO_ID = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO_ID = PO_ID.with_suffix(".mo")
TEMPLATE_STRING = re.compile(r"""\{%\s*(?:translate|trans)\s+"([^"]+)"(?:\s+as\s+\w+)?\s*%\}""")


def po_entries(path) -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, fuzzy) from a .po file, multi-line strings joined."""
    entries: dict[str, tuple[str, bool]] = {}
    fuzzy = False
    key = None
    msgid: list[str] = []
    msgstr: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            key, msgid = "id", [line[6:]]
        elif line.startswith("msgstr ") or line.startswith("msgstr[0] "):
            key, msgstr = "str", [line.split(" ", 1)[1]]
        elif line.startswith('"') and key:
            (msgid if key == "id" else msgstr).append(line)
        elif not line.strip() and key == "str":
            text = "".join(s.strip()[1:-1] for s in msgid)
            if text:
                entries[text] = ("".join(s.strip()[1:-1] for s in msgstr), fuzzy)
            key, fuzzy = None, False
    return entries


def test_every_indonesian_entry_is_translated_and_not_fuzzy():
    entries = po_entries(PO_ID)
    assert len(entries) > 100
    missing = [k for k, (v, _) in entries.items() if not v]
    fuzzy = [k for k, (_, f) in entries.items() if f]
    assert missing == []
    assert fuzzy == []


def test_every_template_string_is_in_the_catalogue():
    """Catches a string added to a template without re-running `make messages`."""
    entries = po_entries(PO_ID)
    templates = list((ROOT / "templates").rglob("*.html")) + list(
        (ROOT / "templates").rglob("*.txt")
    )
    absent = sorted(
        {
            text.replace('"', '\\"')
            for path in templates
            for text in TEMPLATE_STRING.findall(path.read_text(encoding="utf-8"))
        }
        - set(entries)
    )
    assert absent == []


def test_compiled_catalogue_is_shipped():
    assert MO_ID.exists(), "run `make messages` and commit the .mo file"
    assert MO_ID.stat().st_size > 1000


@pytest.mark.parametrize("source, indonesian", [("Log in", "Masuk"), ("Log out", "Keluar")])
def test_indonesian_is_served_by_default(source, indonesian):
    with translation.override("id"):
        assert translation.gettext(source) == indonesian
    with translation.override("en"):
        assert translation.gettext(source) == source


@pytest.mark.django_db
def test_pages_render_in_indonesian_by_default_and_english_on_request(client, settings):
    settings.LANGUAGE_CODE = "id"
    page = client.get("/", headers={"accept-language": ""}).content.decode()
    assert '<html lang="id">' in page
    assert "Masuk" in page
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page


PORTAL_APPS = {
    "accounts",
    "core",
    "notifications",
    "reference",
    "products",
    "exporters",
    "matchmaking",
}


def test_every_model_is_named_in_the_readers_language():
    """The admin and every message that names a model speak Indonesian on Indonesian pages."""
    from django.apps import apps
    from django.utils import translation
    from django.utils.functional import Promise

    untranslatable, untranslated = [], []
    for model in apps.get_models():
        if model._meta.app_label not in PORTAL_APPS:
            continue
        for name in (model._meta.verbose_name, model._meta.verbose_name_plural):
            if not isinstance(name, Promise):
                untranslatable.append(f"{model._meta.label}: {name}")
                continue
            with translation.override("en"):
                english = str(name)
            with translation.override("id"):
                indonesian = str(name)
            if indonesian == english and english not in SAME_IN_BOTH:
                untranslated.append(f"{model._meta.label}: {english}")
    assert untranslatable == [], "verbose names without gettext_lazy"
    assert untranslated == [], "verbose names without an Indonesian translation"


#: Names that are the same word in both languages.
SAME_IN_BOTH = {"BUMDes", "HS code", "HS codes", "forum"}
