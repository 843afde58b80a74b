"""The small store behind duplicate safety and feedback.

One SQLite file (``SOCBOT_DB``) in WAL mode, shared by every web worker and the Socket Mode
worker on a machine: claiming an event is one ``INSERT OR IGNORE`` on its primary key, which
SQLite makes atomic across processes, so a retry or a twin event landing on another worker
still finds the first claim.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from bot.slack.expert_store import EXPERT_SCHEMA, ExpertStore

__all__ = ["Store", "SQLiteStore", "ReportRow", "message_key", "question_key"]

# Slack retries within about five minutes; keep claims far longer, then forget them.
_KEEP_CLAIMS_SECONDS = 7 * 24 * 3600
_PRUNE_EVERY = 500
PRUNE_SECONDS = 3600  # a quiet bot still forgets on time: at most an hour late

_SCHEMA = """
CREATE TABLE IF NOT EXISTS handled (
    key TEXT PRIMARY KEY,
    event_id TEXT,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS handled_created ON handled(created);
CREATE TABLE IF NOT EXISTS answers (
    answer_id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    qkey TEXT NOT NULL,
    answered INTEGER NOT NULL,
    sources TEXT NOT NULL DEFAULT '',
    user TEXT,
    channel TEXT,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_declined ON answers(answered, qkey);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL,
    user TEXT NOT NULL,
    vote INTEGER NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (answer_id, user)
);
"""


def message_key(channel: str, ts: str) -> str:
    """The key of a Slack message: ``app_mention`` and ``message`` twins share it, retries too."""
    return f"{channel}:{ts}"


def question_key(question: str) -> str:
    """Questions that differ only in case and spacing count as the same question in reports."""
    return " ".join(question.lower().split())


@dataclass(frozen=True)
class ReportRow:
    question: str
    count: int
    first: float
    last: float
    sources: str = ""


@runtime_checkable
class Store(Protocol):
    """What the Slack layer records. Implementations must be safe across threads and processes."""

    def claim(self, key: str, event_id: str | None = None) -> bool:
        """Record ``key`` as handled; False if it already was (then post nothing)."""

    def record_answer(self, answer_id: str, question: str, answered: bool, *,
                      sources: str = "", user: str | None = None, channel: str | None = None,
                      answer: str | None = None) -> None:
        """Remember an answer given (the first record of an id wins); ``answer``: the answer
        itself as JSON, kept where it may be shared later (a /soc answer)."""

    def stored_answer(self, answer_id: str) -> str | None:
        """The answer JSON recorded with ``answer_id``, if one was."""

    def question_for(self, answer_id: str) -> str | None:
        """The question behind an answer id, or None if unknown."""

    def asker_of(self, answer_id: str) -> str | None:
        """The user who asked the question behind an answer id, or None if unknown."""

    def release(self, key: str) -> None:
        """Undo a claim whose work failed, so that a later attempt may do it."""

    def prune(self, older_than: float) -> int:
        """Forget questions, votes and handled events older than ``older_than`` (a Unix time);
        returns how many rows went."""

    def vote(self, answer_id: str, user: str, value: int) -> int | None:
        """Set ``user``'s vote (+1 or -1) on an answer; return their previous vote, if any."""

    def declined(self) -> list[ReportRow]:
        """Declined questions, most frequent first."""

    def voted_down(self) -> list[ReportRow]:
        """Questions whose answers were voted down, most down votes first."""


class SQLiteStore(ExpertStore):
    """The default store: one SQLite file, one connection per thread and process."""

    def __init__(self, path: str | os.PathLike[str], retention_days: float | None = None) -> None:
        """``retention_days``: questions and votes older than this are pruned, at start and then
        every few hundred events (None keeps them)."""
        self.path = str(path)
        self.retention = retention_days * 86400 if retention_days else None
        if self.path != ":memory:" and not self.path.startswith("file:"):
            Path(self.path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Questions (DMs included) are kept here: readable by this user only. SQLite gives its
            # -wal and -shm files the database file's permissions.
            os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))
        self._local = threading.local()
        self._claims = 0
        self._pruned = time.time()  # pruned at start (below); then every PRUNE_SECONDS or _PRUNE_EVERY claims
        self._connect()  # create the schema now, so a bad path fails at start-up, not on the first event
        if self.retention:
            self.prune(time.time() - self.retention)

    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        # A connection must not cross a fork (a server may fork workers): reopen in a new process.
        if conn is not None and getattr(self._local, "pid", None) == os.getpid():
            return conn
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.executescript(_SCHEMA + EXPERT_SCHEMA)
        if "answer" not in {row[1] for row in conn.execute("PRAGMA table_info(answers)")}:
            conn.execute("ALTER TABLE answers ADD COLUMN answer TEXT")  # files made before it existed
        self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _run(self, sql: str, params: tuple = ()) -> tuple[list[tuple], int]:
        cur = self._connect().execute(sql, params)
        return (cur.fetchall() if cur.description else []), cur.rowcount

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def claim(self, key: str, event_id: str | None = None) -> bool:
        now = time.time()
        conn = self._connect()
        cur = conn.execute("INSERT OR IGNORE INTO handled(key, event_id, created) VALUES (?, ?, ?)",
                           (key, event_id, now))
        self._claims += 1
        if self._claims % _PRUNE_EVERY == 0 or now - self._pruned > PRUNE_SECONDS:
            self._pruned = now
            conn.execute("DELETE FROM handled WHERE created < ?", (now - _KEEP_CLAIMS_SECONDS,))
            if self.retention:
                self.prune(now - self.retention)
        return cur.rowcount == 1

    def record_answer(self, answer_id: str, question: str, answered: bool, *,
                      sources: str = "", user: str | None = None, channel: str | None = None,
                      answer: str | None = None) -> None:
        self._connect().execute(
            "INSERT OR IGNORE INTO answers(answer_id, question, qkey, answered, sources, user, channel, created,"
            " answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (answer_id, question, question_key(question), int(answered), sources, user, channel, time.time(), answer),
        )

    def stored_answer(self, answer_id: str) -> str | None:
        row = self._connect().execute("SELECT answer FROM answers WHERE answer_id = ?", (answer_id,)).fetchone()
        return row[0] if row else None

    def question_for(self, answer_id: str) -> str | None:
        row = self._connect().execute("SELECT question FROM answers WHERE answer_id = ?", (answer_id,)).fetchone()
        return row[0] if row else None

    def asker_of(self, answer_id: str) -> str | None:
        row = self._connect().execute("SELECT user FROM answers WHERE answer_id = ?", (answer_id,)).fetchone()
        return row[0] if row else None

    def release(self, key: str) -> None:
        self._connect().execute("DELETE FROM handled WHERE key = ?", (key,))

    def prune(self, older_than: float) -> int:
        conn = self._connect()
        gone = 0
        with conn:  # one transaction: votes go with their answers
            conn.execute("BEGIN IMMEDIATE")
            gone += conn.execute("DELETE FROM votes WHERE answer_id IN (SELECT answer_id FROM answers"
                                 " WHERE created < ?)", (older_than,)).rowcount
            gone += conn.execute("DELETE FROM answers WHERE created < ?", (older_than,)).rowcount
            gone += conn.execute("DELETE FROM handled WHERE created < ?", (older_than,)).rowcount
            gone += conn.execute("DELETE FROM handoffs WHERE created < ?", (older_than,)).rowcount
        return gone

    def vote(self, answer_id: str, user: str, value: int) -> int | None:
        if value not in (1, -1):
            raise ValueError("a vote is +1 or -1")
        conn = self._connect()
        # One transaction, so the previous vote we report is the one we replaced.
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT vote FROM votes WHERE answer_id = ? AND user = ?", (answer_id, user)).fetchone()
            conn.execute(
                "INSERT INTO votes(answer_id, user, vote, updated) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(answer_id, user) DO UPDATE SET vote = excluded.vote, updated = excluded.updated",
                (answer_id, user, value, time.time()),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return row[0] if row else None

    def declined(self) -> list[ReportRow]:
        rows = self._connect().execute(
            "SELECT min(question), count(*), min(created), max(created) FROM answers"
            " WHERE answered = 0 GROUP BY qkey ORDER BY count(*) DESC, max(created) DESC"
        ).fetchall()
        return [ReportRow(q, n, first, last) for q, n, first, last in rows]

    def voted_down(self) -> list[ReportRow]:
        rows = self._connect().execute(
            "SELECT min(a.question), count(*), min(v.updated), max(v.updated), max(a.sources)"
            " FROM votes v JOIN answers a ON a.answer_id = v.answer_id"
            " WHERE v.vote < 0 GROUP BY a.qkey ORDER BY count(*) DESC, max(v.updated) DESC"
        ).fetchall()
        return [ReportRow(q, n, first, last, sources or "") for q, n, first, last, sources in rows]
