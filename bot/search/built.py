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

__all__ = ["BuiltBase", "build_base", "passage_fields", "passage_terms"]


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
        vocabulary = load_vocabulary(knowledge.directory)
        base, seen = _indexed_base(knowledge, Analyzer(vocabulary), vocabulary.short_forms.keys())
        shorthand = adopt_short_forms(vocabulary, seen)
        if shorthand.adopted:  # notes written in "s1"/"s2": read again, those words as reports
            base, _ = _indexed_base(knowledge, Analyzer(shorthand), ())
        return base


def _indexed_base(knowledge, analyzer: Analyzer, watched) -> tuple[BuiltBase, set[str]]:
    """The base indexed with ``analyzer``, and which of the ``watched`` terms its text uses."""
    domain = set(analyzer.vocabulary_terms())
    title_only: Counter[str] = Counter()
    watched, seen = frozenset(watched), set()

    def fields(p: Passage) -> list[str]:
        text, title, section = passage_fields(analyzer, p)
        domain.update(title)
        domain.update(section)
        if title:
            title_only.update(set(title).difference(text, section))
        if watched:
            seen.update(watched.intersection(text), watched.intersection(title), watched.intersection(section))
        return indexed(text, title, section)

    # A generator: one passage's terms at a time are held while the index is built.
    index = PassageIndex(fields(p) for p in knowledge.passages)
    index.title_only = dict(title_only)
    return BuiltBase(knowledge, analyzer, index, frozenset(domain)), seen


def passage_fields(analyzer: Analyzer, p: Passage) -> tuple[list[str], list[str], list[str]]:
    """A passage's terms by field: text, title, section."""
    return analyzer.analyze(p.text), analyzer.analyze(p.title), analyzer.analyze(p.section)


def indexed(text: list[str], title: list[str], section: list[str]) -> list[str]:
    """What a passage is indexed as: its fields, the headings repeated
    (:data:`~bot.search.index.TITLE_REPEAT`, ``SECTION_REPEAT``)."""
    return text + title * TITLE_REPEAT + section * SECTION_REPEAT


def passage_terms(analyzer: Analyzer, p: Passage) -> list[str]:
    """What a passage is indexed as."""
    return indexed(*passage_fields(analyzer, p))
