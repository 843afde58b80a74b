"""A synthetic base of a few thousand passages (bot/bench/synthetic.py): the fast path keeps
rank-bm25's statistics and full scoring's rankings, the index stays compact, and the cache
round trip gives the same answers. Speed itself is measured by scripts/bench.py, not here."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers.answerer import Answerer, search_weights
from bot.bench import synthetic as synthetic_kb
from bot.search.built import passage_terms
from bot.search.docfreqs import DocFreqs
from bot.search.fastspelling import FastSpellingCorrector
from bot.search.index import LuceneBM25
from bot.search.spelling import SpellingCorrector

PASSAGES = 2000


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    synthetic_kb.write_base(root / "kb", PASSAGES)
    answerer = Answerer.from_directory(root / "kb")
    questions = synthetic_kb.questions([p.text for p in answerer.passages], 150)
    return root, answerer, questions


def test_the_synthetic_base_loads_whole(synthetic):
    _, answerer, questions = synthetic
    assert answerer.stats.passages == PASSAGES
    assert sum(answerer.answer(q).answered for q in questions) > len(questions) // 2


def test_statistics_are_rank_bm25s_own(synthetic):
    _, answerer, _ = synthetic
    docs = [passage_terms(answerer.analyzer, p) for p in answerer.passages]
    plain, ours = LuceneBM25(docs, k1=answerer.index.k1, b=answerer.index.bm25.b), answerer.index.bm25
    assert ours.idf == plain.idf
    assert (ours.doc_len, ours.avgdl, ours.corpus_size) == (plain.doc_len, plain.avgdl, plain.corpus_size)
    assert list(ours.doc_freqs) == plain.doc_freqs


def test_fast_top_k_equals_rank_bm25_full_scoring(synthetic):
    _, answerer, questions = synthetic
    index = answerer.index
    plain = LuceneBM25([passage_terms(answerer.analyzer, p) for p in answerer.passages], k1=index.k1, b=index.bm25.b)
    checked = 0
    for q in questions:
        terms = list(search_weights(answerer._spelling.correct(answerer.analyzer.query_terms(q))).items())
        # rank-bm25's own loop over every document, one term at a time, weighted.
        full = sum((w * plain.get_scores([t]) for t, w in terms), np.zeros(index.size))
        np.testing.assert_allclose(index.scores(terms), full, rtol=1e-9, atol=1e-12)
        hits = index.top(terms, 8)
        order = sorted((d for d in range(index.size) if full[d] > 0), key=lambda d: (-full[d], d))[:8]
        assert [h.score for h in hits] == pytest.approx([full[d] for d in order], rel=1e-9)
        # Same documents, unless two scores differ by rounding alone (then either order is right).
        for h, d in zip(hits, order):
            assert h.doc == d or abs(full[h.doc] - full[d]) <= 1e-9 * full[d]
        checked += bool(hits)
    assert checked > len(questions) // 2


def test_index_memory_is_a_few_arrays_not_a_dict_per_passage(synthetic):
    _, answerer, _ = synthetic
    freqs = answerer.index.bm25.doc_freqs
    assert isinstance(freqs, DocFreqs)
    pairs = len(freqs.term_ids)
    arrays = [freqs.offsets, freqs.term_ids, freqs.tfs, answerer.index._docs, answerer.index._contrib]
    # 8 bytes a (document, term) pair for the frequencies, 12 for the postings.
    assert sum(a.nbytes for a in arrays) <= 21 * pairs + 8 * (PASSAGES + 1)


def test_cache_round_trip_answers_identically(synthetic):
    root, answerer, questions = synthetic
    cache_root = root / "cache"
    Answerer.cached(root / "kb", cache_root)
    restored = Answerer.cached(root / "kb", cache_root)
    assert restored is not answerer and restored.passages == answerer.passages
    for q in questions:
        a, b = answerer.answer(q), restored.answer(q)
        assert (a.answered, a.reports, a.answer, a.citations) == (b.answered, b.reports, b.answer, b.citations), q


# -- spelling on a large lexicon -------------------------------------------------------------
class _Analyzer:
    def __init__(self, words):
        self.words = words

    def stem_cache_items(self):
        return [(w, w) for w in self.words]

    def stem(self, word):
        return word


class _Index:
    def __init__(self, idf):
        self._idf = idf

    def __contains__(self, term):
        return True

    def idf(self, term):
        return self._idf.get(term, 5.0)


letters = st.text("abcdeé", min_size=3, max_size=12)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(letters, max_size=60, unique=True), queries=st.lists(letters, min_size=1, max_size=20),
       idf=st.lists(st.sampled_from([1.0, 2.0, 3.0]), min_size=60, max_size=60))
def test_fast_spelling_suggests_exactly_what_the_reference_does(words, queries, idf):
    analyzer, index = _Analyzer(words), _Index(dict(zip(words, idf)))  # equal IDFs: ties by word
    slow, fast = SpellingCorrector(analyzer, index), FastSpellingCorrector(analyzer, index)
    near = [edit for w in words[:12] if len(w) > 4 for edit in (
        w[:2] + ("a" if w[2] != "a" else "b") + w[3:],  # a substitution
        w[:2] + w[3] + w[2] + w[4:],  # a swap of neighbours
        w[:2] + w[3:],  # a deletion
        w[:3] + "é" + w[3:] + "c",  # two insertions
    )]
    for q in queries + near:
        assert fast.suggest(q) == slow.suggest(q), q


def test_fast_spelling_on_the_synthetic_base(synthetic):
    _, answerer, _ = synthetic
    assert isinstance(answerer._spelling, FastSpellingCorrector)
    slow = SpellingCorrector(answerer.analyzer, answerer.index)
    words = [w for bucket in slow._words.values() for w in bucket][::150]  # the slow one is slow
    typos = [w[:2] + w[3] + w[2] + w[4:] for w in words if len(w) > 4] + [w + "x" for w in words]
    assert sum(answerer._spelling.suggest(t) is not None for t in typos) > len(typos) // 2
    for typo in typos:
        assert answerer._spelling.suggest(typo) == slow.suggest(typo), typo


def test_a_bench_started_on_a_busy_machine_says_its_ratios_are_unreliable():
    from bot.bench.scale import BUSY_LOAD, busy_warning

    assert busy_warning(None) is None and busy_warning(0.1) is None
    warning = busy_warning(BUSY_LOAD + 1.0)
    assert warning and "not reliable" in warning and f"{BUSY_LOAD + 1.0:.2f}" in warning
