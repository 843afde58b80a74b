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


def test_a_title_word_keeps_its_weight_on_a_document_alone(write_files):
    # Every passage carries the title, so its words would weigh nothing; counted over what the
    # passages say, "financial" is as telling as any word the text uses a few times.
    root = write_files({"standard.md": """\
        # Kestrel Bay Financial Services

        ## Definitions

        SOC 1. A report on controls relevant to user entities' financial reporting.

        SOC 2. A report on security and availability controls.

        ## Requirements

        Vendors hosting data shall provide a SOC 2 Type 2 report every year.

        Vendors shall sign the security addendum.
        """})
    answerer = Answerer.from_directory(root)
    index = answerer.index
    assert index.content_idf("financi") > 3 * index.idf("financi")
    assert index.content_idf("secur") == index.idf("secur")  # not a title word
    assert answerer.answer("does soc2 cover controls over financial reporting?").reports == ("SOC 1",)


def test_a_negation_in_a_subordinate_clause_denies_the_report_before_it_nothing(analyzer):
    def first_clause(text):
        return read_clauses(list(analyzer.tokens(text)), text, analyzer.sentences(text), (),
                            clause_words(analyzer.lexicon_terms), weights=WEIGHTS)[0]

    subordinate = first_clause("For a SOC 1 vendor, where the period does not reach year-end, obtain a bridge letter.")
    assert not subordinate.denied and dict(subordinate.focus) == {"SOC 1": 1.0}
    assert first_clause("SOC 1 does not cover availability.").denied == {"SOC 1"}


def test_a_definition_is_about_its_term(analyzer):
    # At the fitted weights a report named as an object (0.6) outweighs one taken from the
    # sentence before (0.5): the term a definition defines counts as its heading (0.9).
    text = "SOC 3. A general-use report from a SOC 2-type examination."
    weights = FocusWeights(object=0.6, earlier=0.5, heading=0.9)
    clauses = read_clauses(list(analyzer.tokens(text)), text, analyzer.sentences(text), (),
                           clause_words(analyzer.lexicon_terms), weights=weights)
    assert dict(clauses[-1].focus) == {"SOC 3": 0.9, "SOC 2": 0.6}


def test_a_pronoun_goes_on_with_the_subject_of_the_sentence_before_not_a_report_it_names_in_passing(analyzer):
    text = ("A SOC 3 is a general-use report drawn from a SOC 2-type examination. It contains our opinion and "
            "a short description of the system, but not the detailed tests and results found in a SOC 2. "
            "You may post it on your website or give it to anyone.")
    focus = focus_by_line(analyzer, text)
    post = next(v for k, v in focus.items() if k.startswith("You may post"))
    assert max(post, key=post.get) == "SOC 3"


def test_under_a_heading_a_pronoun_goes_on_with_its_chain_not_a_report_named_in_passing(analyzer):
    # The heading names SOC 3; the sentence before names SOC 2 only as what SOC 3 omits.
    text = ("Corvane also obtains a SOC 3 report. It contains the opinion and a brief description, but "
            "omits the detailed tests found in the SOC 2 report. Being a general-use report, it is "
            "published on our website.")
    clauses = read_clauses(list(analyzer.tokens(text)), text, analyzer.sentences(text), (("SOC 3", 1.0),),
                           clause_words(analyzer.lexicon_terms), weights=WEIGHTS)
    published = next(c for c in clauses if text[c.start:c.end].startswith("Being a general-use"))
    assert {r for r, _ in published.focus} == {"SOC 3"}


def test_a_passage_naming_no_report_goes_on_about_the_one_its_section_named_last(write_files):
    # A thread split into passages: the reply names no report; the message it answers did.
    long_message = " ".join(["The customer's procurement team sent their questionnaire back with notes."] * 14)
    kb = write_files({"thread.md": f"""\
        # #ask-compliance

        ## Wednesday

        priya: does our SOC 2 cover availability? {long_message}

        dan: availability: yes. Section 4 has capacity monitoring, backups and the DR test.

        ## Thursday

        marisol: the SOC 1 is only for the reconciliation module, readers are the controllers.
        """})
    answerer = Answerer.from_directory(kb)
    reply = next(d for d, p in enumerate(answerer.passages) if p.text.startswith("dan:"))
    assert answerer.passages[reply - 1].section == answerer.passages[reply].section  # split apart
    assert answerer.answer("is soc 1 the one about backups and capacity monitoring?").reports == ("SOC 2",)


def test_a_question_naming_a_report_is_about_it_and_the_reply_below_answers_it(write_files):
    chat = ("#compliance\n\npriya: and Northgate hosting?\noskar: SOC 2, read which categories are covered\n"
            "priya: so a SOC 2 doesn't automatically say anything about uptime?\n"
            "oskar: correct. if availability isn't in scope, the report is silent on uptime and DR\n"
            "dgunn: payroll vendors send a SOC 1 for the ledger\n")
    answerer = Answerer.from_directory(write_files({"log.txt": chat}))
    assert answerer.answer("is soc 1 the one that tells me about uptime and DR?").reports == ("SOC 2",)
