"""Notes and reference files people keep beside their work: Org-mode outlines and INI-style
key = value files, and the ways such terse text says a thing is not so ("covers availability =
no"), qualifies a report ("a SOC 2-type examination") or denies it further down a sentence."""
from __future__ import annotations

import pytest

from bot.answers.answerer import Answerer
from bot.answers.clause_words import clause_words, negated_terms
from bot.answers.clauses import read_clauses
from bot.knowledge import load_knowledge
from bot.search.analysis import Analyzer
from bot.search.vocabulary import load_vocabulary

ORG = """\
#+TITLE: Assurance notes from the vendor sync
#+AUTHOR: kim
#+STARTUP: overview

# private: nothing below is legal advice
* SOC 1
- looks at controls that touch customers' /financial reporting/ (ICFR)
- standard: =AT-C 320=
** who reads it
- the customer's *financial statement auditors*
* TODO SOC 2                                                     :security:
:PROPERTIES:
:OWNER: grc
:END:
- security always in scope; availability if mgmt adds it
- bridge letter :: written by management for the gap
* table
| aspect  | SOC 1 | SOC 2              |
|---------+-------+--------------------|
| focus   | ICFR  | security, uptime   |
"""

INI = """\
; vendor-reports.ini
; Rule of thumb for the review queue. Nothing parses this file.

[soc1]
focus = controls that matter to customers' financial reporting
covers_availability = no
ask_for_it_when = the vendor's output lands in our general ledger

[soc2]
focus = security, plus availability when management scopes it in
typical_vendors = SaaS, hosting, managed IT

[soc3]
based_on = a SOC 2-type examination with the same criteria
shareable = yes, general use, fine for the public website
"""


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(load_vocabulary())


def test_org_notes_keep_their_outline_and_lose_their_markup(write_files):
    kb = load_knowledge(write_files({"notes.txt": ORG}))
    by_section = {p.section: p.text for p in kb.passages}
    assert {p.title for p in kb.passages} == {"Assurance notes from the vendor sync"}
    assert "SOC 1 › who reads it" in by_section  # "**" nests under "*"
    assert by_section["SOC 1"].splitlines()[1] == "standard: AT-C 320"
    assert "SOC 2" in by_section  # the TODO keyword and the tag are not the heading's words
    assert "bridge letter: written by management for the gap" in by_section["SOC 2"]
    text = "\n".join(p.text for p in kb.passages)
    for markup in ("#+", "=AT-C", "/financial", "*financial", ":PROPERTIES:", "private: nothing", "---+"):
        assert markup not in text
    assert any(line.startswith("focus — SOC 1: ICFR; SOC 2: security, uptime") for line in text.splitlines())


def test_a_dot_org_file_is_read_and_answered(write_files):
    answerer = Answerer.from_directory(write_files({"notes.org": ORG}))
    answer = answerer.answer("who reads the soc 1?")
    assert answer.answered and "financial statement auditors" in answer.answer


def test_ini_sections_are_headings_that_carry_their_report(write_files):
    kb = load_knowledge(write_files({"vendor-reports.ini.txt": INI}))
    by_section = {p.section: p.text for p in kb.passages}
    assert set(by_section) >= {"soc1", "soc2", "soc3"}
    assert by_section["soc1"].startswith("focus = controls that matter")
    assert "ask for it when = the vendor's output" in by_section["soc1"]  # the key's words, not snake_case
    assert not any(p.text.lstrip().startswith(";") for p in kb.passages)  # comment marks go
    answerer = Answerer.from_directory(write_files({"vendor-reports.ini.txt": INI}))
    assert answerer.answer("which report do we need when a vendor's output hits our general ledger?").reports == ("SOC 1",)
    assert answerer.answer("which one can go on the public website?").reports[0] == "SOC 3"


@pytest.mark.parametrize("text,negated", [
    ("covers availability = no", {"cover", "availability"}),
    ("Public: No.", {"public"}),
    ("Shareable: no, restricted use", {"shareabl"}),
    ("Focus: not uptime", {"uptim"}),  # an ordinary negation, as before
    ("Readers: none of the public", {"public"}),
])
def test_a_label_whose_value_is_a_bare_negation_negates_the_label(analyzer, text, negated):
    words = clause_words(analyzer.lexicon_terms)
    assert negated_terms(list(analyzer.tokens(text)), words, text, in_question=False) == frozenset(negated)


