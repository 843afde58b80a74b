"""Markdown articles: the first ``#`` heading is the title, each heading's section a passage.

Structure is kept, markup is not: a list item or a "Label: value" line is a unit (a sentence)
of its own under its heading, and a table row becomes a passage by itself, written as
"Aspect — SOC 1: cell; SOC 2: cell", so that each cell carries the name of its column.
"""
from __future__ import annotations

import re
from pathlib import Path

from bot.files import read_text
from bot.knowledge.markdown_dialects import undialect
from bot.knowledge.outline import code_units
from bot.knowledge.passage import Passage, Section, article_passages

# A closing run of "#" is dropped only after a space, as in CommonMark: "## What is C#" keeps it.
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")
_LIST_MARK = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_QUOTE_MARK = re.compile(r"^\s*(?:>\s?)+")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
HEADING_JOINER = " \u203a "  # "Parent › Child"
QUESTION_HEADING_MAX_WORDS = 25  # a longer question standing alone is text, not a heading


def read_markdown(path: Path, id_prefix: str | None = None) -> list[Passage]:
    return markdown_passages(read_text(path), path, id_prefix)


def read_html(path: Path, id_prefix: str | None = None) -> list[Passage]:
    """A saved web page, its main content read as Markdown (bot.knowledge.html)."""
    from bot.knowledge.html import page_to_markdown  # imports BeautifulSoup: only for web pages

    lines, title = page_to_markdown(read_text(path))
    return markdown_passages("\n".join(lines), path, id_prefix, title=title)


def markdown_passages(text: str, path: Path, id_prefix: str | None = None,
                      title: str | None = None) -> list[Passage]:
    """Passages of Markdown ``text`` read from ``path`` (also used for converted HTML)."""
    lines, front_title = undialect(text.splitlines())
    lines = _with_html_blocks(lines)
    title = title or front_title
    sections = [Section("", 1, [])]
    paragraph: list[str] = []
    start = 1

    parent = ""  # the heading a question paragraph is put under
    listed = False  # the paragraph is a list item: it stays a unit of its list

    def flush() -> None:
        if not paragraph:
            return
        text = plain(" ".join(paragraph))
        if len(paragraph) == 1 and not listed and is_question_line(text):
            # "**Q: Does SOC 2 cover uptime?**" alone heads its answer, as a subheading would.
            heading = HEADING_JOINER.join(p for p in (parent, text) if p)
            sections.append(Section(heading, start, []))
        else:
            sections[-1].paragraphs.append((start, text))
        paragraph.clear()

    above: list[tuple[int, str]] = []  # the headings above this point: (level, name)
    n = 0
    while n < len(lines):
        line, number = lines[n], n + 1
        n += 1
        if _FENCE.match(line):  # a code block: its configuration read line by line
            flush()
            block = []
            while n < len(lines) and not _FENCE.match(lines[n]):
                block.append(lines[n])
                n += 1
            n += 1
            sections[-1].paragraphs.extend(code_units(number + 1, block))
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            name, level = plain(heading.group(2)), len(heading.group(1))
            if title is None and level == 1:
                title = name
            while above and above[-1][0] >= level:
                above.pop()
            # A subheading keeps its parents ("SOC 3 › Distribution"): what they name is what
            # the text under it is about. The title (a level-1 heading) is not repeated.
            section_path = [p for lvl, p in above if lvl > 1] + [name]
            above.append((level, name))
            sections.append(Section(HEADING_JOINER.join(section_path), number, []))
            parent = sections[-1].heading
        elif "|" in line and n < len(lines) and _TABLE_RULE.match(lines[n]):
            flush()
            rows = [line]
            n += 1  # the |---| rule
            while n < len(lines) and "|" in lines[n] and lines[n].strip():
                rows.append(lines[n])
                n += 1
            sections[-1].paragraphs.extend(table_units(rows, number))
        elif not line.strip() or _RULE.match(line):
            flush()
        elif line.startswith(": ") and (paragraph or sections[-1].paragraphs):
            # A definition list ("Term" then ": definition"): one "Term: definition" unit.
            term = " ".join(paragraph) if paragraph else sections[-1].paragraphs.pop()[1]
            paragraph.clear()
            paragraph.append(f"{term.rstrip(':')}: {line[2:].strip()}")
            start = number - 1
        elif _LIST_MARK.match(line) or (not paragraph and is_label_line(line)):
            flush()
            paragraph.append(_LIST_MARK.sub("", _QUOTE_MARK.sub("", line)).strip())
            start, listed = number, bool(_LIST_MARK.match(line))
        else:
            if not paragraph:
                start, listed = number, False
            paragraph.append(_QUOTE_MARK.sub("", line).strip())
    flush()
    title = title or path.stem.replace("-", " ").replace("_", " ")
    for section in sections:
        section.heading = section.heading or title
    return article_passages(path, title, sections, id_prefix)


