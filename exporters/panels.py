"""Slots of the directory's pages that other apps fill without this app knowing them.

``EXPORTER_PAGE_PANELS``: fragments shown on an organisation's page (matchmaking shows matching
products there). Each entry is a callable ``(request, organisation) -> str`` returning an HTML
fragment (a plain ``str`` that is not marked safe is escaped; ``""`` shows nothing). Register
from the other app's ``AppConfig.ready()``::

    from exporters.panels import EXPORTER_PAGE_PANELS
    EXPORTER_PAGE_PANELS.append(products_panel)

A panel that raises is logged and left out (``bumdes_export.core.panels.render_panels``), so it
never takes the profile page down.
"""

from __future__ import annotations

from bumdes_export.core.panels import Panel

#: Fragments shown on an organisation's page, e.g. matching products.
EXPORTER_PAGE_PANELS: list[Panel] = []