def _focus(analyzer, text):
    clauses = read_clauses(list(analyzer.tokens(text)), text, analyzer.sentences(text), (),
                           clause_words(analyzer.lexicon_terms))
    return [(text[c.start:c.end], dict(c.focus), c.negated) for c in clauses]


def test_a_report_joined_to_type_or_like_qualifies_a_noun(analyzer):
    [(_, focus, _)] = _focus(analyzer, "SOC 3 is drawn from a SOC 2-type examination of the same system.")
    assert focus["SOC 3"] > focus.get("SOC 2", 0.0)
    [(_, focus, _)] = _focus(analyzer, "SOC 3 is drawn from a SOC 2\u2013type examination of the same system.")
    assert focus["SOC 3"] > focus.get("SOC 2", 0.0)


def test_a_negation_past_the_reach_of_denial_still_speaks_of_the_subject(analyzer):
    text = "SOC 1 is scoped to controls over financial reporting and does not answer security or availability questions."
    [(_, focus, negated)] = _focus(analyzer, text)
    assert focus == {"SOC 1": 1.0} and {"secur", "availability"} <= negated
    # A subordinate clause's negation has a subject of its own.
    text = "SOC 1 matters to a customer's auditors when they cannot test the payroll controls themselves."
    [(_, _, negated)] = _focus(analyzer, text)
    assert not negated


def test_the_negation_decides_a_which_question(write_files):
    kb = write_files({"log.md": """\
        # Program changes

        ## 2024

        - First SOC 2 Type 2 issued; availability is in its scope along with security.
        - SOC 1 is scoped to controls over financial reporting and does not answer security or availability questions.
        """})
    assert Answerer.from_directory(kb).answer("Which report covers availability?").reports[0] == "SOC 2"


@pytest.mark.parametrize("question,plural", [
    ("we onboard a payroll processor for all our contractors, soc1 or soc2?", False),
    ("each year we renew the vendor list, soc 1 or soc 2?", False),
    ("which reports include the auditor's test results?", True),
    ("which of them can we share?", True),
    ("do all of them need an NDA?", True),
])
def test_all_or_each_ask_for_several_reports_only_of_reports(write_files, question, plural):
    answerer = Answerer.from_directory(write_files({"n.md": "# SOC\n\nSOC 1 covers payroll. SOC 2 covers security.\n"}))
    assert answerer.read(question)[0].plural is plural


DESCRIBED = """\
# Choosing a report

Three reports come up: the financial-reporting report (SOC 1), the trust report (SOC 2) and the
public summary (SOC 3).

## What each covers

The financial one looks at controls that matter to customers' financial statements, such as payroll.

The trust report is about how well a system is protected and kept running, availability included.

The summary version is general use: vendors post it on their website.

## Elsewhere

Read the trust services criteria and the public website of the vendor with care.
"""


def test_a_name_the_document_gives_a_report_reads_as_that_report(write_files):
    answerer = Answerer.from_directory(write_files({"guide.md": DESCRIBED}))
    assert answerer.answer("Which report covers availability?").reports == ("SOC 2",)
    assert answerer.answer("which report is about payroll and the financial statements?").reports == ("SOC 1",)
    assert answerer.answer("which one can go on a website?").reports == ("SOC 3",)


def test_only_a_defined_name_with_its_head_is_a_mention(analyzer):
    from bot.answers.aliases import DocumentAliases
    from bot.reports import REPORT_TERMS

    words = clause_words(analyzer.lexicon_terms)
    aliases = DocumentAliases([DESCRIBED], analyzer.tokens, REPORT_TERMS, words["alias_heads"])
    def named(text):
        return [t.term for t in aliases.apply(list(analyzer.tokens(text))) if t.term in REPORT_TERMS]
    assert named("The financial one and the trust report") == ["soc1", "soc2"]
    assert named("the summary and the public summary") == ["soc3", "soc3"]
    # Not the criteria, a website, or a word two definitions share ("report").
    assert named("the trust services criteria on the public website; the report") == []
    # A document that defines nothing reads no name into "the trust report".
    assert not DocumentAliases(["SOC 2 is the trust report."], analyzer.tokens, REPORT_TERMS, words["alias_heads"])


