"""Wiki and forum markup pasted into a ``.txt`` file: MediaWiki wikitext, Jira's wiki markup,
DokuWiki and BBCode, each turned into Markdown (one line per line, except a table's rule) and read
as Markdown (bot.knowledge.markdown).

Kept: headings, lists, definition lines, tables (a passage per row), link and template text,
footnotes (in brackets). Dropped: the markup itself (''bold'', h2., ^ headers ^, [b]…[/b]),
panels and notes' delimiters, reference lists.
"""
from __future__ import annotations

import re

__all__ = ["wiki_dialect", "wiki_to_markdown"]

# Each dialect's tell-tale lines, and the ones only it writes (one of those is needed too).
_TELLS = {
    "mediawiki": re.compile(r"^(?:={2,6}[^=].*[^=]={2,6}\s*$|\{\||\{\{|'''.+''')", re.MULTILINE),
    "jira": re.compile(r"^(?:h[1-6]\.\s|\|\|.+\|\|\s*$|\{(?:panel|note|info|tip|warning|quote|code|noformat)\b)", re.MULTILINE),
    "dokuwiki": re.compile(r"^(?:={3,6}\s.+\s={3,6}\s*$|\^.+\^\s*$|\s{2,}[*-]\s|<note\b)", re.MULTILINE),
    "bbcode": re.compile(r"\[/(?:b|i|u|url|quote|list|size|color|code)\]", re.IGNORECASE),
}
_OWN = {
    "mediawiki": re.compile(r"^(?:\{\||={2,6}[^=].*[^=]={2,6}\s*$)", re.MULTILINE),
    "jira": re.compile(r"^h[1-6]\.\s", re.MULTILINE),
    "dokuwiki": re.compile(r"^(?:={3,6}\s.+\s={3,6}\s*$|\^.+\^\s*$)", re.MULTILINE),
    "bbcode": re.compile(r"\[/(?:b|i|u|url|quote|list|size|code)\]", re.IGNORECASE),
}


# A table row of the dialects that write one per line ("||h||h||", "|c|c|"; "^ h ^", "| c |").
_TABLE_ROW = {"jira": r"^\s*\|\|?.*\|\s*$", "dokuwiki": r"^\s*[\^|].*[\^|]\s*$"}


def wiki_dialect(text: str) -> str | None:
    """The wiki or forum markup ``text`` is written in, if any: three tell-tale lines or more, one
    of them of a kind only that dialect writes (MediaWiki's and DokuWiki's "== Heading ==" are
    told apart by DokuWiki's tables, indented lists and //italics//)."""
    if len(_OWN["jira"].findall(text)) >= 2:  # Jira's "h2." headings (its "# " is a numbered item)
        return "jira"
    # Markdown headings make Markdown, not a wiki, unless the wiki's own headings or tables stand
    # beside them ("# " is MediaWiki's numbered item).
    if re.search(r"^#{1,6}\s", text, re.MULTILINE) and len(_OWN["mediawiki"].findall(text)) < 2:
        return None
    counts = {name: len(tell.findall(text)) for name, tell in _TELLS.items()}
    name = max(counts, key=counts.get)
    if counts[name] < 3 or not _OWN[name].search(text):
        return None
    if name in ("mediawiki", "dokuwiki"):
        doku = len(re.findall(r"^(?:\^.+\^\s*$|\s{2,}[*-]\s|<note\b)|//\w[^/\n]*//|\(\(", text, re.MULTILINE))
        name = "dokuwiki" if doku >= 2 and "'''" not in text else "mediawiki"
    return name


# A talk page's signature: "-- [[User:Ann|Ann]] ([[User talk:Ann|talk]]) 14:02, 3 May 2024 (UTC)".
# Who said it and when, not what: left out, so that "That's backwards." stays a sentence of its own.
_SIGNATURE = re.compile(r"\s*(?:--|\u2014|\u2013)?\s*\[\[User:[^\]]*\]\](?:.*?\(UTC\)|[^.!?]*$)\s*$", re.IGNORECASE)


