"""Shorthand a knowledge base writes for its terms: "s1", "s2", "s3" for the SOC reports, "T1"
and "T2" for the types (the candidates are data: ``short_forms`` in bot/data/vocabulary.yaml).

Notes kept for calls are written this way ("if cx asks s1 or s2 → …"), and a question to such
notes may be too. A form is read as its term only in a base whose text uses two or more forms
of the same letter: one "S3 bucket" in a runbook is no SOC 3. The base's questions are then
read with the same forms, so index and query share one analyzer.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from bot.search.vocabulary import Vocabulary

__all__ = ["adopt_short_forms", "with_short_forms"]


def adopt_short_forms(vocabulary: Vocabulary, terms: Iterable[str]) -> Vocabulary:
    """``vocabulary`` reading the short forms found among ``terms`` (a base's analyzed words,
    read without short forms), by the rule above."""
    seen = set(terms) & vocabulary.short_forms.keys()
    by_letter: dict[str, list[str]] = {}
    for form in seen:
        by_letter.setdefault(form[0], []).append(form)
    adopted = sorted(f for forms in by_letter.values() if len(forms) >= 2 for f in forms)
    return with_short_forms(vocabulary, adopted)


def with_short_forms(vocabulary: Vocabulary, adopted: Iterable[str]) -> Vocabulary:
    """``vocabulary`` with these short forms read as their terms (a restored base's own)."""
    adopted = tuple(f for f in adopted if f in vocabulary.short_forms)
    if not adopted:
        return vocabulary
    terms = {k: list(v) for k, v in vocabulary.terms.items()}
    for form in adopted:
        terms.setdefault(vocabulary.short_forms[form], []).append(form)
    return replace(vocabulary, terms=terms, adopted=adopted)
