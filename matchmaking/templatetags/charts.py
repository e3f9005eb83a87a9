"""Small arithmetic for the dashboard's server-drawn SVG charts."""

from __future__ import annotations

from django import template

register = template.Library()

#: The width of a full bar, in the charts' own units.
BAR_WIDTH = 300.0


@register.filter
def share(value: float | int | None, top: float | int | None) -> float:
    """A bar's length: ``value`` as a share of ``top`` of the full bar width."""
    if not value or not top:
        return 0.0
    return round(BAR_WIDTH * float(value) / float(top), 1)


@register.filter
def add_px(value: float, offset: float) -> float:
    return round(float(value) + float(offset), 1)


@register.filter
def bar_height(rows: int, each: int) -> int:
    return int(rows) * int(each) + 4


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key)


@register.filter
def largest(rows: list, attribute: str) -> float:
    """The largest ``attribute`` of the rows (the full bar of a chart), 0 for none."""
    return max((float(getattr(row, attribute) or 0) for row in rows), default=0.0)
