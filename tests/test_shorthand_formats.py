"""Other people's formats and shorthand: AsciiDoc (.adoc, and .txt written in it), short forms
("s2", "T2") a knowledge base uses for its terms, and question words that say how a question is
put rather than what it is about."""
from __future__ import annotations

import re

import pytest

import bot.search.cache as cache
from bot.answers.answerer import Answerer
from bot.answers.clause_words import clause_words
from bot.answers.clauses import read_clauses
from bot.knowledge import load_knowledge
from bot.search.analysis import Analyzer
from bot.search.built import build_base
from bot.search.short_forms import adopt_short_forms
from bot.search.vocabulary import load_vocabulary

ASCIIDOC = """\
= Vendor Assurance Guide
Rowan Tesfaye <rowan@example.test>
v2.0, 2025-03-01
:toc:
:icons: font

Intro for the procurement team, who ask vendors for reports every quarter of the year.

[[which]]
== Which report

NOTE: A SOC report is an attestation by a CPA firm, not a certification.

[cols="1,2",options="header"]
|===
|Report
|Scope

|SOC 1
|Controls over user entities' financial reporting.

|SOC 2
|Controls over security and availability of the service.
|===

See <<type-1-vs-type-2>> for the types.

[[type-1-vs-type-2]]
== Type 1 versus Type 2

* *Type 1* looks at design _as of a date_.
* *Type 2* adds operating effectiveness over a period.

== Glossary

Bridge letter:: A letter from management about the time since the period ended.
CUEC:: A control the customer must run.
"""

MARKUP = re.compile(r"\|===|<<|>>|::|^\s*[:=\[*]|NOTE:|\*Type|_as of", re.MULTILINE)


@pytest.mark.parametrize("name", ["guide.adoc", "guide.asciidoc", "guide.txt"])
def test_asciidoc_is_read_with_its_structure_and_without_its_markup(write_files, name):
    kb = load_knowledge(write_files({name: ASCIIDOC}))
    assert not kb.skipped
    texts = [p.text for p in kb.passages]
    assert {p.title for p in kb.passages} == {"Vendor Assurance Guide"}
    assert not [t for t in texts if MARKUP.search(t)], texts
    # the author and revision lines are no text; the table is a passage per row, cells named
    assert not any("Rowan" in t or "2025-03-01" in t for t in texts)
    assert "SOC 2 — Scope: Controls over security and availability of the service." in texts
    sections = {p.section for p in kb.passages}
    assert {"Which report", "Type 1 versus Type 2", "Glossary"} <= sections
    glossary = " ".join(p.text for p in kb.passages if p.section == "Glossary")
    assert "Bridge letter: A letter from management" in glossary
    assert any("see type 1 vs type 2 for the types" in t.lower() for t in texts)


def test_a_text_file_only_looks_like_asciidoc_with_asciidoc_sections(write_files):
    text = "= Not a heading, an equation line\n\nPlain notes: SOC 2 covers security.\n"
    [passage] = load_knowledge(write_files({"notes.txt": text})).passages
    assert passage.title == "= Not a heading, an equation line"


def test_asciidoc_table_answers_with_its_column(write_files):
    answerer = Answerer.from_directory(write_files({"guide.adoc": ASCIIDOC}))
    answer = answerer.answer("which report covers availability?")
    assert answer.reports == ("SOC 2",)
    assert "|" not in answer.answer and "===" not in answer.answer


# -- short forms ------------------------------------------------------------------------------
NOTES = """\
call notes

S1
- for cx whose auditors look at their fin reporting (ICFR)
- payroll, billing, claims

S2
- security always in, availability optional
- cloud hosting, saas

S3
- general use, can post on website
- T1 = design at one date; T2 = design + operating effectiveness over a period
"""


def test_a_base_written_in_short_forms_reads_them_and_its_questions_alike(write_files):
    answerer = Answerer.from_directory(write_files({"notes.txt": NOTES}))
    assert answerer.analyzer.analyze("s1 or s2? and T2") == ["soc1", "soc2", "type2"]
    assert answerer.answer("Which report covers availability?").reports == ("SOC 2",)
    assert answerer.answer("payroll vendor - s1 or s2?").reports == ("SOC 1",)


def test_one_short_form_alone_is_not_adopted():
    vocabulary = load_vocabulary()
    words = Analyzer(vocabulary).analyze
    runbook = words("Backups go to the S3 bucket nightly. The SOC 2 report covers security.")
    assert adopt_short_forms(vocabulary, runbook).adopted == ()
    assert Analyzer(adopt_short_forms(vocabulary, runbook)).analyze("s3 bucket") == ["s3", "bucket"]
    both = adopt_short_forms(vocabulary, words("s1 for finance, s2 for security"))
    assert both.adopted == ("s1", "s2")  # S3 was never written: it stays a word
    assert Analyzer(both).analyze("s2 or s3") == ["soc2", "s3"]


def test_the_bundled_base_adopts_no_short_forms():
    assert build_base().analyzer.vocabulary.adopted == ()


