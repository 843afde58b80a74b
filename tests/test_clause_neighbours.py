"""A clause naming no report takes one from its neighbours, and only from the right ones: a
question from the answer on its line, a line from the line just above it (not from a rule
further up a list), a section's opening line from the line below it."""
from __future__ import annotations

import pytest

from bot.answers.answerer import Answerer
from bot.answers.clause_words import clause_words
from bot.answers.clauses import FocusWeights, read_clauses
from bot.search.analysis import Analyzer
from bot.search.vocabulary import load_vocabulary

WEIGHTS = FocusWeights(later=0.1, answer=0.7, earlier_plain=0.4)


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(load_vocabulary())


class focus_by_line(dict):
    """{clause text: its focus} for each clause of ``text``; looked up by the clause's start."""

    def __init__(self, analyzer, text):
        clauses = read_clauses(list(analyzer.tokens(text)), text, analyzer.sentences(text), (),
                               clause_words(analyzer.lexicon_terms), weights=WEIGHTS)
        super().__init__({text[c.start:c.end]: dict(c.focus) for c in clauses})

    def __getitem__(self, start):
        [found] = [v for k, v in self.items() if k.startswith(start)]
        return found


def test_a_question_is_answered_by_the_rest_of_its_line(analyzer):
    focus = focus_by_line(analyzer, "Vendor touches our ledger numbers? Ask for SOC 1.\n"
                                    "Vendor keeps our data. Ask for SOC 2.")
    assert focus["Vendor touches our ledger"] == {"SOC 1": 0.7}
    # a statement leads into what follows it only a little
    assert focus["Vendor keeps our data"] == {"SOC 2": 0.1}


def test_a_rule_further_down_a_list_is_a_rule_of_its_own(analyzer):
    focus = focus_by_line(analyzer, "SOC 3 is fine for a first look.\n"
                                    "Read the auditor's opinion first.\n"
                                    "Check the period end date.")
    assert focus["Read the auditor's opini"] == {"SOC 3": 0.4}  # the line just above goes on
    assert focus["Check the period end date"] == {}


def test_a_section_s_opening_line_takes_the_report_of_the_line_below(analyzer):
    focus = focus_by_line(analyzer, "Payroll, billing, payments, anything feeding the ledger.\n"
                                    "Request the SOC 1 Type 2 report.")
    assert focus["Payroll, billing, paymen"] == {"SOC 1": 0.1}


def test_a_which_question_hears_how_surely_its_topic_is_about_a_report(write_files):
    answerer = Answerer.from_directory(write_files({"a.md": """\
        # Reports

        ## Public

        SOC 3 is the report you can post on the website for anyone.

        ## Misc

        Lunch is served at noon on the website launch day.
        """}))
    which = answerer.read("which report can we post on the website?")[2]
    assert which["focused_share"] > 0.5
    plain = answerer.read("can we post it on the website?")[2]
    assert plain["focused_share"] == 0.0 and plain["clause_share"] > 0.5
