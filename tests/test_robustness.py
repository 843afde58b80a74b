"""answer() on anything a user can type or paste: it never raises, and its result always keeps
the Answer contract. Questions made only of stopwords are declined."""
from __future__ import annotations

import json
import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answers.answerer import MAX_QUESTION_CHARS, clean_question
from bot.reports import REPORTS
from bot.types import Answer

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = 40_000

SOC_WORDS = ["SOC", "soc 1", "SOC-2", "soc3", "Type II", "type 1", "availability", "uptime",
             "report", "reports", "bridge", "letter", "privacy", "payroll", "auditor", "CUECs",
             "which", "what", "is", "the", "trust", "services", "criteria", "SSAE 18", "carve-out"]
ODD = ["\u200f", "\u202e", "\u200d", "\ufeff", "\x00", "\x1b[31m", "\r\n", "\t", "\u00a0",
       "\U0001f600", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\u05e9\u05dc\u05d5\u05dd",
       "\u0645\u0631\u062d\u0628\u0627", "\ufb01nancial", "\u2460", "\ufdfa", "\u0130", "\u00df",
       "<!channel>", "<!here>", "<@U123>", "<@U123|bob>", "<#C123|general>", "<https://x.io|x>",
       "&lt;", "&amp;", "*bold*", "_it_", "`code`", "```", "> quote", "e.g.", "i.e.", "vs.",
       "-", "/", ".", "?", "!", "'", "\u2019"]


def check(answer: Answer, top_k: int = 3) -> dict:
    """The Answer contract; returns the JSON round trip of to_dict()."""
    assert isinstance(answer, Answer)
    assert isinstance(answer.answered, bool)
    data = json.loads(json.dumps(answer.to_dict(), ensure_ascii=False))
    json.dumps(answer.to_dict(), ensure_ascii=True)
    assert data["answered"] is answer.answered
    assert isinstance(data["reports"], list) and set(data["reports"]) <= set(REPORTS)
    assert len(answer.question) <= MAX_QUESTION_CHARS
    assert isinstance(answer.answer, str) and answer.answer.strip()
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert len(answer.citations) <= top_k
    for c in answer.citations:
        assert math.isfinite(c.score) and c.score > 0
        for start, end in c.matches:
            assert 0 <= start < end <= len(c.text)
    if answer.answered:
        assert answer.citations
        scores = [c.score for c in answer.citations]
        assert scores == sorted(scores, reverse=True)
    else:
        assert answer.citations == () and answer.reports == ()
    return data


@SETTINGS
@given(st.text())
def test_any_text(bundled, question):
    check(bundled.answer(question))


@SETTINGS
@given(st.text(alphabet=st.characters(codec=None, categories=["Cc", "Cf", "Cs", "Co", "Zs", "Zl", "Zp", "So", "Lo", "Mn"])))
def test_control_format_surrogate_and_symbol_characters(bundled, question):
    data = check(bundled.answer(question))
    data_text = json.dumps(data, ensure_ascii=False)
    data_text.encode("utf-8")  # no lone surrogate survives into the answer


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(SOC_WORDS + ODD), st.text(max_size=4)), max_size=40),
       st.sampled_from([" ", "", "-", "\n", " \u200f"]), st.integers(min_value=1, max_value=20))
def test_soc_words_mixed_with_odd_characters(bundled, parts, sep, top_k):
    check(bundled.answer(sep.join(parts), top_k), top_k)


@pytest.mark.parametrize("question", ["", " ", "   \t\n  ", "\u00a0\u2003", "\x00\x01\x02", "\u200b\u200f",
                                      "?", "???", "....", "\U0001f600\U0001f600"])
def test_empty_and_contentless_questions_are_declined(bundled, question):
    answer = bundled.answer(question)
    check(answer)
    assert answer.answered is False
    assert answer.examples  # the decline offers example questions


@pytest.mark.parametrize("question", [
    "<!channel> Which report covers availability?",
    "<@U123> Which report covers availability?",
    "Which report covers availability? <!here>",
])
def test_slack_markup_around_a_question(bundled, question):
    answer = bundled.answer(question)
    check(answer)
    assert answer.answered and answer.reports[0] == "SOC 2"


@SETTINGS
@given(st.text(min_size=1, max_size=60).filter(lambda s: s.strip()))
def test_40000_character_random_question_is_capped(bundled, chunk):
    question = (chunk * (LONG // len(chunk) + 1))[:LONG]
    answer = bundled.answer(question)
    check(answer)
    assert len(answer.question) <= MAX_QUESTION_CHARS
    assert answer.question == clean_question(question)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(SOC_WORDS), min_size=1, max_size=12))
