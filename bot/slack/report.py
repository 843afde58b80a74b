"""``socbot report``: for the knowledge owner, questions socbot declined and answers people voted
down, most frequent first, with the dates they were first and last seen; then the declined
questions grouped by their strongest term (coverage: what to write next); then the questions
handed to experts (open ones and how long they have waited, answered ones and how long that
took) and the answers experts taught, with the votes on answers that cited them since.

A question's strongest term is its topic word (frame words such as "which report" aside) that is
rarest in the knowledge base, a word the base has never seen weighing the most; between equally
rare words, the one most asked across the declined questions. Questions that share it form one
group; groups are listed by how often their questions were asked.

Examples:
  socbot report                          # the bot's store: DATABASE_URL, else $SOCBOT_DB (socbot.db)
  socbot report --db /var/lib/socbot/socbot.db --limit 50
  socbot report --knowledge ./my-knowledge   # coverage against another knowledge directory
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass

from bot import config
from bot.errors import SocbotError
from bot.slack.store import ReportRow, Store
from bot.terminal import printable

__all__ = ["main", "render", "coverage", "CoverageGroup"]


@dataclass(frozen=True)
class CoverageGroup:
    term: str  # the strongest term, as people wrote it
    asked: int  # how often its questions were asked
    questions: tuple[str, ...]  # most asked first


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


def coverage(rows: list[ReportRow], answerer) -> list[CoverageGroup]:
    """Declined questions grouped by their strongest term against ``answerer``'s knowledge."""
    index = answerer.index
    unseen = index.bm25.unseen_idf()
    topics = [(row, [t for t in answerer.read(row.question)[0].topic if t.word]) for row in rows]
    shared: dict[str, int] = {}  # how often each term was asked: equally rare terms, the most shared wins
    for row, terms in topics:
        for term in {t.term for t in terms}:
            shared[term] = shared.get(term, 0) + row.count
    groups: dict[str, list[ReportRow]] = {}
    for row, terms in topics:
        if not terms:
            continue
        strongest = max(terms, key=lambda t: (index.idf(t.term) if t.term in index else unseen,
                                              shared[t.term], t.word.lower()))
        groups.setdefault(strongest.word.lower(), []).append(row)
    out = [CoverageGroup(term, sum(r.count for r in members), tuple(r.question for r in members))
           for term, members in groups.items()]
    return sorted(out, key=lambda g: (-g.asked, g.term))


def _coverage_lines(groups: list[CoverageGroup], limit: int) -> list[str]:
    title = "Declined questions by strongest term (what to write next)"
    lines = [title, "-" * len(title)]
    if not groups:
        return lines + ["(none)", ""]
    lines.append(f"{'asked':>6}  term: questions")
    for g in groups[:limit]:
        shown = " | ".join(" ".join(q.split())[:80] for q in g.questions[:3])
        more = f" (+{len(g.questions) - 3} more)" if len(g.questions) > 3 else ""
        lines.append(f"{g.asked:>6}  {g.term}: {shown}{more}")
    if len(groups) > limit:
        lines.append(f"… and {len(groups) - limit} more terms (use --limit)")
    return lines + [""]


def _waited(seconds: float) -> str:
    hours = max(0.0, seconds) / 3600
    return f"{hours:.1f}h" if hours < 48 else f"{hours / 24:.0f}d"


def _section(title: str, lines: list[str]) -> list[str]:
    return [title, "-" * len(title), *(lines or ["(none)"]), ""]


def _expert_lines(store, limit: int, now: float) -> list[str]:
    handoffs = store.handoffs()
    waiting = sorted((h for h in handoffs if h.answered is None), key=lambda h: h.created)
    answered = sorted((h for h in handoffs if h.answered is not None), key=lambda h: -h.answered)

    def row(took: float, h) -> str:
        return f"{_waited(took):>8}  {_date(h.created)}  {' '.join(h.question.split())[:110]}"

    lines = _section("Questions handed to experts, still open (waiting, asked, question)",
                     [row(now - h.created, h) for h in waiting[:limit]])
    lines += _section("Questions experts answered (time to answer, asked, question)",
                      [row(h.answered - h.created, h) for h in answered[:limit]])
    experts, taught = store.learned_experts(), []
    for p in store.learned_passages()[:limit]:
        expert, created = experts.get(p.id, (None, 0.0))
        up, down = store.votes_citing(p.id, created)
        taught.append(f"{p.id}  {_date(created)}  by {expert or '?'}  👍 {up} 👎 {down}  {p.title[:80]}")
    return lines + _section("Answers experts taught (votes on answers citing them since)", taught)


def render(store: Store, limit: int = 20, answerer=None, now: float | None = None) -> str:
    """The report; with ``answerer``, the coverage view against its knowledge too."""
    declined = store.declined()
    lines = _table("Questions declined (not in the knowledge base)", "asked", declined, limit, sources=False)
    if answerer is not None:
        lines += _coverage_lines(coverage(declined, answerer), limit)
    lines += _table("Answers voted down", "👎", store.voted_down(), limit, sources=True)
    if hasattr(store, "handoffs"):
        lines += _expert_lines(store, limit, time.time() if now is None else now)
    lines.append("Dates are UTC. Votes count once per person per answer (their latest vote).")
    return printable("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="socbot report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=None,
                        help=f"a SQLite store to read (default: DATABASE_URL, else $SOCBOT_DB, else {config.DEFAULT_DB})")
    parser.add_argument("--limit", type=int, default=20, help="rows per table (default %(default)s)")
    parser.add_argument("--knowledge", metavar="DIR", default=None,
                        help="the knowledge the coverage view is measured against (env SOCBOT_KNOWLEDGE; "
                        "default: the bundled one)")
    args = parser.parse_args(argv)
    if args.limit < 1:
        parser.error("--limit must be at least 1")
    from bot.answers.answerer import Answerer  # imported here: the store tables need no index
    from bot.slack.run import open_tool_store

    try:
        store = open_tool_store(args.db)
        answerer = Answerer.cached(args.knowledge)
    except SocbotError as err:
        print(f"report: {err}", file=sys.stderr)
        return err.exit_status
    try:
        print(render(store, args.limit, answerer))
    finally:
        store.close()
    return 0

