#!/usr/bin/env python3
"""Answer quality on a labelled question set: accuracy by kind, recall@1/@3 and MRR.

Examples:
  python scripts/evaluate.py
  python scripts/evaluate.py --knowledge tests/fixtures/article --questions tests/data/article_questions.yaml
  python scripts/evaluate.py --failures
  python scripts/evaluate.py --corpus              # every corpus document alone, per split
  python scripts/evaluate.py --corpus --split heldout --failures
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answers.answerer import Answerer  # noqa: E402
from bot.errors import SocbotError  # noqa: E402
from bot.answers.evaluation import (evaluate, evaluate_corpus, format_corpus_table, format_table,  # noqa: E402
                            load_corpus, load_question_set)

CORPUS = ROOT / "tests/data/corpus"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge directory (default: the bundled one or $SOCBOT_KNOWLEDGE)")
    parser.add_argument("--questions", metavar="FILE", default=str(ROOT / "tests/data/questions.yaml"),
                        help="labelled question set (default: tests/data/questions.yaml)")
    parser.add_argument("--failures", action="store_true", help="list the questions answered wrongly")
    parser.add_argument("--corpus", action="store_true",
                        help="run every document of tests/data/corpus alone and print a table per document and split")
    parser.add_argument("--split", action="append", choices=("tuning", "heldout", "external"),
                        help="with --corpus: only these splits (repeatable; default all)")
    args = parser.parse_args(argv)
    try:
        if args.corpus:
            corpus = load_corpus(CORPUS, ROOT)
            splits = tuple(args.split or ("tuning", "heldout", "external"))
            results = evaluate_corpus(corpus, Answerer.from_directory, splits)
        else:
            answerer = Answerer.from_directory(args.knowledge)
            summary = evaluate(answerer, load_question_set(Path(args.questions)))
    except SocbotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_status
    if args.corpus:
        print(format_corpus_table(corpus, results))
        if args.failures:
            for name, summary in results.items():
                _print_failures(summary, prefix=f"{name}: ")
        return 0
    print(format_table(summary))
    if args.failures:
        _print_failures(summary)
    return 0


def _print_failures(summary, prefix: str = "") -> None:
    for r in summary.failures():
        want = r.case.reports or r.case.ids or r.case.evidence or ("declined",)
        got = (r.answer.reports, r.answer.answer[:160]) if r.answer.answered else "declined"
        print(f"- {prefix}[{r.case.kind}] {r.case.question!r}: want {list(want)}, got {got}")


if __name__ == "__main__":
    sys.exit(main())
