"""Choosing the k best documents exactly, without scoring, selecting or sorting all of them.

Two helpers for :meth:`bot.search.index.PassageIndex.top`; both give exactly the k documents with the
highest positive scores, ties to the earliest document, with the very scores (bit for bit) that
summing every matched term's contribution in query order gives.

- :func:`kth_floor` — after scoring every document: a score the k-th best surely reaches, read
  from the shortest postings, so only documents at or above it are selected and sorted.
- :func:`bounded_top` — before scoring: MaxScore (Turtle and Flood, 1995). A term adds at most
  its weight times its largest contribution. Terms are taken from the highest bound down (rare
  terms, short postings); the documents of those taken so far are scored exactly, and once the
  k-th best of them beats the sum of the bounds of the terms not taken, no other document can
  reach the top k. The common terms' long postings are then only searched for those
  candidates, never walked. Falls back (returns None) when the candidates would be too many.
"""
from __future__ import annotations

import numpy as np

__all__ = ["kth_floor", "bounded_top", "union", "MAX_CANDIDATE_SHARE", "BOUND_MARGIN"]

# Past this share of the base as candidates, scoring every document is as cheap.
MAX_CANDIDATE_SHARE = 1 / 8
# The bound sum is compared with a score summed in another order: allow for rounding.
BOUND_MARGIN = 1e-9


def kth_floor(scores: np.ndarray, postings: list[np.ndarray], k: int) -> float | None:
    """A score the k-th best document reaches for sure (None: fewer than k documents known).

    The k-th best score among the documents of the shortest postings is at most the k-th best
    overall. (Selecting among all positive scores costs a pass over them, and numpy's partition
    is slow on arrays that are mostly zeros.) Needs positive weights: then every document in a
    term's postings scores above 0.
    """
    seen = []
    for docs in sorted(postings, key=len):
        seen.append(docs)
        if sum(map(len, seen)) >= k:
            known = union(seen) if len(seen) > 1 else docs
            if len(known) >= k:
                values = scores[known]
                return float(np.partition(values, len(values) - k)[len(values) - k])
    return None


def bounded_top(items: list[tuple[float, np.ndarray, np.ndarray, float]], k: int,
                size: int) -> list[tuple[int, float]] | None:
    """(document, score) of the k best, or None when pruning does not pay or cannot decide.

    ``items``: per matched query term, in query order, (weight, its documents in ascending
    order, its contributions, weight × its largest contribution). Weights must be positive.
    """
    if len(items) < 2 or any(weight <= 0 for weight, *_ in items):
        return None
    by_bound = sorted(range(len(items)), key=lambda i: (-items[i][3], len(items[i][1])))
    for taken in range(1, len(items)):
        essential = by_bound[:taken]
        if sum(len(items[i][1]) for i in essential) > size * MAX_CANDIDATE_SHARE:
            return None
        candidates = (items[essential[0]][1] if taken == 1
                      else union([items[i][1] for i in essential]))
        if len(candidates) < k:
            continue
        scores = _scores(items, set(essential), candidates)
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        rest = sum(items[i][3] for i in by_bound[taken:]) * (1.0 + BOUND_MARGIN)
        if rest < kth:  # no document outside the candidates reaches, or ties, the k-th
            chosen = np.flatnonzero(scores >= kth)
            order = chosen[np.argsort(-scores[chosen], kind="stable")[:k]]
            return list(zip(candidates[order].tolist(), scores[order].tolist()))
    return None


def union(arrays: list[np.ndarray]) -> np.ndarray:
    """The distinct values of several arrays, ascending. (Sorting is many times faster here
    than ``np.unique``, which hashes in numpy 2.)"""
    out = np.concatenate(arrays)
    out.sort()
    return out[np.concatenate(([True], out[1:] != out[:-1]))] if len(out) else out


def _scores(items, essential: set[int], candidates: np.ndarray) -> np.ndarray:
    """The candidates' exact scores: every term added in query order, as full scoring does."""
    scores = np.zeros(len(candidates), dtype=np.float64)
    for i, (weight, docs, contribution, _) in enumerate(items):
        if i in essential:  # all of this term's documents are candidates
            at = np.searchsorted(candidates, docs)
            scores[at] += contribution if weight == 1.0 else weight * contribution
            continue
        at = np.searchsorted(docs, candidates)
        at[at == len(docs)] = 0
        found = docs[at] == candidates
        picked = contribution[at[found]]
        scores[found] += picked if weight == 1.0 else weight * picked
    return scores
