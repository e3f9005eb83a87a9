"""Dealings pages: inbox and inquiry threads, shortlist, buying requests and offers, facilitation
(service) requests. One module per sub-domain; ``matchmaking.dealings.urls`` routes to them.

Thin: every read goes through ``matchmaking.dealings.selectors`` (a record outside the reader's
scope answers 404), every who-may question through ``matchmaking.access`` and
``matchmaking.dealings.access``, every write through ``matchmaking.dealings.services`` (run by
``bumdes_export.core.forms.form_action``), whose ``ValidationError`` messages are shown on the
form fields (the page answers 400) and whose ``PermissionDenied`` answers 403, with its message
when it has one (for instance: the organisation is not verified yet). Anonymous visitors are sent
to the login page.
"""
