"""A stand-in for Slack's Web API on 127.0.0.1, for tests and the bench (never contacts Slack).

It records every call and answers ``auth.test``, ``chat.postMessage``, ``chat.postEphemeral``,
``views.publish``, ``apps.connections.open`` and response URLs (``/response/<name>``). Failures
can be scripted: an HTTP 429 with Retry-After, or ``{"ok": false, "error": …}``.
"""
from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl

__all__ = ["Call", "StandIn"]


@dataclass(frozen=True)
class Call:
    method: str  # a Web API method, or "response_url"
    params: dict[str, Any]
    headers: dict[str, str]
    path: str
    status: int  # the HTTP status we answered
    ok: bool  # whether we answered ok
    at: float = field(default_factory=time.perf_counter)

    @property
    def channel(self) -> str | None:
        return self.params.get("channel")

    def blocks(self) -> list[dict]:
        blocks = self.params.get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else blocks


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the listen backlog: the default 5 drops bursts (and clients wait 1 s)


@dataclass
class _Rule:
    method: str
    channel: str | None
    status: int
    retry_after: int
    error: str | None
    remaining: int


class StandIn:
    """``with StandIn() as slack:`` … ``slack.api_url`` is what SLACK_API_URL should be."""

    def __init__(self, *, bot_user_id: str = "UBOT0001", bot_id: str = "BBOT0001", team_id: str = "T0001",
                 ws_url: str | None = None) -> None:
        self.bot_user_id, self.bot_id, self.team_id = bot_user_id, bot_id, team_id
        self.ws_url = ws_url
        # Block types this workspace refuses with invalid_blocks, as a workspace whose clients
        # predate them would ("table"): set it to script that.
        self.refused_block_types: set[str] = set()
        self._calls: list[Call] = []
        self._rules: list[_Rule] = []
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> "StandIn":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, headers, body = standin._handle(self.path, dict(self.headers), raw)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        server = _Server(("127.0.0.1", 0), Handler)
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True,
                         name="slack-standin").start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "StandIn":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    @property
    def api_url(self) -> str:
        return self.url + "api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}response/{name}"

    # -- scripting and inspection -----------------------------------------------------------
    def fail(self, method: str, *, channel: str | None = None, status: int = 429, retry_after: int = 1,
             error: str | None = None, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` (for ``channel``, if given) fail: with HTTP
        ``status`` (429 carries Retry-After), or, when ``error`` is given, ok=false and that error."""
        with self._cond:
            self._rules.append(_Rule(method, channel, 200 if error else status, retry_after, error, times))

    def clear_failures(self) -> None:
        """Drop scripted failures that were not used up."""
        with self._cond:
            self._rules.clear()

    def calls(self, method: str | None = None, **match: Any) -> list[Call]:
        with self._cond:
            return [c for c in self._calls
                    if (method is None or c.method == method)
                    and all(c.params.get(k) == v for k, v in match.items())]

    def wait_for(self, predicate: Callable[["StandIn"], Any], timeout: float = 15.0) -> Any:
        """Wait until ``predicate(self)`` is truthy and return it; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = predicate(self)
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"stand-in: condition not met within {timeout}s; calls: "
                                         f"{[(c.method, c.params.get('channel')) for c in self._calls][-20:]}")
                self._cond.wait(min(left, 0.2))

    def wait_calls(self, method: str, count: int = 1, timeout: float = 15.0, **match: Any) -> list[Call]:
        return self.wait_for(lambda s: (lambda found: found if len(found) >= count else None)(
            s.calls(method, **match)), timeout)

    # -- the API ------------------------------------------------------------------------------
    def _handle(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, str], bytes]:
        ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        text = raw.decode("utf-8", "replace")
        if "json" in ctype:
            try:
                params = json.loads(text or "{}")
            except ValueError:
                params = {"_raw": text}
        else:
            params = dict(parse_qsl(text, keep_blank_values=True))
        if path.startswith("/response/"):
            method = "response_url"
        else:
            method = path.split("?", 1)[0].removeprefix("/api/")
        status, extra, payload = self._respond(method, params)
        call = Call(method=method, params=params, headers=headers, path=path, status=status,
                    ok=status == 200 and bool(payload.get("ok", True)))
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()
        body = b"ok" if method == "response_url" and status == 200 else json.dumps(payload).encode()
        extra.setdefault("Content-Type", "text/plain" if body == b"ok" else "application/json; charset=utf-8")
        return status, extra, body

    def _respond(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        blocks = params.get("blocks")
        if isinstance(blocks, str):
            try:
                blocks = json.loads(blocks)
            except ValueError:
                blocks = []
        if self.refused_block_types & {b.get("type") for b in blocks or () if isinstance(b, dict)}:
            # chat.postMessage says ok=false; a response URL answers 400 with the error.
            return (400 if method == "response_url" else 200), {}, {"ok": False, "error": "invalid_blocks"}
        with self._cond:
            for rule in self._rules:
                if rule.remaining > 0 and rule.method == method and rule.channel in (None, params.get("channel")):
                    rule.remaining -= 1
                    if rule.error:
                        return 200, {}, {"ok": False, "error": rule.error}
                    extra = {"Retry-After": str(rule.retry_after)} if rule.status == 429 else {}
                    return rule.status, extra, {"ok": False, "error": "ratelimited" if rule.status == 429 else
                                                "internal_error"}
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        if method == "auth.test":
            return 200, {}, {"ok": True, "url": "https://standin.example/", "team": "Stand-in", "user": "socbot",
                             "team_id": self.team_id, "user_id": self.bot_user_id, "bot_id": self.bot_id}
        if method == "chat.postMessage":
            return 200, {}, {"ok": True, "channel": params.get("channel"), "ts": ts,
                             "message": {"text": params.get("text"), "ts": ts}}
        if method == "chat.getPermalink":
            channel, ts = params.get("channel"), str(params.get("message_ts") or "")
            if not channel or not ts:
                return 200, {}, {"ok": False, "error": "invalid_arguments"}
            return 200, {}, {"ok": True, "channel": channel,
                             "permalink": f"https://standin.example/archives/{channel}/p{ts.replace('.', '')}"}
        if method == "chat.postEphemeral":
            return 200, {}, {"ok": True, "message_ts": ts}
        if method == "apps.connections.open":
            if not self.ws_url:
                return 200, {}, {"ok": False, "error": "no_ws_url_configured"}
            return 200, {}, {"ok": True, "url": self.ws_url}
        return 200, {}, {"ok": True}
