"""The BM25 index: rank-bm25's statistics, a positive IDF, and scoring by postings.

Scoring choices, named:

- **IDF** — Lucene's ``log(1 + (N - df + 0.5) / (df + 0.5))``. rank-bm25's ``BM25Okapi`` floors
  negative IDFs to a quarter of the mean IDF, so on a base of about fifty passages a term in half
  of them ("2") scores 0 and one in nearly all ("soc") weighs like a rare word: SOC 1 and SOC 2
  could not be told apart. Lucene's IDF is always positive and falls as the document frequency
  rises. It replaces ``_calc_idf``; every other statistic (document lengths, average length,
  term frequencies, the IDF table) is rank-bm25's own.
- **k1 = 1.2, b = 0.75** — Lucene's and Elasticsearch's defaults. Passages are short (one idea,
  one to four sentences), so term frequency saturates early (k1 lower than rank-bm25's 1.5) and
  the usual length normalization suits their spread of lengths.
- **Fields** — a passage is indexed as its text plus its title once and its section twice more,
  so heading words count more than body words (a small BM25F-like boost that keeps one field).
- **Postings** — rank-bm25's ``get_scores`` loops over every document per query term. We score
  only the documents in each query term's postings. Each posting's BM25 contribution (IDF, term
  frequency and length normalization, from rank-bm25's statistics) is computed once at build
  time, so a query is one scatter-add per term; and when the rare terms settle the top k, the
  common terms' long postings are not walked at all (MaxScore, see :mod:`bot.search.topk`). The
  rankings and scores are those of full scoring (tests check this).
- **Compact term frequencies** — rank-bm25 keeps one dict per document (about 2 KB each: 200 MB
  at 100k passages). :class:`CompactLuceneBM25` lets rank-bm25 compute every statistic as usual
  but stores each document's frequencies, as they are produced, in flat arrays (see
  :mod:`bot.search.docfreqs`); ``bm25.doc_freqs[d]`` still gives document ``d``'s ``{term: tf}``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import chain
from typing import Iterable, Mapping

import numpy as np
from rank_bm25 import BM25Okapi

from bot.search.docfreqs import DocFreqs
from bot.search.topk import bounded_top, kth_floor

__all__ = ["LuceneBM25", "CompactLuceneBM25", "PassageIndex", "Hit", "K1", "B", "TITLE_REPEAT",
           "SECTION_REPEAT"]

K1 = 1.2
B = 0.75
TITLE_REPEAT = 1
SECTION_REPEAT = 2


def lucene_idf(n: int, df: int) -> float:
    """Lucene's IDF of a term in ``df`` of ``n`` documents: positive, falling as ``df`` rises."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


class LuceneBM25(BM25Okapi):
    """rank-bm25's Okapi BM25 with Lucene's IDF, which stays positive for frequent terms."""

    def _calc_idf(self, nd: dict) -> None:
        n = self.corpus_size
        self.idf = {w: lucene_idf(n, df) for w, df in nd.items()}
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0

    def unseen_idf(self) -> float:
        """The IDF a term found in no passage would have: the most a term can weigh."""
        return lucene_idf(self.corpus_size, 0)


class CompactLuceneBM25(LuceneBM25):
    """:class:`LuceneBM25` whose per-document term frequencies live in flat arrays."""

    def _initialize(self, corpus):
        # rank-bm25's own loop computes the statistics; it appends each document's frequency
        # dict to ``doc_freqs``, which here packs it into arrays instead of keeping it.
        self.doc_freqs = DocFreqs()
        nd = super()._initialize(corpus)
        self.doc_freqs.freeze()
        return nd

    @classmethod
    def restore(cls, doc_freqs: DocFreqs, doc_len: list[int], avgdl: float, k1: float, b: float,
                epsilon: float = 0.25) -> "CompactLuceneBM25":
        """rank-bm25's statistics as saved from an earlier build (see :mod:`bot.search.cache`).

        The same attributes ``BM25.__init__`` sets; the IDF table is recomputed by ``_calc_idf``
        from the document frequencies, in the order the build first met each term.
        """
        self = cls.__new__(cls)
        self.k1, self.b, self.epsilon, self.tokenizer = k1, b, epsilon, None
        self.corpus_size = len(doc_len)
        self.doc_len = doc_len
        self.avgdl = avgdl
        self.doc_freqs = doc_freqs
        self.idf = {}
        self._calc_idf(dict(zip(doc_freqs.terms, doc_freqs.document_frequencies().tolist())))
        return self


@dataclass(frozen=True)
class Hit:
    doc: int
    score: float


