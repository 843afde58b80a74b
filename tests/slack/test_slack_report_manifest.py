"""scripts/report.py for the knowledge owner, the Procfile and the Slack app manifest."""
import os
import re
import subprocess
import sys

import yaml
from support.harness import REPO, procfile_web_command

from bot.slack.buttons import SHORTCUT_SAVE_ANSWER
from bot.slack.listeners.commands import COMMAND
from bot.slack.store import SQLiteStore


def _report(*args, env=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, str(REPO / "scripts" / "report.py"), *args], capture_output=True,
                          text=True, timeout=60, env=full_env)


def test_report_lists_declined_and_voted_down_most_frequent_first(tmp_path):
    db = tmp_path / "socbot.db"
    store = SQLiteStore(db)
    for i, q in enumerate(["Pizza?", "What is the weather?", "what is the  WEATHER?", "What is the weather?"]):
        store.record_answer(f"d{i}", q, False)
    store.record_answer("a1", "What is SOC 1?", True, sources="soc1-purpose")
    store.record_answer("a2", "What is a bridge letter?", True, sources="bridge")
    store.vote("a1", "U1", -1)
    store.vote("a1", "U2", -1)
    store.vote("a2", "U1", -1)
    store.vote("a2", "U3", 1)
    result = _report(env={"SOCBOT_DB": str(db)})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    declined, voted = out.split("Answers voted down")
    assert declined.index("weather") < declined.index("Pizza?")
    assert re.search(r"^\s+3\s+\d{4}-\d\d-\d\d\s+\d{4}-\d\d-\d\d\s+What is the weather\?", declined, re.M)
    assert voted.index("What is SOC 1?") < voted.index("What is a bridge letter?")
    assert "cited: soc1-purpose" in voted and "What is SOC 1?" not in declined


def test_report_without_a_store_says_so(tmp_path):
    result = _report("--db", str(tmp_path / "missing.db"))
    assert result.returncode == 2 and "SOCBOT_DB" in result.stderr


def test_procfile_runs_uvicorn_web_and_socket_mode_worker():
    lines = dict(line.split(":", 1) for line in (REPO / "Procfile").read_text().splitlines() if line.strip())
    web = lines["web"].split()
    assert web[0] == "uvicorn" and "--factory" in web and "bot.slack.web:create_asgi_app" in web
    assert web[web.index("--port") + 1] == "$PORT"
    assert lines["worker"].strip() == "python -m bot"
    command = procfile_web_command(8000)
    assert command[:3] == [sys.executable, "-m", "uvicorn"] and "8000" in command and "127.0.0.1" in command


def test_manifest_declares_what_the_app_handles():
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text())
    info = manifest["display_information"]
    assert 1 <= len(info["name"]) <= 35 and len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    features, settings = manifest["features"], manifest["settings"]
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im", "app_home_opened"}
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {"app_mentions:read", "chat:write", "commands",
                                                              "im:history", "chat:write.public"}
    (shortcut,) = features["shortcuts"]
    assert shortcut["type"] == "message" and shortcut["callback_id"] == SHORTCUT_SAVE_ANSWER


def test_report_groups_declined_questions_by_their_strongest_term(tmp_path, bundled):
    from bot.slack.report import coverage, render

    store = SQLiteStore(tmp_path / "socbot.db")
    asked = ["is iso 14001 needed for our plant?", "iso 14001 checklist pls", "iso 14001 checklist pls",
             "who watches the siem on weekends", "siem dashboards are slow again", "what's the capital of france"]
    for i, q in enumerate(asked):
        store.record_answer(f"d{i}", q, False)
    groups = coverage(store.declined(), bundled)
    by_term = {g.term: g for g in groups}
    # "ISO 14001" is one name (vocabulary other_fields): the group is that standard
    assert by_term["iso 14001"].asked == 3 and len(by_term["iso 14001"].questions) == 2
    assert set(by_term["siem"].questions) == {"who watches the siem on weekends", "siem dashboards are slow again"}
    assert groups[0].term == "iso 14001"  # most asked first
    assert not any(g.term in ("soc", "which", "report", "iso") for g in groups)  # frame and common words
    out = render(store, answerer=bundled)
    assert "Declined questions by strongest term" in out and "iso 14001: " in out


def test_the_store_is_readable_by_its_owner_only(tmp_path):
    store = SQLiteStore(tmp_path / "data" / "socbot.db")
    store.record_answer("a1", "a question asked in a DM", True)
    files = [p for p in (tmp_path / "data").iterdir() if p.name.startswith("socbot.db")]
    assert {p.name for p in files} >= {"socbot.db", "socbot.db-wal"}
    assert all(p.stat().st_mode & 0o077 == 0 for p in files), [oct(p.stat().st_mode) for p in files]


def test_questions_and_votes_are_kept_only_for_the_retention_period(tmp_path):
    import sqlite3
    import time

    db = tmp_path / "socbot.db"
    store = SQLiteStore(db)
    store.record_answer("old", "an old DM question", False, user="U1")
    store.vote("old", "U1", -1)
    store.record_answer("new", "a recent question", False, user="U1")
    store.claim("C1:1.0")
    with sqlite3.connect(db) as conn:  # age the first answer, its vote and the claim by 100 days
        old = time.time() - 100 * 86400
        conn.execute("UPDATE answers SET created = ? WHERE answer_id = 'old'", (old,))
        conn.execute("UPDATE handled SET created = ?", (old,))
    store.close()
    kept = SQLiteStore(db, retention_days=90)  # pruned at start
    assert kept.question_for("old") is None and kept.question_for("new") == "a recent question"
    assert kept.voted_down() == [] and kept.claim("C1:1.0")  # the old claim is gone too
    assert [r.question for r in kept.declined()] == ["a recent question"]


def test_report_shows_open_and_answered_hand_offs_and_what_experts_taught(tmp_path):
    from bot.knowledge.learned import learned_passage
    from bot.slack.expert_store import Handoff
    from bot.slack.report import render

    store = SQLiteStore(tmp_path / "socbot.db")
    now = 1_800_000_000.0
    store.hand_off(Handoff("C1:1.1", "who signs a bridge letter?", "U1", "C1", "1.1", created=now - 3 * 3600))
    store.hand_off(Handoff("C1:2.2", "how long keep badge logs?", "U1", "C1", "2.2", created=now - 5 * 86400))
    taught = learned_passage("One year for SOC 2.", "how long keep badge logs?", expert="UEXPERT1", url=None,
                             when=now)
    store.learn(taught, expert="UEXPERT1", answer_id="C1:2.2")
    store.record_answer("a1", "badge logs?", True, sources=taught.id)
    store.vote("a1", "U2", 1)
    text = render(store, now=now + 60)
    waiting, answered, learned = (text.split("still open")[1].split("experts answered")[0],
                                  text.split("experts answered")[1].split("experts taught")[0],
                                  text.split("experts taught")[1])
    assert re.search(r"3\.0h\s+\S+\s+who signs a bridge letter\?", waiting) and "badge" not in waiting
    assert "how long keep badge logs?" in answered and "bridge" not in answered
    assert taught.id in learned and "UEXPERT1" in learned and "👍 1 👎 0" in learned
