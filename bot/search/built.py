"""A built knowledge base: what the search stage hands to the answers stage.

Loading and indexing are the slow part of a start; the restart cache (:mod:`bot.search.cache`)
saves and restores exactly this object, so an answerer never has to be built to be cached.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, replace

from bot.knowledge import KnowledgeBase, Passage, load_knowledge
from bot.search.analysis import Analyzer
from bot.search.gcpause import paused_gc
from bot.search.index import SECTION_REPEAT, TITLE_REPEAT, PassageIndex
from bot.search.short_forms import adopt_short_forms
from bot.search.vocabulary import load_vocabulary

__all__ = ["BuiltBase", "build_base", "passage_terms"]


@dataclass(frozen=True)
class BuiltBase:
    """Passages, their index, and the terms the base is about.

    ``domain_terms``: heading words and the vocabulary's words. An answer needs at least one of
    them: a question matching only body words ("what time is lunch" meets "point in time") is
    declined. ``analyzer`` holds the base's stems (its stem cache), which spelling correction
    reads as the lexicon.
    """

    knowledge: KnowledgeBase
    analyzer: Analyzer
    index: PassageIndex
    domain_terms: frozenset[str]

    @property
    def passages(self) -> tuple[Passage, ...]:
        return self.knowledge.passages


def build_base(directory: str | os.PathLike | None = None, extra: tuple[Passage, ...] = ()) -> BuiltBase:
    """Load ``directory`` (the default knowledge when None) and index it, with ``extra``
    passages (learned in Slack) after the files' own."""
    with paused_gc():  # millions of allocations, few freed: see bot/search/gcpause.py
        knowledge = load_knowledge(directory)
        if extra:
            knowledge = replace(knowledge, passages=knowledge.passages + tuple(extra))
        texts = (t for p in knowledge.passages for t in (p.title, p.section, p.text))
        analyzer = Analyzer(adopt_short_forms(load_vocabulary(knowledge.directory), texts))
        domain = set(analyzer.vocabulary_terms())
        title_only: Counter[str] = Counter()

        def fields(p: Passage) -> list[str]:
            terms, headings = passage_terms(analyzer, p)
            domain.update(headings)
            title = set(analyzer.analyze(p.title))
            if title:
                title_only.update(title.difference(analyzer.analyze(f"{p.text}\n{p.section}")))
            return terms

        # A generator: one passage's terms at a time are held while the index is built.
        index = PassageIndex(fields(p) for p in knowledge.passages)
        index.title_only = dict(title_only)
        return BuiltBase(knowledge, analyzer, index, frozenset(domain))


def passage_terms(analyzer: Analyzer, p: Passage) -> tuple[list[str], list[str]]:
    """What a passage is indexed as (its text, title and section words, the headings repeated:
    :data:`~bot.search.index.TITLE_REPEAT`), and its heading words."""
    title, section = analyzer.analyze(p.title), analyzer.analyze(p.section)
    return analyzer.analyze(p.text) + title * TITLE_REPEAT + section * SECTION_REPEAT, title + section
