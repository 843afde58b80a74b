"""Reading a question: its frame ("which report covers …", "is soc 1 about …") apart from its topic.

The frame says what kind of answer is wanted; the topic is what the passages must hold. Frame
words (data: ``bot/data/question_frame.yaml``) neither add to nor count against coverage. For a
which-question the report names are frame too: "is SOC 1 about backups?" is about backups, and
the verdict says which report holds them. A yes/no question naming one report ("does soc 2 cover
payroll?") is answered "Yes" or "No" with the report the evidence points to.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.answers.clause_words import negated_terms
from bot.answers.evidence import is_definition_question, is_which_question
from bot.files import DATA, load_yaml
from bot.reports import REPORT_TERMS
from bot.search.analysis import Analyzer, QueryTerm
from bot.types import MAX_QUESTION_CHARS

__all__ = ["Question", "QuestionReader", "FRAME_WEIGHT", "clean_question", "names_another_field"]

_SHORTHAND = re.compile(r"\bw/o(?:ut)?\b", re.IGNORECASE)

# Frame words still help rank passages a little when the question is not a which-question
# ("what does a Type 2 cover?"): they are searched with this weight, never counted as topic.
FRAME_WEIGHT = 0.3


@dataclass(frozen=True)
class Question:
    text: str
    terms: list[QueryTerm]  # every term, spelling corrected
    topic: list[QueryTerm]  # what the passages must hold
    search: list[QueryTerm]  # what is searched for: the topic, and frame words at FRAME_WEIGHT
    which: bool  # asks which report: the answer leads with a verdict
    yes_no: str | None  # the report a yes/no question asks about ("is soc 1 about …")
    definition: bool  # "what is X?"
    named: frozenset[str]  # SOC terms the question names ("soc2", "icfr", "type2"…)
    plural: bool = False  # asks for one or more reports ("which reports …", "both?")
    negated: frozenset[str] = frozenset()  # topic terms said under a negation ("no NDA yet")
    reports: frozenset[str] = frozenset()  # the reports it names ("soc1 or soc2?" names two)
    had: frozenset[str] = frozenset()  # a report it names as had and doubted ("they only sent a SOC 3")


@lru_cache(maxsize=1)
def _frame_lists() -> dict:
    return load_yaml(DATA / "question_frame.yaml")


def names_another_field(q: Question, analyzer: Analyzer, index) -> bool:
    """The question names another field's thing (the vocabulary's ``other_fields``: ISO 27001, a
    security operations centre, a "type 2 hypervisor") that the base never mentions."""
    foreign = analyzer.vocabulary.other_fields
    return any(t.word and t.term in foreign and t.term not in index for t in q.topic)


class QuestionReader:
    def __init__(self, analyzer: Analyzer, named_terms: frozenset[str], words) -> None:
        """``words``: the clause word lists as the analyzer's terms (:func:`bot.answers.clause_words.clause_words`)."""
        data = _frame_lists()
        frame = set()
        for word in data["frame"]:
            frame.add(str(word).lower())
            frame.update(analyzer.lexicon_terms(str(word)))
        self.frame = frozenset(frame)
        addressing = "|".join(re.escape(str(w).lower()) for w in data["addressing"])
        verbs = "|".join(re.escape(str(w).lower()) for w in data["addressed_verbs"])
        self.addressing = re.compile(rf"\b({addressing})\s+(?:{verbs})\b", re.IGNORECASE)
        self.yes_no_words = frozenset(str(w).lower() for w in data["yes_no"])
        plural = "|".join(re.escape(str(w).lower()).replace(r"\ ", r"\s+") for w in data["plural"])
        self.plural = re.compile(rf"\b(?:{plural})\b", re.IGNORECASE)
        doubt = "|".join(re.escape(str(w).lower()).replace(r"\ ", r"\s+") for w in data["settled_for"])
        self.doubt = re.compile(rf"\b(?:{doubt})\b", re.IGNORECASE)
        self.named_terms = named_terms
        self.analyzer = analyzer
        self._words = words

    def read(self, text: str, terms: list[QueryTerm]) -> Question:
        which = is_which_question(_QUESTION_WORD.sub(_fold_question_word, text))
        addressed = {m.group(1).lower() for m in self.addressing.finditer(text)}
        # A question word typed in a hurry ("whcih") is frame as the word itself is.
        framed = {t.group for t in terms if t.word and (t.term in self.frame or t.word.lower() in addressed
                                                         or _as_question_word(t.word) in _QUESTION_WORDS)}
        terms = _unframe_expansions(terms, framed, self.frame)
        topic = [t for t in terms if t.group not in framed]
        frame = [QueryTerm(t.term, FRAME_WEIGHT, t.group, t.word) for t in terms if t.group in framed and t.word]
        reports = {REPORT_TERMS[t.term] for t in terms if t.word and t.term in REPORT_TERMS}
        first = text.split(maxsplit=1)[0].casefold() if text.split() else ""
        yes_no = next(iter(reports)) if which and len(reports) == 1 and first in self.yes_no_words else None
        if which:
            # The report names are what is asked about, not evidence: search on the rest.
            named_groups = _groups(topic, REPORT_TERMS)
            subject = [t for t in topic if t.term not in REPORT_TERMS and t.group not in named_groups]
            if subject:
                topic = subject
            else:
                which, yes_no = False, None
        named = frozenset(t.term for t in terms if t.weight >= 1.0 and t.term in self.named_terms)
        search = topic if which else topic + frame
        if not topic:  # nothing but frame ("what is it about?"): the frame is all there is
            topic = search = [QueryTerm(t.term, 1.0, t.group, t.word) for t in frame]
        spoken = _SHORTHAND.sub(" without ", text)  # "w/o an NDA", "w/out an NDA"
        negated = negated_terms(list(self.analyzer.tokens(spoken)), self._words, spoken)
        had = frozenset(reports) if which and len(reports) == 1 and not yes_no and self.doubt.search(text) else frozenset()
        return Question(text, terms, topic, search, which, yes_no, is_definition_question(text), named,
                        bool(self.plural.search(text.replace("(s)", "s"))), negated & {t.term for t in topic},
                        frozenset(reports), had)


