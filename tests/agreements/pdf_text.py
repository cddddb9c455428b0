"""The text of a PDF drawn by WeasyPrint, read back without a PDF library: the tests check what a
reader sees, not the HTML it was drawn from.

WeasyPrint writes text as glyph ids in Type0 fonts (Identity-H) and gives each font a ToUnicode map;
the content streams name the font by its subset tag. Enough for WeasyPrint's own output, nothing more.
"""

from __future__ import annotations

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj\s*(<<.*?>>)\s*(?:stream\r?\n|endobj)", re.S)
TYPE0 = re.compile(rb"/BaseFont /(\w+)\+[^/]*(?:/[^/]*)*?/ToUnicode (\d+) 0 R")
TOKEN = re.compile(rb"/(\w+) [\d.]+ Tf|(?<!<)<([0-9a-fA-F]+)>(?!>)|(TJ|Tj)")


def _objects(pdf: bytes) -> tuple[dict[int, bytes], list[bytes]]:
    """Every stream's data by object number, and every dictionary, including those packed in object
    streams."""
    streams, dictionaries = {}, []
    for match in OBJECT.finditer(pdf):
        number, dictionary = int(match[1]), match[2]
        dictionaries.append(dictionary)
        if not match[0].endswith((b"stream\n", b"stream\r\n")):
            continue
        length = int(re.search(rb"/Length (\d+)", dictionary)[1])
        data = pdf[match.end() : match.end() + length]
        if b"/FlateDecode" in dictionary:
            data = zlib.decompress(data)
        streams[number] = data
        if b"/ObjStm" in dictionary:
            first = int(re.search(rb"/First (\d+)", dictionary)[1])
            dictionaries.extend(re.findall(rb"<<(?:[^<>]|<<[^<>]*>>|<[0-9a-fA-F]*>)*>>", data[first:]))
    return streams, dictionaries


def _unicode_map(cmap: bytes) -> dict[str, str]:
    glyphs = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            glyphs[code.decode().lower()] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            for offset in range(int(high, 16) - int(low, 16) + 1):
                code = f"{int(low, 16) + offset:0{len(low)}x}"
                glyphs[code] = chr(int(start, 16) + offset)
    return glyphs


def pdf_text(pdf: bytes) -> str:
    """The document's text, one drawn run per line."""
    streams, dictionaries = _objects(pdf)
    fonts = {}
    for dictionary in dictionaries:
        if b"/Type0" in dictionary and (match := TYPE0.search(dictionary)):
            fonts[match[1].decode()] = _unicode_map(streams[int(match[2])])
    lines, run, glyphs = [], [], {}
    for data in streams.values():
        if b" Tf" not in data:
            continue
        for match in TOKEN.finditer(data):
            if match[1]:
                glyphs = fonts.get(match[1].decode(), {})
            elif match[2]:
                hexes = match[2].decode().lower()
                run.extend(glyphs.get(hexes[i : i + 4], "\ufffd") for i in range(0, len(hexes), 4))
            else:
                lines.append("".join(run))
                run = []
    return "\n".join(lines)


def flat(text: str) -> str:
    """The text with every run of white space (line ends too) made one space."""
    return " ".join(text.split())
