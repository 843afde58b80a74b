"""``socbot-ask`` / ``scripts/ask.py``: ask the knowledge base from a terminal or a script."""
from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from typing import Iterable, TextIO

from bot.types import Answer
from bot.errors import SocbotError

__all__ = ["main", "format_answer"]

EPILOG = """\
examples:
  socbot-ask "Which report covers availability?"
  socbot-ask --json "do we need soc 1 or soc 2 for payroll?"
  printf 'what is a bridge letter\\nsoc 3 vs soc 2\\n' | socbot-ask --json
  socbot-ask --check --knowledge ./my-knowledge

exit status: 0 answered or declined, 1 broken knowledge, 2 usage error (e.g. an empty question)
environment: SOCBOT_KNOWLEDGE (default --knowledge), SOCBOT_TOP_K (default --top-k),
  SOCBOT_CACHE_DIR (restart cache of the analyzed base; "off" disables it)
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="socbot-ask",
        description="Answer a question about SOC 1, SOC 2 and SOC 3 reports from the knowledge "
        "base, with the passages it relied on. With no question, reads one per line from stdin.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("question", nargs="*", help="the question (quote it, or pass it as several words)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per question")
    parser.add_argument("--knowledge", metavar="DIR", default=os.environ.get("SOCBOT_KNOWLEDGE"),
                        help="knowledge directory (env SOCBOT_KNOWLEDGE; default: the bundled one)")
    parser.add_argument("--top-k", metavar="N", type=int, default=_env_int("SOCBOT_TOP_K", 3),
                        help="how many passages to cite (env SOCBOT_TOP_K; default 3)")
    parser.add_argument("--check", action="store_true",
                        help="validate the knowledge base and print what it holds, then exit")
    return parser


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    parser = _parser()
    args = parser.parse_args(argv)
    if not 1 <= args.top_k <= 20:
        print("error: --top-k must be between 1 and 20", file=sys.stderr)
        return 2
    question = " ".join(args.question).strip()
    if args.question and not question:
        print("error: the question is empty; ask something like "
              "\"Which report covers availability?\"", file=sys.stderr)
        return 2
    try:
        from bot.answers.answerer import Answerer  # imported here: --help stays fast

        answerer = Answerer.cached(args.knowledge)  # restart cache: quick on a large base too
        if args.check:
            _print_check(answerer, stdout)
            return 0
        if question:
            _emit(answerer.answer(question, args.top_k), args.json, stdout)
            return 0
        return _loop(answerer, args, stdin, stdout)
    except SocbotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        return 130


def _loop(answerer, args, stdin: TextIO, stdout: TextIO) -> int:
    interactive = stdin.isatty() and not args.json
    if interactive:
        print("Ask about SOC 1, SOC 2 or SOC 3 reports (an empty line or Ctrl-D quits).", file=stdout)
    for line in _lines(stdin, interactive, stdout):
        if not line.strip():
            if interactive:
                break
            continue
        _emit(answerer.answer(line, args.top_k), args.json, stdout)
        stdout.flush()
    return 0


def _lines(stdin: TextIO, interactive: bool, stdout: TextIO) -> Iterable[str]:
    while True:
        if interactive:
            print("? ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            return
        yield line.rstrip("\r\n")


def _emit(answer: Answer, as_json: bool, stdout: TextIO) -> None:
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False), file=stdout)
    else:
        print(format_answer(answer), file=stdout)


def format_answer(answer: Answer, width: int = 88) -> str:
    """A readable answer: the answer, the reports, then numbered sources."""
    wrap = textwrap.TextWrapper(width=width)
    lines = wrap.wrap(answer.answer)
    if not answer.answered:
        if answer.examples:
            lines += ["", "Questions I can answer, for example:"]
            lines += [f"  - {q}" for q in answer.examples[:3]]
        return "\n".join(lines) + "\n"
    if answer.reports:
        lines += ["", f"Reports: {', '.join(answer.reports)}"]
    if answer.citations:
        lines += ["", "Sources:"]
        quote = textwrap.TextWrapper(width=width, initial_indent="      ", subsequent_indent="      ")
        for c in answer.citations:
            where = " › ".join(part for part in (c.title, c.section) if part)
            lines.append(f"  [{c.n}] {where}  ({c.id}, score {c.score:.2f})")
            lines += quote.wrap(f"“{c.text}”")
            if c.url:
                lines.append(f"      {c.url}")
    return "\n".join(lines) + "\n"


def _print_check(answerer, stdout: TextIO) -> None:
    stats = answerer.stats
    print(f"knowledge: {answerer.knowledge.directory}", file=stdout)
    print(f"documents: {stats.documents}", file=stdout)
    print(f"passages:  {stats.passages}", file=stdout)
    for report, count in stats.per_report.items():
        print(f"  {report}: {count}", file=stdout)
    print(f"  untagged: {stats.untagged}", file=stdout)
    for line in answerer.knowledge.skipped:
        print(line, file=stdout)
    skipped = len(answerer.knowledge.skipped)
    print("ok: every file is valid" if not skipped else
          f"ok: every readable file is valid ({skipped} skipped: convert to .md, .txt, .html or .yaml)", file=stdout)