EMAIL = """\
<html><head><title>Digest</title></head><body>
<table role="presentation" width="100%"><tr><td>
  <table width="600"><tr><td>
    <h1>The Weekly Digest</h1>
    <h2>Why payroll clients want a SOC 1</h2>
    <p>Our payroll runs feed their financial statements, so their auditors ask for a <b>SOC 1</b>.</p>
  </td></tr>
  <tr><td>
    <h2>A SOC 3 for the trust page</h2>
    <p>We are ordering a <strong>SOC 3</strong>. It is general use, so it can go on the website.</p>
  </td></tr></table>
</td></tr></table>
<table><tr><th>Report</th><th>Readers</th></tr><tr><td>SOC 2</td><td>customers under NDA</td></tr></table>
</body></html>
"""


def test_an_email_s_layout_tables_are_containers_and_a_data_table_stays_a_table(write_files):
    kb = load_knowledge(write_files({"digest.html": EMAIL}))
    sections = [p.section for p in kb.passages]
    assert "Why payroll clients want a SOC 1" in sections and "A SOC 3 for the trust page" in sections
    texts = [p.text for p in kb.passages]
    assert sum("ordering a SOC 3." in t for t in texts) == 1  # once, and no space before the stop
    assert any(t.startswith("Readers — SOC 2: customers under NDA") or "SOC 2" in t and "customers under NDA" in t
               for t in texts)
    assert not any("|" in t for t in texts)


def test_the_items_of_a_list_take_the_report_of_the_line_that_opens_it(write_files):
    kb = write_files({"recipe.md": """\
        # Our recipe

        - A SOC 1 is a different dish: controls over customers' financial reporting.
        - Security goes in every time.

        Optional toppings of a SOC 2, to taste:

        - a drizzle of confidentiality, for secrets kept;
        - a pinch of processing integrity, for complete and accurate processing;
        - a scoop of availability, for uptime and disaster recovery.
        """})
    assert Answerer.from_directory(kb).answer("Which report covers availability?").reports == ("SOC 2",)


def test_a_shorthand_duration_answers_how_long(write_files):
    answerer = Answerer.from_directory(write_files({"notes.md": """\
        # cheat notes

        ## T1 vs T2

        - Type 1 = design of controls, as of one date
        - Type 2 = design + operating effectiveness over a period, usu 6-12 mo
        """}))
    answer = answerer.answer("how long of a period does a type 2 usually cover?")
    assert answer.answered and "6-12 mo" in answer.answer


@pytest.mark.parametrize("text,report", [
    ("ISAE 3402 is the international version of SOC 1.", "SOC 1"),
    ("ISAE 3402 is the counterpart of SOC 1.", "SOC 1"),
])
def test_a_regional_version_of_a_report_is_about_that_report(analyzer, text, report):
    [(_, focus, _)] = _focus(analyzer, text)
    assert focus == {report: 1.0}


def test_a_short_version_of_a_report_is_still_about_the_short_one(analyzer):
    [(_, focus, _)] = _focus(analyzer, "A SOC 3 is a short version of the SOC 2.")
    assert focus["SOC 3"] > focus.get("SOC 2", 0.0)


CSV = '''\
SOC comparison, exported from the vendor tracker
Quick reference only.
Aspect,SOC 1,SOC 2,SOC 3
Focus,"Controls that matter to customers' financial reporting
(ICFR)","Security, availability and the other criteria","Same subject as SOC 2, summarized"
Distribution,Restricted use,"Restricted use, NDA first",General use
Who reads it,"Customers' auditors","Customers, prospects under NDA","Anyone, on the website"

Notes: prefer a Type 2, which covers a period, over a Type 1.
'''


def test_a_comma_separated_table_reads_as_a_table(write_files):
    kb = load_knowledge(write_files({"soc.csv.txt": CSV}))
    texts = [p.text for p in kb.passages]
    assert "Distribution — SOC 1: Restricted use; SOC 2: Restricted use, NDA first; SOC 3: General use." in texts
    assert any(t.startswith("Focus — SOC 1: Controls that matter to customers' financial reporting (ICFR);") for t in texts)
    assert not any('","' in t or t.startswith("Aspect,") for t in texts)
    answerer = Answerer.from_directory(write_files({"soc.csv.txt": CSV}))
    assert answerer.answer("which report is general use?").reports == ("SOC 3",)


def test_prose_with_commas_is_no_table(write_files):
    prose = "Notes\n\nSOC 1 covers payroll, billing, and claims.\nSOC 2 covers security, uptime, and privacy.\nThe SOC 3 is short.\n"
    kb = load_knowledge(write_files({"notes.txt": prose}))
    assert any("SOC 1 covers payroll, billing, and claims." in p.text for p in kb.passages)


