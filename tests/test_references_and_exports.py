"""What a clause refers to when its words alone do not say: a pronoun opening a sentence, a
report equated with another, what a clause says is not so; how questions put their frame; and
two layouts that hide structure: a table with a row per report, and a Slack channel export."""
from __future__ import annotations

import pytest

from bot.answers.answerer import Answerer
from bot.answers.clause_words import clause_words
from bot.answers.clauses import read_clauses
from bot.answers.evidence import is_which_question
from bot.search.analysis import Analyzer
from bot.search.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(load_vocabulary())


def focus_by_clause(analyzer, text, heading=()):
    """{clause text: {report: weight}} for each clause of ``text``."""
    clauses = read_clauses(list(analyzer.tokens(text)), text, analyzer.sentences(text), heading,
                           clause_words(analyzer.lexicon_terms))
    return {text[c.start:c.end]: dict(c.focus) for c in clauses}


def test_a_pronoun_opening_a_sentence_refers_back_not_ahead(analyzer):
    focus = focus_by_clause(analyzer, "We also obtain a SOC 3 report for the same period. It contains the "
                                      "opinion and a short description, but omits the tests found in the SOC 2.")
    [it] = [f for text, f in focus.items() if text.startswith("It contains")]
    assert max(it, key=it.get) == "SOC 3"


def test_a_report_equated_with_another_is_what_the_clause_is_about(analyzer):
    focus = focus_by_clause(analyzer, "ISAE 3402 is the counterpart of SOC 1.")
    assert focus == {"ISAE 3402 is the counterpart of SOC 1": {"SOC 1": 1.0}}
    # a version of a report is another report: the one named is still an object
    [(_, brochure)] = focus_by_clause(analyzer, "SOC 3 is a public brochure version of the SOC 2.").items()
    assert brochure == {"SOC 3": 1.0}


def test_what_a_clause_says_is_not_so_counts_against_the_report_it_inherits(write_files):
    answerer = Answerer.from_directory(write_files({"reports.md": """\
        # Reports

        ## SOC 3

        The SOC 3 is a general-use report. It suits readers who do not need the detailed test results.

        ## SOC 2

        The SOC 2 is shared under NDA and lists the auditor's tests and results.
        """}))
    answer = answerer.answer("which report has the detailed test results?")
    assert answer.reports == ("SOC 2",)


def test_frame_words_of_a_phrase_still_bring_its_meaning(write_files):
    answerer = Answerer.from_directory(write_files({"a.md": "# A\n\nAn independent CPA firm examines us yearly.\n"}))
    topic = {t.term for t in answerer.read("who audits them?")[0].topic}
    assert "cpa" in topic and "audit" not in topic
    real = {t.term for t in answerer.read("soc 2 certified, is that a real thing?")[0].topic}
    assert "real" not in real and "certifi" in real


@pytest.mark.parametrize("question", [
    "their auditor wants assurance on the numbers, what report is that?",
    "procurement wants the test results, do i send them the soc3 or the soc 2?",
    "vendor review next week, which one do i send them",
    "prospect hasnt signed the nda yet but wants something today - what can i send them?",
    # a report named and set against another
    "does SOC-1 test processing integrity or is that a different report?",
    "we run a colo data center, does a SOC-1 make sense for us or something else?",
    "SOC II or the public one?",
    # a SOC counterpart asked for, no SOC report named
    "eu customer keeps asking for isae 3402 - what's the US equivalent of that",
    # a report asked for in other words
    "is there a soc report we can look at before the nda is signed?",
    "what report is ok just for a quick first look?",
    "is soc 1 the right one to check our hosting vendor's security controls?",
    "do we end up needing both soc1 and soc2 or just one??",
])
def test_which_questions_in_more_of_their_forms(question):
    assert is_which_question(question)


@pytest.mark.parametrize("question", ["what report is the bridge letter part of?", "what soc is",
                                      # it names SOC 1 and asks for the standard, not a report
                                      "customer in europe wants the international version of soc1, what's it called",
                                      "is there a bridge letter template?"])
