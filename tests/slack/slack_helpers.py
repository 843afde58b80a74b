"""Shared helpers for the Slack tests (a module with a unique name, importable from tests)."""
from __future__ import annotations

import itertools
import threading
import uuid

from slack_bolt.request import BoltRequest
from support.harness import sign

from bot.types import Answer, Citation, KnowledgeStats

SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-0000-secret-token-value"
APP_TOKEN = "xapp-test-0000-secret-app-token"
BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"

_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    """Unique ids keep tests apart on the shared stand-in (channels, event ids, users)."""
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


def new_ts() -> str:
    return f"1700000000.{next(_ids):06d}"


class FakeAnswerer:
    """Answers anything except questions about the weather; records what it was asked."""

    examples = ("What is a SOC 2 report?", "Which report covers availability?", "What is a bridge letter?")
    stats = KnowledgeStats(documents=2, passages=10, per_report={"SOC 1": 4, "SOC 2": 6}, untagged=1)

    def __init__(self) -> None:
        self.questions: list[str] = []
        self._lock = threading.Lock()

    def answer(self, question: str, top_k: int = 3) -> Answer:
        with self._lock:
            self.questions.append(question)
        if "weather" in question.lower():
            return Answer(question, False, (), "That isn't covered by the knowledge base.", (), self.examples)
        text = "Availability covers uptime & <b>capacity</b> planning."
        start = text.index("uptime")
        citation = Citation(1, "soc2-availability", "SOC 2 criteria", "Availability", text, 3.2,
                            "https://example.com/soc2?a=1&b=2", ((start, start + 6),))
        return Answer(question, True, ("SOC 2",), "SOC 2 — availability is one of its criteria.",
                      (citation,), self.examples)


class BrokenAnswerer(FakeAnswerer):
    def answer(self, question: str, top_k: int = 3) -> Answer:
        raise RuntimeError("boom")


def deliver(app, body: bytes, *, content_type: str = "application/json", headers: dict | None = None,
            timestamp: int | None = None, secret: str = SECRET):
    """Hand Bolt a request exactly as the HTTP adapter would, signed like Slack signs it."""
    all_headers = {"content-type": content_type, **sign(secret, body, timestamp), **(headers or {})}
    return app.dispatch(BoltRequest(body=body.decode(), headers=all_headers))



def mention_event(channel: str, ts: str, text: str, *, user: str = "UASKER01", thread_ts: str | None = None,
                  kind: str = "app_mention") -> dict:
    event = {"type": kind, "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts}
    if kind == "message":
        event["channel_type"] = "channel"
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def dm_event(channel: str, ts: str, text: str, *, user: str = "UASKER01", thread_ts: str | None = None,
             **extra) -> dict:
    event = {"type": "message", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts,
             "channel_type": "im", **extra}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def action_payload(action_id: str, value: str, *, user: str, channel: str, response_url: str,
                   ephemeral: bool = False, thread_ts: str | None = None) -> dict:
    message = {"type": "message", "ts": "1700000001.000001", "text": "answer"}
    if thread_ts:
        message["thread_ts"] = thread_ts
    payload = {
        "type": "block_actions", "team": {"id": "T0001"}, "user": {"id": user}, "api_app_id": "A0001",
        "token": "unused", "trigger_id": "t1", "response_url": response_url, "channel": {"id": channel},
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel,
                      "is_ephemeral": ephemeral},
        "actions": [{"action_id": action_id, "block_id": "answer_actions", "value": value, "type": "button",
                     "action_ts": "1700000002.1"}],
    }
    if not ephemeral:
        payload["message"] = message
    return payload


def all_text(call) -> str:
    """Everything a recorded post would show: its text and every text in its blocks, one per line."""
    found = [call.params.get("text") or ""]

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(call.blocks())
    return "\n".join(found)


def _claims_won(args) -> list[str]:
    opener, target, keys = args
    store = opener(target)
    try:
        return [k for k in keys if store.claim(k, "ev")]
    finally:
        store.close()


def claims_won_by_processes(opener, target: str, keys: list[str], processes: int = 4) -> list[list[str]]:
    """Each of ``processes`` fresh processes opens ``opener(target)`` (a store class and its path
    or URL) and tries to claim every key: the keys each one won."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        return pool.map(_claims_won, [(opener, target, keys)] * processes)
