"""The analyzer: one set of rules for passages and questions, SOC names kept whole."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.search.analysis import EXPANSION_WEIGHT, Analyzer
from bot.search.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(load_vocabulary())


@pytest.mark.parametrize("text", ["SOC2", "SOC 2", "soc-2", "SOC II", "soc two", "Soc\u00a02", "ＳＯＣ２"])
def test_soc2_spellings_become_one_token(analyzer, text):
    assert analyzer.analyze(text) == ["soc2"]


@pytest.mark.parametrize("text", ["SOC1", "SOC 1", "soc-1", "SOC I", "soc one"])
def test_soc1_spellings_become_one_token(analyzer, text):
    assert analyzer.analyze(text) == ["soc1"]


def test_soc1_and_soc2_never_share_a_token(analyzer):
    one, two = set(analyzer.analyze("SOC 1 report")), set(analyzer.analyze("SOC 2 report"))
    assert "soc1" in one and "soc2" in two
    assert not (one ^ two) <= {"soc1"}  # they differ in the report token itself
    assert "soc1" not in two and "soc2" not in one


@pytest.mark.parametrize("text", ["Type II", "Type 2", "type two", "Type-2", "TYPE-II"])
def test_type2_spellings(analyzer, text):
    assert analyzer.analyze(text) == ["type2"]


@pytest.mark.parametrize("text,token", [
    ("SSAE 18", "ssae18"), ("SSAE-18", "ssae18"), ("AT-C 205", "atc205"), ("AT-C section 320", "atc320"),
    ("ICFR", "icfr"), ("TSC", "tsc"), ("SAS 70", "sas70"),
])
def test_standards_and_acronyms(analyzer, text, token):
    assert analyzer.analyze(text) == [token]


def test_type_words_do_not_swallow_following_words(analyzer):
    # "type in" must not be read as "Type I", nor "social" as "SOC I".
    assert "type1" not in analyzer.analyze("type in your answer")
    assert "soc1" not in analyzer.analyze("social media")


def test_stopwords_dropped_and_stemming_applied(analyzer):
    assert analyzer.analyze("What are the auditors reading?") == ["auditor", "read"]


def test_protected_words_are_not_stemmed(analyzer):
    # Snowball alone turns "saas" into "saa" and "organizations" into "organ".
    assert analyzer.analyze("SaaS organizations") == ["saas", "organization"]
    assert analyzer.analyze("CUECs") == ["cuec"]
    # The category stays apart from "available" ("available to anyone" is not about uptime).
    assert analyzer.analyze("availability available") == ["availability", "avail"]


def test_lone_digits_are_not_terms(analyzer):
    assert analyzer.analyze("soc 1 or 2") == ["soc1"]


def test_spans_point_at_the_original_words(analyzer):
    text = "Our SOC-2 covers Availability."
    spans = {t.term: text[t.start:t.end] for t in analyzer.tokens(text) if not t.stop}
    assert spans["soc2"] == "SOC-2"
    assert spans["availability"] == "Availability"


def test_a_name_that_ends_inside_a_word_is_read_on_from_its_end(analyzer):
    # "SOC 2's": the name stops before the apostrophe, which a plain word would have taken in.
    text = "soc 2's type ii's scope"
    assert [(t.term, text[t.start:t.end]) for t in analyzer.tokens(text)] == [
        ("soc2", "soc 2"), ("s", "s"), ("type2", "type ii"), ("s", "s"), ("scope", "scope")]


def test_letters_that_fold_onto_ascii_still_start_a_name(analyzer):
    # The long s folds onto "s" (NFKC in analyze; IGNORECASE in tokens, which sees raw text).
    assert analyzer.analyze("\u017foc 2") == ["soc2"]
    assert [t.term for t in analyzer.tokens("\u017foc 2")] == ["soc2"]


_PIECES = ["soc", "SOC", "2", "ii", "type", "ssae", "18", "iso", "27001", "pci", "dss", "at-c", "205", "'s",
           "'", "-", "_", ".", "/", " ", "\n", "\u017f", "\u212a", "\u00e9", "soc2", "audit", "social", "Ｓｏｃ２"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_index_terms_are_the_question_tokens_without_stopwords(analyzer, text):
    # analyze() (the index) has a path of its own, without spans: it must give the same terms.
    assert analyzer.analyze(text) == [t.term for t in analyzer.tokens(analyzer.normalize(text)) if not t.stop]


def test_sentences_do_not_break_after_abbreviations(analyzer):
    text = "Providers, e.g. payroll firms, need SOC 1 vs. SOC 2 advice. Acme Inc. is one. A third."
    sentences = [text[s:e] for s, e in analyzer.sentences(text)]
    assert sentences == [
        "Providers, e.g. payroll firms, need SOC 1 vs. SOC 2 advice.",
        "Acme Inc. is one.",
        "A third.",
    ]


def _expansions(analyzer, question):
    return {t.term: t.weight for t in analyzer.query_terms(question)}


def test_uptime_expands_to_availability(analyzer):
    terms = _expansions(analyzer, "uptime")
    assert terms["uptim"] == 1.0 and terms["availability"] == EXPANSION_WEIGHT


def test_icfr_expands_both_ways(analyzer):
    forward = _expansions(analyzer, "what is ICFR")
    assert {"intern", "control", "financi", "report"} <= set(forward)
    backward = _expansions(analyzer, "internal control over financial reporting")
    assert backward.get("icfr") == EXPANSION_WEIGHT


def test_tsc_and_personal_data(analyzer):
    assert {"trust", "criteria"} <= set(_expansions(analyzer, "tsc"))
    assert "tsc" in _expansions(analyzer, "trust services criteria")
    assert "privacy" in _expansions(analyzer, "personal data")


def test_query_terms_are_the_index_terms(analyzer):
    # One analyzer: a question's own words analyze exactly as the same words in a passage.
    text = "Does our SOC II Type-2 cover the customers' availability?"
    own = [t.term for t in analyzer.query_terms(text) if t.weight == 1.0]
    assert own == list(dict.fromkeys(analyzer.analyze(text)))


def test_stopword_only_question_has_no_terms(analyzer):
    assert analyzer.query_terms("what is the, is it a?") == []


@pytest.mark.parametrize("typed", ["doesnt", "dont", "isnt", "cant", "theyre", "youre", "whats"])
def test_contractions_typed_without_apostrophe_are_stopwords_like_their_spelled_forms(analyzer, typed):
    # A Slack "doesnt" is not a rare topic word that no passage holds.
    assert analyzer.analyze(f"the app {typed} handle payments") == ["app", "handl", "payment"]


@pytest.mark.parametrize("question", ["who audits them?", "who actually audits them?", "who even really audits them?"])
def test_a_hedge_inside_a_phrase_does_not_hide_it(analyzer, question):
    # "who audits" asks for the CPA firm, whatever hedges the asker puts in.
    assert {"cpa", "auditor"} <= {t.term for t in analyzer.query_terms(question)}


@pytest.mark.parametrize("question", ["can we put it on our website?", "can we stick it on the website?",
                                      "is it ok for anyone to download?"])
def test_putting_it_on_a_website_is_posting_it(analyzer, question):
    assert "post" in {t.term for t in analyzer.query_terms(question)}


def test_a_question_s_word_finds_the_shorthand_notes_write_for_it(analyzer):
    terms = {t.term: t.weight for t in analyzer.query_terms("worried about their year end financial statement audit")}
    assert {"yr", "fin", "stmt"} <= terms.keys() and terms["yr"] < 1.0
    # One way only: a question's "info" is no shorthand to expand.
    assert {t.term for t in analyzer.query_terms("update my direct deposit info")} == {"updat", "direct", "deposit", "info"}


@pytest.mark.parametrize("text", ["a bridge (or gap) letter", "a bridge (gap) letter", "a bridge letter"])
def test_a_short_aside_inside_a_name_of_words_keeps_it_one_name(analyzer, text):
    assert analyzer.analyze(text) == ["bridgeletter"]


def test_an_aside_does_not_join_a_report_to_its_type(analyzer):
    assert analyzer.analyze("SOC 2 (Type 2)") == ["soc2", "type2"]