def _unframe_expansions(terms: list[QueryTerm], framed: set[int], frame) -> list[QueryTerm]:
    """A vocabulary expansion of a frame word's phrase is topic, in a group of its own: in
    "who audits them?" the word "audits" is frame, but what the phrase expands to (the CPA firm
    that examines) is what the question is about."""
    moved, out, top = {}, [], max((t.group for t in terms), default=-1) + 1
    for t in terms:
        if t.group in framed and not t.word and t.term not in frame and t.term not in REPORT_TERMS:
            if t.group not in moved:
                moved[t.group], top = top, top + 1
            t = QueryTerm(t.term, t.weight, moved[t.group], t.word)
        out.append(t)
    return out


# Typed in a hurry, "whcih report…" is still a which-question: a word one swap or one dropped
# letter away from a question word, with its first letter, is read as that word.
_QUESTION_WORDS = ("which", "what")
_QUESTION_WORD = re.compile(r"\b[a-z]{3,6}\b", re.IGNORECASE)


def _fold_question_word(match: re.Match) -> str:
    return _as_question_word(match.group(0))


def _as_question_word(word: str) -> str:
    """The question word ``word`` was meant as, or ``word`` itself."""
    lower = word.lower()
    for q in _QUESTION_WORDS:
        if lower != q and lower[0] == q[0] and _one_slip(lower, q):
            return q
    return word


def _one_slip(word: str, target: str) -> bool:
    """``word`` is ``target`` with two neighbouring letters swapped or one letter missing."""
    if len(word) == len(target):
        diff = [i for i, (a, b) in enumerate(zip(word, target)) if a != b]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == target[diff[1]] \
            and word[diff[1]] == target[diff[0]]
    return len(word) == len(target) - 1 and any(target[:i] + target[i + 1:] == word for i in range(len(target)))


def _groups(terms: list[QueryTerm], names) -> set[int]:
    """Groups whose own word is one of ``names`` (their expansions go with them)."""
    return {t.group for t in terms if t.word and t.term in names}


# Slack's entities: "<@U123>", "<!channel>", "<#C123|general>" name no topic and are dropped;
# a link "<https://x|label>" keeps its label.
SLACK_ENTITY = re.compile(r"<(?:[@#!][^<>|\s]*(?:\|[^<>]*)?|(?:https?://|mailto:)[^<>|\s]*(?:\|([^<>]*))?)>")


def clean_question(question: str) -> str:
    """The question as analyzed: control characters out, NFKC applied, whitespace folded, capped.

    NFKC here, once, so that every later step reads the same string ("so…" becomes "so...";
    character positions in the analyzer's tokens then point into this very text).
    """
    question = SLACK_ENTITY.sub(lambda m: f" {m.group(1) or ''} ", question[: MAX_QUESTION_CHARS * 2])
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in question)
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())[:MAX_QUESTION_CHARS]
