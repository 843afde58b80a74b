"""Searching: analysis, vocabulary, spelling, the BM25 index, top-k and the restart cache."""
from __future__ import annotations

from bot.search.analysis import Analyzer, QueryTerm, search_weights
from bot.search.built import BuiltBase, build_base
from bot.search.cache import load_base
from bot.search.index import Hit, PassageIndex
from bot.search.vocabulary import Vocabulary, load_vocabulary

__all__ = ["Analyzer", "QueryTerm", "search_weights", "BuiltBase", "build_base", "load_base", "Hit",
           "PassageIndex", "Vocabulary", "load_vocabulary"]
