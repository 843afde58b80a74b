"""The answer engine: a question in, a cited answer (or a clear decline) out.

``answer(question)`` uses the default knowledge base, built once per process;
``Answerer.from_directory(path)`` builds one for any knowledge directory.
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from bot.answers.clause_words import clause_words
from bot.answers.clauses import FocusWeights
from bot.answers.comparison import ComparisonReader
from bot.answers.decline import features
from bot.answers.evidence import SentenceReader, sentence_score, term_weights
from bot.answers.params import PARAMS, AnswerModel
from bot.answers.question import Question, QuestionReader, clean_question
from bot.answers.verdict import VerdictReader
from bot.files import DATA, read_text
from bot.search.analysis import QueryTerm, search_weights
from bot.search.built import BuiltBase, build_base
from bot.search.cache import load_base
from bot.search.fastspelling import FastSpellingCorrector
from bot.search.index import Hit
from bot.types import MAX_QUESTION_CHARS, Answer, Citation, Comparison, ComparisonCell, ComparisonRow, KnowledgeStats

__all__ = ["Answerer", "answer", "default_answerer", "MAX_QUESTION_CHARS"]

CANDIDATES = 8
DEFINITION_TIE = 0.07  # scores this close to the best count as a tie for "what is X?"
# Words found in most passages ("report") are not highlighted in citations: they say nothing.
HIGHLIGHT_MIN_IDF = 0.3
CITE_MIN_FRACTION = 0.3  # a citation scores at least this share of the best passage's score
MAX_ANSWER_SENTENCES = 3
MAX_ANSWER_CHARS = 600
SHORT_LEAD_CHARS = 80


class Answerer:
    """Answers questions from one knowledge base. Build once; ``answer`` is thread-safe."""

    def __init__(self, base: BuiltBase, examples: tuple[str, ...] | None = None, *,
                 model: AnswerModel = PARAMS):
        """``base``: a built knowledge base (:func:`bot.search.build_base`, or restored by the
        restart cache). ``examples``: the example questions offered on a decline (the knowledge
        directory's ``examples.txt`` unless given). ``model``: the fitted decline and verdict
        parameters (the shipped ones unless given)."""
        self.base = base
        self.knowledge = base.knowledge
        self.analyzer = analyzer = base.analyzer
        self.examples = load_examples(self.knowledge.directory) if examples is None else examples
        self.passages = base.passages
        self.index = base.index
        self.domain_terms = base.domain_terms
        self.named_terms = analyzer.named_terms()
        words = clause_words(analyzer.lexicon_terms)  # the clause word lists, read once
        self._reader = SentenceReader(analyzer, self.passages, words, focus=FocusWeights(**model.focus))
        self._verdicts = VerdictReader(self.passages, self._reader, model)
        self._spelling = FastSpellingCorrector(analyzer, self.index)  # same suggestions, fewer comparisons
        self._questions = QuestionReader(analyzer, self.named_terms, words)
        self.comparisons = ComparisonReader(analyzer, self.index, self._reader, words)

    @classmethod
    def from_directory(cls, directory: str | os.PathLike | None = None) -> "Answerer":
        return cls(build_base(directory))

    @classmethod
    def cached(cls, directory: str | os.PathLike | None = None, cache_dir="env") -> "Answerer":
        """Like :meth:`from_directory`, through the restart cache (:mod:`bot.search.cache`):
        restored when the base and settings are unchanged, else built and saved. ``cache_dir``:
        a directory, None for no cache, or "env" for the configured one (bot.config)."""
        return cls(load_base(directory, cache_dir))

    @property
    def model(self) -> AnswerModel:
        """The fitted parameters this answerer decides with (held by its verdict reader)."""
        return self._verdicts.model

    @model.setter
    def model(self, value: AnswerModel) -> None:
        # Clauses are read with the focus weights once per passage: they cannot change here.
        if value.focus != self._verdicts.model.focus:
            raise ValueError("focus weights are fixed when an Answerer is built: build a new one")
        self._verdicts.model = value

    @property
    def stats(self) -> KnowledgeStats:
        return self.knowledge.stats()

    # -- the question path ------------------------------------------------------------------
    def read(self, question: str, top_k: int = CANDIDATES) -> tuple[Question, list[Hit], dict[str, float] | None]:
        """The question read, its top passages and the decline model's features (None when
        nothing in the base matches at all). What :meth:`answer` decides from, exposed for the
        fitting script."""
        question = clean_question(question)
        # A question cut at the limit may end in part of a word: that part is not read.
        read = question.rsplit(" ", 1)[0] if len(question) >= MAX_QUESTION_CHARS else question
        terms = self._spelling.correct(self.analyzer.query_terms(read))
        q = self._questions.read(question, terms)
        if NO_SUCH_REPORT.search(question):  # "SOC 4": no such report, nothing to search for
            return q, [], None
        hits = self.index.top(search_weights(q.search).items(), max(CANDIDATES, top_k))
        if not hits:
            return q, hits, None
        return q, hits, features(self, q, hits)

    def settled(self, question: str, top_k: int = 3) -> tuple[Question, list[Hit], Answer | None]:
        """The question read and its passages, with the answer where it needs no verdict (a
        comparison, a decline): what :meth:`answer` starts from. The fitting script's verdict
        grid reads each question once with it and then asks only :meth:`reports_for`."""
        q, hits, found = self.read(question, top_k)
        columns = self.comparisons.asked(q)
        if columns:
            compared = self.compare(columns, q, hits, top_k)
            if compared is not None:
                return q, hits, compared
        if found is None or not self.model.answerable(found):
            return q, hits, self.decline(q.text)
        return q, hits, None

    def reports_for(self, q: Question, hits) -> tuple[tuple[str, ...], tuple[str, ...], dict]:
        """The verdict on ``q`` from its passages: reports, those that lead the answer, and the
        topic's term weights."""
        weights = term_weights(q.topic, self.index.content_idf, self.index)
        # Every passage heard votes in proportion to its score; only the strong ones are cited.
        return (*self._verdicts.verdict(hits, weights, q.plural, q.negated, q.had), weights)

    def answer(self, question: str, top_k: int = 3) -> Answer:
        q, hits, settled = self.settled(question, top_k)
        if settled is not None:
            return settled
        best = hits[0].score
        reports, lead, weights = self.reports_for(q, hits)
        hits = [h for h in hits if h.score >= CITE_MIN_FRACTION * best]
        if q.definition or all(t.term in self.named_terms for t in q.terms if t.word):
            hits = introductions_first(hits)
        if q.definition:
            hits = defining_first(hits, self.passages, [t.word for t in q.topic if t.word])
        text = self._compose(hits, weights, lead if q.which else (), top_k)
        if q.which and q.yes_no and reports:
            text = f"{'Yes' if q.yes_no in reports else 'No'} — {text}"
        citations = tuple(self._citation(n, h, q.terms) for n, h in enumerate(hits[:top_k], 1))
        return Answer(q.text, True, reports, text, citations, self.examples)

    def compare(self, columns: tuple[str, ...], q: Question | None = None, hits=None, top_k: int = 3) -> Answer | None:
        """A comparison of ``columns`` (reports, or the two types) as an answer: its table, and a
        one-line summary quoted from the best passage for the question. None when the knowledge
        addresses fewer than MIN_ASPECTS of the aspects."""
        rows = self.comparisons.compare(columns)
        if not rows:
            return None
        if q is None:
            q, hits, _ = self.read(f"What is the difference between {' and '.join(columns)}?")
        numbers: dict[int, int] = {}
        summary = ""
        if hits:
            weights = term_weights(q.topic, self.index.content_idf, self.index)
            summary = self._compose(hits[:1], weights, (), 1)
            # The passages that answer the question best come first, as for any answer; the
            # cells' passages follow.
            strong = [h for h in hits[:top_k] if h.score >= CITE_MIN_FRACTION * hits[0].score]
            numbers.update((h.doc, n) for n, h in enumerate(strong, 1))
        table = []
        for aspect, found in rows:
            cells = []
            for cell in found:
                if cell is None:
                    cells.append(ComparisonCell())
                    continue
                n = numbers.setdefault(cell.doc, len(numbers) + 1)
                cells.append(ComparisonCell(cell.text, n))
            table.append(ComparisonRow(aspect, tuple(cells)))
        if not summary:
            summary = next(c.text for r in table for c in r.cells if c.stated)
        order = sorted(numbers, key=numbers.get)
        citations = tuple(self._citation(numbers[doc], Hit(doc, self._score(doc, hits)), q.terms) for doc in order)
        comparison = Comparison(tuple(columns), tuple(table))
        return Answer(q.text, True, tuple(c for c in columns if c.startswith("SOC")), summary, citations,
                      self.examples, comparison)

    @staticmethod
    def _score(doc: int, hits) -> float:
        return next((h.score for h in hits or () if h.doc == doc), 0.0)

    def decline(self, question: str) -> Answer:
        text = ("That isn't covered by the knowledge base, so I can't answer it reliably. "
                "I answer questions about SOC 1, SOC 2 and SOC 3 reports.")
        return Answer(question, False, (), text, (), self.examples)

    def _compose(self, hits, weights, verdict: tuple[str, ...], top_k: int) -> str:
        """One to three of the best-matching sentences, led by the verdict when there is one.

        The best sentence comes first; others that score nearly as well follow in reading
        order. A short lead ("The key difference is what they cover.") brings the sentence
        after it, which is where such a sentence's substance is.
        """
        scored = []
        # Only cited passages are quoted: every sentence of an answer can be checked.
        for rank, hit in enumerate(hits[:min(3, top_k)]):
            for s in self._reader.sentences(hit.doc):
                score = sentence_score(s, weights) * (1.0 - 0.15 * rank)
                if verdict and verdict[0] in s.subjects:
                    score *= 1.25
                scored.append((score, rank, s))
        scored.sort(key=lambda x: (-x[0], x[1], x[2].start))
        if not scored:  # a passage with no sentence at all: quote it whole
            return self.passages[hits[0].doc].text
        if verdict:
            # Sentences about the verdict's reports, or about none in particular: "SOC 1 — In a
            # SOC 2, management writes …" would contradict itself. Others only where nothing else
            # holds the question.
            kept = [x for x in scored if not (x[2].subjects and x[2].subjects.isdisjoint(verdict))]
            if kept and kept[0][0] > 0:
                scored = kept
        first_rank, first = scored[0][1], scored[0][2]
        chosen = [(first_rank, first)]
        if scored[0][0] > 0:
            for score, rank, s in scored[1:]:
                if len(chosen) == MAX_ANSWER_SENTENCES or score < 0.75 * scored[0][0]:
                    break
                chosen.append((rank, s))
        if len(first.text) < SHORT_LEAD_CHARS:
            following = [s for s in self._reader.sentences(first.passage) if s.start > first.start]
            if following and all(s is not following[0] for _, s in chosen):
                chosen.insert(1, (first_rank, following[0]))
        rest = sorted(chosen[1:], key=lambda pair: (pair[0], pair[1].start))
        lead = self._cells_for(first, verdict) if verdict else first.text
        text, length = lead, len(lead)
        for _, s in rest[: MAX_ANSWER_SENTENCES - 1]:
            if length + len(s.text) <= MAX_ANSWER_CHARS:
                text, length = f"{text} {s.text}", length + len(s.text) + 1
        if verdict:
            text = f"{' and '.join(verdict)} — {text}"
        return text

    def _cells_for(self, sentence, verdict: tuple[str, ...]) -> str:
        """A table row shortened to its aspect and the cells of the verdict's reports
        ("Focus — SOC 2: security of customer data."); any other sentence as it stands."""
        clauses = [c for c in self._reader.clauses(sentence.passage) if sentence.start <= c.start < sentence.end]
        cells = [c for c in clauses[1:] if c.own and len(c.focus) == 1]
        if not clauses or clauses[0].own or len({c.focus[0][0] for c in cells}) < 2:
            return sentence.text
        text = self.passages[sentence.passage].text
        keep = [text[c.start:c.end] for c in cells if c.focus[0][0] in verdict]
        if not keep:
            return sentence.text
        return f"{text[clauses[0].start:clauses[0].end]} — {'; '.join(keep)}."

    def _citation(self, n: int, hit, terms: list[QueryTerm]) -> Citation:
        p = self.passages[hit.doc]
        # Words found nearly everywhere ("report") are not highlighted: they say nothing.
        wanted = {t.term for t in terms if self.index.idf(t.term) >= HIGHLIGHT_MIN_IDF}
        matches = tuple((a, b) for s in self._reader.sentences(hit.doc) for t, a, b in s.spans if t in wanted)
        return Citation(n, p.id, p.title, p.section, p.text, hit.score, p.url, matches)