def test_what_report_is_followed_by_its_subject_is_no_which_question(question):
    assert not is_which_question(question)


def test_a_table_with_a_row_per_report_keeps_each_cell_under_its_row(write_files):
    answerer = Answerer.from_directory(write_files({"matrix.md": """\
        # SOC reports side by side

        | Report | Who reads it | Shared publicly? | Typical vendor |
        |---|---|---|---|
        | SOC 2 | Customers under NDA | No. Restricted use | SaaS and hosting |
        | SOC 3 | Anyone | Yes. General use, often posted on the vendor's website | Vendors that already have a SOC 2 |
        """}))
    answer = answerer.answer("which soc report can we throw up on our public website?")
    assert answer.reports == ("SOC 3",)


def test_a_slack_channel_export_reads_as_turns_without_its_markup(write_files):
    answerer = Answerer.from_directory(write_files({"export.txt": """\
        #ask-compliance
        Channel export: 2026-03-04

        ----- Wednesday, March 4, 2026 -----

        [2026-03-04 10:12] priya.s: which report does the bank want from us?
            ↳ reply from dan.k: SOC 1 is for services that feed their financial statements, like payroll.
            ↳ reply from dan.k: for our portal it's the SOC 2, see <https://trust.example.com|our trust page>
        :+1: 3
        :tada: 1
        """}))
    passages = answerer.passages
    assert {p.section for p in passages} >= {"Wednesday, March 4, 2026"}
    text = "\n".join(p.text for p in passages)
    assert "<https" not in text and "our trust page" in text and "tada" not in text and "↳" not in text
    answer = answerer.answer("our service does payroll for clients - soc 1 or soc 2?")
    assert answer.reports == ("SOC 1",) and answer.answer.count("dan.k:") <= 1


def test_soc_the_operations_centre_is_not_soc_the_report(write_files):
    answerer = Answerer.from_directory(write_files({"a.md": """\
        # Reports

        SOC 2 covers security and availability. A SOC 2 audit has a cost that varies by scope.
        """}))
    question, _, _ = answerer.read("how much does a managed soc service cost per month?")
    assert "soc" not in {t.term for t in question.topic} and not question.named
    assert answerer.read("how much does a soc report cost?")[0].named


def test_a_feature_matrix_reads_its_marks_as_yes_and_no(write_files):
    answerer = Answerer.from_directory(write_files({"matrix.md": """\
        # Reports at a glance

        | Feature | SOC 1 | SOC 2 | SOC 3 |
        |---|:---:|:---:|:---:|
        | Covers financial reporting controls (ICFR) | ✅ | ❌ | ❌ |
        | Covers availability | ❌ | ✅ if chosen | ✅ if chosen |
        | Can be posted publicly | ❌ | ❌ | ✅ |
        """}))
    assert any("SOC 1: Yes; SOC 2: No; SOC 3: No" in p.text for p in answerer.passages)
    assert answerer.answer("which report is about icfr?").reports == ("SOC 1",)
    assert answerer.answer("which report can be posted publicly?").reports == ("SOC 3",)


def test_a_labelled_answer_is_about_what_the_question_above_it_names(write_files):
    cards = "\n\n".join(f"Front: SOC {n} — {prompt}?\nBack: {answer}." for n, prompt, answer in [
        (1, "main focus", "Controls over customers' financial reporting"),
        (1, "typical services", "Payroll, billing, claims processing, loan servicing"),
        (2, "main focus", "Security and the other Trust Services Criteria categories"),
        (2, "typical services", "SaaS, cloud hosting, data centers, managed IT"),
        (3, "who may read it", "Anyone; it is a general-use report"),
    ] * 5)  # long enough to be cut into several passages
    answerer = Answerer.from_directory(write_files({"deck.txt": f"Deck: SOC basics\n\n{cards}\n"}))
    # a passage is cut between cards, never between a card's front and its back
    assert all(p.text.startswith("Front:") for p in answerer.passages[1:]) and len(answerer.passages) > 2
    assert answerer.answer("we do claims processing for insurers - soc1 or soc2?").reports == ("SOC 1",)
    assert answerer.answer("we're a managed IT shop, which soc report is typical for us?").reports == ("SOC 2",)


