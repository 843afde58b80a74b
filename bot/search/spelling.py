"""Typo tolerance for questions: an unknown word becomes the nearest word the base contains.

Slack questions are typed fast ("avalability", "finacial"). A word whose stem no passage has is
compared with the words the knowledge base does contain (one edit apart, two for long words,
a swap of neighbours counting as one edit); the closest, most frequent one stands in for it.
"""
from __future__ import annotations

from dataclasses import replace

from bot.search.analysis import Analyzer, QueryTerm

__all__ = ["SpellingCorrector", "CORRECTION_WEIGHT", "edit_distance"]

# A corrected word is probably, not certainly, what was meant.
CORRECTION_WEIGHT = 0.8
MIN_LENGTH = 5
SUGGESTION_CACHE = 50_000


class SpellingCorrector:
    def __init__(self, analyzer: Analyzer, index) -> None:
        self._analyzer = analyzer
        self._index = index
        # Surface words of the base (the analyzer has seen each while indexing), by first letter.
        self._words: dict[str, list[str]] = {}
        for word, stem in list(analyzer.stem_cache_items()):
            if len(word) >= MIN_LENGTH - 1 and word.isalpha() and stem in index:
                self._words.setdefault(word[0], []).append(word)
        # Unknown words recur (the same typo, the same off-topic word): remember the verdict.
        self._suggested: dict[str, str | None] = {}

    def correct(self, terms: list[QueryTerm]) -> list[QueryTerm]:
        out = []
        for term in terms:
            if term.weight >= 1.0 and term.term not in self._index and term.word:
                fixed = self._suggested.get(term.word, "")
                if fixed == "":
                    fixed = self.suggest(term.word)
                    if len(self._suggested) < SUGGESTION_CACHE:
                        self._suggested[term.word] = fixed
                if fixed is not None:
                    term = replace(term, term=self._analyzer.stem(fixed), weight=CORRECTION_WEIGHT)
            out.append(term)
        return out

    def suggest(self, word: str) -> str | None:
        """The base's closest word to ``word``, or None if none is close enough."""
        if len(word) < MIN_LENGTH or not word.isalpha():
            return None
        limit = 1 if len(word) < 8 else 2
        best, best_key = None, None
        for candidate in self.candidates(word, limit):
            d = edit_distance(word, candidate, limit)
            if d <= limit:
                # Nearest first, then the commoner word (lower IDF), then a stable order.
                key = (d, self._index.idf(self._analyzer.stem(candidate)), candidate)
                if best_key is None or key < best_key:
                    best, best_key = candidate, key
        return best


    def candidates(self, word: str, limit: int) -> list[str]:
        """Words of the base that may be within ``limit`` edits of ``word``, in a stable order."""
        return [c for c in self._words.get(word[0], ()) if abs(len(c) - len(word)) <= limit]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]
