#!/usr/bin/env python3
"""Answer quality on a labelled question set: accuracy by kind, recall@1/@3 and MRR.

Examples:
  python scripts/evaluate.py
  python scripts/evaluate.py --knowledge tests/fixtures/article --questions tests/data/article_questions.yaml
  python scripts/evaluate.py --failures
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answering import Answerer  # noqa: E402
from bot.errors import SocbotError  # noqa: E402
from bot.evaluation import evaluate, format_table, load_question_set  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge directory (default: the bundled one or $SOCBOT_KNOWLEDGE)")
    parser.add_argument("--questions", metavar="FILE", default=str(ROOT / "tests/data/questions.yaml"),
                        help="labelled question set (default: tests/data/questions.yaml)")
    parser.add_argument("--failures", action="store_true", help="list the questions answered wrongly")
    args = parser.parse_args(argv)
    try:
        answerer = Answerer.from_directory(args.knowledge)
        summary = evaluate(answerer, load_question_set(Path(args.questions)))
    except SocbotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_status
    print(format_table(summary))
    if args.failures:
        for r in summary.failures():
            want = r.case.reports or r.case.ids or ("declined",)
            got = (r.answer.reports, [c.id for c in r.answer.citations[:3]]) if r.answer.answered else "declined"
            print(f"- [{r.case.kind}] {r.case.question!r}: want {list(want)}, got {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
