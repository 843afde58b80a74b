from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Passage:
    """One idea from the knowledge base, with where it came from."""

    id: str
    text: str
    title: str
    section: str
    reports: tuple[str, ...]
    url: str | None
    source: str | None
    path: str
    line: int | None


def slug(text: str, limit: int = 48) -> str:
    """A stable, readable id part: lowercase words joined by hyphens."""
    words = re.findall(r"[^\W_]+", text.lower())
    out = "-".join(words)[:limit].strip("-")
    return out or "section"


# An article's section longer than this is split at paragraph breaks, so a passage stays close
# to one idea and BM25's length normalization does not bury it.
MAX_PASSAGE_WORDS = 110
# A passage written as one (a YAML passage, an answer saved in Slack) holds one idea: text longer
# than this is an article, refused with a clear message rather than indexed as one passage.
MAX_PASSAGE_CHARS = 4000


@dataclass
class Section:
    heading: str
    line: int
    # (line, text) or (line, text, alone): a unit that is ``alone`` (a table row) is a passage
    # by itself; the others are gathered into passages of up to MAX_PASSAGE_WORDS words.
    paragraphs: list[tuple]


def article_passages(path, title: str, sections: list[Section], id_prefix: str | None = None) -> list[Passage]:
    """Passages of an untagged article: one per section, long sections split at paragraphs.

    Ids are ``<file>.<heading slug>`` (``-2``, ``-3``… for a repeated heading, ``~2``… for the
    parts of a split section), so they stay the same while the text is edited. ``<file>`` is
    the file's path below the knowledge directory ("guides/intro.md": ``guides-intro``).
    Paragraphs with no text (an image alone, a rule) are left out. A passage's units (paragraphs,
    list items, label lines) stand on lines of their own, so each is read as its own sentence.
    """
    stem = id_prefix or slug(path.stem, 80)
    used: set[str] = set()
    passages = []
    for section in sections:
        paragraphs = [(unit[0], unit[1], len(unit) > 2 and unit[2]) for unit in section.paragraphs
                      if unit[1].strip()]
        if not paragraphs:
            continue
        base, n = f"{stem}.{slug(section.heading)}", 1
        while (base if n == 1 else f"{base}-{n}") in used:
            n += 1
        base = base if n == 1 else f"{base}-{n}"
        used.add(base)
        for part, chunk in enumerate(_chunks(paragraphs), 1):
            passages.append(Passage(
                id=base if part == 1 else f"{base}~{part}",
                text="\n".join(text for _, text, _ in chunk),
                title=title,
                section=section.heading if section.heading != title else "",
                reports=(),
                url=None,
                source=None,
                path=str(path),
                line=chunk[0][0],
            ))
    return passages


def _chunks(paragraphs: list[tuple[int, str, bool]]) -> list[list[tuple[int, str, bool]]]:
    chunks: list[list[tuple[int, str, bool]]] = []
    words = 0
    for unit in paragraphs:
        n = len(unit[1].split())
        if chunks and not unit[2] and not chunks[-1][-1][2] and words + n <= MAX_PASSAGE_WORDS:
            chunks[-1].append(unit)
            words += n
        else:
            # A split falls between paragraphs where it can: the lines just before that run on
            # into this one (a flashcard's "Front:" above its "Back:") go with it.
            tail = _same_paragraph_tail(chunks[-1], unit) if chunks and not unit[2] else []
            if tail:
                del chunks[-1][-len(tail):]
            chunks.append([*tail, unit])
            words = sum(len(u[1].split()) for u in chunks[-1])
    return chunks


def _same_paragraph_tail(chunk, unit, most: int = 2) -> list[tuple[int, str, bool]]:
    """The units at the end of ``chunk`` that open ``unit``'s paragraph: at most ``most`` of
    them, on the lines right above it, with a blank line above them; else none."""
    k, line = len(chunk), unit[0]
    while k > 1 and len(chunk) - k < most and not chunk[k - 1][2] and chunk[k - 1][0] == line - 1:
        k, line = k - 1, chunk[k - 1][0]
    return chunk[k:] if k < len(chunk) and chunk[k - 1][0] < line - 1 else []
