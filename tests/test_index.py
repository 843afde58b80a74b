"""The index: Lucene's positive IDF on rank-bm25's statistics, and postings scoring."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from bot.search.index import LuceneBM25, PassageIndex


def _base(n=50):
    # ~50 passages about SOC reports: "soc" in 48, "2" in 25 (the rank-bm25 IDF trap).
    docs = []
    for i in range(n):
        doc = ["report", f"w{i}"]
        if i < 48:
            doc.append("soc")
        if i < 25:
            doc.append("2")
        if i < 10:
            doc.append("ii")
        docs.append(doc)
    return docs


def test_okapi_trap_is_real_and_our_idf_avoids_it():
    docs = _base()
    okapi, ours = BM25Okapi(docs), LuceneBM25(docs)
    # rank-bm25 floors "2" (in half the passages) to 0 and lifts "soc" (in 48 of 50).
    assert okapi.idf["2"] == 0
    assert okapi.idf["soc"] >= okapi.idf["2"]
    # Lucene's IDF: positive everywhere, and rarer terms weigh more.
    assert all(v > 0 for v in ours.idf.values())
    assert ours.idf["soc"] < ours.idf["2"] < ours.idf["ii"] < ours.idf["w0"]
    assert ours.idf["2"] == pytest.approx(math.log(1 + (50 - 25 + 0.5) / (25 + 0.5)))


@given(st.lists(st.integers(min_value=1, max_value=40), min_size=2, max_size=12), st.integers(40, 60))
def test_idf_positive_and_falls_as_document_frequency_rises(dfs, n):
    docs = [[f"t{j}" for j, df in enumerate(dfs) if i < df] + ["pad"] for i in range(n)]
    idf = LuceneBM25(docs).idf
    for a, df_a in enumerate(dfs):
        assert idf[f"t{a}"] > 0
        for b, df_b in enumerate(dfs):
            if df_a < df_b:
                assert idf[f"t{a}"] > idf[f"t{b}"]


def test_tiny_base_scores_stay_positive():
    # On three documents BM25Okapi scored every document negative; ours scores matches > 0.
    docs = [["soc2", "availability"], ["soc2", "privacy"], ["soc1", "financi"]]
    index = PassageIndex(docs)
    hits = index.top([("soc2", 1.0), ("avail", 1.0)], 3)
    assert [h.doc for h in hits] == [0, 1]
    assert all(h.score > 0 for h in hits)


words = st.sampled_from([f"w{i}" for i in range(25)])


@settings(max_examples=120, deadline=None)
@given(
    corpus=st.lists(st.lists(words, min_size=1, max_size=30), min_size=1, max_size=40),
    query=st.lists(words, min_size=1, max_size=5, unique=True),
    k=st.integers(1, 10),
)
def test_postings_scoring_equals_full_scoring(corpus, query, k):
    index = PassageIndex(corpus)
    full = index.bm25.get_scores(query)  # rank-bm25's own loop over every document
    fast = index.scores([(q, 1.0) for q in query])
    np.testing.assert_allclose(fast, full, rtol=1e-9, atol=1e-12)
    hits = index.top([(q, 1.0) for q in query], k)
    expected = sorted((d for d in range(len(corpus)) if full[d] > 0), key=lambda d: (-full[d], d))[:k]
    assert [h.score for h in hits] == pytest.approx([full[d] for d in expected])
    assert {h.doc for h in hits if h.score > full[expected[-1]] + 1e-9} <= set(expected) if expected else hits == []


def test_weights_scale_a_terms_contribution():
    index = PassageIndex([["a", "b"], ["b", "c"], ["c"]])
    plain = index.scores([("a", 1.0)])
    half = index.scores([("a", 0.5)])
    assert half[0] == pytest.approx(plain[0] / 2)


def test_unknown_terms_score_nothing_and_get_the_highest_idf():
    index = PassageIndex([["a"], ["a", "b"]])
    assert index.top([("zzz", 1.0)], 3) == []
    assert index.idf("zzz") > index.idf("b") > index.idf("a") > 0


# -- the fast path against full scoring, exactly -------------------------------------------
def full_scores(index, terms):
    """Every document scored term by term from rank-bm25's statistics, without postings."""
    bm25 = index.bm25
    doc_len = np.asarray(bm25.doc_len, dtype=np.float64)
    norm = bm25.k1 * (1.0 - bm25.b + bm25.b * doc_len / (bm25.avgdl or 1.0))
    scores = np.zeros(index.size)
    for term, weight in terms:
        if term not in bm25.idf:
            continue
        tf = np.array([freqs.get(term, 0) for freqs in bm25.doc_freqs], dtype=np.float64)
        contribution = bm25.idf[term] * tf * (bm25.k1 + 1.0) / (tf + norm)
        scores += weight * contribution
    return scores


pool = st.lists(words, min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    # Documents drawn from a small pool, so identical documents (exact ties) are common.
    docs=st.lists(pool, min_size=1, max_size=8).flatmap(
        lambda p: st.lists(st.sampled_from(p), min_size=1, max_size=60)),
    query=st.lists(st.tuples(st.sampled_from([f"w{i}" for i in range(28)]),
                             st.sampled_from([1.0, 0.8, 0.6, 0.25, -0.5])),
                   min_size=1, max_size=6, unique_by=lambda t: t[0]),
    k=st.integers(1, 12),
)
def test_top_k_is_exactly_that_of_scoring_every_document(docs, query, k):
    index = PassageIndex(docs)
    full = full_scores(index, query)
    expected = sorted((d for d in range(len(docs)) if full[d] > 0), key=lambda d: (-full[d], d))[:k]
    hits = index.top(query, k)
    assert [h.doc for h in hits] == expected  # ties go to the earliest document
    assert [h.score for h in hits] == pytest.approx([full[d] for d in expected], rel=1e-12)
    np.testing.assert_allclose(index.scores(query), full, rtol=1e-12, atol=1e-15)