def test_a_question_heading_asserts_none_of_its_words(write_files):
    answerer = Answerer.from_directory(write_files({"by-question.md": """\
        # Reports by question

        ## Who writes the control objectives or criteria?

        SOC 1 — The vendor's management writes its own control objectives.

        SOC 2 — The AICPA's Trust Services Criteria.
        """}))
    answer = answerer.answer("which report has the vendor writing its own control objectives instead of aicpa criteria?")
    assert answer.reports == ("SOC 1",)


def test_that_detail_after_a_denial_is_what_was_denied(analyzer):
    text = ("A SOC 3 has the auditor's opinion, but it omits the detailed controls and the test results. "
            "That detail is what a procurement team needs. That means it can go on a website.")
    clauses = read_clauses(list(analyzer.tokens(text)), text, analyzer.sentences(text), (),
                           clause_words(analyzer.lexicon_terms))
    by_text = {text[c.start:c.end]: c for c in clauses}
    [detail] = [c for t, c in by_text.items() if t.startswith("That detail")]
    assert detail.denied == {"SOC 3"} and "SOC 3" not in dict(detail.focus)
    # "That means …" speaks of the whole, not of the omitted detail
    [means] = [c for t, c in by_text.items() if t.startswith("That means")]
    assert not means.denied


def test_an_indented_mind_map_reads_each_node_under_its_branch(write_files):
    answerer = Answerer.from_directory(write_files({"map.txt": """\
        SOC reports
            SOC 1
                focus
                    financial reporting controls (ICFR)
                readers
                    user entities and their auditors
                not for
                    uptime or availability promises
            SOC 2
                focus
                    Trust Services Criteria
                categories
                    security
                    availability
                readers
                    customers and prospects under NDA
            SOC 3
                purpose
                    can be posted on a website
        """}))
    assert {p.section for p in answerer.passages} == {"SOC 1", "SOC 2", "SOC 3"}
    assert any("categories: availability" in p.text.splitlines() for p in answerer.passages)
    assert answerer.answer("Which report covers availability?").reports == ("SOC 2",)
    assert answerer.answer("which one can we post on our website?").reports == ("SOC 3",)


def test_indented_prose_and_drawings_are_no_mind_map():
    from bot.knowledge.outline import is_outline
    prose = ["Our vendors send us reports every year and we read", "  them closely before renewal, because",
             "    the controls they describe matter to our own audit of", "  the financial statements at year end."]
    drawing = ["   STEP 2 = YES", "        |", "        v", "  +----------+", "  | SOC 1    |"]
    assert not is_outline(prose) and not is_outline(drawing)


def test_a_markdown_code_block_reads_as_keyed_lines_without_code_marks(write_files):
    answerer = Answerer.from_directory(write_files({"README.md": """\
        # Vendor assurance

        ## Config

        ```yaml
        # what we require from each vendor tier
        tiers:
          financial_processing:
            required_reports:
              - "SOC 1 Type 2"   # their output lands in our ledger
          data_hosting:
            required_reports: ["SOC 2 Type 2"]
        ```
        """}))
    lines = [line for p in answerer.passages for line in p.text.splitlines()]
    assert "what we require from each vendor tier" in lines
    assert "tiers › financial processing › required reports: SOC 1 Type 2 (their output lands in our ledger)" in lines
    assert "tiers › data hosting: required reports: SOC 2 Type 2" in lines
    assert not any(mark in line for line in lines for mark in ('"', "[", "#", "_"))


