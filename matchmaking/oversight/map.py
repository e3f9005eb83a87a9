"""The dashboard's map, laid out on the server: every regency the reader sees as a dot at its
regency centre (the coordinates the portal ships with its reference data), coloured by how far
its BUMDes have come, disadvantaged regencies ringed, province names at the middle of their
regencies. The template draws it as inline SVG: no tiles, no script, printable and testable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.access import scope_for
from bumdes_export.reference.models import Region
from bumdes_export.reference.selectors import disadvantaged_regency_codes
from matchmaking.access import AnyUser
from matchmaking.oversight import selectors

#: A regency's status, from the furthest any of its BUMDes has come.
EXPORTING = "exporting"
EXPORT_READY = "export_ready"
VERIFIED = "verified"
REGISTERED = "registered"
NOTHING = "nothing"
OUTSIDE = "outside"
STATUS_LABELS = {
    EXPORTING: _("exporting (a shipment recorded)"),
    EXPORT_READY: _("a BUMDes with an export-ready product"),
    VERIFIED: _("a verified BUMDes"),
    REGISTERED: _("BUMDes registered, none verified"),
    NOTHING: _("no BUMDes registered"),
    OUTSIDE: _("outside your region (not counted)"),
}

WIDTH = 1000.0
PADDING = 0.6  # degrees around the regencies shown


@dataclass(frozen=True)
class Dot:
    code: str
    name: str
    x: float
    y: float
    status: str
    disadvantaged: bool

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class RegencyMap:
    width: float
    height: float
    dots: list[Dot]
    labels: list[Label]
    counts: list[tuple[str, str, int]]  # (status, label, regencies)
    disadvantaged: int

    # Drawn here rather than in a template loop: 514 dots and table rows through the template
    # engine took most of the dashboard's time.

    def dots_svg(self) -> SafeString:
        """The dots (each a ``<circle data-region=...>`` with its name as a tooltip) and the
        province labels, as SVG elements."""
        ringed = gettext("disadvantaged")
        parts = [
            f'<circle data-region="{d.code}" data-status="{d.status}" '
            f'class="{d.status}{" disadvantaged" if d.disadvantaged else ""}" '
            f'cx="{d.x:.1f}" cy="{d.y:.1f}" r="4"><title>{escape(d.name)} ({d.code})'
            f"{' · ' + ringed if d.disadvantaged else ''}</title></circle>"
            for d in self.dots
        ]
        parts += [
            f'<text x="{label.x:.1f}" y="{label.y:.1f}" text-anchor="middle">'
            f"{escape(label.text)}</text>"
            for label in self.labels
        ]
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

    def table_rows(self) -> SafeString:
        """The table beside the map: one row per regency counted for the reader."""
        yes = escape(gettext("yes"))
        statuses = {status: escape(str(label)) for status, label in STATUS_LABELS.items()}
        return mark_safe(  # noqa: S308 - every text is escaped
            "".join(
                f"<tr><td>{escape(d.name)}</td><td>{d.code}</td>"
                f"<td>{statuses[d.status]}</td><td>{yes if d.disadvantaged else ''}</td></tr>"
                for d in self.dots
                if d.status != OUTSIDE
            )
        )


def _status(row: dict[str, int]) -> str:
    if row.get("exporting"):
        return EXPORTING
    if row.get("ready_bumdes"):
        return EXPORT_READY
    if row.get("verified"):
        return VERIFIED
    if row.get("registered"):
        return REGISTERED
    return NOTHING


def visible_regencies(user: AnyUser) -> list[tuple[str, str, float, float]]:
    """(code, name, latitude, longitude) of the regencies the reader's map draws: all of them for
    ministry staff, those of his own province for an officer."""
    regencies = Region.objects.filter(
        level=Region.Level.REGENCY, retired_at__isnull=True, latitude__isnull=False
    )
    scope = scope_for(user)
    if not scope.is_ministry:
        if not (scope.is_officer and scope.region_code):
            return []
        regencies = regencies.filter(parent_id=scope.region_code[:2])
    return [
        (code, name, float(lat), float(lon))
        for code, name, lat, lon in regencies.order_by("code").values_list(
            "code", "name", "latitude", "longitude"
        )
    ]


def regency_map(user: AnyUser, on: date | None = None) -> RegencyMap:
    regencies = visible_regencies(user)
    if not regencies:
        return RegencyMap(WIDTH, 0, [], [], [], 0)
    figures = selectors.region_figures(user, 5)
    disadvantaged = disadvantaged_regency_codes(on)
    lats = [lat for _c, _n, lat, _lon in regencies]
    lons = [lon for _c, _n, _lat, lon in regencies]
    west, east = min(lons) - PADDING, max(lons) + PADDING
    south, north = min(lats) - PADDING, max(lats) + PADDING
    scale = WIDTH / (east - west)
    height = round((north - south) * scale, 1)

    def point(lat: float, lon: float) -> tuple[float, float]:
        return round((lon - west) * scale, 1), round((north - lat) * scale, 1)

    scope = scope_for(user)
    dots = []
    by_province: dict[str, list[tuple[float, float]]] = {}
    for code, name, lat, lon in regencies:
        x, y = point(lat, lon)
        status = _status(figures.get(code, {})) if scope.covers(code) else OUTSIDE
        dots.append(Dot(code, name, x, y, status, code in disadvantaged))
        by_province.setdefault(code[:2], []).append((x, y))
    names = dict(Region.objects.filter(code__in=list(by_province)).values_list("code", "name"))
    labels = [
        Label(
            names.get(code, code),
            round(sum(x for x, _y in points) / len(points), 1),
            round(sum(y for _x, y in points) / len(points), 1),
        )
        for code, points in sorted(by_province.items())
    ]
    counts = [
        (status, str(label), n)
        for status, label in STATUS_LABELS.items()
        if (n := sum(1 for d in dots if d.status == status)) or status != OUTSIDE
    ]
    return RegencyMap(
        WIDTH,
        height,
        dots,
        labels,
        counts,
        sum(1 for d in dots if d.disadvantaged),
    )