def is_question_line(text: str) -> bool:
    """A question standing alone as a paragraph ("Q: And the SOC 2?"): it heads the answer below
    it, as an FAQ's or an interview's questions do, rather than ending the text above it."""
    text = text.strip()
    return "\n" not in text and text.endswith("?") and len(text.split()) <= QUESTION_HEADING_MAX_WORDS


_HTML_BLOCK = re.compile(r"^<(table|details|div|p|ul|ol|dl|h[1-6]|blockquote|section)\b", re.IGNORECASE)


def _with_html_blocks(lines: list[str]) -> list[str]:
    """Raw HTML blocks (a README's <table>, <details>) turned into Markdown, in place; the
    block keeps its number of lines where it can, so later line numbers stay right."""
    if not any(line.startswith("<") for line in lines):
        return lines
    from bot.knowledge.html import html_to_markdown  # imports BeautifulSoup: only for files that need it

    out: list[str] = []
    n, in_fence = 0, False
    while n < len(lines):
        line = lines[n]
        if _FENCE.match(line):
            in_fence = not in_fence
        opened = None if in_fence else _HTML_BLOCK.match(line)
        if not opened:
            out.append(line)
            n += 1
            continue
        tag, depth, block = opened.group(1).lower(), 0, []
        while n < len(lines):
            block.append(lines[n])
            depth += len(re.findall(rf"<{tag}\b", lines[n], re.I)) - len(re.findall(rf"</{tag}\s*>", lines[n], re.I))
            n += 1
            if depth <= 0 or (not lines[n - 1].strip() and tag in ("p", "div")):
                break
        converted = html_to_markdown("\n".join(block))
        out.extend(converted + [""] * max(0, len(block) - len(converted)))
    return out


def table_units(rows: list[str], line: int) -> list[tuple[int, str, bool]]:
    """A pipe table's rows ("| a | b |", the |---| rule left out) as units: see row_units."""
    return row_units([_cells(row) for row in rows], line)


def row_units(rows: list[list[str]], line: int) -> list[tuple[int, str, bool]]:
    """A table given as cells, its first row the header: one unit per body row, "first cell —
    header: cell; header: cell.", standing alone as a passage."""
    header = rows[0]
    units = []
    for offset, cells in enumerate(rows[1:], 2):
        if not any(cells):
            continue
        lead, rest = cells[0], cells[1:]
        parts = []
        for i, cell in enumerate(rest, 1):
            cell = _CHECK_MARK.sub(lambda m: _CHECK_WORDS[m.group(1)], cell.replace(";", ","))  # ";" parts the cells
            # A row is one sentence, its lead's: "SOC 3 — Shared?: Yes. Often posted …" keeps the
            # cell's second sentence under SOC 3 rather than starting a sentence of its own.
            cell = _CELL_SENTENCE_END.sub("; ", cell)
            if cell:
                name = header[i] if i < len(header) else ""
                parts.append(f"{name}: {cell.rstrip('.;')}" if name else cell.rstrip(".;"))
        body = "; ".join(parts)
        text = f"{lead.rstrip('.:;')} — {body}." if lead and body else f"{lead or body}."
        units.append((line + offset, text, True))
    return units


