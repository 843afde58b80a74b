"""Sentence spans: what the analyzer splits passages into (nothing here needs nltk's data)."""
from __future__ import annotations

import re

__all__ = ["sentence_spans"]

_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile("[.!?]+[\"'\u201d\u2019)\\]]*(?=[ \t]+[\"'\u201c\u2018(\\[\u2014\u2013-]?[A-Z0-9\u2014\u2013])")


def sentence_spans(text: str, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: a sentence ends at . ! or ? (and any closing quote or bracket)
    before a space and a capital, digit, quote or dash, except after one of ``abbreviations``
    (e.g., vs., Inc.) or an initial ("J. Smith").

    A line break always ends a sentence: articles keep each list item, label line and paragraph
    on a line of its own, and none of them runs on into the next. (This does what an untrained
    Punkt tokenizer given our abbreviations does, at a third of the cost: the sentences of every
    passage an answer cites are read per question.)
    """
    spans = []
    for line in _LINE.finditer(text):
        start, stop = line.start(), line.end()
        for end in _SENTENCE_END.finditer(text, start, stop):
            if text[end.start()] == "." and _abbreviation_before(text, start, end.start(), abbreviations):
                continue
            spans.append((start, end.end()))
            start = end.end()
            while start < stop and text[start].isspace():
                start += 1
        tail = text[start:stop].rstrip()
        if tail.strip():
            spans.append((start, start + len(tail)))
    return spans


def _abbreviation_before(text: str, start: int, dot: int, abbreviations: frozenset[str]) -> bool:
    # The word before the dot, found by looking back (a regex anchored at the dot would scan the
    # whole line for every dot).
    begin = max(text.rfind(" ", start, dot), text.rfind("\t", start, dot)) + 1
    word = text[max(begin, start):dot].lstrip("(\"'").lower()
    return bool(word) and (word in abbreviations or (len(word) == 1 and word.isalpha()))
