"""HTTP mode: an ASGI app for uvicorn, in front of the (synchronous) Bolt app.

    uvicorn --factory bot.slack.web:create_asgi_app --host 0.0.0.0 --port $PORT --workers 2

POST /slack/events takes events, slash commands and interactivity; GET /healthz is for the
platform's health checks and never calls Slack.

Why an asynchronous front: a request is read on the event loop, so a client that drips its body
(even one with plausible signature headers, which cannot be checked before the body is in) costs
a socket and a coroutine, never a thread. Only a request whose body is complete and signed is
handed to Bolt, on a worker thread. So twenty slow clients do not delay /healthz or a signed
event.

Unsigned requests cost almost nothing: the signature is checked here, before Bolt sees the
request (Bolt logs the whole body of a request it rejects), and its headers before the body is
even read. A request whose timestamp is not a recent whole number, whose signature is malformed
or wrong, whose body is larger than MAX_BODY or slower than BODY_SECONDS, or is not UTF-8, gets a
4xx at once, logged in one fixed line at DEBUG, its body never.
"""
from __future__ import annotations

import asyncio
import json
import logging
import sys
import time

from slack_bolt.error import BoltError
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.errors import SocbotError
from bot.slack.app import configure_logging, create_app, load_answerer
from bot.slack.replies import AnswererLike
from bot.slack.run import open_store
from bot.slack.store import Store

__all__ = ["create_asgi_app", "SlackFront", "plausible_signature", "signed_by_slack", "EVENTS_PATH", "HEALTH_PATH",
           "MAX_BODY", "BODY_SECONDS"]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 64 * 1024  # Slack's payloads are a few kB; anything far larger is not from Slack
BODY_SECONDS = 10.0  # a body not in by then is not Slack's (it sends at once): 408
_MAX_AGE = 5 * 60  # seconds: Slack's own replay window
log = logging.getLogger(__name__)


def plausible_signature(timestamp: str | None, signature: str | None, now: float | None = None) -> bool:
    """Whether the signature headers could be Slack's: checked before the body is read."""
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if not timestamp or not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > _MAX_AGE:
        return False
    return bool(signature) and signature.isascii() and signature.startswith("v0=") and len(signature) <= 80


def signed_by_slack(verifier: SignatureVerifier, body: bytes, timestamp: str | None, signature: str | None,
                    now: float | None = None) -> bool:
    """Whether a request carries a valid, recent Slack signature. Never raises on bad input."""
    if not plausible_signature(timestamp, signature, now):
        return False
    try:
        return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
    except (ValueError, TypeError):  # slack_sdk decodes the body as UTF-8 first: junk is not signed
        return False


class _Refused(Exception):
    def __init__(self, status: int, text: str) -> None:
        self.status, self.text = status, text


class SlackFront:
    """The ASGI application: health, and Slack's requests checked before Bolt gets them."""

    def __init__(self, bolt_app, signing_secret: str, passages) -> None:
        """``passages``: returns how many passages the knowledge holds (for /healthz)."""
        self.bolt_app = bolt_app
        self.verifier = SignatureVerifier(signing_secret)
        self.passages = passages

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while True:
                kind = (await receive())["type"]
                if kind == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif kind == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            body = json.dumps({"ok": True, "passages": self.passages()}).encode()
            return await _respond(send, 200, body, "application/json")
        if path != EVENTS_PATH or method != "POST":
            return await _respond(send, 404, b"not found")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            status, out_headers, body = await self._slack(scope, headers, receive)
        except _Refused as refused:
            log.debug("refused a request to %s: %d %s (body not logged)", path, refused.status, refused.text)
            # The connection is closed: its unread rest is never waited for.
            return await _respond(send, refused.status, refused.text.encode(), close=True)
        await _respond(send, status, body, headers=out_headers)

    async def _slack(self, scope, headers: dict[str, str], receive):
        timestamp, signature = headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature")
        if not plausible_signature(timestamp, signature):
            raise _Refused(401, "invalid signature")
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            raise _Refused(413, "too large")
        body = await _read_body(receive)
        if not signed_by_slack(self.verifier, body, timestamp, signature):
            raise _Refused(401, "invalid signature")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            log.warning("refused a signed request whose body is not UTF-8")
            raise _Refused(400, "body is not UTF-8") from None
        request = BoltRequest(body=text, query=scope.get("query_string", b"").decode("latin-1"), headers=headers)
        # Bolt is synchronous: it runs on a worker thread, the event loop keeps reading others.
        response = await asyncio.to_thread(self.bolt_app.dispatch, request)
        out = [(k, v) for k, values in response.headers.items() for v in values]
        return response.status, out, (response.body or "").encode("utf-8")


async def _read_body(receive) -> bytes:
    """The whole body, at most MAX_BODY bytes, within BODY_SECONDS; else _Refused."""
    chunks, size = [], 0
    deadline = time.monotonic() + BODY_SECONDS
    while True:
        left = deadline - time.monotonic()
        try:
            message = await asyncio.wait_for(receive(), max(left, 0.001))
        except asyncio.TimeoutError:
            raise _Refused(408, "body too slow") from None
        if message["type"] == "http.disconnect":
            raise _Refused(400, "client went away")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise _Refused(413, "too large")
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _respond(send, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8", *,
                   headers=(), close: bool = False) -> None:
    out = [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in headers]
    if not any(k == b"content-type" for k, _ in out):
        out.append((b"content-type", content_type.encode()))
    if close:
        out.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": out})
    await send({"type": "http.response.body", "body": body})


def create_asgi_app(settings: Settings | None = None, answerer: AnswererLike | None = None,
                    store: Store | None = None) -> SlackFront:
    """Build the ASGI app; with no arguments everything comes from the environment (each uvicorn
    worker process calls this once, so each has its own answerer and reload thread)."""
    try:
        settings = settings or Settings.from_env(mode="http")
        configure_logging(settings.log_level)
        answerer = answerer or load_answerer(settings.knowledge)
        store = store or open_store(settings)
        bolt_app = create_app(settings, answerer, store)  # calls auth.test
    except (SocbotError, BoltError) as err:
        # One clear line instead of a traceback from inside the server's worker start.
        print(f"socbot: {str(err).splitlines()[0]}", file=sys.stderr, flush=True)
        raise SystemExit(3) from None
    return SlackFront(bolt_app, settings.signing_secret or "", lambda: answerer.stats.passages)
