"""Measuring answer quality on a labelled question set (used by tests and scripts/evaluate.py).

A question set is YAML with three lists:
- ``which``: ``{q, reports}``; right when the verdict leads with the expected report (or, when
  two are expected, the first two reports are those two, in either order);
- ``fact``: ``{q, ids}``; right when one of ``ids`` is among the top 3 citations;
- ``out_of_scope``: questions; right when declined.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ._yaml import load_yaml
from .answer import Answer
from .errors import KnowledgeError

__all__ = ["Case", "Result", "load_question_set", "evaluate", "format_table"]

KINDS = ("which", "fact", "out_of_scope")


@dataclass(frozen=True)
class Case:
    kind: str
    question: str
    reports: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()


@dataclass
class Result:
    case: Case
    answer: Answer
    correct: bool
    rank: int | None = None  # 1-based rank of the first expected passage (fact questions)


@dataclass
class Summary:
    results: list[Result] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[Result]:
        return [r for r in self.results if r.case.kind == kind]

    def accuracy(self, kind: str | None = None) -> float:
        rs = self.results if kind is None else self.by_kind(kind)
        return sum(r.correct for r in rs) / len(rs) if rs else 0.0

    def recall_at(self, k: int) -> float:
        rs = self.by_kind("fact")
        return sum(1 for r in rs if r.rank is not None and r.rank <= k) / len(rs) if rs else 0.0

    def mrr(self) -> float:
        rs = self.by_kind("fact")
        return sum(1.0 / r.rank for r in rs if r.rank) / len(rs) if rs else 0.0

    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.correct]


def load_question_set(path: Path) -> list[Case]:
    data = load_yaml(path)
    if not isinstance(data, dict) or set(data) - set(KINDS):
        raise KnowledgeError(path, 1, f"expected a mapping with keys {', '.join(KINDS)}")
    cases = []
    for item in data.get("which") or []:
        cases.append(Case("which", str(item["q"]), reports=tuple(item["reports"])))
    for item in data.get("fact") or []:
        cases.append(Case("fact", str(item["q"]), ids=tuple(item["ids"])))
    for q in data.get("out_of_scope") or []:
        cases.append(Case("out_of_scope", str(q)))
    return cases


def judge(case: Case, answer: Answer) -> Result:
    if case.kind == "out_of_scope":
        return Result(case, answer, not answer.answered)
    if case.kind == "which":
        want = case.reports
        got = answer.reports[: len(want)]
        ok = answer.answered and (set(got) == set(want) if len(want) > 1 else got == want)
        return Result(case, answer, ok)
    ids = [c.id for c in answer.citations]
    rank = next((i for i, pid in enumerate(ids, 1) if pid in case.ids), None)
    return Result(case, answer, answer.answered and rank is not None and rank <= 3, rank)


def evaluate(answerer, cases: list[Case], top_k: int = 10) -> Summary:
    summary = Summary()
    for case in cases:
        # Fact questions are ranked over more citations, for recall and MRR beyond the top 3.
        answer = answerer.answer(case.question, top_k=top_k if case.kind == "fact" else 3)
        summary.results.append(judge(case, answer))
    return summary


def format_table(summary: Summary) -> str:
    rows = [("kind", "questions", "correct", "accuracy")]
    for kind in KINDS:
        rs = summary.by_kind(kind)
        if rs:
            rows.append((kind, str(len(rs)), str(sum(r.correct for r in rs)), f"{summary.accuracy(kind):.1%}"))
    rows.append(("all", str(len(summary.results)), str(sum(r.correct for r in summary.results)),
                 f"{summary.accuracy():.1%}"))
    width = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, width)) for r in rows]
    if summary.by_kind("fact"):
        lines.append("")
        lines.append(f"fact questions: recall@1 {summary.recall_at(1):.1%}  "
                     f"recall@3 {summary.recall_at(3):.1%}  MRR {summary.mrr():.3f}")
    return "\n".join(lines)
