"""End to end over Socket Mode: ``python -m bot`` (the Procfile's worker line) with an app-level
token connects to a local WebSocket server, whose ws:// URL the stand-in's
apps.connections.open returns; envelopes go in, acks and Web API calls come out."""
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest

websockets_sync = pytest.importorskip("websockets.sync.server")

from slack_helpers import APP_TOKEN, BOT_TOKEN, action_payload, dm_event, mention_event, new_id, new_ts  # noqa: E402
from support.harness import REPO  # noqa: E402

from bot.slack.blocks import ACTION_VOTE_UP  # noqa: E402


class SocketServer:
    """Plays Slack's side of Socket Mode for one client connection at a time."""

    def __init__(self):
        self.acks: dict[str, dict] = {}
        self.cond = threading.Condition()
        self.outbox: "queue.Queue[str]" = queue.Queue()
        self.connections = 0
        self.server = websockets_sync.serve(self._handle, "127.0.0.1", 0, ping_interval=None)
        self.port = self.server.socket.getsockname()[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket={uuid.uuid4().hex}"

    def _handle(self, ws):
        ws.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"},
                            "debug_info": {"host": "standin", "approximate_connection_time": 3600}}))
        with self.cond:
            self.connections += 1
            self.cond.notify_all()
        stop = threading.Event()

        def pump():
            while not stop.is_set():
                try:
                    ws.send(self.outbox.get(timeout=0.1))
                except queue.Empty:
                    continue
                except Exception:
                    return

        threading.Thread(target=pump, daemon=True).start()
        try:
            for message in ws:
                data = json.loads(message)
                with self.cond:
                    self.acks[data.get("envelope_id")] = data
                    self.cond.notify_all()
        except Exception:
            pass
        finally:
            stop.set()

    def wait_connected(self, timeout=30.0):
        with self.cond:
            assert self.cond.wait_for(lambda: self.connections > 0, timeout), "the worker never connected"

    def send(self, kind: str, payload: dict, *, retry_attempt: int = 0, timeout: float = 15.0) -> dict:
        """Send an envelope and return the client's ack for it."""
        envelope_id = uuid.uuid4().hex
        self.outbox.put(json.dumps({
            "envelope_id": envelope_id, "type": kind, "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt, "retry_reason": "timeout" if retry_attempt else ""}))
        with self.cond:
            assert self.cond.wait_for(lambda: envelope_id in self.acks, timeout), f"no ack for {kind}"
            return self.acks[envelope_id]

    def close(self):
        self.server.shutdown()


def _body(event, event_id):
    return {"token": "unused", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
            "event_id": event_id, "event_time": int(time.time()), "event": event,
            "authorizations": [{"team_id": "T0001", "user_id": "UBOT0001", "is_bot": True}]}


@pytest.fixture(scope="module")
def worker(standin, tmp_path_factory):
    pytest.importorskip("bot.answers.answerer")
    tmp = tmp_path_factory.mktemp("socket")
    server = SocketServer()
    standin.ws_url = server.url
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SOCBOT_"))}
    env.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": standin.api_url,
                "SOCBOT_DB": str(tmp / "socbot.db"), "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"})
    log_path = tmp / "worker.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "bot"], env=env, cwd=REPO, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        server.wait_connected()
        yield server, proc, log_path
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(15)
        server.close()
        standin.ws_url = None


def _wait_log(log_path, needle, timeout=15.0):
    deadline = time.monotonic() + timeout
    while needle not in log_path.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"{needle!r} not logged:\n{log_path.read_text()[-3000:]}"
        time.sleep(0.05)


def test_connects_with_the_app_token_and_answers_a_mention_in_a_thread(worker, standin):
    server, _, log_path = worker
    (open_call,) = standin.calls("apps.connections.open")[-1:]
    assert open_call.headers.get("Authorization") == f"Bearer {APP_TOKEN}"
    channel, ts, event_id = new_id("C"), new_ts(), new_id("Ev")
    ack = server.send("events_api", _body(mention_event(channel, ts, "<@UBOT0001> Which report covers uptime?"),
                                          event_id))
    assert "envelope_id" in ack
    (post,) = standin.wait_calls("chat.postMessage", channel=channel)
    assert post.params["thread_ts"] == ts
    assert post.headers.get("Authorization") == f"Bearer {BOT_TOKEN}"

    # Socket Mode's retry of the same event: acknowledged, nothing more posted.
    server.send("events_api", _body(mention_event(channel, ts, "<@UBOT0001> Which report covers uptime?"), event_id),
                retry_attempt=1)
    _wait_log(log_path, f"event {event_id} (retry 1): already handled")
    assert len(standin.calls("chat.postMessage", channel=channel)) == 1


def test_dm_and_edit(worker, standin):
    server, _, log_path = worker
    channel = new_id("D")
    server.send("events_api", _body(dm_event(channel, new_ts(), "What is a bridge letter?"), new_id("Ev")))
    standin.wait_calls("chat.postMessage", channel=channel)
    edit_id = new_id("Ev")
    server.send("events_api", _body(dm_event(channel, new_ts(), "", subtype="message_changed"), edit_id))
    _wait_log(log_path, f"event {edit_id}: ignored (message subtype message_changed)")
    assert len(standin.calls("chat.postMessage", channel=channel)) == 1


def test_slash_command_help_comes_back_in_the_ack(worker):
    server, _, _ = worker
    ack = server.send("slash_commands", {"command": "/soc", "text": "help", "user_id": "UASKER01",
                                         "channel_id": new_id("C"), "team_id": "T0001",
                                         "response_url": "http://127.0.0.1:9/unused", "trigger_id": "t"})
    assert ack["payload"]["response_type"] == "ephemeral" and "/soc" in ack["payload"]["text"]


def test_slash_command_answer_goes_to_the_response_url(worker, standin):
    server, _, _ = worker
    channel = new_id("C")
    ack = server.send("slash_commands", {"command": "/soc", "text": "What is a bridge letter?",
                                         "user_id": "UASKER01", "channel_id": channel, "team_id": "T0001",
                                         "response_url": standin.response_url(channel), "trigger_id": "t"})
    assert not ack.get("payload")  # acknowledged at once, empty
    (reply,) = standin.wait_for(lambda s: [c for c in s.calls("response_url") if c.path.endswith(channel)])
    assert reply.params["response_type"] == "ephemeral" and "bridge" in reply.params["text"].lower()


def test_vote_button(worker, standin):
    server, _, _ = worker
    channel = new_id("C")
    payload = action_payload(ACTION_VOTE_UP, "C1:1.0", user="UVOTER01", channel=channel,
                             response_url=standin.response_url(channel))
    server.send("interactive", payload)
    (ack,) = standin.wait_calls("chat.postEphemeral", channel=channel)
    assert ack.params["user"] == "UVOTER01"


def test_worker_logs_no_tokens(worker):
    _, _, log_path = worker
    text = log_path.read_text(errors="replace")
    assert "session has been established" in text or "new session" in text.lower()
    assert BOT_TOKEN not in text and APP_TOKEN not in text


def test_rejected_token_is_one_line_and_no_secret(standin, tmp_path):
    pytest.importorskip("bot.answers.answerer")
    standin.fail("auth.test", error="invalid_auth")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SOCBOT_"))}
    env.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": standin.api_url,
                "SOCBOT_DB": str(tmp_path / "socbot.db"), "PYTHONPATH": str(REPO)})
    try:
        result = subprocess.run([sys.executable, "-m", "bot"], env=env, cwd=REPO, capture_output=True, text=True,
                                timeout=60)
    finally:
        standin.clear_failures()
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("socbot:")]
    assert len(errors) == 1 and "invalid_auth" in errors[0]
    assert BOT_TOKEN not in result.stderr + result.stdout and APP_TOKEN not in result.stderr + result.stdout
