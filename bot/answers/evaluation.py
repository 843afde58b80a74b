"""Measuring answer quality on a labelled question set (used by tests and scripts/evaluate.py).

A question set is YAML with three lists:
- ``which``: ``{q, reports}``; right when the verdict leads with the expected report (or, when
  two are expected, the first two reports are those two, in either order);
- ``fact``: ``{q, ids}``, ``{q, evidence}`` or ``{q, keywords}``; right when one of ``ids`` is
  among the top 3 citations, or one of them holds one of the ``evidence`` phrases (quoted from
  the document), or every word of one of the ``keywords`` lists (for a document whose text must
  not be copied);
- ``out_of_scope``: questions; right when declined.

A which-question is right only when the verdict is exactly the expected report(s): "SOC 1 and
SOC 2" where the document gives one report is wrong.

The corpus (``tests/data/corpus``) holds documents written by independent helpers, each with its
own question set; :func:`evaluate_corpus` runs every document alone, as the only knowledge.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import KnowledgeError, SocbotError, UsageError
from bot.files import load_yaml
from bot.types import Answer

__all__ = ["Case", "Result", "Summary", "load_question_set", "evaluate", "format_table", "Corpus",
           "load_corpus", "evaluate_corpus", "format_corpus_table", "build_alone", "main"]

KINDS = ("which", "fact", "out_of_scope")
# The labelled sets and the corpus live in a checkout's tests/, not in the package.
CHECKOUT = Path(__file__).resolve().parents[2]
QUESTIONS = CHECKOUT / "tests/data/questions.yaml"
CORPUS = CHECKOUT / "tests/data/corpus"
EVAL_HELP = """\
examples:
  socbot eval                                   # the bundled knowledge and tests/data/questions.yaml
  socbot eval --knowledge DIR --questions FILE --failures
  socbot eval --corpus                          # every corpus document alone, per split
  socbot eval --corpus --split heldout --failures
"""


@dataclass(frozen=True)
class Case:
    kind: str
    question: str
    reports: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    keywords: tuple[tuple[str, ...], ...] = ()
    off_topic: bool = False  # out of scope for any SOC knowledge, not only its own document


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
    if not isinstance(data, dict) or set(data) - {*KINDS, "off_topic"}:
        raise KnowledgeError(path, 1, f"expected a mapping with keys {', '.join(KINDS)} (and off_topic)")
    cases = []
    for item in data.get("which") or []:
        cases.append(Case("which", str(item["q"]), reports=tuple(item["reports"])))
    for item in data.get("fact") or []:
        cases.append(Case("fact", str(item["q"]), ids=tuple(item.get("ids") or ()),
                          evidence=tuple(item.get("evidence") or ()),
                          keywords=tuple(tuple(k) for k in item.get("keywords") or ())))
    # off_topic: out-of-scope questions about no SOC report at all ("which standing desk …"),
    # so out of scope for any knowledge base, however many documents it holds.
    for key in ("out_of_scope", "off_topic"):
        for q in data.get(key) or []:
            if not isinstance(q, str):  # a mapping here would be asked as its repr, and "declined"
                raise KnowledgeError(path, None, f"{key} holds questions as plain strings, got {q!r}")
            cases.append(Case("out_of_scope", q, off_topic=key == "off_topic"))
    return cases


def judge(case: Case, answer: Answer) -> Result:
    if case.kind == "out_of_scope":
        return Result(case, answer, not answer.answered)
    if case.kind == "which":
        ok = answer.answered and set(answer.reports) == set(case.reports)
        return Result(case, answer, ok)
    if case.evidence or case.keywords:
        wanted = [_folded(e) for e in case.evidence]
        lists = [[_folded(k) for k in words] for words in case.keywords]
        found = [any(w in text for w in wanted) or any(all(k in text for k in words) for words in lists)
                 for text in (_folded(c.text) for c in answer.citations)]
    else:
        found = [c.id in case.ids for c in answer.citations]
    rank = next((i for i, hit in enumerate(found, 1) if hit), None)
    return Result(case, answer, answer.answered and rank is not None and rank <= 3, rank)


def _folded(text: str) -> str:
    """Text compared without case, markup or spacing differences (quotes made straight)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(re.sub(r"[*_`|#]", " ", text).casefold().split())


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


# -- the corpus: many documents, each alone --------------------------------------------------
@dataclass(frozen=True)
class Document:
    name: str
    split: str  # "tuning", "heldout" or "external"
    path: Path  # the document's directory, or for an external document its file
    questions: Path


@dataclass
class Corpus:
    root: Path
    documents: list[Document]
    missing: list[str] = field(default_factory=list)  # external documents not found, with why


