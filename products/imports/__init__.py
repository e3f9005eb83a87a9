"""Bulk import of village product lists (CSV or XLSX in the template) into the registry.

``columns`` (the template and how cells are read), ``reader`` (files to numbered rows),
``validation`` (the row checker and its look-ups), ``writers`` (set-based writes on PostgreSQL,
bulk batches elsewhere), ``services`` (upload, dry run, commit, reports), ``access`` (who may
import where, and commit), ``selectors`` (who sees which import), pages in ``views``, the API in
``api``; the models in ``models``; the background tasks, and the function that starts them
(``start_import_job``), in ``tasks``.
"""
