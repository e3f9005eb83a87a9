"""Helpers shared by the portal's form views."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def apply_errors(form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ``ValidationError`` on the form: on its field where the form has one
    (``aliases`` maps service field names to form field names), otherwise above the form."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = aliases.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
