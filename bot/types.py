"""The result of asking a question: what the core hands to the CLI and to Slack."""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Answer", "Citation", "Comparison", "ComparisonCell", "ComparisonRow", "KnowledgeStats",
           "MAX_QUESTION_CHARS", "NOT_STATED"]

# Questions are cut to this many characters, wherever they come from (terminal or Slack): a
# pasted wall of text is not a question, and the cut bounds the work any one message can cause.
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Citation:
    """One passage the answer relied on, numbered from 1, best first."""

    n: int
    id: str
    title: str
    section: str
    text: str
    score: float
    url: str | None = None
    # Character spans of `text` whose words matched the question, for highlighting.
    matches: tuple[tuple[int, int], ...] = field(default=(), compare=False)

    def to_dict(self) -> dict:
        data = {
            "n": self.n,
            "id": self.id,
            "title": self.title,
            "section": self.section,
            "text": self.text,
            "score": round(self.score, 4),
        }
        if self.url:
            data["url"] = self.url
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Citation":
        return cls(int(data["n"]), str(data["id"]), str(data.get("title", "")), str(data.get("section", "")),
                   str(data.get("text", "")), float(data.get("score", 0.0)), data.get("url"))


# What a comparison shows for a cell the knowledge does not support, wherever it is shown.
NOT_STATED = "not stated"


@dataclass(frozen=True)
class ComparisonCell:
    """What one compared thing says on one aspect: quoted or shortened from the passage cited as
    ``citation`` (a number of the answer's citations), or not stated (empty, no citation)."""

    text: str = ""
    citation: int | None = None

    @property
    def stated(self) -> bool:
        return self.citation is not None

    def to_dict(self) -> dict:
        return {"text": self.text, "citation": self.citation}


@dataclass(frozen=True)
class ComparisonRow:
    aspect: str
    cells: tuple[ComparisonCell, ...]  # one per column, in the columns' order

    def to_dict(self) -> dict:
        return {"aspect": self.aspect, "cells": [c.to_dict() for c in self.cells]}


@dataclass(frozen=True)
class Comparison:
    """A side-by-side comparison: rows are aspects, columns the things compared."""

    columns: tuple[str, ...]  # reports ("SOC 1", "SOC 2") or types ("Type 1", "Type 2")
    rows: tuple[ComparisonRow, ...]

    def to_dict(self) -> dict:
        return {"columns": list(self.columns), "rows": [r.to_dict() for r in self.rows]}

    @classmethod
    def from_dict(cls, data: dict) -> "Comparison":
        return cls(tuple(data["columns"]), tuple(
            ComparisonRow(row["aspect"], tuple(ComparisonCell(c.get("text") or "", c.get("citation"))
                                               for c in row["cells"])) for row in data["rows"]))


@dataclass(frozen=True)
class Answer:
    """An answer, or a declined question (``answered`` false) with example questions."""

    question: str
    answered: bool
    reports: tuple[str, ...]
    answer: str
    citations: tuple[Citation, ...] = ()
    # Questions the knowledge base can answer; offered when a question is declined.
    examples: tuple[str, ...] = ()
    # Present only when the question asks for a comparison ("SOC 1 vs SOC 2?").
    comparison: Comparison | None = None

    def to_dict(self) -> dict:
        data = {
            "question": self.question,
            "answered": self.answered,
            "reports": list(self.reports),
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
        }
        if self.comparison is not None:
            data["comparison"] = self.comparison.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Answer":
        """An answer as :meth:`to_dict` gave it (what the Slack store keeps to share it later)."""
        comparison = data.get("comparison")
        return cls(str(data["question"]), bool(data["answered"]), tuple(data.get("reports") or ()),
                   str(data.get("answer", "")), tuple(Citation.from_dict(c) for c in data.get("citations") or ()),
                   tuple(data.get("examples") or ()), Comparison.from_dict(comparison) if comparison else None)


@dataclass(frozen=True)
class KnowledgeStats:
    """What a knowledge base holds: shown by ``--check`` and on the Slack App Home tab."""

    documents: int
    passages: int
    per_report: dict[str, int]
    untagged: int = 0
