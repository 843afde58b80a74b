"""LaTeX source (``.tex``, and a ``.txt`` written in LaTeX), read by turning it into Markdown
line for line and reading that (bot.knowledge.markdown), as AsciiDoc and Org are.

What is kept: ``\\section``-style headings, ``itemize``/``enumerate`` items (an ``\\item[Label]``
as "Label: …"), ``tabular`` rows (a passage per row, as a Markdown table's), footnotes (in
brackets) and the text of ``\\textbf{…}``-style commands. What goes: the preamble (its ``\\title``
becomes the title), environment and rule lines, labels, citations, comments and escapes.
"""
from __future__ import annotations

import re
from pathlib import Path

from bot.files import read_text
from bot.knowledge.markdown import markdown_passages
from bot.knowledge.passage import Passage

__all__ = ["read_latex", "latex_passages", "looks_like_latex", "latex_to_markdown"]

_HEADINGS = {"part": 2, "chapter": 2, "section": 2, "subsection": 3, "subsubsection": 4, "paragraph": 5}
_HEADING = re.compile(r"^\s*\\(part|chapter|section|subsection|subsubsection|paragraph)\*?\s*\{(.*)\}\s*(.*)$")
_DROPPED_LINE = re.compile(r"^\s*\\(?:begin|end)\{[^}]*\}(?:\{[^}]*\}|\[[^\]]*\])*\s*$|^\s*\\(?:maketitle|toprule|midrule|"
                           r"bottomrule|hline|centering|tableofcontents|newpage|clearpage|noindent|label\{[^}]*\})\s*$")
_ITEM = re.compile(r"^(\s*)\\item(?:\[([^\]]*)\])?\s*(.*)$")
_COMMENT = re.compile(r"(?<!\\)%.*$")
_DROPPED = re.compile(r"\\(?:label|cite[pt]?|ref|eqref|index|vspace|hspace)\*?(?:\[[^\]]*\])?\{[^}]*\}")
_FOOTNOTE = re.compile(r"\\footnote\{([^{}]*)\}")
_LINK = re.compile(r"\\href\{[^}]*\}\{([^{}]*)\}")
_WRAPPER = re.compile(r"\\(?:textbf|textit|emph|texttt|underline|textsc|textsf|textrm|url|mbox|text)\{([^{}]*)\}")
_ESCAPES = {r"\%": "%", r"\&": "&", r"\$": "$", r"\#": "#", r"\_": "_", r"\{": "{", r"\}": "}", "~": " ",
            "``": '"', "''": '"', "---": "\u2014", "--": "\u2013", r"\ldots": "\u2026", r"\dots": "\u2026"}


def read_latex(path: Path, id_prefix: str | None = None) -> list[Passage]:
    return latex_passages(read_text(path), path, id_prefix)


def latex_passages(text: str, path: Path, id_prefix: str | None = None) -> list[Passage]:
    lines, title = latex_to_markdown(text)
    return markdown_passages("\n".join(lines), path, id_prefix, title=title)


def looks_like_latex(text: str) -> bool:
    """A plain-text file written in LaTeX: a document class or body, or sectioning commands."""
    return bool(re.search(r"^\s*\\(?:documentclass|begin\{document\})", text, re.MULTILINE)
                or len(re.findall(r"^\s*\\(?:sub)*section\*?\{", text, re.MULTILINE)) >= 2)


def latex_to_markdown(text: str) -> tuple[list[str], str | None]:
    """Markdown lines, one for each of ``text``'s outside tables (a table loses its rule lines and
    gains a Markdown rule under its header), and the title."""
    lines = text.lstrip("\ufeff").splitlines()
    title_found = re.search(r"\\title\{((?:[^{}]|\{[^{}]*\})*)\}", text)
    title = _inline(title_found.group(1).replace("\\\\", " \u2014 ")) if title_found else None
    body = next((k for k, line in enumerate(lines) if re.match(r"^\s*\\begin\{document\}", line)), -1)
    out: list[str] = []
    table = 0  # rows of the tabular being read, 0 outside one
    for k, raw in enumerate(lines):
        line = _COMMENT.sub("", raw)
        if k <= body:
            out.append("")
            continue
        if re.match(r"^\s*\\begin\{(?:tabular|tabularx|longtable)\}", line):
            table = 1
            out.append("")
            continue
        if re.match(r"^\s*\\end\{(?:tabular|tabularx|longtable)\}", line):
            table = 0
            out.append("")
            continue
        if table and re.match(r"^\s*\\(?:toprule|midrule|bottomrule|hline|cline\{[^}]*\})\s*$", line):
            continue  # a rule inside a table: the rows stay together (lines after it move up one)
        if table and "&" in line:
            cells = [_inline(c) for c in re.split(r"(?<!\\)&", line.split("\\\\")[0])]
            out.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
            if table == 1:  # the header row: a rule under it
                out[-1] += "\n|" + "---|" * len(cells)
            table += 1
        elif heading := _HEADING.match(line):
            out.append(f"{'#' * _HEADINGS[heading.group(1)]} {_inline(heading.group(2))}")
            if heading.group(3).strip():
                out[-1] += "\n" + _inline(heading.group(3))
        elif _DROPPED_LINE.match(line) or re.match(r"^\s*\\end\{document\}", line):
            out.append("")
        elif item := _ITEM.match(line):
            label, rest = item.group(2), _inline(item.group(3))
            out.append(f"{item.group(1)}- {_inline(label) + ': ' if label else ''}{rest}")
        else:
            out.append(_inline(line))
    # A table's header line carries the rule under it: split, the Markdown reader sees two lines.
    return [part for line in out for part in line.split("\n")], title


def _inline(text: str) -> str:
    previous = None
    while previous != text:  # nested commands: \textbf{\emph{…}}
        previous = text
        text = _DROPPED.sub("", text)
        text = _FOOTNOTE.sub(r" (\1)", text)
        text = _LINK.sub(r"\1", text)
        text = _WRAPPER.sub(r"\1", text)
    text = text.replace("\\\\", " ")
    for escape, plain in _ESCAPES.items():
        text = text.replace(escape, plain)
    text = re.sub(r"\\[A-Za-z]+\*?(?:\[[^\]]*\])?", "", text)  # any command left: its name goes
    return " ".join(text.split()) if text.strip() else ""
