"""Spelling correction that stays fast on a large base: the same suggestions, fewer comparisons.

:class:`~bot.search.spelling.SpellingCorrector` compares an unknown word with every word of the base
that starts with the same letter, in pure Python. On a 100k-passage base (about 50,000 distinct
words) that is thousands of edit distances: 34 ms at p95 and up to 100 ms for one question.

:class:`FastSpellingCorrector` first discards, with numpy over the whole bucket, every word that
cannot be close enough: one whose length differs by more than the limit, or whose letter counts
differ by more than twice the limit (an insertion or deletion changes one count by 1, a
substitution two counts by 1, a swap of neighbours none). Both are necessary conditions, so the
words left, compared in the same order with the same distance and the same ranking, give exactly
the suggestion of the base class (a property test checks this against it).
"""
from __future__ import annotations

import numpy as np

from bot.search.spelling import SpellingCorrector

__all__ = ["FastSpellingCorrector"]

_LETTERS = 27  # a to z, and one count for every other letter


def _counts(word: str) -> np.ndarray:
    out = np.zeros(_LETTERS, dtype=np.int16)
    for ch in word:
        out[ord(ch) - 97 if "a" <= ch <= "z" else 26] += 1
    return out


class _Bucket:
    """The words starting with one letter, with their lengths and letter counts as arrays."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.lengths = np.array([len(w) for w in words], dtype=np.int32)
        # Letter counts of every word at once: each character's code, its word, its column.
        codes = np.frombuffer("".join(words).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        column = np.where((codes >= 97) & (codes <= 122), codes.astype(np.int64) - 97, 26)
        self.counts = np.zeros((len(words), _LETTERS), dtype=np.int16)
        np.add.at(self.counts, (np.repeat(np.arange(len(words)), self.lengths), column), 1)

    def near(self, word: str, limit: int) -> list[str]:
        """Every word that may be within ``limit`` edits of ``word`` (and some that are not)."""
        idx = np.flatnonzero(np.abs(self.lengths - len(word)) <= limit)
        if len(idx):
            apart = np.abs(self.counts[idx] - _counts(word)).sum(axis=1)
            idx = idx[apart <= 2 * limit]
        return [self.words[i] for i in idx.tolist()]


class FastSpellingCorrector(SpellingCorrector):
    """:class:`SpellingCorrector` whose candidates are filtered by length and letter counts."""

    def __init__(self, analyzer, index) -> None:
        super().__init__(analyzer, index)
        self._buckets = {letter: _Bucket(words) for letter, words in self._words.items()}

    def candidates(self, word: str, limit: int) -> list[str]:
        bucket = self._buckets.get(word[0])
        return bucket.near(word, limit) if bucket else []
