"""Helpers shared by the portal's form views: forms check the shape of input, services decide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.core.exceptions import ValidationError

T = TypeVar("T")


def apply_errors(
    form: forms.BaseForm, error: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's ``ValidationError`` on the form: on its field where the form has one
    (``aliases`` maps service field names to form field names), otherwise above the form."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = aliases.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@dataclass(frozen=True)
class ActionResult(Generic[T]):
    """What :func:`form_action` did: true when the action ran, with what it returned."""

    done: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.done


def form_action(
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    *,
    aliases: dict[str, str] | None = None,
) -> ActionResult[T]:
    """Run a page's write: when the form's input has the right shape, hand its cleaned data to
    ``action`` (a call into a service). A service's ``ValidationError`` lands on the form (on its
    fields where the form has them) and the result is false; nothing was written.

    Typical use::

        form = InquiryForm(request.POST or None)
        if request.method == "POST" and (result := form_action(form, lambda data: ...)):
            return redirect(result.value)
        return render(request, "page.html", {"form": form})
    """
    if not form.is_valid():
        return ActionResult(False)
    try:
        return ActionResult(True, action(form.cleaned_data))
    except ValidationError as error:
        apply_errors(form, error, aliases)
        return ActionResult(False)


def error_summary(form: forms.BaseForm) -> str:
    """Every message of a form's errors, in one line: shown at the top of a page whose form
    sits far below (a review panel), so the person sees why nothing happened."""
    return " ".join(str(message) for messages in form.errors.values() for message in messages)
