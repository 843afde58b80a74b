"""The ``socbot`` command: ``ask``, ``check``, ``serve``, ``eval``, ``report``, ``learned`` and ``bench``.

``socbot-ask`` and ``scripts/ask.py`` are ``socbot ask``. Errors meant for the user (a broken
knowledge file, a bad setting, an empty question) are one line on stderr with a documented exit
status; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Iterable, TextIO

from bot import config
from bot.errors import SettingsError, SocbotError
from bot.terminal import format_answer, terminal_width
from bot.types import Answer

__all__ = ["main", "ask_main", "format_answer"]  # format_answer: bot.terminal's, kept here for callers

EPILOG = """\
examples:
  socbot ask "Which report covers availability?"
  socbot ask --json "do we need soc 1 or soc 2 for payroll?"
  socbot ask "what's the difference between SOC 1 and SOC 2?"   # a side-by-side table
  printf 'what is a bridge letter\\nsoc 3 vs soc 2\\n' | socbot ask --json
  socbot check --knowledge ./my-knowledge
  socbot serve                      # the Slack app: Socket Mode if SLACK_APP_TOKEN is set, else HTTP
  socbot eval --failures            # answer quality on a labelled question set (a checkout's by default)
  socbot report --db socbot.db      # declined questions, answers voted down, hand-offs to experts
  socbot learned export > knowledge/learned.yaml   # answers experts saved in Slack, for review
  socbot bench                      # speed, with references measured in the same run

exit status: 0 done (answered or declined), 1 broken knowledge, 2 usage or setting error
environment: see bot/config.py (SOCBOT_KNOWLEDGE, SOCBOT_TOP_K, SOCBOT_CACHE_DIR, SLACK_*…)
"""

ASK_EPILOG = """\
examples:
  {prog} "Which report covers availability?"
  {prog} --json "do we need soc 1 or soc 2 for payroll?"
  {prog} "compare type 1 and type 2"          # a side-by-side table, cited cell by cell
  printf 'what is a bridge letter\\nsoc 3 vs soc 2\\n' | {prog} --json
  {prog} --check --knowledge ./my-knowledge

exit status: 0 answered or declined, 1 broken knowledge, 2 usage error (e.g. an empty question)
environment: SOCBOT_KNOWLEDGE (default --knowledge), SOCBOT_TOP_K (default --top-k),
  SOCBOT_CACHE_DIR (restart cache of the analyzed base; "off" disables it)
"""


ASK_DESCRIPTION = ("Answer a question about SOC 1, SOC 2 and SOC 3 reports from the knowledge base, with the "
                   "passages it relied on. With no question, reads one per line from stdin.")
# Subcommands with parsers of their own: module, and the one line of `socbot --help`.
_TOOLS = {
    "eval": ("bot.answers.evaluation", "answer quality on a labelled question set"),
    "report": ("bot.slack.report", "declined questions, answers voted down, hand-offs to experts"),
    "learned": ("bot.slack.learned_cli", "answers experts saved in Slack: list, export, remove"),
    "bench": ("bot.bench.speed", "speed, with references measured in the same run"),
}


def _knowledge_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--knowledge", metavar="DIR", default=None,
                        help="knowledge directory (env SOCBOT_KNOWLEDGE; default: the bundled one)")


def _ask_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", nargs="*", help="the question (quote it, or pass it as several words)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per question")
    _knowledge_option(parser)
    parser.add_argument("--top-k", metavar="N", type=int, default=None,
                        help=f"how many passages to cite, 1-{config.MAX_TOP_K} (env SOCBOT_TOP_K; default 3)")
    parser.add_argument("--check", action="store_true",
                        help="validate the knowledge base and print what it holds, then exit")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="socbot", description="Answers questions about SOC 1, SOC 2 and "
                                     "SOC 3 reports from a cited knowledge base.", epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    raw = argparse.RawDescriptionHelpFormatter
    _ask_arguments(sub.add_parser("ask", help="answer a question in the terminal",
                                  epilog=ASK_EPILOG.format(prog="socbot ask"),
                                  formatter_class=raw, description=ASK_DESCRIPTION))
    check = sub.add_parser("check", help="validate the knowledge base", formatter_class=raw,
                           epilog="examples:\n  socbot check\n  socbot check --knowledge ./my-knowledge")
    _knowledge_option(check)
    serve = sub.add_parser("serve", help="run the Slack app", formatter_class=raw,
                           epilog="examples:\n  socbot serve           # Socket Mode if SLACK_APP_TOKEN is set\n"
                           "  socbot serve --http    # HTTP on $PORT under uvicorn (the Procfile's web line)")
    serve.add_argument("--http", action="store_true", help="HTTP mode even if SLACK_APP_TOKEN is set")
    for name, (_, text) in _TOOLS.items():
        sub.add_parser(name, help=text, add_help=False)  # run by main() before parsing: own --help
    return parser


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    command, rest = (argv[0], argv[1:]) if argv and not argv[0].startswith("-") else (None, argv)
    if command in _TOOLS:
        return importlib.import_module(_TOOLS[command][0]).main(rest)  # imported here: --help stays fast
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(stdout or sys.stdout)
        return 0
    if args.command == "serve":
        from bot.slack.run import serve  # imported here: the core never needs Slack

        return serve(http=args.http)
    if args.command == "check":
        args.question, args.json, args.top_k, args.check = [], False, None, True
    return _ask(args, stdin or sys.stdin, stdout or sys.stdout)


def ask_main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """``socbot-ask`` and ``scripts/ask.py``: the ``ask`` subcommand on its own."""
    parser = argparse.ArgumentParser(
        prog="socbot-ask", epilog=ASK_EPILOG.format(prog="socbot-ask"), description=ASK_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _ask_arguments(parser)
    return _ask(parser.parse_args(argv), stdin or sys.stdin, stdout or sys.stdout)


def _ask(args, stdin: TextIO, stdout: TextIO) -> int:
    try:
        top_k = config.top_k() if args.top_k is None else args.top_k
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_status
    if not 1 <= top_k <= config.MAX_TOP_K:
        print(f"error: --top-k must be between 1 and {config.MAX_TOP_K}", file=sys.stderr)
        return 2
    args.top_k = top_k
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
        print(format_answer(answer, terminal_width(stdout)), file=stdout)


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
          f"ok: every readable file is valid ({skipped} skipped: convert to .md, .mdx, .txt, .adoc, .org, .tex, .html or .yaml)", file=stdout)
