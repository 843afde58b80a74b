"""The SQLite store: claims are exclusive across processes; votes are one per person, changeable."""
import sqlite3

from slack_helpers import claims_won_by_processes

from bot.slack.store import SQLiteStore, Store, message_key


def test_store_satisfies_the_interface(store):
    assert isinstance(store, Store)


def test_claim_once(store):
    assert store.claim(message_key("C1", "1.0"), "Ev1")
    assert not store.claim(message_key("C1", "1.0"), "Ev2")  # the twin or the retry
    assert store.claim(message_key("C1", "1.1"), "Ev3")
    mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode.lower() == "wal"


def test_claims_are_exclusive_across_processes(tmp_path):
    path = str(tmp_path / "shared.db")
    SQLiteStore(path)
    keys = [f"C1:{i}" for i in range(60)]
    won = claims_won_by_processes(SQLiteStore, path, keys)
    flat = [k for part in won for k in part]
    assert sorted(flat) == sorted(keys)  # every key claimed, and by exactly one process


def test_votes_are_one_per_person_and_changeable(store):
    store.record_answer("a1", "What is SOC 2?", True, sources="x,y")
    assert store.vote("a1", "U1", 1) is None
    assert store.vote("a1", "U1", -1) == 1
    assert store.vote("a1", "U1", -1) == -1
    assert store.vote("a1", "U2", -1) is None
    rows = store.voted_down()
    assert [(r.question, r.count, r.sources) for r in rows] == [("What is SOC 2?", 2, "x,y")]
    store.vote("a1", "U2", 1)
    assert store.voted_down()[0].count == 1


def test_declined_grouped_most_frequent_first(store):
    for i, q in enumerate(["What's the weather?", "what's  the WEATHER?", "Pizza?", "What's the weather?"]):
        store.record_answer(f"d{i}", q, False)
    store.record_answer("ok", "What is SOC 2?", True)
    rows = store.declined()
    assert [r.count for r in rows] == [3, 1]
    assert rows[0].question.lower().startswith("what") and rows[1].question == "Pizza?"
    assert rows[0].first <= rows[0].last


def test_record_answer_keeps_the_first(store):
    store.record_answer("a", "first", True)
    store.record_answer("a", "second", False)
    assert store.question_for("a") == "first" and store.question_for("nope") is None


def test_a_store_file_from_before_answers_were_kept_gains_the_column(tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE answers (answer_id TEXT PRIMARY KEY, question TEXT NOT NULL, qkey TEXT NOT NULL,"
                     " answered INTEGER NOT NULL, sources TEXT NOT NULL DEFAULT '', user TEXT, channel TEXT,"
                     " created REAL NOT NULL)")
        conn.execute("INSERT INTO answers VALUES ('old', 'q?', 'q?', 1, '', 'U1', 'C1', 1.0)")
    store = SQLiteStore(path)
    assert store.question_for("old") == "q?" and store.stored_answer("old") is None
    store.record_answer("new", "q2?", True, answer='{"question": "q2?"}')
    assert store.stored_answer("new") == '{"question": "q2?"}'