# A feature matrix's cells: a check mark says yes, a cross no, a warning sign partly ("SOC 1: ❌"
# denies SOC 1 the row's feature as "SOC 1: No" does).
_CHECK_WORDS = {"\u2705": "Yes", "\u2714": "Yes", "\u2713": "Yes", "\u2611": "Yes",
                "\u274c": "No", "\u2716": "No", "\u2717": "No", "\u2718": "No", "\u26d4": "No",
                "\u26a0": "Partly"}
_CHECK_MARK = re.compile("^\\s*([" + "".join(_CHECK_WORDS) + "])\ufe0f?")
# (Not after an abbreviation: "Only where it touches ICFR (e.g. GL access)".)
_CELL_SENTENCE_END = re.compile(r"(?<=[a-z0-9)])(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\betc)\.\s+(?=[A-Z0-9(\"'])")


def _cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [plain(c.replace("\\|", "|")) for c in re.split(r"(?<!\\)\|", row)]


_LABEL = re.compile(r"^\s*(?:\*\*|__)?[^\W\d][^:.!?]{0,60}?(?:\*\*|__)?\s*:(?:\*\*|__)?\s+\S")
# "website / anyone -> soc3", "SOC 1 → ICFR", "CUEC = a control the customer runs": a cheat
# sheet's mapping or definition, a label with an arrow or an equals sign.
_ARROWS = r"->|\u2192|=>|(?<=\s)=(?=\s)"
_ARROW_LABEL = re.compile(rf"^\s*(?:[^\w\s]{{1,3}}\s+)?[^\W\d][^.!?\n]{{0,60}}?\s(?:{_ARROWS})\s+\S")
# …or a longer need mapped to a short answer: "random prospect, no NDA, wants proof for a slide => SOC3".
_ARROW_TO_SHORT = re.compile(rf"^\s*\S.*\s(?:{_ARROWS})\s+\S+(?:\s+\S+){{0,3}}\s*$")


# A chat speaker's turn: "priya.n: so what's soc1 for then", "@jules_k: …" (a handle, dots allowed),
# in an export perhaps stamped ("[2026-03-04 10:12] priya.s: …") or a thread's reply ("↳ reply
# from dan.k: …"). Not a criterion's number ("CC6.1:", "A1.2:"): a letter follows the dot.
# (A phone's export writes the date with a comma and the time with AM/PM: "[3/14/24, 9:02 PM]";
# WhatsApp on Android leaves out the brackets: "12/03/2024, 14:05 - Dana: …".)
_STAMP = (r"(?:\[\d[\d:/.,\- ]{2,24}(?:\s?[AaPp]\.?[Mm]\.?)?\]"
          r"|\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?\s+-(?=\s))")
# …or a name with its role or time in brackets: "Renata (Agent): …", "Dana (Tue 9:14 PM): …".
_NAMED = r"[A-Z][\w'-]*(?:\s[A-Z][\w'-]*)?\s\([^()\n]{1,24}\)"
_CHAT_PREFIX = rf"(?:{_STAMP}\s*)?(?:[\u21b3\u2514]\s*(?:reply\s+from\s+)?)?"
_SPEAKER = re.compile(rf"^\s*{_CHAT_PREFIX}(?:@?[^\W\d][\w-]*\.[^\W\d][\w.-]*|{_NAMED})\s*:\s+\S")
_CHAT_TURN = re.compile(rf"^\s*({_CHAT_PREFIX})(?=@?[^\W\d][\w-]*\.[^\W\d][\w.-]*:\s+\S)")
# A transcript's or log's stamped line ("[00:42] so basically …"): a turn of its own, read without
# its stamp ("[2025-03-04 10:15:44] Renata (Agent): Security wants the SOC 2.").
_STAMPED = re.compile(rf"^\s*{_STAMP}\s+\S")
_STAMP_BEFORE_TEXT = re.compile(rf"^\s*({_STAMP}\s*)(?=\S)")
# Chat links as Slack writes them: "<https://x.example|x.example>" shows its label, "<https://x>" its address.
_CHAT_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>")
# An IRC log's speaker, "<dgunn> go" (a mode sign before the nick allowed: "<@oskar_k>"): a turn,
# read as "dgunn: go".
_IRC_NICK = re.compile(r"^(\s*)<[@+%~&]?([^\W\d][\w.|^`-]{0,31})>\s+(?=\S)")


