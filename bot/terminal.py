"""Answers as terminal text: the answer, a comparison as an aligned table, numbered sources."""
from __future__ import annotations

import shutil
import textwrap
import unicodedata

from bot.types import NOT_STATED, Answer, Comparison

__all__ = ["format_answer", "format_comparison", "printable", "terminal_width", "NOT_STATED"]

DEFAULT_WIDTH = 88
MIN_WIDTH = 40  # narrower than this, columns of a few letters help nobody: the table is laid out at 40
MAX_ASPECT_WIDTH = 22


def terminal_width(stream=None) -> int:
    """The terminal's width when ``stream`` is one (``$COLUMNS`` honoured), else DEFAULT_WIDTH."""
    if stream is not None and not (hasattr(stream, "isatty") and stream.isatty()):
        return DEFAULT_WIDTH
    return max(MIN_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def format_comparison(comparison: Comparison, width: int = DEFAULT_WIDTH) -> str:
    """The table: an aspect column and one per compared thing, each cell wrapped to its column,
    ending in its citation number ("[2]"); unsupported cells read "not stated"."""
    width = max(MIN_WIDTH, width)
    columns = len(comparison.columns)
    aspect_width = min(MAX_ASPECT_WIDTH, max([len("Aspect")] + [len(r.aspect) for r in comparison.rows]))
    gutter = " | "
    cell_width = max(8, (width - aspect_width - len(gutter) * columns) // columns)
    widths = [aspect_width] + [cell_width] * columns

    def block(texts: list[str]) -> list[str]:
        wrapped = [textwrap.wrap(t, w) or [""] for t, w in zip(texts, widths)]
        height = max(len(w) for w in wrapped)
        return [gutter.join(cell[i].ljust(w) if i < len(cell) else " " * w for cell, w in zip(wrapped, widths)).rstrip()
                for i in range(height)]

    rule = "-+-".join("-" * w for w in widths)
    lines = block(["Aspect", *comparison.columns]) + [rule]
    for row in comparison.rows:
        texts = [row.aspect] + [f"{c.text} [{c.citation}]" if c.stated else NOT_STATED for c in row.cells]
        lines += block(texts) + [rule]
    return "\n".join(lines[:-1])


def format_answer(answer: Answer, width: int = DEFAULT_WIDTH) -> str:
    """A readable answer: the answer, a comparison table if any, the reports, numbered sources."""
    wrap = textwrap.TextWrapper(width=width)
    lines = wrap.wrap(answer.answer)
    if not answer.answered:
        if answer.examples:
            lines += ["", "Questions I can answer, for example:"]
            lines += [f"  - {q}" for q in answer.examples[:3]]
        return "\n".join(lines) + "\n"
    if answer.comparison is not None:
        lines += ["", format_comparison(answer.comparison, width)]
    elif answer.reports:
        lines += ["", f"Reports: {', '.join(answer.reports)}"]
    if answer.citations:
        lines += ["", "Sources:"]
        quote = textwrap.TextWrapper(width=width, initial_indent="      ", subsequent_indent="      ")
        for c in answer.citations:
            where = " › ".join(part for part in (c.title, c.section) if part)
            lines.append(f"  [{c.n}] {where}  ({c.id}, score {c.score:.2f})")
            lines += quote.wrap(f"“{c.text}”")
            if c.url:
                lines.append(f"      {c.url}")
    return "\n".join(lines) + "\n"


def printable(text: str) -> str:
    """``text`` without control characters (an escape sequence in a stored question must not
    drive the operator's terminal)."""
    return "".join(ch if ch in "\t\n" or unicodedata.category(ch)[0] != "C" else "\ufffd" for ch in text)
