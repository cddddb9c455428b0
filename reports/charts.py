"""Charts drawn on the server as SVG, so the page and the PDF show the same picture.

Each chart is a plain horizontal bar chart (one bar per series per label), with a title the SVG
names itself by; the page puts the chart's data table beside it for screen readers, so the picture
is hidden from them (``aria-hidden``) and says nothing the table does not. No script, no style
sheet: the colours are attributes, so the strict CSP has nothing to allow.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Dark enough on white for WCAG's 3:1 for graphics, and told apart by a pattern of lightness too.
SERIES_COLOURS = ("#1f4e79", "#8c8c8c")
LABEL_WIDTH = 190
BAR_AREA = 330
BAR_HEIGHT = 12
GAP = 8
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


@dataclass
class Chart:
    """A chart and the table that says the same in words."""

    title: str
    series: list[str]
    rows: list[tuple[str, list[float | int | None]]]
    svg: SafeString


def _number(value) -> str:
    if value is None:
        return "none"
    return f"{value:,.1f}" if isinstance(value, float) and not value.is_integer() else f"{value:,.0f}"


def bar_chart(*, title: str, series: list[str], rows: list[tuple[str, list]]) -> Chart:
    """Horizontal bars: for each label, one bar per series (e.g. this year and the previous one)."""
    values = [value or 0 for _, row in rows for value in row]
    top = max(values, default=0) or 1
    group = len(series) * BAR_HEIGHT + GAP
    legend = 22
    height = legend + group * len(rows) + 10
    width = LABEL_WIDTH + BAR_AREA + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false" '
        f'font-family="{FONT}" font-size="11">'
    ]
    x = LABEL_WIDTH
    for index, name in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{SERIES_COLOURS[index % 2]}"/>'
            f'<text x="{x + 16}" y="14" fill="#000">{escape(name)}</text>'
        )
        x += 20 + 7 * len(name)
    y = legend
    for label, row in rows:
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + len(series) * BAR_HEIGHT / 2 + 4:.0f}" '
            f'text-anchor="end" fill="#000">{escape(short)}</text>'
        )
        for index, value in enumerate(row):
            bar = BAR_AREA * (value or 0) / top
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar:.1f}" height="{BAR_HEIGHT - 1}" '
                f'fill="{SERIES_COLOURS[index % 2]}"/>'
                f'<text x="{LABEL_WIDTH + bar + 4:.1f}" y="{y + BAR_HEIGHT - 2}" fill="#000">'
                f"{escape(_number(value))}</text>"
            )
            y += BAR_HEIGHT
        y += GAP
    parts.append("</svg>")
    # Every piece of text above went through escape(); the rest is numbers and constants.
    return Chart(title=title, series=series, rows=rows, svg=mark_safe("".join(parts)))  # noqa: S308
