"""AsciiDoc articles (``.adoc``, ``.asciidoc``, and a ``.txt`` that is written in AsciiDoc),
read by turning them into Markdown line for line and reading that (bot.knowledge.markdown).

What is kept: "= Title" and "== Section" headings, "* " and ". " lists, "Term:: definition"
entries and |=== tables (a passage per row, as a Markdown table's). What goes: attribute and
anchor lines, block delimiters, comments, admonition labels ("NOTE:") and inline markup, so no
answer quotes "|===" or "<<type-1-vs-type-2>>".
"""
from __future__ import annotations

import re
from pathlib import Path

from bot.files import read_text
from bot.knowledge.markdown import markdown_passages
from bot.knowledge.passage import Passage

__all__ = ["read_asciidoc", "asciidoc_passages", "looks_like_asciidoc", "asciidoc_to_markdown"]

_HEADING = re.compile(r"^(={1,6})\s+(\S.*?)(?:\s+=+)?\s*$")
_ATTRIBUTE = re.compile(r"^:!?[\w-]+!?:(?:\s.*)?$")
_BLOCK_LINE = re.compile(r"^(?:\[\[[^\]]*\]\]|\[[^\]]*\])$")  # [[anchor]], [cols=...], [NOTE]
_DELIMITER = re.compile(r"^(?:-{4,}|\.{4,}|={4,}|\*{4,}|_{4,}|\+{4,}|--)$")
_COMMENT_BLOCK = re.compile(r"^/{4,}$")
_TABLE = re.compile(r"^[|!,:]={3,}$")
_ADMONITION = re.compile(r"^(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION):\s+")
_BULLET = re.compile(r"^(\*{1,5}|-)\s+(\S.*)$")
_NUMBERED = re.compile(r"^(\.{1,5})\s+(\S.*)$")
_BLOCK_TITLE = re.compile(r"^\.(?=[^\s.])(.+)$")
_LABELLED = re.compile(r"^(.+?)(?::{2,4}|;;)(?:\s+(.*))?$")
_CELL_SPEC = re.compile(r"(?:\d+(?:\.\d+)?[+*])?(?:[<^>]?(?:\.[<^>])?)?[adehlmsv]?\|")
_XREF = re.compile(r"<<([^,>]+)(?:,\s*([^>]+))?>>")
_MACRO = re.compile(r"\b(?:link|mailto|xref|https?|ftp)(?::\S*?)\[([^\]]*)\]")
_IMAGE = re.compile(r"\bimage::?\S*\[[^\]]*\]")
_INLINE = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|(?<![\w+])\+(?=\S)([^+\n]+?)(?<=\S)\+(?![\w+])")


def read_asciidoc(path: Path, id_prefix: str | None = None) -> list[Passage]:
    return asciidoc_passages(read_text(path), path, id_prefix)


def asciidoc_passages(text: str, path: Path, id_prefix: str | None = None) -> list[Passage]:
    lines, title = asciidoc_to_markdown(text)
    return markdown_passages("\n".join(lines), path, id_prefix, title=title)


def looks_like_asciidoc(text: str) -> bool:
    """A plain-text file written in AsciiDoc: its first line is a "= Title" and it has an
    AsciiDoc section ("== …") or table ("|===")."""
    lines = text.lstrip("\ufeff").splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not re.match(r"^=\s+\S", first):
        return False
    return any(re.match(r"^={2,6}\s+\S", line) or _TABLE.match(line) for line in lines)