def defining_first(hits, passages, words: list[str]):
    """For "what is X?": a cited passage that opens by defining X ("A subservice organization is
    a vendor …", "CUECs (complementary user entity controls) are …") comes first."""
    if not words or not hits:
        return hits
    name = r"\W+".join(re.escape(w) for w in words)
    opening = re.compile(rf"\W*(?:(?:an?|the)\s+)?{name}s?\b[^.:;]{{0,60}}?\b(?:is|are|means|refers\s+to)\b(?!\s+not\b)",
                         re.IGNORECASE)
    near = hits[0].score * (1.0 - 3 * DEFINITION_TIE)  # a definition, not any passage that names X
    first = next((h for h in hits if h.score >= near and opening.match(passages[h.doc].text)), None)
    if first is None or first is hits[0]:
        return hits
    # Its score is raised just above the best (as introductions_first's bonus does): citations
    # stay in descending score order.
    return [Hit(first.doc, hits[0].score * (1.0 + DEFINITION_TIE)), *(h for h in hits if h is not first)]


def introductions_first(hits):
    """For "what is X?": a prior for the passages that introduce X, added to their scores.

    BM25 cannot tell the passage that introduces X from others that merely mention it as often
    (their scores differ by length alone). Knowledge is written general-to-specific, so among
    the passages within DEFINITION_TIE of the best score, the earlier a passage stands in the
    base the larger its bonus (up to twice that share of the best score). Scores stay the
    ranking's own, so citations remain in descending score order.
    """
    top = hits[0].score
    tied = sorted((h for h in hits if h.score >= top * (1.0 - DEFINITION_TIE)), key=lambda h: h.doc)
    bonus = {h.doc: top * 2 * DEFINITION_TIE * (len(tied) - i) / len(tied) for i, h in enumerate(tied)}
    boosted = [Hit(h.doc, h.score + bonus.get(h.doc, 0.0)) for h in hits]
    return sorted(boosted, key=lambda h: (-h.score, h.doc))


# "SOC" with a number other than 1, 2 or 3 names a report that does not exist.
NO_SUCH_REPORT = re.compile(r"\bsoc\W{0,2}(?:[04-9]|[1-9]\d+)\b", re.IGNORECASE)


def load_examples(directory: Path | None = None) -> tuple[str, ...]:
    """Example questions: the knowledge directory's ``examples.txt``, else the bundled one."""
    for path in ([Path(directory) / "examples.txt"] if directory else []) + [DATA / "examples.txt"]:
        if path.is_file():
            lines = read_text(path).splitlines()
            return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    return ()


_default: Answerer | None = None
_default_lock = threading.Lock()


def default_answerer() -> Answerer:
    """The process's answerer for the default knowledge directory, built on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Answerer.from_directory()
        return _default


def answer(question: str, top_k: int = 3) -> Answer:
    """Answer ``question`` from the default knowledge base (``$SOCBOT_KNOWLEDGE`` or bundled)."""
    return default_answerer().answer(question, top_k)
