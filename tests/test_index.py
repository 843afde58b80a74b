"""The index: Lucene's positive IDF on rank-bm25's statistics, and postings scoring."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from rank_bm25 import BM25Okapi

from bot.index import LuceneBM25, PassageIndex


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
    docs = [["soc2", "avail"], ["soc2", "privacy"], ["soc1", "financi"]]
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
