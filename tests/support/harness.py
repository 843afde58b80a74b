"""Driving the app the way Slack does, for tests and the bench: signed requests, payloads, and
the Procfile's ``web`` process started on 127.0.0.1. Never contacts Slack."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlencode

__all__ = ["sign", "event_body", "command_body", "action_body", "post_signed", "free_port",
           "procfile_web_command", "WebProcess"]

REPO = Path(__file__).resolve().parents[2]


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack sends: ``v0=`` + HMAC-SHA256(secret, ``v0:{ts}:{body}``)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def event_body(event: Mapping[str, Any], *, event_id: str, team_id: str = "T0001") -> bytes:
    return json.dumps({
        "token": "unused", "team_id": team_id, "api_app_id": "A0001", "type": "event_callback",
        "event_id": event_id, "event_time": int(time.time()), "event": dict(event),
        "authorizations": [{"team_id": team_id, "user_id": "UBOT0001", "is_bot": True}],
    }).encode()


def command_body(text: str, *, user: str, channel: str, response_url: str, command: str = "/soc",
                 trigger_id: str = "T.trigger", team_id: str = "T0001") -> bytes:
    return urlencode({
        "token": "unused", "team_id": team_id, "channel_id": channel, "channel_name": "general",
        "user_id": user, "user_name": user.lower(), "command": command, "text": text,
        "api_app_id": "A0001", "response_url": response_url, "trigger_id": trigger_id,
    }).encode()


def action_body(payload: Mapping[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def post_signed(url: str, body: bytes, secret: str, *, content_type: str = "application/json",
                timestamp: int | None = None, headers: Mapping[str, str] | None = None,
                timeout: float = 10.0) -> tuple[int, bytes]:
    """POST ``body`` signed with ``secret``; returns (status, response body)."""
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": content_type, **sign(secret, body, timestamp), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_web_command(port: int, procfile: Path = REPO / "Procfile") -> list[str]:
    """The Procfile's ``web`` line with $PORT filled in, bound to 127.0.0.1 instead of all
    interfaces, and uvicorn run by this interpreter (so it is the one with our packages)."""
    for line in procfile.read_text().splitlines():
        if line.startswith("web:"):
            words = shlex.split(line[4:].replace("$PORT", str(port)))
            break
    else:
        raise ValueError(f"{procfile}: no web: line")
    if words[0] != "uvicorn":
        raise ValueError(f"{procfile}: the web line does not run uvicorn")
    words = [sys.executable, "-m", "uvicorn", *words[1:]]
    return ["127.0.0.1" if w == "0.0.0.0" else w for w in words]


class WebProcess:
    """A subprocess serving HTTP on 127.0.0.1; stops itself when ``stop()`` or the context ends."""

    def __init__(self, command: list[str], env: Mapping[str, str], port: int, log_path: Path) -> None:
        self.command, self.port, self.log_path = command, port, Path(log_path)
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
        self.env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
        # Servers may keep sockets or files under $XDG_RUNTIME_DIR: keep each run's apart.
        self.env.setdefault("XDG_RUNTIME_DIR", str(self.log_path.parent))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> "WebProcess":
        log = open(self.log_path, "ab")
        # A new session, so stop() can end the server's worker processes along with it.
        self.proc = subprocess.Popen(self.command, env=self.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"web process exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"web process not healthy within {timeout}s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_log(self, needle: str, timeout: float = 15.0, count: int = 1) -> str:
        """Wait until ``needle`` appears ``count`` times in the log; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.log()
            if text.count(needle) >= count:
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} not logged {count}x within {timeout}s; log tail:\n{text[-3000:]}")
            time.sleep(0.05)

    def stop(self, timeout: float = 15.0) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout)
            except ProcessLookupError:
                pass
        return self.proc.returncode

    def __enter__(self) -> "WebProcess":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