def is_speaker_line(line: str) -> bool:
    """A chat speaker's turn ("priya.n: …") or a stamped line: never a heading, whatever its length."""
    return bool(_SPEAKER.match(line) or _STAMPED.match(line))


def chat_turn(line: str) -> str:
    """A chat export's line without its stamp and thread marker: "[2026-03-04 10:12] priya.s: …"
    and "↳ reply from dan.k: …" read as "priya.s: …" and "dan.k: …" (so "from" makes no object
    of the report said first); an IRC log's "[14:02] <dgunn> go" as "dgunn: go"."""
    prefix = _CHAT_TURN.match(line) or _STAMP_BEFORE_TEXT.match(line)
    line = line[:prefix.start(1)] + line[prefix.end(1):] if prefix and prefix.group(1) else line
    return _IRC_NICK.sub(r"\1\2: ", line) if "<" in line else line


# A chat log's events, not what anyone said: "* dgunn has joined #compliance", "-!- Topic for …",
# "--- Log opened …", WhatsApp's "<Media omitted>" and "This message was deleted".
_CHAT_EVENT = re.compile(r"^\s*(?:\[[\d:/.,\- ]{2,24}\]\s*)?(?:\*\s+\S+\s+(?:has\s+)?(?:joined|left|quit)\b|-!-|---\s+Log\s+(?:opened|closed)\b)"
                         r"|^[^:]{0,60}:\s*(?:<Media omitted>|This message was deleted\.?)\s*$", re.IGNORECASE)


def is_chat_event(line: str) -> bool:
    """A chat log's line that records an event, not what anyone said."""
    return bool(_CHAT_EVENT.match(line))


def chat_links(text: str) -> str:
    """Slack's "<url|label>" links as their label (a bare "<url>" as its address)."""
    return _CHAT_LINK.sub(lambda m: m.group(2) or m.group(1), text) if "<" in text else text


def is_mapping_line(line: str) -> bool:
    """"Deals stuck in procurement → SOC 2" (an emoji or bullet before it allowed): a statement,
    never a heading, however short."""
    return bool(_ARROW_LABEL.match(line) or _ARROW_TO_SHORT.search(line))


def is_label_line(line: str) -> bool:
    """A "Label: value" line ("**Focus:** financial reporting"), one mapping with an arrow
    or an equals sign ("finance / auditors -> soc1 type 2"), or a chat speaker's turn
    ("priya.n: …"): a unit of its own."""
    if is_speaker_line(line):
        return True
    if is_mapping_line(line):  # "their security / vendor risk / IT procurement wants it => SOC2"
        return len(re.split(_ARROWS, line, maxsplit=1)[0].split()) <= 12 or bool(_ARROW_TO_SHORT.search(line))
    return bool(_LABEL.match(line)) and len(line.split(":", 1)[0].split()) <= 6


def plain(text: str) -> str:
    """Markdown inline markup removed: links keep their text, emphasis, code marks and tags go."""
    return " ".join(_MARKUP.sub("", _LINK.sub(r"\1", _HTML_TAG.sub(" ", chat_links(text)))).split())