def test_a_manual_page_s_capital_headings_head_their_indented_text(write_files):
    page = ("SOC-REPORTS(7)        Compliance Manual        SOC-REPORTS(7)\n\nNAME\n       soc-reports - what a "
            "service organization's auditor reports on\n\nDISTRIBUTION\n       SOC 1 and SOC 2 reports are restricted "
            "use.\n       A SOC 3 is general use and may go on a website.\n")
    kb = load_knowledge(write_files({"soc-reports.7.txt": page}))
    by_section = {p.section: p.text for p in kb.passages}
    assert by_section["DISTRIBUTION"].startswith("SOC 1 and SOC 2 reports are restricted use.")
    assert by_section["NAME"].startswith("soc-reports - what")


def test_a_cheat_sheet_s_capital_labels_head_their_lines_and_arrows_map_needs(write_files):
    sheet = ("soc cheat sheet\n\nQUICK PICK:\nfinance team / external auditor wants it => SOC1\n"
             "random prospect, no NDA, just wants proof for a slide or a web form => SOC3\n"
             "uptime worries -> SOC2\n\nTYPE 1 vs TYPE 2:\nT1 -> one date\nT2 -> a period, 6-12 mo\n")
    kb = load_knowledge(write_files({"cheat.txt": sheet}))
    assert {p.section for p in kb.passages} == {"QUICK PICK", "TYPE 1 vs TYPE 2"}
    pick = next(p for p in kb.passages if p.section == "QUICK PICK")
    assert len(pick.text.splitlines()) == 3  # each mapping a unit of its own


def test_a_slide_s_numbered_title_heads_its_notes_past_a_stage_direction(write_files):
    notes = ("Lunch and learn\n\nSlide 4: SOC 1 - when the vendor touches our books and our ledger\n"
             "So SOC 1 covers controls over financial reporting.\n\n"
             "Slide 5: SOC 2 - security and the Trust Services Criteria for everyone\n[click]\n"
             "SOC 2 is the one you'll chase. There are five categories: security, availability and more.\n")
    kb = load_knowledge(write_files({"notes.txt": notes}))
    assert [p.section for p in kb.passages] == ["Slide 4: SOC 1 - when the vendor touches our books and our ledger",
                                                "Slide 5: SOC 2 - security and the Trust Services Criteria for everyone"]
    answerer = Answerer.from_directory(write_files({"notes.txt": notes}))
    assert answerer.answer("Which report covers availability?").reports == ("SOC 2",)


def test_a_negation_right_before_a_report_denies_it(analyzer):
    clauses = read_clauses(list(analyzer.tokens("so uptime isnt a SOC 1 thing")), "so uptime isnt a SOC 1 thing",
                           analyzer.sentences("so uptime isnt a SOC 1 thing"), (), clause_words(analyzer.lexicon_terms))
    assert [c.denied for c in clauses] == [frozenset({"SOC 1"})]
    # "Unlike" still contrasts: what is said is of the other report.
    [(_, focus, _)] = _focus(analyzer, "Unlike SOC 1, SOC 2 covers uptime.")
    assert set(focus) == {"SOC 2"}


def test_useless_to_someone_says_the_report_is_not_for_them(analyzer):
    [_, (_, focus, negated)] = _focus(analyzer, "A SOC 1 covers ICFR. Useless to a CISO asking about encryption or MFA.")
    assert focus == {"SOC 1": pytest.approx(focus["SOC 1"])} and {"ciso", "encrypt", "mfa"} <= negated


def test_the_same_rules_apply_says_again_what_the_clause_before_said(write_files):
    kb = write_files({"rules.md": ("# NDA rules\n\nThe SOC 2 is restricted use. Never attach it to email or upload it to a "
                                   "prospect's tool. The same rules apply to the SOC 1.\n\n# Public\n\n"
                                   "The SOC 3 is general use: post it anywhere.\n")})
    answerer = Answerer.from_directory(kb)
    assert set(answerer.answer("which of our soc reports can't just be emailed out?").reports) == {"SOC 1", "SOC 2"}


def test_a_bare_denial_denies_what_the_clause_before_said(analyzer):
    text = "The infobox says all SOC reports are confidential documents. SOC 3 isn't."
    clauses = read_clauses(list(analyzer.tokens(text)), text, analyzer.sentences(text), (),
                           clause_words(analyzer.lexicon_terms))
    last = clauses[-1]
    assert last.denied == {"SOC 3"} and {"confidenti", "document"} <= last.terms
