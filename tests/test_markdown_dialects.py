"""Markdown's dialects (front matter, MDX, admonitions, callouts, wiki links) read as plain
Markdown: none of their markup reaches an answer, and their structure carries over."""
from __future__ import annotations

from bot.answers.answerer import Answerer
from bot.knowledge import load_knowledge

MDX = """\
---
id: soc-reports
title: Understanding SOC Reports
tags: [compliance, audit]
---
import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';

Customers ask us for a SOC report during reviews.

## The reports

<Tabs>
<TabItem value="soc1" label="SOC 1">
Covers controls over customers' financial reporting, for their auditors.
</TabItem>
<TabItem value="soc3" label="SOC 3">
General use: it can be posted on the website.
</TabItem>
</Tabs>

:::tip Which one should I send?
Security questionnaires get the trust report under NDA.
:::

After the tip, this sentence is the section's again.

:::note
An untitled note stays in its section.
:::
"""

OBSIDIAN = """\
---
title: SOC notes
aliases:
  - SOC
---

# SOC notes

> [!warning] Not a certification
> Say "we have a SOC 2 report", never "SOC 2 certified".

- SOC 2 is measured against the [[Trust Services Criteria|TSC]], see [[Vendor Reviews/Larkspur Payroll]].
"""


def test_mdx_front_matter_imports_admonitions_and_tabs(write_files):
    kb = load_knowledge(write_files({"soc.mdx": MDX}))
    passages = {p.section: p.text for p in kb.passages}
    assert {p.title for p in kb.passages} == {"Understanding SOC Reports"}  # the front matter's title
    assert passages["The reports › SOC 1"].startswith("Covers controls over customers' financial reporting")
    assert passages["The reports › SOC 3"].startswith("General use")
    assert passages["The reports › Which one should I send?"].startswith("Security questionnaires")
    assert "After the tip, this sentence is the section's again." in passages["The reports"]
    assert "An untitled note stays in its section." in passages["The reports"]
    text = "\n".join(p.text for p in kb.passages)
    for markup in ("id: soc-reports", "import ", ":::", "<Tab", "</Tab", "tags:"):
        assert markup not in text


def test_callouts_and_wiki_links_keep_their_text(write_files):
    kb = load_knowledge(write_files({"SOC notes.md": OBSIDIAN}))
    text = "\n".join(p.text for p in kb.passages)
    assert "[!" not in text and "[[" not in text and "aliases" not in text
    assert "measured against the TSC, see Larkspur Payroll." in text
    assert 'Say "we have a SOC 2 report", never "SOC 2 certified".' in text


def test_an_mdx_page_answers(write_files):
    answerer = Answerer.from_directory(write_files({"soc.mdx": MDX}))
    assert answerer.answer("which report can go on the website?").reports == ("SOC 3",)


LATEX = r"""\documentclass{article}
\usepackage{booktabs}
\title{Auditing 101\\Lecture 9: SOC reports}
\begin{document}
\maketitle

\section{The reports}
A \textbf{SOC 1} covers controls relevant to customers' financial reporting\footnote{ICFR, in short.}. % check AT-C 320
\begin{itemize}
  \item[Readers] user entities and their auditors
  \item Restricted use, 100\% of the time
\end{itemize}

\subsection{Side by side}
\begin{tabular}{lll}
\toprule
 & \textbf{Focus} & \textbf{Distribution} \\
\midrule
SOC 2 & Trust Services Criteria & Restricted use \\
SOC 3 & Same criteria, summarized & General use \\
\bottomrule
\end{tabular}
\end{document}
"""


def test_latex_source_reads_as_its_sections_items_and_table_rows(write_files):
    kb = load_knowledge(write_files({"lecture.tex.txt": LATEX, "copy.tex": LATEX}))
    mine = [p for p in kb.passages if p.path.endswith("lecture.tex.txt")]
    assert {p.title for p in mine} == {"Auditing 101 \u2014 Lecture 9: SOC reports"}
    by_section = {}
    for p in mine:
        by_section.setdefault(p.section, []).append(p.text)
    reports = " ".join(by_section["The reports"])
    assert "A SOC 1 covers controls relevant to customers' financial reporting (ICFR, in short.)." in reports
    assert "Readers: user entities and their auditors" in reports and "100% of the time" in reports
    assert "SOC 3 — Focus: Same criteria, summarized; Distribution: General use." in by_section["The reports › Side by side"]
    text = "\n".join(p.text for p in kb.passages)
    for markup in ("\\", "{", "}", "check AT-C", "&", "toprule"):
        assert markup not in text
    assert len(kb.passages) == 2 * len(mine)  # a .tex file is read the same way
