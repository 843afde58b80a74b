"""Plain-text articles as people paste them from a web page.

The first non-empty line is the title. A short line without final punctuation that stands on
its own is a heading. Paragraphs are separated by blank lines. Inside a paragraph, list items
("- ", "• ", "1. ") and "Label: value" lines are units (sentences) of their own.
"""
from __future__ import annotations

from pathlib import Path

from .._yaml import read_text
from ._markdown import _LIST_MARK, is_label_line, plain
from ._passage import Passage, Section, article_passages

HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90
_FINAL_PUNCTUATION = tuple(".!?:;,\"'\u201d\u2019)")


def read_text_article(path: Path, id_prefix: str | None = None) -> list[Passage]:
    blocks = _blocks(read_text(path))
    if not blocks:
        return []
    first_line, first = blocks[0]
    title_line, *rest = first.splitlines()
    title = " ".join(title_line.split())
    sections = [Section(title, first_line, [])]
    if rest:
        blocks[0] = (first_line + 1, "\n".join(rest))
    else:
        blocks = blocks[1:]
    for line, block in blocks:
        if is_heading(block):
            sections.append(Section(" ".join(block.split()), line, []))
        else:
            sections[-1].paragraphs.extend(units(line, block))
    return article_passages(path, title, sections, id_prefix)


def units(line: int, block: str) -> list[tuple[int, str]]:
    """A block's units: one per list item or label line, else the whole block as one."""
    out: list[tuple[int, str]] = []
    for n, raw in enumerate(block.splitlines()):
        marked = _LIST_MARK.match(raw) or is_label_line(raw)
        text = plain(_LIST_MARK.sub("", raw)) if marked else " ".join(raw.split())
        if out and not marked:  # a wrapped line continues the unit above it
            out[-1] = (out[-1][0], f"{out[-1][1]} {text}", out[-1][2])
        else:
            out.append((line + n, text, bool(marked)))
    return [(n, text) for n, text, _ in out]


def is_heading(block: str) -> bool:
    text = block.strip()
    return (
        "\n" not in text
        and len(text) <= HEADING_MAX_CHARS
        and len(text.split()) <= HEADING_MAX_WORDS
        and not text.endswith(_FINAL_PUNCTUATION)
    )


def _blocks(text: str) -> list[tuple[int, str]]:
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if not current:
                start = n
            current.append(line)
        elif current:
            blocks.append((start, "\n".join(current)))
            current = []
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks
