"""Saved web pages and wiki exports (``.html``, ``.htm``), read with BeautifulSoup.

Only the main content is kept: the page's ``<article>`` or ``<main>`` (else its body), without
navigation, headers and footers, sidebars, forms, scripts, share buttons, cookie banners or
bylines. What remains is written out as Markdown (headings, paragraphs, list items, table rows)
and read like a Markdown article (:func:`bot.knowledge.markdown.read_html`), so structure carries
over the same way.
"""
from __future__ import annotations

import re

# Elements that are page furniture, never content; and class/id words that mark furniture.
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button",
              "iframe", "svg", "canvas", "select", "input", "dialog", "object", "embed")
_BOILERPLATE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|footer|cookie|consent|share|sharing|social|newsletter|subscribe|"
    r"signup|sidebar|related|breadcrumbs?|comments?|byline|author|meta|advert|ads|promo|banner|popup|"
    r"modal|toc|skip)(?:$|[-_\s])", re.IGNORECASE)
_BLOCKS = frozenset({"p", "li", "dt", "dd", "blockquote", "pre", "figcaption", "caption", "td", "th",
                     "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "div", "section",
                     "article", "main", "header", "tr", "br", "hr", "details", "summary", "figure"})
_SPACE_BEFORE_MARK = re.compile(r"\s+([.,;:!?)](?:\s|$))")
NavigableString = Tag = None  # bs4's classes, bound on the first page read


def page_to_markdown(page: str) -> tuple[list[str], str | None]:
    """A web page's main content as Markdown lines, and its title (its first heading, else its
    ``<title>``)."""
    # Imported here: BeautifulSoup takes 70 ms to import, and most bases hold no web pages.
    global NavigableString, Tag
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(page, "html.parser")
    page_title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup.find_all(("head", *_DROP_TAGS)):
        tag.decompose()
    for tag in soup.find_all(_is_furniture):
        tag.decompose()
    root = _main(soup)
    lines: list[str] = []
    _write(root, lines)
    title = next((line[2:] for line in lines if line.startswith("# ")), None) or page_title
    return lines, title


def html_to_markdown(fragment: str) -> list[str]:
    """Raw HTML inside a Markdown file (a README's <table> or <details>) as Markdown lines."""
    global NavigableString, Tag
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(fragment, "html.parser")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    lines: list[str] = []
    _write(soup, lines)
    return lines


def _is_furniture(tag) -> bool:
    if not isinstance(tag, Tag) or tag.attrs is None or tag.name in ("html", "body", "article", "main"):
        return False
    if tag.name == "header" and tag.find_parent(("article", "main")) is None:
        return True  # the site's header; an article's own header holds its title
    words = " ".join([*(tag.get("class") or []), str(tag.get("id") or ""), str(tag.get("role") or "")])
    return bool(words.strip()) and (bool(_BOILERPLATE.search(words)) or tag.get("role") == "navigation")


def _main(soup):
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda a: len(a.get_text()))
    return soup.find("main") or soup.find(attrs={"role": "main"}) or soup.body or soup


def _text(tag) -> str:
    return _tidy(tag.get_text(" ", strip=True))


def _tidy(text: str) -> str:
    """Words joined by single spaces, none before a closing mark ("a <b>SOC 3</b>." is not "SOC 3 .")."""
    return _SPACE_BEFORE_MARK.sub(r"\1", " ".join(text.split()))


def _write(node, lines: list[str], depth: int = 0) -> None:
    """Append ``node``'s content to ``lines`` as Markdown."""
    loose: list[str] = []

    def flush() -> None:
        text = _tidy(" ".join(loose))
        if text:
            lines.extend(("", text))
        loose.clear()

    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment, CDATA or doctype
                loose.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name not in _BLOCKS:
            loose.append(_text(child))
            continue
        flush()
        if re.fullmatch(r"h[1-6]", name):
            text = _text(child)
            if text:
                lines.extend(("", f"{'#' * int(name[1])} {text}", ""))
        elif name in ("p", "blockquote", "pre", "figcaption", "caption", "dd"):
            text = _text(child)
            if text:
                lines.extend(("", text))
        elif name in ("ul", "ol"):
            lines.append("")
            for n, item in enumerate(child.find_all("li", recursive=False), 1):
                text = _text(item)
                if text:
                    lines.append(f"{n}. {text}" if name == "ol" else f"- {text}")
        elif name == "dl":
            lines.append("")
            for term in child.find_all("dt"):
                definition = term.find_next_sibling("dd")
                lines.append(f"- {_text(term)}: {_text(definition) if definition else ''}".rstrip(": "))
        elif name == "table" and _is_layout(child):  # an e-mail's or old page's grid: a container
            for row in _rows(child):
                for cell in row.find_all(("td", "th"), recursive=False):
                    _write(cell, lines, depth + 1)
        elif name == "table":
            _table(child, lines)
        elif name == "li":
            lines.append(f"- {_text(child)}")
        elif name == "summary":  # a disclosure's summary (an FAQ's question) heads what it hides
            text = _text(child)
            if text:
                lines.extend(("", f"#### {text}", ""))
        elif name in ("br", "hr"):
            continue
        else:  # div, section, header, tr, td: containers
            _write(child, lines, depth + 1)
    flush()


def _rows(table) -> list:
    """A table's own rows (not those of a table inside one of its cells)."""
    rows = table.find_all("tr", recursive=False)
    for part in table.find_all(("thead", "tbody", "tfoot"), recursive=False):
        rows.extend(part.find_all("tr", recursive=False))
    return rows


def _is_layout(table) -> bool:
    """A table used to lay a page out (HTML e-mail, older sites), not to compare: marked so
    (role="presentation"), holding a table or a heading in a cell, or one column wide."""
    if str(table.get("role") or "").lower() in ("presentation", "none"):
        return True
    rows = _rows(table)
    cells = [cell for row in rows for cell in row.find_all(("td", "th"), recursive=False)]
    if any(cell.find(("table", "h1", "h2", "h3", "h4", "h5", "h6")) for cell in cells):
        return True
    return bool(rows) and max(len(row.find_all(("td", "th"), recursive=False)) for row in rows) == 1


def _table(table, lines: list[str]) -> None:
    rows = [[_text(cell).replace("|", "/") for cell in row.find_all(("th", "td"))]
            for row in table.find_all("tr")]
    rows = [r for r in rows if any(r)]
    if len(rows) < 2:
        lines.extend("" if not r else " ".join(r) for r in rows)
        return
    width = max(len(r) for r in rows)
    lines.append("")
    for n, row in enumerate(rows):
        lines.append("| " + " | ".join(row + [""] * (width - len(row))) + " |")
        if n == 0:
            lines.append("|" + "---|" * width)
    lines.append("")
