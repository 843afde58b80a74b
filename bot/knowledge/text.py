"""Plain-text articles as people paste them from a web page.

The first non-empty line is the title. A short line without final punctuation that stands on
its own is a heading, and so is a question standing alone. Paragraphs are separated by blank lines. Inside a paragraph, list items
("- ", "• ", "1. ") and "Label: value" lines are units (sentences) of their own.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from bot.files import read_text
from bot.knowledge.asciidoc import asciidoc_passages, looks_like_asciidoc
from bot.knowledge.latex import latex_passages, looks_like_latex
from bot.knowledge.markdown import (
    _LIST_MARK,
    _QUOTE_MARK,
    _TABLE_RULE,
    chat_links,
    chat_turn,
    is_chat_event,
    is_label_line,
    is_mapping_line,
    is_question_line,
    is_speaker_line,
    markdown_passages,
    plain,
    row_units,
    table_units,
)
from bot.knowledge.org import looks_like_org, org_passages
from bot.knowledge.outline import is_outline, outline_sections
from bot.knowledge.passage import Passage, Section, article_passages
from bot.knowledge.wikis import wiki_dialect, wiki_to_markdown

HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90
_FINAL_PUNCTUATION = tuple(".!?:;,\"'\u201d\u2019)")


def read_text_article(path: Path, id_prefix: str | None = None) -> list[Passage]:
    text = read_text(path)
    if looks_like_asciidoc(text):  # AsciiDoc is often saved as .txt
        return asciidoc_passages(text, path, id_prefix)
    # A wiki page's or forum post's source: before Org, whose "** heading" is MediaWiki's "** item".
    dialect = wiki_dialect(text)
    if dialect:
        return markdown_passages("\n".join(wiki_to_markdown(text, dialect)), path, id_prefix)
    if looks_like_org(text):  # and so are Org-mode notes
        return org_passages(text, path, id_prefix)
    if looks_like_latex(text):  # and LaTeX sources
        return latex_passages(text, path, id_prefix)
    # A rule above the title (reStructuredText's overline "=====") is not the title.
    blocks = _blocks(text)
    while blocks:
        n, rows = blocks[0][0], blocks[0][1].splitlines()
        k = next((k for k, r in enumerate(rows) if not _is_rule(r)), len(rows))
        if k == 0:
            break
        blocks = ([(n + k, "\n".join(rows[k:]))] if k < len(rows) else []) + blocks[1:]
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
        raw = block.splitlines()
        if _BOX_CHARS.search(block):  # a table drawn with box characters: read as a grid table
            raw = [r.translate(_BOX_TO_GRID) for r in raw]
            first = next((k for k, r in enumerate(raw) if r.lstrip().startswith("+")), None)
            if first is not None:
                end = first
                while end < len(raw) and raw[end].lstrip()[:1] in ("+", "|"):
                    end += 1
                if first:
                    sections[-1].paragraphs.extend(units(line, "\n".join(raw[:first])))
                sections[-1].paragraphs.extend(grid_units(line + first, raw[first:end]))
                if end < len(raw):
                    sections[-1].paragraphs.extend(units(line + end, "\n".join(raw[end:])))
                continue
        if len(raw) > 2 and all(r.lstrip()[:1] in ("+", "|") for r in raw) and raw[0].lstrip()[:1] == "+":
            sections[-1].paragraphs.extend(grid_units(line, raw))
            continue
        rows = [r for r in raw if not _is_rule(r)]  # rules and underlines out
        if not rows:
            continue
        if is_outline(rows):  # a mind map: structure by indentation alone
            sections.extend(outline_sections(line, rows))
            continue
        found = _csv_table(rows)
        if found:  # a spreadsheet saved as CSV: the lines above it are text, each row a unit
            k, records = found
            if k:
                sections[-1].paragraphs.extend(units(line, "\n".join(rows[:k])))
            sections[-1].paragraphs.extend(row_units([[plain(c) for c in r] for r in records], line + k))
            continue
        if len(rows) > 1 and _tab_table(rows[1:]):  # pasted from a spreadsheet
            if "\t" not in rows[0]:  # its title on the line above
                sections.append(Section(" ".join(rows[0].split()), line, []))
                line, rows = line + 1, rows[1:]
            if len(rows) > 1:
                sections[-1].paragraphs.extend(tab_units(line, rows))
                continue
        led = len(rows) > 1 and _leads_block(rows)
        if led:  # a heading with its text right under it: that text is no heading of its own
            sections.append(Section(_heading_text(rows[0]), line, []))
            line, rows = line + 1, rows[1:]
        block = "\n".join(rows)
        if not led and (is_heading(block) or is_question_line(block)):
            sections.append(Section(_heading_text(block), line, []))
        elif len(rows) > 2 and "|" in rows[0] and _TABLE_RULE.match(rows[1]):
            sections[-1].paragraphs.extend(table_units([rows[0], *rows[2:]], line - 1))
        else:
            sections[-1].paragraphs.extend(units(line, block))
    return article_passages(path, title, sections, id_prefix)


# A heading's decoration: "----- Thursday, March 5 -----", "=== Scope ===", "*** Notes ***".
_DECORATION = re.compile(r"^[-=*~#_\s]{3,}|[-=*~#_\s]{3,}$")


_COMMENT_MARK = re.compile(r"^\s*;+[ \t]?")
# An INI file's section ("[soc2]", "[bridge_letter]"): a heading, its name read as words.
_SECTION = re.compile(r"^\s*\[([^\[\]\n]{1,60})\]\s*$")
# A config key ("covers_availability = no"): its words, for people to read.
_SNAKE_KEY = re.compile(r"^(\s*)([^\W\d_]+(?:_[^\W_]+)+)(?=\s*(?:=|:)\s)")


def _heading_text(line: str) -> str:
    section = _SECTION.match(line)
    if section:
        return " ".join(section.group(1).replace("_", " ").split())
    return " ".join(_DECORATION.sub("", line).split()).rstrip(":") or " ".join(line.split())


def _is_rule(row: str) -> bool:
    """A rule or a setext underline ("=====", "-----"), or a blank row."""
    return not row.strip(" =-_*~#+")


# A deck's or a course's numbered part: "Slide 5: …", "Part 2 - …", "Module 3 — …".
_NUMBERED_PART = re.compile(r"(?:slide|part|section|chapter|lesson|module|unit|week|day)\s+\d{1,3}\s*[:.\-\u2013\u2014]\s*\S",
                            re.IGNORECASE)
_ASIDE = re.compile(r"\[[^\[\]\n]{0,80}\]")
# Small words a capitals heading writes in lower case: "TYPE 1 vs TYPE 2:".
_CONNECTORS = re.compile(r"\b(?:vs|and|or|of|the|to|for|in|on)\b\.?")


def _leads_block(rows: list[str]) -> bool:
    """True when a block's first line is a heading set directly above its text: short, not a
    sentence, and followed by a list item or by a much longer line that starts a sentence."""
    # (A stage direction on a line of its own, "[click]", is no text to judge by: the line after it is.)
    first = rows[0].strip()
    following = next((r.strip() for r in rows[1:] if not _ASIDE.fullmatch(r.strip())), rows[1].strip())
    if _SECTION.match(first):
        return True
    if first.isupper() and len(first.split()) <= 5 and not first.endswith(_FINAL_PUNCTUATION) \
            and rows[1][:1].isspace():  # a manual page's "DESCRIPTION" over its indented text
        return True
    if _NUMBERED_PART.match(first) and len(first) <= 100 and not first.endswith((".", "!")):
        return True  # "Slide 5: SOC 2 - security and the Trust Services Criteria" over its notes
    if first.endswith(":") and _CONNECTORS.sub("", first).isupper() and len(first.split()) <= 6:
        return True  # a cheat sheet's "SOC1:" or "TYPE 1 vs TYPE 2:" alone on its line, over its notes
    if not is_heading(first) or len(first) > 50 or _LIST_MARK.match(first) or "|" in first:
        return False
    return bool(_LIST_MARK.match(following)) or (following[:1].isupper() and len(first) < 0.6 * len(following))


def _tab_table(rows: list[str]) -> bool:
    """Every row has a tab (an empty cell may be at either end), and some row has two cells
    with text: a table, not lines indented with a tab."""
    return all("\t" in r for r in rows) and any(sum(1 for c in r.split("\t") if c.strip()) >= 2 for r in rows)


def _csv_table(rows: list[str]) -> tuple[int, list[list[str]]] | None:
    """Where a block's comma-separated table starts (after up to two lines of text) and its
    records: three or more, of three fields or more, nearly all as wide as the header (a quoted
    field may run over lines)."""
    for k in range(min(3, len(rows) - 2)):
        if rows[k].count(",") < 2 or "\t" in rows[k]:
            continue
        try:
            records = [r for r in csv.reader(io.StringIO("\n".join(rows[k:]))) if any(c.strip() for c in r)]
        except csv.Error:
            return None
        width = len(records[0]) if records else 0
        if width >= 3 and len(records) >= 3 and sum(len(r) == width for r in records) >= 0.8 * len(records):
            return k, [[" ".join(c.split()) for c in r] for r in records]
    return None


def tab_units(line: int, rows: list[str]) -> list[tuple[int, str, bool]]:
    """A table pasted from a spreadsheet, its cells parted by tabs (an empty cell keeps its
    place). Of three columns or more, the first row is the header and each later row a unit of
    its own (see row_units); two columns are pairs with no header ("Payroll vendor → SOC 1"),
    each row a unit "key — value"."""
    cells = [[plain(cell) for cell in row.strip("\n").split("\t")] for row in rows]
    if max(len(c) for c in cells) > 2:
        return row_units(cells, line - 1)
    return [(line + n, f"{c[0].rstrip('.:;')} — {' '.join(c[1:]).rstrip('.;')}." if len(c) > 1 and c[1] else f"{c[0]}.",
             True) for n, c in enumerate(cells) if any(c)]


def grid_units(line: int, rows: list[str]) -> list[tuple[int, str, bool]]:
    """A grid table ("+----+" borders, "|" between cells, cells wrapped over several lines): its
    first row is the header, each later row a unit of its own (see row_units)."""
    table: list[list[list[str]]] = []  # per table row, per cell, its wrapped lines
    open_row = False
    for raw in rows:
        text = raw.strip()
        if text.startswith("+"):
            open_row = False
            continue
        cells = [c.strip() for c in text.strip("|").split("|")]
        if not open_row:
            table.append([[c] for c in cells])
            open_row = True
        else:
            for part, c in zip(table[-1], cells):
                part.append(c)
    joined = [[plain(" ".join(part)) for part in row] for row in table]
    if len(joined) < 2:
        return [(line, " ".join(" ".join(row) for row in joined), False)] if joined else []
    return row_units(joined, line)


# Box-drawing characters (a CLI table tool's frame) and the grid-table characters they stand for.
_BOX_CHARS = re.compile("[\u2500-\u257f]")
_BOX_VERTICAL = "\u2502\u2503\u2551\u2506\u2507\u250a\u250b\u254e\u254f"
_BOX_HORIZONTAL = "\u2500\u2501\u2550\u2504\u2505\u2508\u2509\u254c\u254d"
_BOX_TO_GRID = str.maketrans({chr(k): "|" if chr(k) in _BOX_VERTICAL else "-" if chr(k) in _BOX_HORIZONTAL else "+"
                              for k in range(0x2500, 0x2580)})
_NOTICE = re.compile(r"^\s*\*{3,}\s*(.*?)\s*\*{3,}\s*$")
# A chat export's reactions under a message (":+1: 3  :tada: 1"): not text.
_REACTIONS = re.compile(r"^\s*(?::[\w+'-]+:\s*\d*\s*)+$")
_FIELD = re.compile(r"^(\s*):([^\W\d][\w -]{0,30}):(?=\s)")


def units(line: int, block: str) -> list[tuple[int, str]]:
    """A block's units: one per list item or label line, else the whole block as one."""
    out: list[tuple[int, str]] = []
    item_indent = None  # where a list item's text starts: a line indented to it goes on with it
    for n, raw in enumerate(block.splitlines()):
        if _is_rule(raw) or _REACTIONS.match(raw) or is_chat_event(raw):
            continue
        raw = chat_turn(raw)
        if is_chat_event(raw):  # "Dana: <Media omitted>", once its stamp is gone
            continue
        raw = _FIELD.sub(r"\1\2:", chat_links(raw))  # reStructuredText's ":Owner: Compliance" is a label line
        raw = _NOTICE.sub(r"\1", raw)  # a chat's system notice: "*** Renata shared a file ***"
        raw = _SNAKE_KEY.sub(lambda m: m.group(1) + m.group(2).replace("_", " "), raw)
        indent = len(raw) - len(raw.lstrip())
        item = _LIST_MARK.match(raw)
        # A hard-wrapped list item's next line ("- Ours is SOC 2 … TSC in" / "  scope: …")
        # continues it, whatever it starts with.
        wrapped = item_indent is not None and indent >= item_indent > 0 and not item
        item_indent = item.end() if item else (item_indent if wrapped else None)
        marked = not wrapped and (item or is_label_line(raw))
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
        and not is_speaker_line(text)
        and not is_mapping_line(text)
        and len(text) <= HEADING_MAX_CHARS
        and len(text.split()) <= HEADING_MAX_WORDS
        and not text.endswith(_FINAL_PUNCTUATION)
    )


def _blocks(text: str) -> list[tuple[int, str]]:
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for n, line in enumerate(text.splitlines(), 1):
        line = _QUOTE_MARK.sub("", line)  # an e-mail's quoted lines (">> text") are text too
        line = _COMMENT_MARK.sub("", line)  # and a config file's comments ("; Rule of thumb: …")
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
