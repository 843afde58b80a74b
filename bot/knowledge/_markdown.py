"""Markdown articles: the first ``#`` heading is the title, each heading's section a passage."""
from __future__ import annotations

import re
from pathlib import Path

from .._yaml import read_text
from ._passage import Passage, Section, article_passages

# A closing run of "#" is dropped only after a space, as in CommonMark: "## What is C#" keeps it.
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def read_markdown(path: Path, id_prefix: str | None = None) -> list[Passage]:
    text = _read(path)
    title = None
    sections = [Section("", 1, [])]
    paragraph: list[str] = []
    start = 1
    in_fence = False

    def flush() -> None:
        if paragraph:
            sections[-1].paragraphs.append((start, plain(" ".join(paragraph))))
            paragraph.clear()

    for n, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        heading = None if in_fence else _HEADING.match(line)
        if heading:
            flush()
            name = plain(heading.group(2))
            if title is None and len(heading.group(1)) == 1:
                title = name
            sections.append(Section(name, n, []))
        elif not line.strip() or _LIST_MARK.match(line):
            flush()
            if line.strip():
                paragraph.append(_LIST_MARK.sub("", line).strip())
                start = n
        else:
            if not paragraph:
                start = n
            paragraph.append(line.strip())
    flush()
    title = title or path.stem.replace("-", " ").replace("_", " ")
    for section in sections:
        section.heading = section.heading or title
    return article_passages(path, title, sections, id_prefix)


def plain(text: str) -> str:
    """Markdown inline markup removed: links keep their text, emphasis and code marks go."""
    return " ".join(_MARKUP.sub("", _LINK.sub(r"\1", text)).split())


def _read(path: Path) -> str:
    return read_text(path)