def asciidoc_to_markdown(text: str) -> tuple[list[str], str | None]:
    """Markdown lines, as many as ``text`` has where it can (so line numbers stay right), and
    the document title."""
    lines = text.lstrip("\ufeff").splitlines()
    out: list[str] = []
    title: str | None = None
    n = 0
    in_header = False  # the author and revision lines right under the title
    while n < len(lines):
        raw = lines[n]
        line = raw.strip()
        n += 1
        if in_header and line and not _ATTRIBUTE.match(line):
            out.append("")
            continue
        in_header = False
        if _COMMENT_BLOCK.match(line):
            end = next((k for k in range(n, len(lines)) if _COMMENT_BLOCK.match(lines[k].strip())), len(lines))
            out.extend([""] * (end + 1 - n + 1))
            n = end + 1
            continue
        if _TABLE.match(line):
            end = next((k for k in range(n, len(lines)) if _TABLE.match(lines[k].strip())), len(lines))
            table = _table(lines[n:end], _columns(lines, n - 1))
            out.extend(table + [""] * max(0, end + 2 - n - len(table)))
            n = end + 1
            continue
        heading = _HEADING.match(raw)
        if heading:
            level, name = len(heading.group(1)), _inline(heading.group(2))
            if level == 1 and title is None:
                title, in_header = name, True
            out.append(f"{'#' * level} {name}")
        elif line.startswith("//") or _ATTRIBUTE.match(line) or _BLOCK_LINE.match(line) \
                or _DELIMITER.match(line) or _IMAGE.fullmatch(line):
            out.append("")
        elif bullet := _BULLET.match(line):
            out.append("  " * (len(bullet.group(1)) - 1) + "- " + _inline(bullet.group(2)))
        elif numbered := _NUMBERED.match(line):
            out.append("  " * (len(numbered.group(1)) - 1) + "1. " + _inline(numbered.group(2)))
        elif block_title := _BLOCK_TITLE.match(line):
            out.append(_inline(block_title.group(1)))
        elif (labelled := _LABELLED.match(line)) and "://" not in labelled.group(1):
            term, definition = _inline(labelled.group(1)), labelled.group(2)
            if not definition and n < len(lines) and lines[n].strip():
                definition, n = lines[n].strip(), n + 1
                out.append("")
            out.append(f"- {term}: {_inline(definition or '')}".rstrip(": "))
        else:
            out.append(_inline(_ADMONITION.sub("", line)) if line else "")
    return out, title


def _columns(lines: list[str], at: int) -> int:
    """The column count a table's [cols=…] attribute gives ("1,2,2", "3*"), 0 if none."""
    for k in range(at - 1, max(-1, at - 3), -1):
        cols = re.search(r'cols\s*=\s*"?([^",\]]*(?:,[^",\]]*)*)"?', lines[k])
        if cols:
            spec = cols.group(1).strip()
            repeat = re.match(r"^(\d+)\*", spec)
            return int(repeat.group(1)) if repeat else len(spec.split(","))
    return 0


def _table(rows: list[str], columns: int) -> list[str]:
    """An AsciiDoc table's cells (one per line, or several on a line) as a Markdown table."""
    cells: list[str] = []
    first_line_cells = 0
    for row in rows:
        row = row.strip()
        if not row:
            continue
        if row.startswith("|") or _CELL_SPEC.match(row):
            parts = re.split(r"(?:^|\s)" + _CELL_SPEC.pattern, " " + row)[1:]
            cells.extend(_inline(p.strip()) for p in parts)
            if not first_line_cells:
                first_line_cells = len(parts)
        elif cells:  # a cell's text continues on this line
            cells[-1] = f"{cells[-1]} {_inline(row)}".strip()
    width = columns or first_line_cells or 1
    grid = [cells[i:i + width] for i in range(0, len(cells), width)]
    if len(grid) < 2:
        return [" ".join(cells)]
    md = ["| " + " | ".join(c.replace("|", "/") for c in grid[0]) + " |", "|" + "---|" * width]
    md += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in grid[1:]]
    return md


def _inline(text: str) -> str:
    """Cross-references keep their text (or their id, read as words), links their text; bold,
    monospace and image macros go."""
    text = _XREF.sub(lambda m: m.group(2) or m.group(1).replace("-", " ").replace("_", " "), text)
    text = _IMAGE.sub("", _MACRO.sub(r"\1", text))
    return _INLINE.sub(lambda m: m.group(1) or m.group(2), text).replace("`", "")
