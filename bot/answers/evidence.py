"""Reading evidence out of passages: their sentences and clauses, read once per passage.

Also the which- and definition-question forms, and how a sentence scores against a question.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from bot.answers.aliases import DocumentAliases
from bot.answers.clauses import DEFAULT_FOCUS, Clause, FocusWeights, read_clauses
from bot.knowledge import Passage
from bot.knowledge.markdown import HEADING_JOINER
from bot.reports import REPORT_TERMS
from bot.search.analysis import Analyzer, QueryTerm

__all__ = ["REPORT_TERMS", "Sentence", "SentenceReader", "is_which_question", "is_definition_question"]


# "Which report…?" and its Slack forms: "soc 1 or 2?", "what soc do we need", "is soc 1 for…".
_REPORT_WORD = r"(?:soc|report|reports|one|audit|attestation|kind|option)"
_WHICH = re.compile(
    # "which report …", "which one …", not "which CPA firm …", "which attestation standard …",
    # "which section …": those ask for a firm, a standard, a section.
    r"\bwhich\b(?!\s+(?:\w+\s+)?(?:standards?|sections?|firms?|criteria|categor(?:y|ies)|periods?|dates?|"
    r"auditors?|methods?|controls?|principles?|months?|years?)\b)|"
    # "what audit do we need", "… what report is that?" ask for a report; "what attestation
    # standard …", "what audit period …", "what soc is" ask for something else.
    rf"\bwhat\s+(?:(?:kind|type|sort)s?\s+of\s+)?{_REPORT_WORD}s?\b(?!\s+(?:of|(?:is|are)(?!\s+(?:that|this|it|those|needed|required|best|right|for|ok|okay|fine|enough|good|acceptable)\b)|does|means?|contains?|standards?|"
    r"criteria|firms?|periods?|dates?|windows?|letters?|process|scope|fees?|costs?|opinions?|trail|logs?)\b)|"
    r"\bneeds?\s+(?:a|an|the)?\s*soc\b|"
    # "what can i send them?", "what should we ask for?": what to hand over is a report
    r"\bwhat\s+(?:can|do|should|would|shall)\s+(?:i|we)\s+(?:send|give|share|ask\s+for|request|push\s+for|hold\s+out\s+for|insist\s+on)\b|"
    r"\bsoc\W*(?:1|2|3|i{1,3}|one|two|three)\W+(?:or|vs|versus)\W+(?:(?:the|a|an)\s+)?(?:soc\W*)?(?:1|2|3|i{1,3}|one|two|three)\b|"
    # "… SOC-2 or the other one?": a report offered against the rest
    r"\bsoc\W*(?:1|2|3|i{1,3}|one|two|three)\W+(?:or|vs|versus)\s+(?:the\s+)?(?:other|\w+\s+one)\b|"
    # "is there a soc report we can send?": a report asked for
    r"\bis\s+there\s+(?:a|an|any|some)\s+(?:soc\s+)?(?:report|soc|audit)\b|"
    r"\b(?:right|correct|appropriate|relevant|best)\s+(?:soc|report)\b",
    re.IGNORECASE,
)
# "is soc 1 about backups?": a yes/no opening, a report, then a word of coverage after it. Three
# searches, each linear: one pattern with two ".*" between them backtracks quadratically.
_YES_NO_OPENING = re.compile(r"\s*(?:is|are|does|do|can|will|would|should)\b", re.IGNORECASE)
_NUMBERED_REPORT = re.compile(r"\bsoc\W*(?:1|2|3|i{1,3}|one|two|three)\b", re.IGNORECASE)
# "is soc 1 the one that shows …", "is soc 1 the one vendor risk wants?": "the one" asks which.
_COVERAGE_WORD = re.compile(r"\b(?:cover|covers|about|for|include|includes|address|handle|deal|apply|relevant|"
                            r"the\s+(?:right\s+|correct\s+|best\s+)?one)\b", re.IGNORECASE)
# "does SOC 1 test processing integrity, or is that a different report?", "… or something else?":
# a report named and set against another is a which-question.
_OR_ANOTHER = re.compile(r"\bor\s+(?:is\s+(?:that|it|this)\s+)?(?:an?\s+)?(?:diff(?:erent)?|other|another|separate|"
                         r"something\s+else)\b", re.IGNORECASE)
# "what's the US equivalent of ISAE 3402?": a counterpart asked for where no SOC report is named is
# a SOC report ("what's the international version of SOC 1?" names one, and asks for a standard).
_COUNTERPART = re.compile(r"\b(?:equivalent|equivelant|equivalant|counterpart|version|analogue)\b", re.IGNORECASE)
_ASSURANCE_NAME = re.compile(r"\b(?:soc|reports?|isae|csae|ssae|sas)\b", re.IGNORECASE)
# "do we need …", "what should i get": a report to get, unless a question word in the same
# sentence asks for something else ("how many days do i get", "when do we need it by").
_DO_WE_NEED = re.compile(
    r"\b(?:do|does|would|will|should|must|shall)\s+(?:we|i|they|you|my|our|a|an)\b.{0,40}?"
    r"\b(?:need|needing|get|want|require|go with|pick|choose|use|send|request|ask for|share|provide)\b",
    re.IGNORECASE,
)
_OTHER_QUESTION_WORD = re.compile(r"\b(?:how|when|where|why|who)\b(?![^.?!\n]*[.?!\n])", re.IGNORECASE)
_ABOUT_TYPES = re.compile(r"\btypes?\b|\btype\W*(?:1|2|i{1,2}|one|two)\b", re.IGNORECASE)


_DEFINITION_OPENING = re.compile(
    r"^\W*(?:what(?:'s|\s+is|\s+are|s)|define|definition\s+of|meaning\s+of|explain)\b|\bmeaning\W*$",
    re.IGNORECASE,
)
# "what does X mean?": the question ends in "mean", and "what does" stands before it.
_MEAN_AT_END = re.compile(r"\smean\W*$", re.IGNORECASE)
_WHAT_DOES = re.compile(r"\bwhat\s+does\s", re.IGNORECASE)


def is_definition_question(question: str) -> bool:
    """True for "what is X?", "define X", "what does X mean?": X's introduction is wanted."""
    if _DEFINITION_OPENING.search(question):
        return True
    end = _MEAN_AT_END.search(question)
    return bool(end and _WHAT_DOES.search(question, 0, end.start()))


