"""Outlines whose only structure is indentation: a mind map or an outliner's plain-text export.

    SOC 1
        focus
            financial reporting controls (ICFR)
        readers
            user entities + their auditors

Each top node is a section heading; each leaf is a unit of its own, led by the nodes between it
and its section ("focus: financial reporting controls (ICFR)"), so it reads as a label line
under the report its section names. Without this the lines run on into one sentence.
"""
from __future__ import annotations

from bot.knowledge.passage import Section

__all__ = ["is_outline", "outline_sections"]

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
    return len(row.expandtabs(4)) - len(row.expandtabs(4).lstrip())