class PassageIndex:
    """Postings over rank-bm25's statistics; answers top-k queries with weighted terms.

    ``documents`` may be any iterable of term lists (a generator keeps only one in memory).
    """

    def __init__(self, documents: Iterable[Iterable[str]] = (), k1: float = K1, b: float = B,
                 *, bm25: CompactLuceneBM25 | None = None, title_only: Mapping[str, int] | None = None) -> None:
        if bm25 is None:
            docs = iter(documents)
            first = next(docs, None)
            # rank-bm25 divides by the number of documents: an empty base is one empty document.
            corpus = [[]] if first is None else chain([first], docs)
            bm25 = CompactLuceneBM25((list(d) for d in corpus), k1=k1, b=b)
            self.size = 0 if first is None else bm25.corpus_size
        else:
            self.size = bm25.corpus_size
        self.bm25 = bm25
        self.k1 = bm25.k1
        # Per term, the passages that hold it only through their document's title (see
        # content_idf). Filled by the builder once the documents have been read.
        self.title_only: dict[str, int] = dict(title_only or {})
        freqs: DocFreqs = bm25.doc_freqs
        doc_len = np.asarray(bm25.doc_len, dtype=np.float64)
        avgdl = bm25.avgdl or 1.0
        # The length part of BM25's denominator, once per document instead of once per query.
        self._norm = bm25.k1 * (1.0 - bm25.b + bm25.b * doc_len / avgdl)
        self._term_ids = freqs.ids
        self._starts, self._docs, tf = freqs.postings()
        idf = np.array([bm25.idf[t] for t in freqs.terms], dtype=np.float64)
        per_posting_idf = np.repeat(idf, np.diff(self._starts))
        # Each posting's contribution, with the very operations scoring used to do per query.
        self._contrib = per_posting_idf * tf * (self.k1 + 1.0) / (tf + self._norm[self._docs])
        # Each term's largest contribution: what it can add to any document (for MaxScore).
        self._bound = (np.maximum.reduceat(self._contrib, self._starts[:-1]) if len(freqs.terms)
                       else np.zeros(0))

    def idf(self, term: str) -> float:
        """The term's IDF, or the unseen-term IDF when no passage has it."""
        value = self.bm25.idf.get(term)
        return self.bm25.unseen_idf() if value is None else value

    def content_idf(self, term: str) -> float:
        """The term's IDF counted over passage text and sections, not document titles: every
        passage of a document carries its title ("Kestrel Bay Financial Services"), so on one
        document alone a title word would weigh nothing however much a passage is about it.
        A term found only in titles keeps its IDF."""
        in_titles = self.title_only.get(term, 0)
        t = self._term_ids.get(term)
        if not in_titles or t is None:
            return self.idf(term)
        df = int(self._starts[t + 1] - self._starts[t]) - in_titles
        return lucene_idf(self.size, df) if df > 0 else self.idf(term)

    def max_contribution(self, term: str) -> float:
        """The most ``term`` adds to any passage's score (0 when no passage has it)."""
        t = self._term_ids.get(term)
        return 0.0 if t is None else float(self._bound[t])

    def __contains__(self, term: str) -> bool:
        return term in self._term_ids

    def doc_terms(self, doc: int) -> Mapping[str, int]:
        """Document ``doc``'s terms with their frequencies (``{term: tf}``)."""
        return self.bm25.doc_freqs[doc]

    def term_contributions(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding ``term`` and the term's BM25 contribution to each."""
        t = self._term_ids.get(term)
        return (_EMPTY_IDS, _EMPTY_SCORES) if t is None else self._posting(t)

    def _posting(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self._starts[t], self._starts[t + 1]
        return self._docs[start:end], self._contrib[start:end]

    def scores(self, terms: Iterable[tuple[str, float]]) -> np.ndarray:
        """Scores of every document for weighted terms (zero where no term occurs)."""
        return self._scores(terms)[0]

    def _scores(self, terms: Iterable[tuple[str, float]]) -> tuple[np.ndarray, list[np.ndarray], bool]:
        """Scores, each matched term's documents, and whether every weight was positive."""
        scores = np.zeros(self.size, dtype=np.float64)
        postings, positive = [], True
        for term, weight in terms:
            docs, contribution = self.term_contributions(term)
            if len(docs):
                if weight != 1.0:
                    contribution = weight * contribution
                if postings:
                    scores[docs] += contribution
                else:  # the first term's documents are all still 0: assigning is adding
                    scores[docs] = contribution
                postings.append(docs)
                positive = positive and weight > 0
        return scores, postings, positive

    def top(self, terms: Iterable[tuple[str, float]], k: int) -> list[Hit]:
        """The ``k`` best documents with a positive score, best first, ties by position."""
        if k <= 0:
            return []
        terms = list(terms)
        matched = []
        for term, weight in terms:
            t = self._term_ids.get(term)
            if t is not None:
                matched.append((weight, *self._posting(t), weight * self._bound[t]))
        found = bounded_top(matched, k, self.size)
        if found is not None:
            return [Hit(d, score) for d, score in found]
        scores, postings, positive = self._scores(terms)
        floor = kth_floor(scores, postings, k) if positive else None
        # Every document scoring at least the floor (or, without one, above 0): the k best and
        # all that tie with the k-th, so ties go to the earliest passage.
        candidates = np.flatnonzero(scores >= floor) if floor else np.flatnonzero(scores > 0)
        # Best first, then by position (candidates are in position order: a stable sort keeps it).
        order = candidates[np.argsort(-scores[candidates], kind="stable")[:k]]
        return [Hit(d, float(scores[d])) for d in order.tolist()]


_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)
