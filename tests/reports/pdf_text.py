"""The strings a PDF carries in its own objects and in its (deflated) streams: enough to find the
report's headings in the outline and structure tree WeasyPrint writes, without a PDF library."""

from __future__ import annotations

import re
import zlib


def _literals(data: bytes) -> list[str]:
    found = []
    for match in re.finditer(rb"\((?:\\.|[^\\)])*\)", data):
        raw = match.group(0)[1:-1]
        raw = re.sub(rb"\\([()\\])", rb"\1", raw)
        if raw.startswith(b"\xfe\xff"):
            found.append(raw[2:].decode("utf-16-be", "replace"))
        else:
            found.append(raw.decode("latin-1"))
    for match in re.finditer(rb"<FEFF([0-9A-Fa-f]+)>", data):
        found.append(bytes.fromhex(match.group(1).decode()).decode("utf-16-be", "replace"))
    return found


def pdf_strings(pdf: bytes) -> list[str]:
    strings = _literals(pdf)
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            strings += _literals(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return strings