def wiki_to_markdown(text: str, dialect: str) -> list[str]:
    lines = text.lstrip("\ufeff").splitlines()
    if dialect == "bbcode":
        return [_bbcode_line(line) for line in lines]
    out: list[str] = []
    table: list[list[str]] = []
    in_table = False
    template = False  # inside a template spread over lines ("{{Infobox" … "| key = value" … "}}")
    for raw in lines:
        line = raw.rstrip()
        if dialect == "mediawiki" and (template or re.match(r"^\s*\{\{[^{}]*$", line)):
            template = not line.strip().endswith("}}")
            param = re.match(r"^\s*\|\s*([^=|]+?)\s*=\s*(.+?)\s*(?:\}\})?$", line)
            out.append(f"- {_inline(param.group(1), dialect).replace('_', ' ')}: {_inline(param.group(2), dialect)}"
                       if param else "")
            continue
        if dialect == "mediawiki" and line.startswith("{|"):
            in_table, table = True, []
            out.append("")
            continue
        if in_table:
            if line.startswith("|}"):
                in_table = False
                out.extend(_markdown_table(table))
                continue
            _mediawiki_row(line, table)
            continue
        if dialect in _TABLE_ROW and re.match(_TABLE_ROW[dialect], line):
            header = line.lstrip().startswith(("||", "^"))
            cells = [_inline(c, dialect) for c in re.split(r"\|\||\||\^", line.strip())[1:-1]]
            out.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
            if header:
                out.append("|" + "---|" * len(cells))
            continue
        if dialect == "mediawiki":
            line = _SIGNATURE.sub("", line)
        out.append(_line(line, dialect))
    if in_table:
        out.extend(_markdown_table(table))
    return out


def _line(line: str, dialect: str) -> str:
    stripped = line.strip()
    if dialect == "mediawiki":
        heading = re.match(r"^(={1,6})\s*(.+?)\s*\1\s*$", stripped)
        if heading:
            return f"{'#' * len(heading.group(1))} {_inline(heading.group(2), dialect)}"
        if stripped.startswith(";"):  # ";term : definition", or its definition on the ":" line below
            term, _, meaning = stripped[1:].partition(":")
            return f"- {_inline(term, dialect)}: {_inline(meaning, dialect)}".rstrip()
        stripped = re.sub(r"^:+\s*", "", stripped)  # an indented reply or definition
    elif dialect == "jira":
        heading = re.match(r"^h([1-6])\.\s+(.*)$", stripped)
        if heading:
            return f"{'#' * int(heading.group(1))} {_inline(heading.group(2), dialect)}"
        block = re.match(r"^\{(?:panel|note|info|tip|warning|quote|code|noformat)(?::([^}]*))?\}(.*)$", stripped)
        if block:
            title = re.search(r"title=([^|}]+)", block.group(1) or "")
            return _inline(" ".join(filter(None, [title.group(1) if title else "", block.group(2)])), dialect)
    elif dialect == "dokuwiki":
        heading = re.match(r"^(={2,6})\s*(.+?)\s*={2,6}\s*$", stripped)
        if heading:
            return f"{'#' * (7 - len(heading.group(1)))} {_inline(heading.group(2), dialect)}"
        stripped = re.sub(r"</?note\b[^>]*>", "", stripped)
        item = re.match(r"^(\s{2,})([*-])\s+(.*)$", line)
        if item:
            depth = max(0, len(item.group(1)) // 2 - 1)
            return "  " * depth + ("- " if item.group(2) == "*" else "1. ") + _inline(item.group(3), dialect)
    item = re.match(r"^([*#-]+)\s+(.*)$", stripped) if dialect != "dokuwiki" else None
    if item:
        depth = len(item.group(1)) - 1
        return "  " * depth + ("1. " if item.group(1)[-1] == "#" else "- ") + _inline(item.group(2), dialect)
    return _inline(stripped, dialect)


def _mediawiki_row(line: str, table: list[list[str]]) -> None:
    if line.startswith("|+") or line.startswith("|-"):
        if line.startswith("|-") or not table:
            table.append([])
        return
    if line.startswith(("!", "|")):
        if not table:
            table.append([])
        for cell in re.split(r"!!|\|\|", line[1:]):
            # "style=… | text": the text after the attributes
            text = cell.split("|", 1)[1] if re.match(r"^[^|]*=[^|]*\|", cell) else cell
            table[-1].append(_inline(text.strip(), "mediawiki"))
    elif table and table[-1]:  # a cell's text goes on over the next line
        table[-1][-1] = f"{table[-1][-1]} {_inline(line.strip(), 'mediawiki')}".strip()


def _markdown_table(rows: list[list[str]]) -> list[str]:
    rows = [r for r in rows if any(r)]
    if not rows:
        return [""]
    width = max(len(r) for r in rows)
    out = ["", "| " + " | ".join(rows[0] + [""] * (width - len(rows[0]))) + " |", "|" + "---|" * width]
    out += ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows[1:]]
    return out + [""]


