"""The slot of the catalogue's item page that other apps fill (matchmaking: shortlist and
inquiry buttons), the same pattern as ``products.panels``."""

from __future__ import annotations

from bumdes_export.core.panels import Panel

#: Fragments other apps show on a catalogue item.
CATALOGUE_PAGE_PANELS: list[Panel] = []
