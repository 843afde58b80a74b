"""``socbot learned``: the answers experts saved in Slack, to list, export for review, or remove.

Learned passages live in the bot's store (SOCBOT_DB, or DATABASE_URL), so that every process and
machine answers from them. Export writes them as a knowledge file in socbot's YAML format: review
it, commit it to the knowledge directory, then remove the learned copies.

Examples:
  socbot learned list
  socbot learned export > knowledge/learned-2026-11.yaml
  socbot learned export --output knowledge/learned.yaml
  socbot learned remove learned-3f9c2a1b7d40
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bot.errors import SocbotError
from bot.knowledge.learned import export_yaml
from bot.terminal import printable

__all__ = ["main"]


def main(argv: list[str] | None = None, stdout=None) -> int:
    stdout = stdout or sys.stdout
    parser = argparse.ArgumentParser(prog="socbot learned", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=None, help="a SQLite store to use (default: DATABASE_URL, else $SOCBOT_DB)")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("list", help="id, date, expert and question of each learned passage")
    export = sub.add_parser("export", help="write them as a YAML knowledge file (stdout by default)")
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    remove = sub.add_parser("remove", help="remove one; askers stop getting it at the next reload")
    remove.add_argument("id", help="the passage id, as `list` shows it")
    args = parser.parse_args(argv)
    from bot.slack.run import open_tool_store  # imported here: --help needs no store

    try:
        store = open_tool_store(args.db)
    except SocbotError as err:
        print(f"learned: {err}", file=sys.stderr)
        return err.exit_status
    try:
        return _run(args, store, stdout)
    finally:
        store.close()


def _run(args, store, stdout) -> int:
    passages = store.learned_passages()
    if args.action == "list":
        who = store.learned_experts()
        if not passages:
            print("no learned passages", file=stdout)
        for p in passages:
            expert, created = who.get(p.id, (None, 0.0))
            day = time.strftime("%Y-%m-%d", time.gmtime(created))
            print(printable(f"{p.id}  {day}  {expert or '?'}  {p.title}"), file=stdout)
        return 0
    if args.action == "export":
        text = export_yaml(list(passages))
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
            print(f"wrote {len(passages)} passages to {args.output}", file=sys.stderr)
        else:
            stdout.write(text)
        return 0
    if not store.unlearn(args.id):
        print(f"learned: no learned passage {args.id!r} (see `socbot learned list`)", file=sys.stderr)
        return 2
    print(f"removed {args.id}", file=stdout)
    return 0
