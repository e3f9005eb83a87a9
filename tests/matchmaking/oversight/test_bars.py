"""The dashboard's bar charts drawn in Python: each bar scaled to the largest, the table of the
numbers beside it in the reader's format, labels escaped, downloads with the page's filters."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from matchmaking.oversight.bars import BAR_WIDTH, bar_chart
from matchmaking.oversight.shipments import Total

ROWS = [
    Total("HK", "Hong Kong <SAR>", 2, Decimal("12500.50"), Decimal("740.000"), Decimal(0)),
    Total("JP", "Jepang", 1, Decimal("6250.25"), Decimal(0), Decimal("120.400")),
]


def _chart(rows=ROWS, query="shipped_from=2026-11-01"):
    return str(
        bar_chart(
            rows,
            chart_id="destination",
            title="By destination",
            key_title="Country",
            export_name="shipments-by-destination",
            query=query,
        )
    )


def test_bars_are_scaled_to_the_largest_and_labels_escaped():
    html = _chart()
    assert f'width="{BAR_WIDTH}"' in html and f'width="{round(BAR_WIDTH / 2, 1)}"' in html
    assert "Hong Kong &lt;SAR&gt;" in html and "<SAR>" not in html
    assert '<g data-key="HK" transform="translate(0,0)">' in html
    assert '<g data-key="JP" transform="translate(0,26)">' in html
    assert 'class="chart-value">12501</text>' in html  # whole dollars, rounded half up


def test_the_table_speaks_the_readers_numbers():
    with translation.override("id"):
        indonesian = _chart()
    with translation.override("en"):
        english = _chart()
    assert (
        '<td class="num">12.500,50</td>' in indonesian and '<td class="num">740</td>' in indonesian
    )
    assert '<td class="num">12,500.50</td>' in english
    assert "Unduh:" in indonesian and "Download:" in english


def test_no_shipment_says_so_and_keeps_an_empty_table():
    with translation.override("en"):
        html = _chart(rows=[])
    assert "No shipment in this period." in html and "<svg" not in html
    assert '<td colspan="5">–</td>' in html


def test_downloads_carry_the_page_filters_escaped():
    html = _chart(query="shipped_from=2026-11-01&province=74")
    assert "shipments-by-destination.csv?shipped_from=2026-11-01&amp;province=74" in html
    assert 'data-export="shipments-by-destination"' in html
