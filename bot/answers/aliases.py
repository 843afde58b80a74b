"""Names a document gives the reports itself: "the financial-reporting report (SOC 1)", "SOC 3
(the public summary)". After such a definition the document may say "the financial one" or "the
summary version" and mean the report; a clause reads such a phrase as naming it.

A definition is a report in brackets right after a short descriptive phrase that opens on an
article, or a descriptive phrase in brackets right after a report. Its distinctive words (not
the generic heads of ``alias_heads`` in bot/data/clauses.yaml, such as "report" or "one") stand
for the report, if for that report alone. A mention is "the", then one or two of a report's
distinctive words, then a head ("the financial one", "the trust report"), or without a head
the phrase's last word as defined ("the summary", for "the public summary").
"""
from __future__ import annotations

import re

from bot.search.analysis import Token

__all__ = ["DocumentAliases"]

_ARTICLES = frozenset({"the", "a", "an"})


class DocumentAliases:
    """The report names defined in one document's passages, and their mentions."""

    def __init__(self, texts: list[str], tokens_of, names: dict[str, str], heads: frozenset[str]) -> None:
        self._names = names
        self._term_of = {report: term for term, report in names.items()}
        self._heads = heads
        words: dict[str, set[str]] = {}
        self._last: dict[str, str] = {}  # a descriptor's last distinctive word, when it has no head
        for text in texts:
            if "(" not in text:
                continue
            tokens = list(tokens_of(text))
            for report, descriptor in _definitions(tokens, text, names):
                distinct = [t.term for t in descriptor if not t.stop and t.term not in heads and t.term not in names]
                for term in distinct:
                    words.setdefault(term, set()).add(report)
                if distinct and descriptor[-1].term == distinct[-1]:
                    self._last[distinct[-1]] = report
        self._word = {term: next(iter(reports)) for term, reports in words.items() if len(reports) == 1}
        self._last = {term: report for term, report in self._last.items() if term in self._word}

    def __bool__(self) -> bool:
        return bool(self._word)

    def apply(self, tokens: list[Token]) -> list[Token]:
        """``tokens`` with the article of each mention read as the report's own term (the
        descriptive words stay, for what the clause is about)."""
        out = list(tokens)
        for k, t in enumerate(tokens[:-1]):
            if t.term != "the":
                continue
            report = self._mention(tokens, k + 1)
            if report:
                out[k] = Token(self._term_of[report], t.start, t.end, False)
        return out

    def _mention(self, tokens: list[Token], k: int) -> str | None:
        first = self._word.get(tokens[k].term)
        if first is None:
            return None
        n = k + 1
        if n < len(tokens) and self._word.get(tokens[n].term) == first:
            n += 1
        if n < len(tokens) and tokens[n].term in self._heads:
            return first
        return first if self._last.get(tokens[n - 1].term) == first else None


def _definitions(tokens: list[Token], text: str, names: dict[str, str]):
    """(report, descriptor tokens) for "the trust report (SOC 2)" and "SOC 2 (the trust report)"."""
    for k, t in enumerate(tokens):
        report = names.get(t.term)
        if report is None:
            continue
        opened = text[tokens[k - 1].end if k else 0:t.start]
        closed = text[t.end:tokens[k + 1].start if k + 1 < len(tokens) else len(text)]
        if opened.strip() == "(" and closed.lstrip().startswith(")"):
            start = next((j for j in range(k - 1, max(-1, k - 6), -1) if tokens[j].term in _ARTICLES), None)
            if start is not None and not re.search(r"[.;:!?()]", text[tokens[start].end:tokens[k - 1].end]):
                yield report, tokens[start + 1:k]
        elif closed.strip() == "(" and k + 1 < len(tokens) and tokens[k + 1].term in _ARTICLES:
            end = next((j for j in range(k + 2, min(len(tokens), k + 6)) if text[tokens[j].end:].lstrip().startswith(")")), None)
            if end is not None and not re.search(r"[.;:!?()]", text[tokens[k + 1].start:tokens[end].end]):
                yield report, tokens[k + 2:end + 1]
