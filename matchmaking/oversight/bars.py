"""The dashboard's bar charts, each with the table of its numbers and its downloads: inline SVG
drawn on the server (no script, printable, testable), written in Python rather than a template
loop because a page draws seven of them, up to 120 rows, for every new period asked for."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import get_format, localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from bumdes_export.core.text import clip

#: The width of a full bar, in the charts' own units.
BAR_WIDTH = 300.0
#: The height of one bar's row, in the chart's own units.
ROW_HEIGHT = 26
#: Where the bars start (the labels go to the left of it).
BAR_X = 200


def share(value: float | int | None, top: float | int | None) -> float:
    """A bar's length: ``value`` as a share of ``top`` of the full bar width."""
    if not value or not top:
        return 0.0
    return round(BAR_WIDTH * float(value) / float(top), 1)


class Row(Protocol):
    key: str
    label: str
    shipments: int
    value_usd: object
    volume_kg: object
    volume_l: object


def _chart(rows: Sequence[Row], title: str) -> str:
    top = max((float(row.value_usd or 0) for row in rows), default=0.0)  # type: ignore[arg-type]
    bars = []
    for position, row in enumerate(rows):
        width = share(row.value_usd, top)  # type: ignore[arg-type]
        label = escape(row.label)
        bars.append(
            f'<g data-key="{escape(row.key)}" transform="translate(0,{position * ROW_HEIGHT})">'
            f'<text x="0" y="17" class="chart-label">{escape(clip(row.label, 30))}</text>'
            f'<rect x="{BAR_X}" y="4" height="18" width="{width}" style="fill:#2f7d5b">'
            f"<title>{label}: USD {row.value_usd}</title></rect>"
            f'<text x="{round(width + BAR_X + 6, 1)}" y="17" class="chart-value">'
            f"{floatformat(row.value_usd, '0u')}</text></g>"
        )
    height = len(rows) * ROW_HEIGHT + 4
    return (
        f'<svg class="chart" viewBox="0 0 {BAR_X + BAR_WIDTH + 100:.0f} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>'
    )


NO_ROWS = '<tr><td colspan="5">–</td></tr>'


def _grouping() -> Callable[[object, int], str]:
    """``floatformat:"<places>g"`` in the active language (grouped thousands, rounded half up),
    its separators read once for a whole table."""
    decimal_mark = str(get_format("DECIMAL_SEPARATOR"))
    thousands = str(get_format("THOUSAND_SEPARATOR"))
    if get_format("NUMBER_GROUPING") != 3:  # a grouping Python's format does not write
        return lambda value, places: str(floatformat(value, f"{places}g"))

    def grouped(value: object, places: int) -> str:
        exact = Decimal(str(value or 0)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        written = f"{exact:,.{places}f}"
        return written.replace(",", "\0").replace(".", decimal_mark).replace("\0", thousands)

    return grouped


def _table(rows: Sequence[Row], title: str, key_title: str) -> str:
    number = _grouping()
    head = "".join(
        f'<th class="num">{escape(name)}</th>'
        for name in (gettext("Shipments"), gettext("kg"), gettext("litres"), gettext("USD"))
    )
    body = "".join(
        f'<tr data-key="{escape(row.key)}"><td>{escape(row.label)}</td>'
        f'<td class="num">{localize(row.shipments)}</td>'
        f'<td class="num">{number(row.volume_kg, 0)}</td>'
        f'<td class="num">{number(row.volume_l, 0)}</td>'
        f'<td class="num">{number(row.value_usd, 2)}</td></tr>'
        for row in rows
    )
    return (
        f'<table class="registry-table"><caption class="visually-hidden">{escape(title)}'
        f"</caption><thead><tr><th>{escape(key_title)}</th>{head}</tr></thead>"
        f"<tbody>{body or NO_ROWS}</tbody></table>"
    )


def downloads(what: str, query: str) -> str:
    """The links to a table's CSV and XLSX, with the page's filters."""
    csv = reverse("oversight:export", args=[what, "csv"])
    xlsx = reverse("oversight:export", args=[what, "xlsx"])
    return (
        f'<p class="downloads">{escape(gettext("Download:"))} '
        f'<a href="{csv}?{escape(query)}" data-export="{escape(what)}">CSV</a> · '
        f'<a href="{xlsx}?{escape(query)}">XLSX</a></p>'
    )


def bar_chart(
    rows: Sequence[Row], *, chart_id: str, title: str, key_title: str, export_name: str, query: str
) -> SafeString:
    """A titled bar chart of the rows' value in USD, the table of all their numbers beside it,
    and the links to download that table."""
    chart = (
        _chart(rows, title)
        if rows
        else f'<p class="muted">{escape(gettext("No shipment in this period."))}</p>'
    )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<h3 class="chart-title">{escape(title)}</h3>'
        f'<div class="chart-and-table" data-chart="{escape(chart_id)}">{chart}'
        f"{_table(rows, title, key_title)}</div>{downloads(export_name, query)}"
    )
