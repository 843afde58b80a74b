"""What Markdown's dialects add around the text, turned into plain Markdown line for line (so
line numbers stay right) before it is read (bot.knowledge.markdown):

- YAML front matter (Jekyll, Hugo, Docusaurus, Obsidian) between "---" lines: dropped, its
  ``title`` kept as the document's title;
- MDX ``import``/``export`` lines: dropped; a ``<TabItem label="SOC 1">`` heads its tab;
- admonitions (":::tip Title" … ":::"): the markers go, a title stays as a line of its own;
- callouts ("> [!warning] Title", GitHub's "> [!NOTE]"): the marker goes;
- wiki links ("[[Trust Services Criteria|TSC]]"): their text stays.
"""
from __future__ import annotations

import re

__all__ = ["undialect"]

_FRONT_KEY = re.compile(r"^(?:[\w-]+\s*:.*|\s+.*|\s*-\s.*|#.*)?$")
_TITLE = re.compile(r"^title\s*:\s*(.+?)\s*$", re.IGNORECASE)
_MDX_STATEMENT = re.compile(r"""^(?:import|export)\s.*(?:from\s+)?['"][^'"]+['"];?\s*$|^export\s+(?:const|default|function)\b""")
_ADMONITION = re.compile(r"^\s*:::\s*(?:\w+)?(?:\[([^\]]*)\]|[ \t]+(.+?))?\s*$")
_CALLOUT = re.compile(r"^(\s*>\s*)\[!\w+\][+-]?\s*")
_HEADING = re.compile(r"^(#{1,6})\s+\S")
# A wiki link: "[[Trust Services Criteria|TSC]]" reads "TSC", "[[Vendor Reviews/Larkspur]]" "Larkspur".
_WIKILINK = re.compile(r"\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|([^\]]+))?\]\]")
_TAB = re.compile(r"""^\s*<TabItem\b[^>]*\blabel=["']([^"']+)["'][^>]*>\s*$""")


def undialect(lines: list[str]) -> tuple[list[str], str | None]:
    """``lines`` as plain Markdown (as many lines), and the front matter's title if it has one."""
    out = list(lines)
    title = None
    if out and out[0].strip() == "---":
        end = next((k for k in range(1, min(len(out), 80)) if out[k].strip() in ("---", "...")), None)
        if end is not None and all(_FRONT_KEY.match(line) for line in out[1:end]):
            for k in range(0, end + 1):
                found = _TITLE.match(out[k])
                if found and title is None:
                    title = found.group(1).strip("'\"") or None
                out[k] = ""
    heading = ""  # the heading line the text stands under
    reopen: list[str] = []  # per open admonition: the heading its closing line restores
    for k, line in enumerate(out):
        if _HEADING.match(line):
            heading = line
        if _MDX_STATEMENT.match(line):
            out[k] = ""
        elif admonition := _ADMONITION.match(line):
            named = (admonition.group(1) or admonition.group(2) or "").strip()
            if line.strip() == ":::":  # a closing line: the text after it is the section's again
                out[k] = reopen.pop() if reopen else ""
            elif named:  # ":::tip Which one should I send?" heads what it holds
                level = len(_HEADING.match(heading).group(1)) if heading else 1
                out[k] = f"{'#' * min(6, level + 1)} {named}"
                reopen.append(heading)
            else:
                out[k] = ""
                reopen.append("")
        elif tab := _TAB.match(line):
            out[k] = f"#### {tab.group(1)}"
        elif _CALLOUT.match(line):
            out[k] = _CALLOUT.sub(r"\1", line)
        if "[[" in out[k]:
            out[k] = _WIKILINK.sub(lambda m: m.group(2) or m.group(1).rsplit("/", 1)[-1], out[k])
    return out, title