def load_corpus(root: Path, repo: Path | None = None) -> Corpus:
    """The corpus under ``root`` as its ``splits.yaml`` describes it."""
    spec = load_yaml(root / "splits.yaml")
    repo = repo or root.parents[2]
    docs, missing = [], []
    for split in ("tuning", "heldout"):
        for name in spec.get(split) or []:
            docs.append(Document(name, split, root / name, root / f"{name}.questions.yaml"))
    for name, where in (spec.get("external") or {}).items():
        path = (repo / where).resolve()
        if path.is_file():
            docs.append(Document(name, "external", path, root / f"{name}.questions.yaml"))
        else:
            missing.append(f"{name}: {path} not found")
    return Corpus(root, docs, missing)


def build_alone(path: Path, build):
    """``build(directory)`` for a directory holding the file ``path`` alone: a temporary one,
    outside the repository, removed once the knowledge is loaded."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(path, tmp)
        return build(Path(tmp))


def evaluate_corpus(corpus: Corpus, build, splits=("tuning", "heldout", "external")) -> dict[str, Summary]:
    """Each document alone as the knowledge: ``build(directory)`` makes its answerer."""
    out: dict[str, Summary] = {}
    for doc in corpus.documents:
        if doc.split not in splits:
            continue
        answerer = build(doc.path) if doc.path.is_dir() else build_alone(doc.path, build)
        out[doc.name] = evaluate(answerer, load_question_set(doc.questions), top_k=3)
    return out


def format_corpus_table(corpus: Corpus, results: dict[str, Summary]) -> str:
    """Per document, then per split: which / fact / out-of-scope, right of asked."""
    rows = [("document", "split", "which", "fact", "out_of_scope", "all")]

    def cells(summaries: list[Summary]) -> tuple[str, ...]:
        out = []
        for kind in (*KINDS, None):
            rs = [r for s in summaries for r in (s.by_kind(kind) if kind else s.results)]
            right = sum(r.correct for r in rs)
            out.append(f"{right}/{len(rs)} ({right / len(rs):.0%})" if rs else "-")
        return tuple(out)

    splits: dict[str, list[Summary]] = {}
    for doc in corpus.documents:
        if doc.name in results:
            rows.append((doc.name, doc.split, *cells([results[doc.name]])))
            splits.setdefault(doc.split, []).append(results[doc.name])
    rows.append(("", "", "", "", "", ""))
    for split, summaries in splits.items():
        rows.append((f"[{split}]", f"{len(summaries)} docs", *cells(summaries)))
    width = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, width)).rstrip() for r in rows]
    lines += [f"(not run: {m})" for m in corpus.missing]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``socbot eval`` and ``scripts/evaluate.py``."""
    from bot.answers.answerer import Answerer  # imported here: the module stays light for tests

    parser = argparse.ArgumentParser(prog="socbot eval", epilog=EVAL_HELP,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     description="Answer quality on a labelled question set: accuracy by "
                                     "kind, recall@1/@3 and MRR.")
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge directory (default: the bundled one or $SOCBOT_KNOWLEDGE)")
    parser.add_argument("--questions", metavar="FILE", default=str(QUESTIONS),
                        help="labelled question set (default: a checkout's tests/data/questions.yaml)")
    parser.add_argument("--failures", action="store_true", help="list the questions answered wrongly")
    parser.add_argument("--corpus", action="store_true",
                        help="run every document of tests/data/corpus alone and print a table per document and split")
    parser.add_argument("--split", action="append", choices=("tuning", "heldout", "external"),
                        help="with --corpus: only these splits (repeatable; default all)")
    args = parser.parse_args(argv)
    try:
        if args.corpus:
            if not CORPUS.is_dir():
                raise UsageError(f"no corpus at {CORPUS}: --corpus runs from a checkout")
            corpus = load_corpus(CORPUS, CHECKOUT)
            results = evaluate_corpus(corpus, Answerer.from_directory, tuple(args.split or ("tuning", "heldout", "external")))
        else:
            if not Path(args.questions).is_file():
                raise UsageError(f"no question set at {args.questions}: give one with --questions FILE")
            summary = evaluate(Answerer.from_directory(args.knowledge), load_question_set(Path(args.questions)))
    except SocbotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_status
    if args.corpus:
        print(format_corpus_table(corpus, results))
        for name, each in results.items() if args.failures else ():
            _print_failures(each, prefix=f"{name}: ")
        return 0
    print(format_table(summary))
    if args.failures:
        _print_failures(summary)
    return 0


def _print_failures(summary: Summary, prefix: str = "") -> None:
    for r in summary.failures():
        want = r.case.reports or r.case.ids or r.case.evidence or ("declined",)
        got = (r.answer.reports, r.answer.answer[:160]) if r.answer.answered else "declined"
        print(f"- {prefix}[{r.case.kind}] {r.case.question!r}: want {list(want)}, got {got}")
