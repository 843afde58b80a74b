"""Structure by indentation alone: a mind map or an outliner's plain-text export, and the
configuration in a Markdown code block.

    SOC 1
        focus
            financial reporting controls (ICFR)
        readers
            user entities + their auditors

Each top node is a section heading; each leaf is a unit of its own, led by the nodes between it
and its section ("focus: financial reporting controls (ICFR)"), so it reads as a label line
under the report its section names. Without this the lines run on into one sentence. A code
block's lines are read the same way: each value led by its keys ("tier 1 financial › required
reports: SOC 1 Type 2"), its comments as text, its quotes, brackets and comment marks dropped.
"""
from __future__ import annotations

import re

from bot.knowledge.passage import Section

__all__ = ["is_outline", "outline_sections", "code_units"]

_MIN_LINES = 4
_MAX_NODE_WORDS = 12
_MEAN_NODE_WORDS = 6
_PATH_JOINER = " \u203a "  # "categories › security: always in scope"


def is_outline(rows: list[str]) -> bool:
    """Short lines without closing punctuation on three or more indentation levels, none of
    them a list item (lists have their own reading)."""
    lines = [r for r in rows if r.strip()]
    indents = [_indent(r) for r in lines]
    if len(lines) < _MIN_LINES or len(set(indents)) < 3 or indents[0] != min(indents):
        return False
    # Nodes are a few words (wrapped prose runs to the line's width); a drawing has lines and boxes.
    if sum(len(r.split()) for r in lines) > _MEAN_NODE_WORDS * len(lines):
        return False
    if any(r.lstrip()[:2] in ("- ", "* ", "+ ", "+-", "\u2022 ") or "|" in r for r in lines):
        return False
    nodes = sum(len(r.split()) <= _MAX_NODE_WORDS and not r.rstrip().endswith((".", "!", "?")) for r in lines)
    return nodes >= 0.8 * len(lines)


def outline_sections(first_line: int, rows: list[str]) -> list[Section]:
    """The outline as sections: its shallowest nodes are headings, its leaves units."""
    lines = [(first_line + n, r) for n, r in enumerate(rows) if r.strip()]
    top = min(_indent(r) for _, r in lines)
    sections: list[Section] = []
    path: list[tuple[int, str]] = []  # (indent, text) of the nodes above the current one
    for k, (number, row) in enumerate(lines):
        indent, text = _indent(row), " ".join(row.split())
        while path and path[-1][0] >= indent:
            path.pop()
        if indent == top:
            sections.append(Section(text, number, []))
        elif k + 1 >= len(lines) or _indent(lines[k + 1][1]) <= indent:  # a leaf
            labels = [t for i, t in path if i > top]
            unit = f"{_PATH_JOINER.join(labels)}: {text}" if labels else text
            if not sections:
                sections.append(Section("", number, []))
            sections[-1].paragraphs.append((number, unit))
        path.append((indent, text))
    return sections


def _indent(row: str) -> int:
    row = row.expandtabs(4)
    return len(row) - len(row.lstrip())


_COMMENT = re.compile(r"^(?:#+|//+|--)\s*")
_INLINE_COMMENT = re.compile(r"\s+(?:#|//)\s+")
_CODE_MARKS = re.compile(r"[\"'`{}\[\]]")


def code_units(first_line: int, rows: list[str]) -> list[tuple[int, str]]:
    """A code block's lines (a YAML or JSON configuration, mostly) as units of text."""
    units: list[tuple[int, str]] = []
    path: list[tuple[int, str]] = []  # (indent, key) of the mappings above the current line
    for number, row in enumerate(rows, first_line):
        if not row.strip():
            continue
        indent, line = _indent(row), row.strip()
        comment = ""
        if _COMMENT.match(line) and not line.startswith("- "):
            line, comment = "", _COMMENT.sub("", line)
        elif found := _INLINE_COMMENT.search(line):
            line, comment = line[:found.start()], line[found.end():]
        code = " ".join(_CODE_MARKS.sub(" ", line.removeprefix("- ")).replace("_", " ").split()).strip(" ,")
        while path and path[-1][0] >= indent and code:
            path.pop()
        keys = _PATH_JOINER.join(key for _, key in path)
        if code.endswith(":"):  # a mapping's key: it leads the lines below it
            path.append((indent, code[:-1]))
            code = ""
        text = f"{keys}: {code}" if keys and code else code
        text = f"{text} ({comment})" if text and comment else (text or comment)
        if text:
            units.append((number, text))
    return units
