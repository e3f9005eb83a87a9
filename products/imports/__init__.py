"""Bulk import of village product lists (CSV or XLSX in the template) into the registry.

``columns`` (the template and how cells are read), ``reader`` (files to numbered rows),
``validation`` (the row checker and its look-ups), ``writers`` (set-based writes on PostgreSQL,
bulk batches elsewhere), ``services`` (upload, dry run, commit, reports), pages in ``views``,
the API in ``api``; the models in ``models``, the background tasks in ``tasks``.
"""