def test_a_question_line_is_about_the_report_its_labelled_answer_names(analyzer):
    from bot.answers.clauses import FocusWeights
    text = "Q: Which report can go on a website?\nA: SOC 3.\nQ: Which report suits a financial audit?\nA: SOC 1."
    clauses = read_clauses(list(analyzer.tokens(text)), text, analyzer.sentences(text), (),
                           clause_words(analyzer.lexicon_terms), weights=FocusWeights(later=0.1, answer=0.7))
    focus = {text[c.start:c.end]: dict(c.focus) for c in clauses}
    # at the weight of an answer, not of a line that merely leads into the next (0.1)
    assert focus["Q: Which report can go on a website"] == {"SOC 3": 0.7}
    assert focus["Q: Which report suits a financial audit"] == {"SOC 1": 0.7}


def test_a_negation_ends_at_but(analyzer):
    from bot.answers.clause_words import negated_terms
    question = "prospect hasnt signed the nda yet but wants something today"
    negated = negated_terms(analyzer.tokens(question), clause_words(analyzer.lexicon_terms), question)
    assert "nda" in negated and "today" not in negated


def test_a_word_before_a_comma_makes_no_object_of_the_report_after_it(analyzer):
    [(_, focus)] = focus_by_clause(analyzer, "Because of that, a SOC 1 is a restricted-use report.").items()
    assert focus == {"SOC 1": 1.0}


def test_how_a_report_came_is_frame_and_counting_as_asks_for_an_equivalent(write_files):
    answerer = Answerer.from_directory(write_files({"a.md": "# A\n\nAn ISAE 3402 report is treated as equivalent to a SOC 1.\n"}))
    topic = {t.term for t in answerer.read("supplier sent us an ISAE 3402, which soc report does that count as?")[0].topic}
    assert "sent" not in topic and "equival" in topic and "isae3402" in topic


def test_a_standard_the_base_never_mentions_is_a_foreign_name(write_files, tmp_path):
    from bot.answers.decline import features
    plain = Answerer.from_directory(write_files({"a.md": "# A\n\nSOC 2 is an attestation, not a certification.\n"}))
    question = "is our vendor iso 27001 certified or is soc2 enough?"
    q, hits, _ = plain.read(question)
    assert "iso27001" in {t.term for t in q.topic} and features(plain, q, hits)["foreign_name"] == 1.0
    other = Answerer.from_directory(write_files(
        {"b.md": "# B\n\nAn ISO 27001 certificate is a certification; SOC 2 is an attestation.\n"}, tmp_path / "kb2"))
    q, hits, _ = other.read(question)
    assert features(other, q, hits)["foreign_name"] == 0.0


def test_a_passage_tagged_with_two_reports_lets_its_sentences_choose(write_files):
    answerer = Answerer.from_directory(write_files({"who-asks.yaml": """\
        passages:
          - id: who-asks
            title: Who is asking
            reports: [SOC 1, SOC 2]
            text: >-
              Who asks is a clue. A request from a customer's finance team or financial auditor
              usually means a SOC 1. A request from a security or vendor risk team usually means
              a SOC 2.
        """}))
    assert answerer.answer("request came from the customer's finance team - soc1 or soc2?").reports == ("SOC 1",)
    assert answerer.answer("the vendor risk team is asking, soc1 or soc2?").reports == ("SOC 2",)


@pytest.mark.parametrize("question,term", [
    ("does soc 2 require an annual penetration test?", "pentest"),
    ("do we need a pen test before the soc2 audit?", "pentest"),
    ("does our soc 2 make us hipaa compliant?", "hipaa"),
    ("do we need a gdpr dpa with every supplier?", "gdpr"),
])
def test_practices_and_laws_of_other_fields_are_foreign_names_too(write_files, question, term):
    from bot.answers.decline import features
    answerer = Answerer.from_directory(write_files({"a.md": "# A\n\nSOC 2 covers security and availability; a CPA firm tests the controls.\n"}))
    q, hits, _ = answerer.read(question)
    assert term in {t.term for t in q.topic} and features(answerer, q, hits)["foreign_name"] == 1.0
    assert not answerer.answer(question).answered
