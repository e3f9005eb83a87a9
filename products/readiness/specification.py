"""Commodity specifications: the fields a commodity's products record, and the conditions the
readiness rules set on them. Pure (no database), so the rules can be evaluated for many products
at once and tested alone.

A template's ``fields`` (``SpecificationTemplate.fields``) is a list of::

    {"key": "carapace_width_cm", "kind": "number", "unit": "cm", "min": 0, "max": 40,
     "label": {"id": "Lebar karapas minimum", "en": "Minimum carapace width"},
     "help": {"id": "...", "en": "..."}}
    {"key": "species", "kind": "choice", "label": {...},
     "choices": [{"value": "scylla", "label": {"id": "Kepiting bakau (Scylla spp.)", ...}}]}
    {"key": "egg_bearing_excluded", "kind": "yes_no", "label": {...}}

A rule's condition is ``{"field": "carapace_width_cm", "op": ">", "value": 12}``; ``op`` is one
of ``>``, ``>=``, ``<``, ``<=`` (numbers), ``=``, ``!=``, or ``set`` (recorded at all; no
value). A value the product has not recorded meets no condition.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

KINDS = ("number", "yes_no", "choice")
OPERATORS = (">", ">=", "<", "<=", "=", "!=", "set")
NUMERIC = (">", ">=", "<", "<=")
#: A number written with Indonesian thousands separators: "1.200", "12.500,5".
THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
#: Specification values as stored: numbers, booleans or choice values.
Value = float | int | bool | str
Values = Mapping[str, Value]


def _text(texts: Mapping[str, str] | None, language: str) -> str:
    texts = texts or {}
    return texts.get(language[:2]) or texts.get("id") or texts.get("en") or ""


@dataclass(frozen=True)
class Choice:
    value: str
    label: Mapping[str, str]


@dataclass(frozen=True)
class FieldSpec:
    key: str
    kind: str
    label: Mapping[str, str]
    unit: str = ""
    help: Mapping[str, str] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None

    def label_in(self, language: str) -> str:
        return _text(self.label, language) or self.key

    def help_in(self, language: str) -> str:
        return _text(self.help, language)

    def choice_label(self, value: object, language: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return _text(choice.label, language) or choice.value
        return str(value)

    def shown(self, value: Value, language: str, yes: str, no: str) -> str:
        """A stored value as a reader sees it: "12 cm", "Yes", "Mud crab (Scylla spp.)"."""
        if self.kind == "yes_no":
            return yes if value else no
        if self.kind == "choice":
            return self.choice_label(value, language)
        number = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{number} {self.unit}".strip()


class TemplateError(ValueError):
    """A template's fields or a rule's conditions are not well formed (the message is for
    ministry staff in the admin, in their language)."""


def fields_of(raw: Any) -> tuple[FieldSpec, ...]:
    """The fields of a template as stored, checked; ``TemplateError`` says what is wrong."""
    if not isinstance(raw, list):
        raise TemplateError(_("The fields must be a list."))
    fields: list[FieldSpec] = []
    seen: set[str] = set()
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise TemplateError(_("Field %(position)s must be an object.") % {"position": position})
        key, kind = item.get("key"), item.get("kind")
        if not isinstance(key, str) or not key.isidentifier():
            raise TemplateError(
                _("Field %(position)s needs a key of letters, digits and _.")
                % {"position": position}
            )
        if key in seen:
            raise TemplateError(_("The key “%(key)s” is used twice.") % {"key": key})
        seen.add(key)
        if kind not in KINDS:
            raise TemplateError(
                _("Field “%(key)s”: kind must be one of %(kinds)s.")
                % {"key": key, "kinds": ", ".join(KINDS)}
            )
        label = item.get("label")
        if not _texts(label) or not label.get("id") or not label.get("en"):
            raise TemplateError(
                _("Field “%(key)s” needs a label in Indonesian and English.") % {"key": key}
            )
        if item.get("help") is not None and not _texts(item["help"]):
            raise TemplateError(
                _("Field “%(key)s”: help must be an object of language: text.") % {"key": key}
            )
        choices = item.get("choices") or []
        if kind == "choice" and (not isinstance(choices, list) or not choices):
            raise TemplateError(_("Field “%(key)s” is a choice without choices.") % {"key": key})
        parsed = []
        for choice in choices if kind == "choice" else ():
            if not isinstance(choice, dict) or not isinstance(choice.get("value"), str):
                raise TemplateError(
                    _("Field “%(key)s”: every choice needs a value.") % {"key": key}
                )
            if choice.get("label") is not None and not _texts(choice["label"]):
                raise TemplateError(
                    _("Field “%(key)s”: a choice's label must be language: text.") % {"key": key}
                )
            parsed.append(Choice(choice["value"], choice.get("label") or {}))
        low, high = _bound(item, "min", key), _bound(item, "max", key)
        if low is not None and high is not None and low > high:
            raise TemplateError(_("Field “%(key)s”: min is above max.") % {"key": key})
        fields.append(
            FieldSpec(
                key=key,
                kind=kind,
                label=label,
                unit=str(item.get("unit") or ""),
                help=item.get("help") or {},
                choices=tuple(parsed),
                min=low,
                max=high,
            )
        )
    return tuple(fields)


def _texts(value: Any) -> bool:
    """An object of language: text (``{"id": "...", "en": "..."}``)."""
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _bound(item: dict, name: str, key: str) -> float | None:
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TemplateError(
            _("Field “%(key)s”: %(name)s must be a number.") % {"key": key, "name": name}
        )
    return float(value)


def check_conditions(
    conditions: Any, applies_when: Any, fields: Sequence[FieldSpec] | None = None
) -> None:
    """A rule's conditions and scope, checked (against the template's fields when given)."""
    if not isinstance(conditions, list):
        raise TemplateError(_("The conditions must be a list."))
    if not isinstance(applies_when, dict):
        raise TemplateError(_("“Applies when” must be an object of field: value."))
    known = {f.key: f for f in fields} if fields is not None else None
    for position, condition in enumerate(conditions, start=1):
        if not isinstance(condition, dict):
            raise TemplateError(
                _("Condition %(position)s must be an object.") % {"position": position}
            )
        name, op = condition.get("field"), condition.get("op")
        if not isinstance(name, str) or not name:
            raise TemplateError(
                _("Condition %(position)s needs the field it reads.") % {"position": position}
            )
        if op not in OPERATORS:
            raise TemplateError(
                _("Condition %(position)s: op must be one of %(ops)s.")
                % {"position": position, "ops": ", ".join(OPERATORS)}
            )
        if op != "set" and "value" not in condition:
            raise TemplateError(_("Condition %(position)s needs a value.") % {"position": position})
        if op in NUMERIC and (
            isinstance(condition["value"], bool) or not isinstance(condition["value"], int | float)
        ):
            raise TemplateError(
                _("Condition %(position)s: %(op)s needs a number.")
                % {"position": position, "op": op}
            )
        if op in ("=", "!=") and not isinstance(condition["value"], str | int | float | bool):
            raise TemplateError(
                _("Condition %(position)s: compare with a number, text or true/false.")
                % {"position": position}
            )
        if known is not None and name not in known:
            raise TemplateError(
                _("Condition %(position)s: no specification field “%(name)s”.")
                % {"position": position, "name": name}
            )
        if known is not None and known[name].kind != "number" and op in NUMERIC:
            raise TemplateError(
                _("Condition %(position)s: %(op)s compares numbers only.")
                % {"position": position, "op": op}
            )
    for name, wanted in applies_when.items():
        if not isinstance(wanted, str | int | float | bool):
            raise TemplateError(
                _("“Applies when”: “%(name)s” needs a number, text or true/false.") % {"name": name}
            )
        if known is not None and name not in known:
            raise TemplateError(
                _("“Applies when”: no specification field “%(name)s”.") % {"name": name}
            )


def clean_values(
    fields: Sequence[FieldSpec], raw: Mapping[str, Any]
) -> tuple[dict[str, Value], dict[str, str]]:
    """Values typed in a form or sent to the API, as stored, and the errors by field key
    (error messages are keys of ``ERRORS``; the caller words them). Empty values are left out."""
    values: dict[str, Value] = {}
    errors: dict[str, str] = {}
    by_key = {f.key: f for f in fields}
    for key in raw:
        if key not in by_key:
            errors[key] = "unknown"
    for spec in fields:
        value = raw.get(spec.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if spec.kind == "number":
            number = _number(value)
            if number is None:
                errors[spec.key] = "number"
            elif spec.min is not None and number < spec.min:
                errors[spec.key] = "min"
            elif spec.max is not None and number > spec.max:
                errors[spec.key] = "max"
            else:
                values[spec.key] = int(number) if number == int(number) else number
        elif spec.kind == "yes_no":
            answer = _yes_no(value)
            if answer is None:
                errors[spec.key] = "yes_no"
            else:
                values[spec.key] = answer
        else:
            if value not in {c.value for c in spec.choices}:
                errors[spec.key] = "choice"
            else:
                values[spec.key] = value
    return values, errors


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
    else:
        text = str(value).strip().replace(" ", "")
        if THOUSANDS.match(text):
            text = text.replace(".", "").replace(",", ".")  # "1.200" or "1.200,5": Indonesian
        elif "," in text and "." not in text:
            text = text.replace(",", ".")  # "12,5" as Indonesians write it
        try:
            number = float(Decimal(text))
        except (InvalidOperation, ValueError):
            return None
    return number if number == number and abs(number) != float("inf") else None


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "ya", "on"):
        return True
    if text in ("0", "false", "no", "tidak", "off"):
        return False
    return None


def condition_met(condition: Mapping[str, Any], values: Values) -> bool:
    value = values.get(condition["field"])
    if value is None:
        return False
    op = condition["op"]
    if op == "set":
        return True
    wanted = condition["value"]
    if op in NUMERIC:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return {
            ">": value > wanted,
            ">=": value >= wanted,
            "<": value < wanted,
            "<=": value <= wanted,
        }[op]
    return (value == wanted) if op == "=" else (value != wanted)


def conditions_met(conditions: Sequence[Mapping[str, Any]], any_one: bool, values: Values) -> bool:
    if not conditions:
        return True
    results = (condition_met(c, values) for c in conditions)
    return any(results) if any_one else all(results)


def in_scope(applies_when: Mapping[str, Any], values: Values) -> bool:
    """Whether a rule limited to some products by their specification (``{"species":
    "scylla"}``) covers a product: yes where the values agree or are not recorded yet."""
    return all(values.get(key, wanted) == wanted for key, wanted in applies_when.items())


def fields_read(
    conditions: Sequence[Mapping[str, Any]], applies_when: Mapping[str, Any]
) -> set[str]:
    """The specification fields a rule reads."""
    return {c["field"] for c in conditions} | set(applies_when)
