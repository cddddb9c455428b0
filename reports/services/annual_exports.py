"""The annual report's tables as CSV files, one per table, together in a zip (built in memory)."""

from __future__ import annotations

import csv
import io
import zipfile

from reports.selectors.annual import AnnualReport


def report_csv_zip(*, report: AnnualReport) -> bytes:
    """A zip holding one CSV per table of the report, numbered in the report's order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, table in enumerate(report.tables, start=1):
            text = io.StringIO()
            writer = csv.writer(text)
            for row in table.csv_rows():
                writer.writerow([_safe(row[0]), *row[1:]])
            archive.writestr(f"{index:02d}-{table.slug}.csv", text.getvalue())
    return buffer.getvalue()


def _safe(label: str) -> str:
    """A label a spreadsheet would run as a formula (a category named "=..." say) is kept as text."""
    return "'" + label if label[:1] in ("=", "+", "-", "@") else label


def report_file_stem(*, report: AnnualReport) -> str:
    scope = report.school.code if report.school else "district"
    return f"annual-report-{report.year.name}-{scope}".replace(" ", "-").lower()