def _inline(text: str, dialect: str) -> str:
    text = re.sub(r"<ref[^>]*/>|<references\s*/>|\{\{\s*reflist[^}]*\}\}", "", text, flags=re.IGNORECASE)
    text = re.sub(r"<ref[^>]*>(.*?)</ref>", r" (\1)", text)
    text = re.sub(r"\(\((.+?)\)\)", r" (\1)", text)  # a DokuWiki footnote
    text = re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", text)  # [[Page|text]], [[Page]]
    text = re.sub(r"\{\{[^{}|]+\|([^{}]*)\}\}", lambda m: m.group(1).replace("|", " "), text)
    text = re.sub(r"\{\{[^{}]*\}\}", "", text)
    if dialect == "jira":
        text = re.sub(r"\{(?:panel|note|info|tip|warning|quote|code|noformat)(?::[^}]*)?\}", " ", text)
        text = re.sub(r"\[([^\]|]+)\|[^\]]+\]", r"\1", text)
        text = re.sub(r"\{\{(.+?)\}\}", r"\1", text)
        text = re.sub(r"(?<![\w*])\*(\S(?:[^*\n]*\S)?)\*(?![\w*])", r"\1", text)
        text = re.sub(r"(?<![\w_])_(\S(?:[^_\n]*\S)?)_(?![\w_])", r"\1", text)
    else:
        text = re.sub(r"\[(?:https?|ftp)://\S+\s+([^\]]+)\]", r"\1", text)
        text = re.sub(r"\[(?:https?|ftp)://\S+\]", "", text)
    text = re.sub(r"'''''|'''|''", "", text) if dialect == "mediawiki" else text
    if dialect == "dokuwiki":
        text = re.sub(r"//(.+?)//", r"\1", text)
        text = re.sub(r"''(.+?)''", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text) if dialect in ("mediawiki", "dokuwiki") else text
    return " ".join(text.split())


def _bbcode_line(line: str) -> str:
    size = re.match(r"^\s*\[size=\d+\](.+?)\[/size\]\s*$", line, re.IGNORECASE)
    if size:
        return f"## {_bbcode_inline(size.group(1))}"
    item = re.match(r"^\s*\[\*\]\s*(.*)$", line)
    if item:
        return f"- {_bbcode_inline(item.group(1))}"
    quote = re.match(r'^\s*\[quote(?:=["\']?([^"\'\]]+)["\']?)?\]\s*(.*)$', line, re.IGNORECASE)
    if quote:  # whose words these are, then the words
        who = quote.group(1)
        return _bbcode_inline(f"{who} wrote: {quote.group(2)}" if who else quote.group(2))
    return _bbcode_inline(line)


def _bbcode_inline(text: str) -> str:
    text = re.sub(r"\[url=[^\]]*\](.*?)\[/url\]", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"\[img\].*?\[/img\]", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\[/?(?:b|i|u|s|url|quote|list|size|color|font|code|center|left|right|\*)(?:=[^\]]*)?\]", "", text,
                  flags=re.IGNORECASE)
    return " ".join(text.split())
