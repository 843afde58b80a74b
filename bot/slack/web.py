"""HTTP mode: a Flask WSGI app for gunicorn (Bolt's documented production pattern).

    gunicorn --bind :$PORT --workers 2 --threads 4 --timeout 0 'bot.slack.web:create_wsgi_app()'

POST /slack/events takes events, slash commands and interactivity; GET /healthz is for the
platform's health checks and never calls Slack.

Unsigned requests cost almost nothing: the signature is checked here, before Bolt sees the
request (Bolt logs the whole body of a request it rejects), and its headers before the body is
even read (a client that drips a body it never signed holds no thread). A request whose timestamp is not a
recent whole number, whose signature is malformed or wrong, or whose body is not UTF-8 gets a
401 or 400 at once, logged in one fixed line at DEBUG, its body never.
"""
from __future__ import annotations

import logging
import sys
import time

from flask import Flask, jsonify, request
from slack_bolt.adapter.flask import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.errors import SocbotError
from bot.slack.app import configure_logging, create_app, load_answerer
from bot.slack.replies import AnswererLike
from bot.slack.run import open_store
from bot.slack.store import Store

__all__ = ["create_wsgi_app", "EVENTS_PATH", "HEALTH_PATH"]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's payloads are a few kB; anything far larger is not from Slack.
_MAX_BODY = 1 << 20
_MAX_AGE = 5 * 60  # seconds: Slack's own replay window
log = logging.getLogger(__name__)


def plausible_signature(timestamp: str | None, signature: str | None, now: float | None = None) -> bool:
    """Whether the signature headers could be Slack's: checked before the body is read, so a
    client that sends none (or stale ones) and then drips its body holds no worker thread."""
    if not timestamp or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > _MAX_AGE:
        return False
    return bool(signature) and signature.startswith("v0=") and len(signature) <= 80


def signed_by_slack(verifier: SignatureVerifier, body: bytes, timestamp: str | None, signature: str | None,
                    now: float | None = None) -> bool:
    """Whether a request carries a valid, recent Slack signature. Never raises on bad input."""
    return plausible_signature(timestamp, signature, now) and verifier.is_valid(
        body=body, timestamp=timestamp, signature=signature)


def create_wsgi_app(settings: Settings | None = None, answerer: AnswererLike | None = None,
                    store: Store | None = None) -> Flask:
    """Build the WSGI app; with no arguments everything comes from the environment (gunicorn)."""
    try:
        settings = settings or Settings.from_env(mode="http")
        configure_logging(settings.log_level)
        answerer = answerer or load_answerer(settings.knowledge)
        store = store or open_store(settings)
        bolt_app = create_app(settings, answerer, store)  # calls auth.test
    except (SocbotError, BoltError) as err:
        # One clear line instead of a traceback from inside gunicorn's worker boot.
        print(f"socbot: {str(err).splitlines()[0]}", file=sys.stderr, flush=True)
        # Exit status 3 is gunicorn's worker boot error: the arbiter stops instead of booting
        # the same broken worker again and again.
        raise SystemExit(3) from None
    handler = SlackRequestHandler(bolt_app)
    verifier = SignatureVerifier(settings.signing_secret or "")

    flask_app = Flask("socbot")
    flask_app.config["MAX_CONTENT_LENGTH"] = _MAX_BODY

    @flask_app.post(EVENTS_PATH)
    def slack_events():
        timestamp = request.headers.get("X-Slack-Request-Timestamp")
        signature = request.headers.get("X-Slack-Signature")
        if not plausible_signature(timestamp, signature):
            log.debug("rejected a request without a plausible Slack signature (body not read)")
            # Closing the connection: gunicorn would otherwise read the unread body to keep it alive.
            return "invalid signature", 401, {"Connection": "close"}
        body = request.get_data(cache=True)  # at most MAX_CONTENT_LENGTH (413 beyond)
        if not signed_by_slack(verifier, body, timestamp, signature):
            log.debug("rejected a request without a valid Slack signature")
            return "invalid signature", 401, {"Connection": "close"}
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            log.warning("rejected a signed request whose body is not UTF-8")
            return "body is not UTF-8", 400
        return handler.handle(request)

    @flask_app.get(HEALTH_PATH)
    def healthz():
        return jsonify(ok=True, passages=answerer.stats.passages)

    return flask_app