def test_a_restored_base_keeps_its_short_forms(write_files, tmp_path):
    root = write_files({"notes.txt": NOTES})
    Answerer.cached(root, tmp_path / "cache")  # builds and saves
    base = cache.restore(root, cache.cache_key(root), cache.cache_path(root, tmp_path / "cache"))
    assert base is not None and base.analyzer.vocabulary.adopted == ("s1", "s2", "s3", "t1", "t2")
    assert base.analyzer.analyze("s2") == ["soc2"]
    assert base.index.title_only == build_base(root).index.title_only != {}


# -- reading questions and clauses -------------------------------------------------------------
def test_how_a_report_was_received_is_no_topic(write_files):
    answerer = Answerer.from_directory(write_files({"a.md": "# A\n\nSOC 2 covers security.\n"}))
    topic = [t.term for t in answerer.read("vendor sent an ISAE 3402 instead, what does the window span?")[0].topic
             if t.weight == 1.0]
    assert "instead" not in topic and "span" not in topic and "isae3402" in topic


def test_a_question_in_everyday_words_finds_the_document_s_terms(write_files):
    root = write_files({"intl.md": """\
        # Reports abroad

        ## International

        ISAE 3402 is the international counterpart of SOC 1.

        ## Type 2

        A Type 2 tests controls over a period of six to twelve months.

        ## Other

        SOC 2 covers security. Bridge letters cover gaps.

        ## Public

        SOC 3 is the short report that you can post on your website.

        ## ISO

        An ISO 27001 certificate runs for a three-year cycle with yearly surveillance audits.
        """})
    answerer = Answerer.from_directory(root)
    europe = answerer.answer("our vendor in europe sent an ISAE 3402, what is that equivalent to?")
    assert europe.answered and "counterpart of SOC 1" in europe.answer
    window = answerer.answer("how long is the observation window for a type 2?")
    assert window.answered and "six to twelve months" in window.answer
    assert answerer.answer("which report can we post on our site?").reports == ("SOC 3",)
    assert "certif" in {t.term for t in answerer.analyzer.query_terms("iso cert")}
    # The words find the ISO passage (whether so short a base answers is the decline model's call).
    question, hits, _ = answerer.read("how long is an iso 27001 certificate good for?")
    assert "three-year cycle" in answerer.passages[hits[0].doc].text
    assert {"iso27001", "certif"} <= {t.term for t in question.topic}


def test_a_sentence_opening_clause_naming_a_report_keeps_it(write_files):
    analyzer = Analyzer(load_vocabulary())
    text = "Abroad ISAE 3402 is the international counterpart of SOC 1; ISAE 3000 is used for SOC 2-like reports."
    clauses = read_clauses(list(analyzer.tokens(text)), text, analyzer.sentences(text), (),
                           clause_words(analyzer.lexicon_terms))
    first, second = (dict(c.focus) for c in clauses)
    assert "SOC 2" not in first and first.get("SOC 1", 0) > 0
    assert second == {"SOC 2": 1.0}
    # a table row's aspect cell, naming none, still belongs to the whole row
    row = "Focus — SOC 1: financial reporting; SOC 2: security."
    aspect = read_clauses(list(analyzer.tokens(row)), row, analyzer.sentences(row), (),
                          clause_words(analyzer.lexicon_terms))[0]
    assert {r for r, _ in aspect.focus} == {"SOC 1", "SOC 2"}


def test_restructuredtext_field_lines_are_label_lines(write_files):
    text = ("Handbook\n\n:Owner: Compliance team\n:Status: Current\n\n"
            "SOC 2 covers security and availability for our customers.\n")
    texts = [p.text for p in load_knowledge(write_files({"handbook.txt": text})).passages]
    assert not any(":Owner:" in t for t in texts)
    assert any("Owner: Compliance team" in t for t in texts)


def test_a_mapping_line_standing_alone_is_a_statement_not_a_heading(write_files):
    text = ("My cheat sheet\n\n"
            "\u27a1\ufe0f Customers' auditors asking about financial controls \u2192 SOC 1\n\n"
            "\u27a1\ufe0f Security questionnaires piling up, deals stuck in procurement \u2192 SOC 2\n\n"
            "Repost for the next founder.\n")
    kb = load_knowledge(write_files({"post.txt": text}))
    assert {p.section for p in kb.passages} == {""}  # no line became a heading
    answer = Answerer(build_base(kb.directory)).answer("deals stuck in procurement, which report?")
    assert answer.reports == ("SOC 2",)


def test_when_a_thing_will_happen_asks_for_a_timeline_not_a_date():
    analyzer = Analyzer(load_vocabulary())
    ahead = {t.term for t in analyzer.query_terms("realistically when would we have a soc 2 in hand?")}
    assert {"timelin", "month"} <= ahead
    past = {t.term for t in analyzer.query_terms("when was our last soc 2 issued?")}
    assert "timelin" not in past


def test_an_attestation_standard_is_searched_for_by_its_names(write_files):
    kb = write_files({"n.md": "# SOC 2\n\nSecurity is always in scope.\n\nDone under AT-C 205.\n"})
    q, _, _ = Answerer.from_directory(kb).read("what attestation standard is a soc 2 done under?")
    assert {"atc205", "atc320", "ssae18"} <= {t.term for t in q.search}
