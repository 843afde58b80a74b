"""What the store keeps for "Ask an expert": hand-offs, and the passages experts taught.

One implementation serves SQLite and PostgreSQL: each store runs a statement through its own
``_run(sql, params)`` (SQL written with ``?`` placeholders). Learned passages live in the store,
not in files, so that every process on every machine sees them; each process's live reload asks
for ``learned_stamp()`` (cheap) and reads ``learned_passages()`` only when it changed.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from bot.knowledge import Passage
from bot.knowledge.learned import LEARNED_PATH
from bot.reports import REPORTS

__all__ = ["Handoff", "ExpertStore", "EXPERT_SCHEMA"]

# Valid in both SQLite and PostgreSQL; added to SQLite's schema, and as PostgreSQL migration 2.
EXPERT_SCHEMA = """
CREATE TABLE IF NOT EXISTS handoffs (
    answer_id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    asker TEXT,
    channel TEXT,
    thread_ts TEXT,
    answer_text TEXT NOT NULL DEFAULT '',
    expert_channel TEXT,
    expert_ts TEXT,
    permalink TEXT,
    created DOUBLE PRECISION NOT NULL,
    answered DOUBLE PRECISION,
    learned_id TEXT
);
CREATE INDEX IF NOT EXISTS handoffs_thread ON handoffs(channel, thread_ts);
CREATE INDEX IF NOT EXISTS handoffs_expert_post ON handoffs(expert_channel, expert_ts);
CREATE TABLE IF NOT EXISTS learned (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    title TEXT NOT NULL,
    section TEXT NOT NULL,
    reports TEXT NOT NULL DEFAULT '',
    url TEXT,
    source TEXT,
    expert TEXT,
    answer_id TEXT,
    created DOUBLE PRECISION NOT NULL
);
"""

_HANDOFF_COLUMNS = ("answer_id, question, asker, channel, thread_ts, answer_text, expert_channel, expert_ts, "
                    "permalink, created, answered, learned_id")


@dataclass(frozen=True)
class Handoff:
    """A question handed to the experts: who asked where, what the bot said, where it was posted."""

    answer_id: str
    question: str
    asker: str | None = None
    channel: str | None = None
    thread_ts: str | None = None  # the asker's thread (None: a /soc question, asked privately)
    answer_text: str = ""
    expert_channel: str | None = None
    expert_ts: str | None = None  # the hand-off post in the expert channel
    permalink: str | None = None  # to the asker's question
    created: float = 0.0
    answered: float | None = None  # when an expert's answer was saved for it
    learned_id: str | None = None


class ExpertStore:
    """Mixed into SQLiteStore and PostgresStore, which supply ``_run``."""

    def _run(self, sql: str, params: tuple = ()) -> tuple[list[tuple], int]:
        """Run one statement (``?`` placeholders); its rows (if it returns any) and row count."""
        raise NotImplementedError

    # -- hand-offs ------------------------------------------------------------------------------
    def hand_off(self, handoff: Handoff) -> bool:
        """Record a hand-off; False if this answer was handed off already (post nothing then)."""
        _, count = self._run(
            f"INSERT INTO handoffs({_HANDOFF_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (handoff.answer_id, handoff.question, handoff.asker, handoff.channel, handoff.thread_ts,
             handoff.answer_text, handoff.expert_channel, handoff.expert_ts, handoff.permalink,
             handoff.created or time.time(), None, None))
        return count == 1

    def handoff_posted(self, answer_id: str, expert_channel: str, expert_ts: str | None, permalink: str | None) -> None:
        self._run("UPDATE handoffs SET expert_channel = ?, expert_ts = ?, permalink = ? WHERE answer_id = ?",
                  (expert_channel, expert_ts, permalink, answer_id))

    def drop_handoff(self, answer_id: str) -> None:
        """Undo a hand-off whose post failed, so that a later click may try again."""
        self._run("DELETE FROM handoffs WHERE answer_id = ?", (answer_id,))

    def handoff(self, answer_id: str) -> Handoff | None:
        rows, _ = self._run(f"SELECT {_HANDOFF_COLUMNS} FROM handoffs WHERE answer_id = ?", (answer_id,))
        return Handoff(*rows[0]) if rows else None

    def handoffs_in_thread(self, channel: str, thread_ts: str) -> list[Handoff]:
        """Hand-offs whose asker's thread, or whose post in the expert channel, this thread is
        (several questions may have been handed off from one thread)."""
        rows, _ = self._run(
            f"SELECT {_HANDOFF_COLUMNS} FROM handoffs WHERE (channel = ? AND thread_ts = ?)"
            " OR (expert_channel = ? AND expert_ts = ?) ORDER BY created",
            (channel, thread_ts, channel, thread_ts))
        return [Handoff(*row) for row in rows]

    def handoffs(self) -> list[Handoff]:
        rows, _ = self._run(f"SELECT {_HANDOFF_COLUMNS} FROM handoffs ORDER BY created")
        return [Handoff(*row) for row in rows]

    # -- learned passages -----------------------------------------------------------------------
    def learn(self, passage: Passage, *, expert: str, answer_id: str | None) -> bool:
        """Store a learned passage and mark its hand-off answered; False if a passage with this
        id (the same reply, saved again) is there already."""
        now = time.time()
        _, count = self._run(
            "INSERT INTO learned(id, text, title, section, reports, url, source, expert, answer_id, created)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (passage.id, passage.text, passage.title, passage.section, ",".join(passage.reports),
             passage.url, passage.source, expert, answer_id, now))
        if count == 1 and answer_id:
            self._run("UPDATE handoffs SET answered = ?, learned_id = ? WHERE answer_id = ? AND answered IS NULL",
                      (now, passage.id, answer_id))
        return count == 1

    def unlearn(self, passage_id: str) -> bool:
        """Remove a learned passage; its hand-off is open again unless another saved reply
        answers it. False if there was none."""
        _, count = self._run("DELETE FROM learned WHERE id = ?", (passage_id,))
        self._run("UPDATE handoffs SET learned_id = (SELECT min(l.id) FROM learned l WHERE l.answer_id ="
                  " handoffs.answer_id), answered = CASE WHEN EXISTS (SELECT 1 FROM learned l WHERE l.answer_id ="
                  " handoffs.answer_id) THEN answered ELSE NULL END WHERE learned_id = ?", (passage_id,))
        return count == 1

    def learned_stamp(self) -> tuple:
        """Changes whenever a learned passage is added or removed (cheap: polled by every process)."""
        rows, _ = self._run("SELECT count(*), coalesce(max(created), 0), coalesce(sum(created), 0) FROM learned")
        return tuple(rows[0])

    def learned_passages(self) -> tuple[Passage, ...]:
        rows, _ = self._run("SELECT id, text, title, section, reports, url, source FROM learned ORDER BY created, id")
        return tuple(Passage(id=pid, text=text, title=title, section=section,
                             reports=tuple(r for r in (reports or "").split(",") if r in REPORTS),
                             url=url, source=source, path=LEARNED_PATH, line=None)
                     for pid, text, title, section, reports, url, source in rows)

    def learned_experts(self) -> dict[str, tuple[str | None, float]]:
        """Per learned passage: the expert who saved it, and when."""
        rows, _ = self._run("SELECT id, expert, created FROM learned")
        return {pid: (expert, created) for pid, expert, created in rows}

    def votes_citing(self, passage_id: str, since: float = 0.0) -> tuple[int, int]:
        """(up, down) votes on answers that cited ``passage_id``, cast since ``since``."""
        rows, _ = self._run(
            "SELECT a.sources, v.vote FROM votes v JOIN answers a ON a.answer_id = v.answer_id"
            " WHERE v.updated >= ? AND a.sources LIKE ?", (since, f"%{passage_id}%"))
        cited = [vote for sources, vote in rows if passage_id in (sources or "").split(",")]
        return sum(1 for v in cited if v > 0), sum(1 for v in cited if v < 0)

    def prune_handoffs(self, older_than: float) -> int:
        """Hand-offs hold question text (DMs included): they go with the other questions."""
        _, count = self._run("DELETE FROM handoffs WHERE created < ?", (older_than,))
        return count
