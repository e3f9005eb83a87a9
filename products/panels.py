"""Slots of the registry's pages that other apps fill without this app knowing them.

``PRODUCT_PAGE_PANELS`` and ``BUMDES_PAGE_PANELS``: fragments shown on a product's and a
BUMDes' page (matchmaking fills them; products never imports matchmaking). Each entry is a
callable ``(request, obj) -> str`` returning an HTML fragment (``render_to_string`` or
``format_html``; a plain ``str`` that is not marked safe is escaped; ``""`` shows nothing).
Register from the other app's ``AppConfig.ready()``::

    from products.panels import PRODUCT_PAGE_PANELS
    PRODUCT_PAGE_PANELS.append(buyers_panel)

A panel that raises is logged and left out (``bumdes_export.core.panels.render_panels``), so it
never takes the registry page down.
"""

from __future__ import annotations

from bumdes_export.core.panels import Panel

#: Fragments shown on a product page, e.g. matching buyers.
PRODUCT_PAGE_PANELS: list[Panel] = []
#: Fragments shown on a BUMDes page.
BUMDES_PAGE_PANELS: list[Panel] = []
