"""Small arithmetic for the dashboard's server-drawn SVG charts."""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.safestring import SafeString

from matchmaking.oversight import bars

register = template.Library()
register.filter("share", bars.share)


@register.simple_tag(takes_context=True)
def bar_chart(
    context: template.Context,
    rows: Sequence[bars.Row],
    chart_id: str,
    title: str,
    key_title: str,
    export_name: str,
) -> SafeString:
    """``{% bar_chart rows chart_id title key_title export_name %}``: a bar chart with its
    table and downloads (``matchmaking.oversight.bars``), the downloads with the context's
    ``query``."""
    return bars.bar_chart(
        rows,
        chart_id=chart_id,
        title=str(title),
        key_title=str(key_title),
        export_name=export_name,
        query=str(context.get("query", "")),
    )


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
