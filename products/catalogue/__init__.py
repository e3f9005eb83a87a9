"""The public catalogue of export-ready village products.

Pages at ``/catalogue/`` and the API at ``/api/v1/catalogue/`` read a denormalised table,
``products.catalogue.models.CatalogueEntry`` (one row per export-ready product, keyed by the product id),
which ``services.refresh_entries`` keeps current from the registry's events (``receivers``).
Contact details of a BUMDes are shown only to verified exporters and ministry staff, and each
time they are shown a ``ContactView`` is recorded.
"""