def is_which_question(question: str) -> bool:
    """True when the question asks which report applies (the answer leads with a verdict)."""
    if _ABOUT_TYPES.search(question) and not re.search(r"\bcome\b|\bboth\b", question, re.I):
        return False  # "which type…?" asks about Type 1 vs Type 2, not about a report
    if _WHICH.search(question) or _yes_no_about(question):
        return True
    named = _NUMBERED_REPORT.search(question)
    if named and _OR_ANOTHER.search(question, named.end()):
        return True
    if not named and _COUNTERPART.search(question) and _ASSURANCE_NAME.search(question):
        return True
    need = _DO_WE_NEED.search(question)
    return bool(need and not _OTHER_QUESTION_WORD.search(question, 0, need.start()))


def _yes_no_about(question: str) -> bool:
    if not _YES_NO_OPENING.match(question):
        return False
    report = _NUMBERED_REPORT.search(question)
    return bool(report and _COVERAGE_WORD.search(question, report.end()))


class Sentence(NamedTuple):
    """A sentence of a passage, analyzed (a tuple: made by the thousand, per question)."""

    passage: int
    start: int
    end: int
    text: str
    terms: frozenset[str]
    subjects: frozenset[str]  # the reports its own clauses are about ("SOC 2 covers …")
    spans: tuple[tuple[str, int, int], ...] = ()  # (term, start, end) of its content words, in passage offsets


# A report in brackets, or an article opening a bracket: where a document may name a report.
_DEFINES = re.compile(r"\(\s*(?:soc|the\s|an?\s)", re.IGNORECASE)


