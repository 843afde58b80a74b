"""Searching: analysis, vocabulary, spelling, the BM25 index, top-k and the restart cache."""
