"""Org-mode notes (``.org``, and a ``.txt`` written in Org), read by turning them into Markdown
line for line and reading that (bot.knowledge.markdown), as AsciiDoc is.

What is kept: "* Heading" outlines (TODO keywords, priorities and tags dropped), "- " and "1. "
lists, "- term :: definition" entries, and tables (a passage per row; "|---+---|" rules read as
Markdown's). What goes: "#+KEYWORD:" lines (the title becomes the title), "# " comments, property
drawers, planning lines ("SCHEDULED: <…>") and inline markup (*bold*, /italic/, =verbatim=,
~code~, [[link][text]]), so no answer quotes "#+TITLE:" or "=AT-C 320=".
"""
from __future__ import annotations

import re
from pathlib import Path

from bot.files import read_text
from bot.knowledge.markdown import markdown_passages
from bot.knowledge.passage import Passage

__all__ = ["read_org", "org_passages", "looks_like_org", "org_to_markdown"]

_KEYWORD = re.compile(r"^#\+(\w+):\s*(.*)$")
_BLOCK = re.compile(r"^#\+(?:begin|end)_\w+", re.IGNORECASE)
_HEADING = re.compile(r"^(\*+)\s+(?:(?:TODO|DONE|NEXT|WAITING|HOLD|CANCELLED|CANCELED)\s+)?(?:\[#[A-Za-z]\]\s+)?"
                      r"(.*?)(?:\s+:[\w@#%:]+:)?\s*$")
_DEEP_HEADING = re.compile(r"^\*{2,}\s+\S", re.MULTILINE)  # "** who reads it": never Markdown
_DRAWER = re.compile(r"^:[A-Za-z]+:\s*$")
_PLANNING = re.compile(r"^(?:(?:SCHEDULED|DEADLINE|CLOSED):\s*[<\[][^>\]]*[>\]]\s*)+$")
_TABLE_RULE = re.compile(r"^\|[-+|:\s]+\|?$")
_DEFINITION = re.compile(r"^(\s*(?:[-+]|\d+[.)])\s+)(.+?)\s+::\s*(.*)$")
_LINK = re.compile(r"\[\[([^\]]+)\](?:\[([^\]]+)\])?\]")
# *bold*, /italic/, =verbatim=, ~code~, +strike+, _underline_: a mark hugging its text, not
# inside a word ("a/b", "x*y", "snake_case") and not a list's "- " or a heading's "* ".
_INLINE = re.compile(r"(?<![\w*/=~+])([*/=~+_])(?=[^\s*/=~+_])([^\n]*?[^\s])\1(?![\w*/=~+])")


def read_org(path: Path, id_prefix: str | None = None) -> list[Passage]:
    return org_passages(read_text(path), path, id_prefix)


def org_passages(text: str, path: Path, id_prefix: str | None = None) -> list[Passage]:
    lines, title = org_to_markdown(text)
    return markdown_passages("\n".join(lines), path, id_prefix, title=title)


def looks_like_org(text: str) -> bool:
    """A plain-text file written in Org: an in-buffer keyword line ("#+TITLE: …") or a second-
    level heading ("** …", which Markdown never writes at the start of a line)."""
    return bool(re.search(r"^#\+(?:title|author|date|options|startup|filetags|begin_\w+):", text,
                          re.IGNORECASE | re.MULTILINE) or _DEEP_HEADING.search(text))


def org_to_markdown(text: str) -> tuple[list[str], str | None]:
    """Markdown lines, one for each of ``text``'s (so line numbers stay right), and the title."""
    out: list[str] = []
    title: str | None = None
    in_drawer = False
    for raw in text.lstrip("\ufeff").splitlines():
        line = raw.strip()
        if in_drawer:
            in_drawer = line.upper() != ":END:"
            out.append("")
            continue
        if keyword := _KEYWORD.match(line):
            if keyword.group(1).lower() == "title" and title is None:
                title = _inline(keyword.group(2).strip()) or None
            out.append("")
        elif _BLOCK.match(line) or _PLANNING.match(line) or line == "#" or line.startswith("# "):
            out.append("")
        elif _DRAWER.match(line):
            in_drawer = line.upper() != ":END:"
            out.append("")
        elif heading := _HEADING.match(raw):
            out.append(f"{'#' * min(6, len(heading.group(1)) + 1)} {_inline(heading.group(2))}")  # "#" is the title's
        elif line.startswith("|"):
            out.append(re.sub(r"[+]", "|", line) if _TABLE_RULE.match(line) else _inline(line))
        elif definition := _DEFINITION.match(raw):
            mark, term, meaning = definition.groups()
            out.append(f"{mark}{_inline(term)}: {_inline(meaning)}".rstrip(": "))
        else:
            out.append(_inline(raw.rstrip()))
    return out, title


def _inline(text: str) -> str:
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    previous = None
    while previous != text:  # nested marks: */both/*
        previous, text = text, _INLINE.sub(r"\2", text)
    return text
