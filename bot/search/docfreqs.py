"""Per-document term frequencies in flat arrays: rank-bm25's ``doc_freqs``, without a dict each.

rank-bm25 keeps ``doc_freqs`` as a list with one ``{term: tf}`` dict per document: about 2 KB a
passage, 200 MB at 100k passages. :class:`DocFreqs` is a drop-in for that list: rank-bm25's
``_initialize`` appends each document's dict to it as usual, and it packs the dict at once into
three arrays (compressed sparse rows: each document's term ids and frequencies, and where each
document starts), 8 bytes a (document, term) pair. Reading ``doc_freqs[d]`` rebuilds document
``d``'s dict, so rank-bm25's own ``get_scores`` still works on it (slowly, as a reference).
"""
from __future__ import annotations

from array import array
from collections.abc import Sequence

import numpy as np

__all__ = ["DocFreqs"]


class _Ids(dict):
    """term -> id, handing out the next id to a term seen for the first time."""

    def __missing__(self, term: str) -> int:
        self[term] = n = len(self)
        return n


class DocFreqs(Sequence):
    """A read-only sequence of ``{term: tf}`` dicts, one per document, stored as arrays.

    ``terms`` lists the terms by id, in the order the documents first used them (the order of
    rank-bm25's document-frequency table); ``ids`` maps a term to its id.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = _Ids()
        self._term_buf = array("i")
        self._tf_buf = array("i")
        self._ends = array("q", [0])
        self.terms: list[str] = []
        self.offsets = self.term_ids = self.tfs = None

    # -- building, as rank-bm25's list -----------------------------------------------------
    def append(self, frequencies: dict[str, int]) -> None:
        if self.offsets is not None:
            raise TypeError("DocFreqs is frozen")
        self._term_buf.extend(map(self.ids.__getitem__, frequencies))
        self._tf_buf.extend(frequencies.values())
        self._ends.append(len(self._term_buf))

    def freeze(self) -> None:
        """Turn the buffers into numpy arrays; no more documents can be added."""
        self.terms = list(self.ids)
        self.ids = dict(self.ids)  # a plain dict: looking up an unknown term must not add it
        self.offsets = np.frombuffer(self._ends, dtype=np.int64).copy()
        self.term_ids = np.frombuffer(self._term_buf, dtype=np.int32).copy()
        self.tfs = np.frombuffer(self._tf_buf, dtype=np.int32).copy()
        del self._term_buf, self._tf_buf, self._ends

    @classmethod
    def from_arrays(cls, terms: list[str], offsets: np.ndarray, term_ids: np.ndarray,
                    tfs: np.ndarray) -> "DocFreqs":
        """Frequencies saved by :mod:`bot.search.cache`; ValueError when the arrays do not fit together."""
        if (offsets.dtype != np.int64 or term_ids.dtype != np.int32 or tfs.dtype != np.int32
                or offsets.ndim != 1 or term_ids.ndim != 1 or tfs.ndim != 1):
            raise ValueError("unexpected array types")
        if (len(offsets) < 1 or offsets[0] != 0 or offsets[-1] != len(term_ids)
                or len(tfs) != len(term_ids) or np.any(np.diff(offsets) < 0)):
            raise ValueError("document offsets do not match the frequencies")
        if len(term_ids) and (term_ids.min() < 0 or term_ids.max() >= len(terms) or tfs.min() < 1):
            raise ValueError("term ids or frequencies out of range")
        if len(set(terms)) != len(terms) or not all(isinstance(t, str) for t in terms):
            raise ValueError("terms are not distinct strings")
        self = cls.__new__(cls)
        self.terms = list(terms)
        self.ids = {t: i for i, t in enumerate(self.terms)}
        self.offsets, self.term_ids, self.tfs = offsets, term_ids, tfs
        return self

    # -- reading ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, doc):
        if isinstance(doc, slice):
            return [self[d] for d in range(*doc.indices(len(self)))]
        n = len(self)
        if doc < 0:
            doc += n
        if not 0 <= doc < n:
            raise IndexError("document index out of range")
        start, end = self.offsets[doc], self.offsets[doc + 1]
        terms = self.terms
        return {terms[t]: f for t, f in zip(self.term_ids[start:end].tolist(), self.tfs[start:end].tolist())}

    def document_frequencies(self) -> np.ndarray:
        """How many documents hold each term, by term id."""
        return np.bincount(self.term_ids, minlength=len(self.terms))

    def postings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The inverted view: (starts by term id, document ids, term frequencies as floats).

        Term ``t``'s documents are ``docs[starts[t]:starts[t + 1]]``, in ascending order.
        """
        counts = np.diff(self.offsets)
        doc_of = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        order = np.argsort(self.term_ids, kind="stable")  # stable: documents stay ascending
        starts = np.zeros(len(self.terms) + 1, dtype=np.int64)
        np.cumsum(self.document_frequencies(), out=starts[1:])
        return starts, doc_of[order], self.tfs[order].astype(np.float64)
