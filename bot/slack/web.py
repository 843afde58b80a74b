"""HTTP mode: a Flask WSGI app for gunicorn (Bolt's documented production pattern).

    gunicorn --bind :$PORT --workers 2 --threads 4 --timeout 0 'bot.slack.web:create_wsgi_app()'

POST /slack/events takes events, slash commands and interactivity; GET /healthz is for the
platform's health checks and never calls Slack.
"""
from __future__ import annotations

import sys

from flask import Flask, jsonify, request
from slack_bolt.adapter.flask import SlackRequestHandler
from slack_bolt.error import BoltError

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


def create_wsgi_app(settings: Settings | None = None, answerer: AnswererLike | None = None,
                    store: Store | None = None) -> Flask:
    """Build the WSGI app; with no arguments everything comes from the environment (gunicorn)."""
    try:
        settings = settings or Settings.from_env(mode="http")
        configure_logging(settings.log_level)
        answerer = answerer or load_answerer(settings.knowledge)
        store = store or open_store(settings.db_path)
        bolt_app = create_app(settings, answerer, store)  # calls auth.test
    except (SocbotError, BoltError) as err:
        # One clear line instead of a traceback from inside gunicorn's worker boot.
        print(f"socbot: {str(err).splitlines()[0]}", file=sys.stderr, flush=True)
        # Exit status 3 is gunicorn's worker boot error: the arbiter stops instead of booting
        # the same broken worker again and again.
        raise SystemExit(3) from None
    handler = SlackRequestHandler(bolt_app)

    flask_app = Flask("socbot")
    flask_app.config["MAX_CONTENT_LENGTH"] = _MAX_BODY

    @flask_app.post(EVENTS_PATH)
    def slack_events():
        return handler.handle(request)

    @flask_app.get(HEALTH_PATH)
    def healthz():
        return jsonify(ok=True, passages=answerer.stats.passages)

    return flask_app
