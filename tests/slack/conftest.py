"""Fixtures for the Slack layer: a fake answerer, the Web API stand-in, an in-process Bolt app,
and the Procfile's web process (gunicorn) with the real answerer. Everything binds 127.0.0.1."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from slack_helpers import BOT_ID, BOT_TOKEN, BOT_USER, SECRET, FakeAnswerer
from support.harness import WebProcess, free_port, procfile_web_command
from support.standin import StandIn

from bot.config import Settings
from bot.slack.app import create_app
from bot.slack.store import SQLiteStore


@pytest.fixture(scope="session")
def standin():
    with StandIn(bot_user_id=BOT_USER, bot_id=BOT_ID) as slack:
        yield slack


@pytest.fixture
def fake_answerer() -> FakeAnswerer:
    return FakeAnswerer()


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "socbot.db")
    yield store
    store.close()


@pytest.fixture
def settings(standin: StandIn) -> Settings:
    return Settings(bot_token=BOT_TOKEN, signing_secret=SECRET, api_url=standin.api_url)


@pytest.fixture
def make_app(settings, store):
    """An in-process app that runs listeners before returning (deterministic for assertions)."""

    def make(answerer=None, *, logger: logging.Logger | None = None):
        return create_app(settings, answerer or FakeAnswerer(), store, process_before_response=True, logger=logger)

    return make


@pytest.fixture(scope="session")
def web(standin: StandIn, tmp_path_factory):
    """The app started the way the Procfile's web line starts it, with the real answerer."""
    pytest.importorskip("bot.answers.answerer")
    tmp = tmp_path_factory.mktemp("web")
    port = free_port()
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": standin.api_url,
        "SOCBOT_DB": str(tmp / "socbot.db"), "PORT": str(port),
    }
    env_drop = ("SLACK_APP_TOKEN", "SOCBOT_KNOWLEDGE")
    process = WebProcess(procfile_web_command(port), env, port, tmp / "web.log")
    for name in env_drop:
        process.env.pop(name, None)
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def bundled_answerer():
    """The real engine on the bundled knowledge, for what a fake cannot show (comparisons)."""
    from bot.answers.answerer import Answerer

    return Answerer.from_directory()
