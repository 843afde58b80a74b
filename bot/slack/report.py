"""``socbot report``: for the knowledge owner, questions socbot declined and answers people voted
down, most frequent first, with the dates they were first and last seen.

Examples:
  socbot report                          # the store at $SOCBOT_DB (default socbot.db)
  socbot report --db /var/lib/socbot/socbot.db --limit 50
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bot import config
from bot.errors import SettingsError
from bot.slack.store import ReportRow, SQLiteStore

__all__ = ["main", "render"]


def _date(seconds: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(seconds))


def _table(title: str, count_label: str, rows: list[ReportRow], limit: int, *, sources: bool) -> list[str]:
    lines = [title, "-" * len(title)]
    if not rows:
        return lines + ["(none)", ""]
    lines.append(f"{count_label:>6}  {'first':10}  {'last':10}  question")
    for row in rows[:limit]:
        question = " ".join(row.question.split())
        if len(question) > 120:
            question = question[:119] + "…"
        lines.append(f"{row.count:>6}  {_date(row.first)}  {_date(row.last)}  {question}")
        if sources and row.sources:
            lines.append(f"{'':>6}  {'':10}  {'':10}  cited: {row.sources}")
    if len(rows) > limit:
        lines.append(f"… and {len(rows) - limit} more (use --limit)")
    return lines + [""]


def render(store: SQLiteStore, limit: int = 20) -> str:
    lines = _table("Questions declined (not in the knowledge base)", "asked", store.declined(), limit, sources=False)
    lines += _table("Answers voted down", "👎", store.voted_down(), limit, sources=True)
    lines.append("Dates are UTC. Votes count once per person per answer (their latest vote).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="socbot report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=None,
                        help=f"the store to read (default: $SOCBOT_DB, else {config.DEFAULT_DB})")
    parser.add_argument("--limit", type=int, default=20, help="rows per table (default %(default)s)")
    args = parser.parse_args(argv)
    if args.limit < 1:
        parser.error("--limit must be at least 1")
    try:
        args.db = args.db or config.db_path()
    except SettingsError as err:
        print(f"report: {err}", file=sys.stderr)
        return err.exit_status
    if not Path(args.db).is_file():
        print(f"report: no store at {args.db}: set SOCBOT_DB to the file the bot writes", file=sys.stderr)
        return 2
    print(render(SQLiteStore(args.db), args.limit))
    return 0

