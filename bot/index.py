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
  only the documents in each query term's postings, with each document's length normalization
  computed once at build time; the rankings are those of full scoring (tests check this).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from rank_bm25 import BM25Okapi

__all__ = ["LuceneBM25", "PassageIndex", "Hit", "K1", "B", "TITLE_REPEAT", "SECTION_REPEAT"]

K1 = 1.2
B = 0.75
TITLE_REPEAT = 1
SECTION_REPEAT = 2


class LuceneBM25(BM25Okapi):
    """rank-bm25's Okapi BM25 with Lucene's IDF, which stays positive for frequent terms."""

    def _calc_idf(self, nd: dict) -> None:
        n = self.corpus_size
        self.idf = {w: math.log(1.0 + (n - df + 0.5) / (df + 0.5)) for w, df in nd.items()}
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0

    def unseen_idf(self) -> float:
        """The IDF a term found in no passage would have: the most a term can weigh."""
        return math.log(1.0 + (self.corpus_size + 0.5) / 0.5)


@dataclass(frozen=True)
class Hit:
    doc: int
    score: float


class PassageIndex:
    """Postings over rank-bm25's statistics; answers top-k queries with weighted terms."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = K1, b: float = B) -> None:
        self.bm25 = LuceneBM25([list(d) for d in documents] or [[]], k1=k1, b=b)
        self.size = len(documents)
        doc_len = np.asarray(self.bm25.doc_len, dtype=np.float64)
        avgdl = self.bm25.avgdl or 1.0
        # The length part of BM25's denominator, once per document instead of once per query.
        self._norm = k1 * (1.0 - b + b * doc_len / avgdl)
        self._postings = _postings(self.bm25.doc_freqs)
        self.k1 = k1

    def idf(self, term: str) -> float:
        """The term's IDF, or the unseen-term IDF when no passage has it."""
        value = self.bm25.idf.get(term)
        return self.bm25.unseen_idf() if value is None else value

    def __contains__(self, term: str) -> bool:
        return term in self._postings

    def term_contributions(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding ``term`` and the term's BM25 contribution to each."""
        postings = self._postings.get(term)
        if postings is None:
            return _EMPTY_IDS, _EMPTY_SCORES
        docs, tf = postings
        idf = self.bm25.idf[term]
        return docs, idf * tf * (self.k1 + 1.0) / (tf + self._norm[docs])

    def scores(self, terms: Iterable[tuple[str, float]]) -> np.ndarray:
        """Scores of every document for weighted terms (zero where no term occurs)."""
        scores = np.zeros(self.size, dtype=np.float64)
        for term, weight in terms:
            docs, contribution = self.term_contributions(term)
            if len(docs):
                scores[docs] += weight * contribution
        return scores

    def top(self, terms: Iterable[tuple[str, float]], k: int) -> list[Hit]:
        """The ``k`` best documents with a positive score, best first (ties by position)."""
        scores = self.scores(terms)
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            part = np.argpartition(-scores[candidates], k - 1)[:k]
            candidates = candidates[part]
        order = sorted(candidates.tolist(), key=lambda d: (-scores[d], d))
        return [Hit(d, float(scores[d])) for d in order[:k]]


_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)


def _postings(doc_freqs: list[dict]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    docs: dict[str, list[int]] = {}
    freqs: dict[str, list[int]] = {}
    for i, counts in enumerate(doc_freqs):
        for term, tf in counts.items():
            docs.setdefault(term, []).append(i)
            freqs.setdefault(term, []).append(tf)
    return {
        t: (np.asarray(docs[t], dtype=np.int64), np.asarray(freqs[t], dtype=np.float64))
        for t in docs
    }
