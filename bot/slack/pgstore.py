"""The PostgreSQL store: the same interface as the SQLite one, shared by every machine.

Selected by ``DATABASE_URL`` (bot.config). Several machines behind a load balancer then share one
claim table: claiming an event is ``INSERT … ON CONFLICT DO NOTHING`` on its primary key, so a
retry or a twin event landing on another machine finds the first claim. Connections come from a
psycopg 3 pool; the schema is brought up to date by numbered migrations at start, under an
advisory lock, so two processes starting together migrate once.
"""
from __future__ import annotations

import time

from bot.slack.expert_store import EXPERT_SCHEMA, ExpertStore
from bot.slack.store import PRUNE_SECONDS, ReportRow, question_key

__all__ = ["PostgresStore", "MIGRATIONS"]

_KEEP_CLAIMS_SECONDS = 7 * 24 * 3600
_PRUNE_EVERY = 500
_MIGRATION_LOCK = 0x50C807  # pg_advisory_xact_lock key: one migrating process at a time

# Applied in order, each once (schema_version holds the last one applied). Never edit one that has
# shipped: add the next.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE handled (
        key TEXT PRIMARY KEY,
        event_id TEXT,
        created DOUBLE PRECISION NOT NULL
    );
    CREATE INDEX handled_created ON handled(created);
    CREATE TABLE answers (
        answer_id TEXT PRIMARY KEY,
        question TEXT NOT NULL,
        qkey TEXT NOT NULL,
        answered BOOLEAN NOT NULL,
        sources TEXT NOT NULL DEFAULT '',
        asker TEXT,
        channel TEXT,
        created DOUBLE PRECISION NOT NULL
    );
    CREATE INDEX answers_declined ON answers(answered, qkey);
    CREATE INDEX answers_created ON answers(created);
    CREATE TABLE votes (
        answer_id TEXT NOT NULL,
        voter TEXT NOT NULL,
        vote SMALLINT NOT NULL CHECK (vote IN (-1, 1)),
        updated DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (answer_id, voter)
    );
    """,
    EXPERT_SCHEMA,  # 2: hand-offs to experts, and the passages they taught
    "ALTER TABLE answers ADD COLUMN answer TEXT",  # 3: the answer itself, for sharing it as given
)


class PostgresStore(ExpertStore):
    """A PostgreSQL store over a connection pool (psycopg 3, imported only when selected)."""

    def __init__(self, url: str, retention_days: float | None = None, *, max_size: int = 8) -> None:
        from psycopg_pool import ConnectionPool

        self.retention = retention_days * 86400 if retention_days else None
        self._pool = ConnectionPool(url, min_size=1, max_size=max_size, open=True, timeout=10,
                                    kwargs={"autocommit": True})
        self._claims = 0
        self._pruned = time.time()  # pruned at start (below); then every PRUNE_SECONDS or _PRUNE_EVERY claims
        try:
            self.migrate()
            if self.retention:
                self.prune(time.time() - self.retention)
        except BaseException:
            self._pool.close()  # its background threads must not outlive a store that failed
            raise

    def migrate(self) -> int:
        """Apply the migrations not yet applied; returns the schema version."""
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
            current = row[0] or 0
            for number, sql in enumerate(MIGRATIONS[current:], current + 1):
                conn.execute(sql)
                conn.execute("INSERT INTO schema_version(version) VALUES (%s)", (number,))
            return len(MIGRATIONS)

    def close(self) -> None:
        self._pool.close()

    def _run(self, sql: str, params: tuple = ()) -> tuple[list[tuple], int]:
        with self._pool.connection() as conn:
            cur = conn.execute(sql.replace("?", "%s"), params)
            return (cur.fetchall() if cur.description else []), cur.rowcount

    def claim(self, key: str, event_id: str | None = None) -> bool:
        now = time.time()
        with self._pool.connection() as conn:
            cur = conn.execute("INSERT INTO handled(key, event_id, created) VALUES (%s, %s, %s)"
                               " ON CONFLICT DO NOTHING", (key, event_id, now))
            claimed = cur.rowcount == 1
            self._claims += 1
            due = self._claims % _PRUNE_EVERY == 0 or now - self._pruned > PRUNE_SECONDS
            if due:
                self._pruned = now
                conn.execute("DELETE FROM handled WHERE created < %s", (now - _KEEP_CLAIMS_SECONDS,))
        if due and self.retention:
            self.prune(now - self.retention)
        return claimed

    def release(self, key: str) -> None:
        with self._pool.connection() as conn:
            conn.execute("DELETE FROM handled WHERE key = %s", (key,))

    def record_answer(self, answer_id: str, question: str, answered: bool, *,
                      sources: str = "", user: str | None = None, channel: str | None = None,
                      answer: str | None = None) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO answers(answer_id, question, qkey, answered, sources, asker, channel, created, answer)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (answer_id, question, question_key(question), answered, sources, user, channel, time.time(), answer))

    def stored_answer(self, answer_id: str) -> str | None:
        return self._one("SELECT answer FROM answers WHERE answer_id = %s", answer_id)

    def question_for(self, answer_id: str) -> str | None:
        return self._one("SELECT question FROM answers WHERE answer_id = %s", answer_id)

    def asker_of(self, answer_id: str) -> str | None:
        return self._one("SELECT asker FROM answers WHERE answer_id = %s", answer_id)

    def _one(self, sql: str, *params):
        with self._pool.connection() as conn:
            row = conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def vote(self, answer_id: str, user: str, value: int) -> int | None:
        if value not in (1, -1):
            raise ValueError("a vote is +1 or -1")
        with self._pool.connection() as conn, conn.transaction():
            # The row lock makes "the previous vote" the one this vote replaced.
            row = conn.execute("SELECT vote FROM votes WHERE answer_id = %s AND voter = %s FOR UPDATE",
                               (answer_id, user)).fetchone()
            conn.execute(
                "INSERT INTO votes(answer_id, voter, vote, updated) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (answer_id, voter) DO UPDATE SET vote = excluded.vote, updated = excluded.updated",
                (answer_id, user, value, time.time()))
        return row[0] if row else None

    def prune(self, older_than: float) -> int:
        with self._pool.connection() as conn, conn.transaction():
            gone = conn.execute("DELETE FROM votes WHERE answer_id IN (SELECT answer_id FROM answers"
                                " WHERE created < %s)", (older_than,)).rowcount
            gone += conn.execute("DELETE FROM answers WHERE created < %s", (older_than,)).rowcount
            gone += conn.execute("DELETE FROM handled WHERE created < %s", (older_than,)).rowcount
            gone += conn.execute("DELETE FROM handoffs WHERE created < %s", (older_than,)).rowcount
        return gone

    def declined(self) -> list[ReportRow]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT min(question), count(*), min(created), max(created) FROM answers"
                " WHERE NOT answered GROUP BY qkey ORDER BY count(*) DESC, max(created) DESC").fetchall()
        return [ReportRow(q, n, first, last) for q, n, first, last in rows]

    def voted_down(self) -> list[ReportRow]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT min(a.question), count(*), min(v.updated), max(v.updated), max(a.sources)"
                " FROM votes v JOIN answers a ON a.answer_id = v.answer_id"
                " WHERE v.vote < 0 GROUP BY a.qkey ORDER BY count(*) DESC, max(v.updated) DESC").fetchall()
        return [ReportRow(q, n, first, last, sources or "") for q, n, first, last, sources in rows]