def test_ties_at_the_kth_place_go_to_the_earliest_documents():
    docs = [["x", "pad"]] * 6 + [["x", "y"]] + [["x", "pad"]] * 6
    index = PassageIndex(docs)
    assert [h.doc for h in index.top([("x", 1.0), ("y", 1.0)], 4)] == [6, 0, 1, 2]


# -- compact term frequencies ----------------------------------------------------------------
def test_compact_frequencies_equal_rank_bm25s_own():
    docs = [["a", "b", "a"], [], ["c"], ["b", "c", "c", "d"]]
    plain, index = LuceneBM25(docs), PassageIndex(docs)
    freqs = index.bm25.doc_freqs
    assert list(freqs) == plain.doc_freqs and len(freqs) == 4
    assert freqs[-1] == {"b": 1, "c": 2, "d": 1} and freqs[1:3] == [{}, {"c": 1}]
    assert index.doc_terms(0) == {"a": 2, "b": 1}
    assert index.bm25.idf == plain.idf and list(index.bm25.idf) == list(plain.idf)
    assert (index.bm25.doc_len, index.bm25.avgdl) == (plain.doc_len, plain.avgdl)
    with pytest.raises(IndexError):
        freqs[4]
    with pytest.raises(TypeError):
        freqs.append({"e": 1})
    assert "zzz" not in index and "zzz" not in freqs.ids  # looking up does not add a term


def test_restored_frequencies_are_checked():
    from bot.search.docfreqs import DocFreqs

    good = PassageIndex([["a", "b"], ["b"]]).bm25.doc_freqs
    args = (good.terms, good.offsets, good.term_ids, good.tfs)
    assert list(DocFreqs.from_arrays(*args)) == list(good)
    bad = [
        (good.terms, good.offsets[:-1], good.term_ids, good.tfs),  # offsets short
        (good.terms, good.offsets, good.term_ids + 5, good.tfs),  # unknown term ids
        (good.terms, good.offsets, good.term_ids, good.tfs * 0),  # zero frequencies
        (good.terms, good.offsets.astype(np.int32), good.term_ids, good.tfs),  # wrong type
        (["a", "a"], good.offsets, good.term_ids, good.tfs),  # terms not distinct
    ]
    for case in bad:
        with pytest.raises(ValueError):
            DocFreqs.from_arrays(*case)


def test_empty_index_answers_nothing():
    index = PassageIndex([])
    assert index.size == 0 and index.top([("a", 1.0)], 3) == [] and "a" not in index


# -- MaxScore: the common terms' postings skipped when the rare ones settle the top k ---------
@settings(max_examples=150, deadline=None)
@given(
    docs=st.lists(pool, min_size=1, max_size=8).flatmap(
        lambda p: st.lists(st.sampled_from(p), min_size=1, max_size=60)),
    query=st.lists(st.tuples(st.sampled_from([f"w{i}" for i in range(28)]),
                             st.sampled_from([1.0, 0.8, 0.6, 0.25])),
                   min_size=2, max_size=6, unique_by=lambda t: t[0]),
    k=st.integers(1, 12),
)
def test_bounded_top_k_is_exactly_full_scorings_whenever_it_answers(docs, query, k):
    from unittest import mock

    from bot.search import topk as _topk

    index = PassageIndex(docs)
    full = full_scores(index, query)
    expected = sorted((d for d in range(len(docs)) if full[d] > 0), key=lambda d: (-full[d], d))[:k]
    with mock.patch.object(_topk, "MAX_CANDIDATE_SHARE", 1.0):  # try it even on tiny corpora
        matched = []
        for term, weight in query:
            docs_t, contribution = index.term_contributions(term)
            if len(docs_t):
                matched.append((weight, docs_t, contribution, weight * contribution.max()))
        found = _topk.bounded_top(matched, k, index.size)
        assert found is None or [d for d, _ in found] == expected
        assert found is None or [s for _, s in found] == [full[d] for d in expected]  # bit for bit
        assert [h.doc for h in index.top(query, k)] == expected


def test_bounded_top_skips_a_common_term_and_agrees():
    from bot.search import topk as _topk

    # "rare" in 3 documents, "common" in all 200: the top 2 are settled by "rare" alone.
    docs = [["common", "pad"] + (["rare"] if i in (5, 50, 150) else []) for i in range(200)]
    index = PassageIndex(docs)
    query = [("common", 1.0), ("rare", 1.0)]
    matched = [(1.0, *index.term_contributions(t), index.term_contributions(t)[1].max()) for t, _ in query]
    found = _topk.bounded_top(matched, 2, index.size)
    assert found is not None and [d for d, _ in found] == [5, 50]
    assert [h.doc for h in index.top(query, 2)] == [5, 50]
    assert [h.score for h in index.top(query, 2)] == [s for _, s in found]