def test_40000_character_question_of_soc_words(bundled, words):
    phrase = " ".join(words) + " "
    question = (phrase * (LONG // len(phrase) + 1))[:LONG]
    answer = bundled.answer(question)
    check(answer)
    assert len(answer.question) == MAX_QUESTION_CHARS
    assert answer.question == " ".join(question.split())[:MAX_QUESTION_CHARS]


def test_40000_character_question_keeps_its_start(bundled):
    question = "Which report covers availability? " + "availability " * 3100
    assert len(question) > 40_000
    answer = bundled.answer(question)
    check(answer)
    assert answer.question.startswith("Which report covers availability? availability")
    assert len(answer.question) == MAX_QUESTION_CHARS
    assert answer.answered and answer.reports[0] == "SOC 2"


# ------------------------------------------------------------------------------------------
# Stopwords alone never make an answer
# ------------------------------------------------------------------------------------------
STOPWORD_QUESTIONS = ["what is the", "is it a", "what is it?", "can we", "is there a",
                      "and or but", "what do you do", "who", "What is in it?", "what's in",
                      "how", "Tell me more, please!", "what is it that you want to know?"]


def _all_stop(bundled, text: str) -> bool:
    return all(t.stop for t in bundled.analyzer.tokens(bundled.analyzer.normalize(text)))


@pytest.mark.parametrize("question", STOPWORD_QUESTIONS)
def test_stopword_questions_are_declined(bundled, question):
    assert _all_stop(bundled, question), "precondition: every word is a stopword"
    answer = bundled.answer(question)
    check(answer)
    assert answer.answered is False


@pytest.fixture(scope="module")
def stopwords(bundled) -> list[str]:
    # Only entries that analyze to stopwords themselves ("e.g" splits into "e" and "g").
    return sorted(w for w in bundled.analyzer.vocabulary.stopwords if _all_stop(bundled, w))


@SETTINGS
@given(data=st.data())
def test_any_sequence_of_stopwords_is_declined(bundled, stopwords, data):
    words = data.draw(st.lists(st.sampled_from(stopwords), min_size=1, max_size=12))
    punct = data.draw(st.sampled_from(["", "?", "!", "."]))
    question = " ".join(words) + punct
    assert _all_stop(bundled, question)
    assert bundled.answer(question).answered is False


# The question-form patterns, as they were written before they were made linear: the reference
# for what the linear versions must still say (each of these backtracks quadratically).
_REFERENCE_YES_NO = re.compile(
    r"^\s*(?:is|are|does|do|can|will|would|should)\b.*\bsoc\W*(?:1|2|3|i{1,3}|one|two|three)\b"
    r".*\b(?:cover|covers|about|for|include|includes|address|handle|deal|apply|relevant)\b", re.I)
_REFERENCE_DEFINITION = re.compile(
    r"^\W*(?:what(?:'s|\s+is|\s+are|s)|define|definition\s+of|meaning\s+of|explain)\b"
    r"|\bwhat\s+does\s+.+\s+mean\W*$|\bmeaning\W*$", re.I)
_WORDS = ["is", "does", "what", "does", "soc", "2", "soc 1", "SOC III", "cover", "about", "mean", "meaning",
          "define", "x", "backups", "?", "-", "what's", "for", "a", "the", "mean?", "covers"]


@given(st.lists(st.sampled_from(_WORDS), max_size=12))
@settings(max_examples=400, deadline=None)
def test_question_forms_read_as_the_reference_patterns_do(words):
    from bot.answers.evidence import _yes_no_about, is_definition_question

    text = " ".join(words)
    assert _yes_no_about(text) == bool(_REFERENCE_YES_NO.search(text)), text
    assert is_definition_question(text) == bool(_REFERENCE_DEFINITION.search(text)), text


def test_long_questions_of_repeated_forms_are_read():
    # Forms that made the reference patterns backtrack: still read right (the speed is measured
    # in the closing note, not asserted here).
    from bot.answers.evidence import _yes_no_about, is_definition_question

    assert _yes_no_about("is " + "soc 2 " * 2700) is False
    assert _yes_no_about("is " + "soc 2 " * 2700 + "about backups") is True
    assert is_definition_question("what does " * 1600 + "x") is False
    assert is_definition_question("what does " * 1600 + "x mean?") is True