class SentenceReader:
    """Splits passages into analyzed sentences once each, on first use (cached)."""

    def __init__(self, analyzer: Analyzer, passages: tuple[Passage, ...], words, cache: int = 4096,
                 names: dict[str, str] = REPORT_TERMS, focus: FocusWeights = DEFAULT_FOCUS):
        """``words``: the clause word lists as the analyzer's terms (:func:`clause_words`).
        ``names``: what clauses are read as being about (term -> name): the reports by default.
        ``focus``: the fitted weights of a focus a clause does not name itself."""
        self._names = names
        self.focus = focus
        self._analyzer = analyzer
        self.passages = self._passages = passages
        self._words = words
        self._read = lru_cache(maxsize=cache)(self._read_passage)
        self._aliases: dict = {}  # path -> DocumentAliases, made when a passage of it is first read
        self._docs_of: dict | None = None
        # Keyed by the headings, not the passage: a section's passages share them.
        self._terms_of_headings = lru_cache(maxsize=cache)(self._heading_words)
        self._mentions_in_headings = lru_cache(maxsize=cache)(self._headings_named)

    def sentences(self, doc: int) -> tuple[Sentence, ...]:
        return self._read(doc)[0]

    def clauses(self, doc: int) -> tuple[Clause, ...]:
        return self._read(doc)[1]

    def _read_passage(self, doc: int) -> tuple[tuple[Sentence, ...], tuple[Clause, ...]]:
        text = self._passages[doc].text
        # One pass of the analyzer over the passage, shared out to its sentences and clauses.
        tokens = self._analyzer.tokens(text)
        aliases = self.aliases(doc)
        if aliases:
            tokens = aliases.apply(tokens)
        starts = [t.start for t in tokens]
        spans = self._analyzer.sentences(text)
        before = self._named_before(doc) if not self._words["pairs"].isdisjoint([t.term for t in tokens]) else ()
        heading = self.heading_mentions(doc) or self._named_earlier_in_section(doc)
        clauses = tuple(read_clauses(tokens, text, spans, heading, self._words, self._names,
                                     self.focus, before))
        subjects: dict[int, set[str]] = {}
        for c in clauses:
            if c.own:
                subjects.setdefault(c.sentence, set()).update(r for r, w in c.focus if w == 1.0)
        out = []
        for n, (start, end) in enumerate(spans):
            mine = tokens[bisect_left(starts, start):bisect_left(starts, end)]
            content = [t for t in mine if not t.stop]
            out.append(Sentence(
                passage=doc, start=start, end=end, text=text[start:end].strip().lstrip("\u2014\u2013- "),
                terms=frozenset(t.term for t in content),
                subjects=frozenset(subjects.get(n, ())),
                spans=tuple((t.term, t.start, t.end) for t in content),
            ))
        return tuple(out), clauses

    def aliases(self, doc: int) -> DocumentAliases:
        """The report names the passage's document defines ("the trust report (SOC 2)")."""
        return self._aliases_of(self._passages[doc].path)

    def _aliases_of(self, path) -> DocumentAliases:
        found = self._aliases.get(path)
        if found is None:
            if self._docs_of is None:
                self._docs_of = {}
                for d, p in enumerate(self._passages):
                    self._docs_of.setdefault(p.path, []).append(d)
            # The few passages that may define one, found by one pattern pass over them all.
            texts = [self._passages[d].text for d in self._docs_of.get(path, ())]
            starts = list(accumulate((len(t) + 1 for t in texts), initial=0))
            hits = sorted({bisect_right(starts, m.start()) - 1 for m in _DEFINES.finditer("\0".join(texts))})
            texts = [texts[n] for n in hits]
            found = self._aliases[path] = DocumentAliases(texts, self._analyzer.tokens, self._names,
                                                          self._words["alias_heads"])
        return found

    def _named_earlier_in_section(self, doc: int) -> tuple[tuple[str, float], ...]:
        """The report named last before the passage in its section (up to three passages back),
        weighed as a title's: a thread's reply ("availability: yes. Section 4 has …") goes on
        about the report its section was about."""
        named = next(self._names_before(doc, 3, same_section=True), None)
        return ((named, self.focus.title),) if named else ()

    def _named_before(self, doc: int, reach: int = 5) -> tuple[str, ...]:
        """The last two reports named in the passages before ``doc`` in its file (up to
        ``reach`` of them), latest first: what "both reports" there may refer to."""
        named: list[str] = []
        for name in self._names_before(doc, reach):
            if name not in named:
                named.append(name)
                if len(named) == 2:
                    return tuple(named)
        return ()

    def _names_before(self, doc: int, reach: int, same_section: bool = False):
        """The reports named in the passages before ``doc`` in its file (or its section), up to
        ``reach`` passages back, latest first."""
        here = self._passages[doc]
        for d in range(doc - 1, max(-1, doc - 1 - reach), -1):
            there = self._passages[d]
            if there.path != here.path or (same_section and there.section != here.section):
                return
            for t in reversed(list(self._analyzer.tokens(there.text))):
                name = self._names.get(t.term)
                if name:
                    yield name

    def heading_terms(self, doc: int) -> frozenset[str]:
        """The terms of the passage's title and section."""
        p = self._passages[doc]
        return self._terms_of_headings(p.title, p.section)

    def _heading_words(self, title: str, section: str) -> frozenset[str]:
        return frozenset(self._analyzer.analyze(f"{title}\n{section}"))

    def heading_mentions(self, doc: int) -> tuple[tuple[str, float], ...]:
        """Reports named by the passage's section heading (the deepest of a "Parent › Child"
        path that names one), else by its title.

        Headings name their subject ("What is a SOC 1 report"); "SOC 1 vs SOC 2" in a heading
        is a comparison, not a contrast, so no discount applies here. A report the heading
        negates is not its subject: "Why We Went With SOC 2 (and Not SOC 1)".
        """
        p = self._passages[doc]
        return self._mentions_in_headings(p.path, p.section, p.title)

    def _headings_named(self, path, section: str, title: str) -> tuple[tuple[str, float], ...]:
        negation = self._words["negating"]
        # The document's title speaks for every section under it, and so for each one weakly.
        headings = [(h, 1.0) for h in reversed(section.split(HEADING_JOINER))] + [(title, self.focus.title)]
        aliases = self._aliases_of(path)
        against = self._words["set_against"]
        set_against: tuple[tuple[str, float], ...] = ()
        for heading, weight in headings:
            tokens = list(self._analyzer.tokens(heading))
            if aliases:
                tokens = aliases.apply(tokens)
            found = tuple((self._names[t.term], weight, any(x.term in against for x in tokens[max(0, k - 2):k]))
                          for k, t in enumerate(tokens)
                          if t.term in self._names and not any(x.term in negation for x in tokens[max(0, k - 2):k]))
            if any(not aside for _, _, aside in found):
                return tuple((r, w) for r, w, aside in found if not aside)
            set_against = set_against or tuple((r, w) for r, w, _ in found)
        return set_against


def sentence_score(sentence: Sentence, weights: dict[str, tuple[int, float]]) -> float:
    """Sum over the question's term groups of the best weight the sentence matches."""
    best: dict[int, float] = {}
    for term in sentence.terms:
        hit = weights.get(term)
        if hit is not None and hit[1] > best.get(hit[0], 0.0):
            best[hit[0]] = hit[1]
    return sum(best.values())


def term_weights(terms: list[QueryTerm], idf, known=None) -> dict[str, tuple[int, float]]:
    """term -> (group, weight × IDF): what a sentence earns for containing the term. A term not
    in ``known`` (the index) weighs nothing: no clause can hold it, and counted in the question's
    whole it would shrink every clause's share ("put it on the website" where the document says
    "post"). It keeps its group, which a negation in the question may need ("without an NDA")."""
    weights: dict[str, tuple[int, float]] = {}
    for t in terms:
        value = t.weight * idf(t.term) if known is None or t.term in known else 0.0
        if t.term not in weights or value > weights[t.term][1]:
            weights[t.term] = (t.group, value)
    return weights
