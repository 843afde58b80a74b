"""``socbot serve`` (and ``python -m bot``): run the Slack app, in Socket Mode or over HTTP.

Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), otherwise HTTP on $PORT under
uvicorn, exactly as the Procfile's ``web`` line runs it.
"""
from __future__ import annotations

import os
import signal
import sys
import threading

from bot.config import Settings
from bot.errors import SettingsError, SocbotError

__all__ = ["serve", "web_command", "open_store", "open_tool_store", "run_socket_mode"]

ASGI_FACTORY = "bot.slack.web:create_asgi_app"
# Open connections per worker beyond which uvicorn answers 503: with bodies capped at 64 KiB, a
# flood of clients that never finish costs at most about 200 × 64 KiB of memory per worker.
MAX_CONNECTIONS = 200


def web_command(host: str, port: int, workers: int = 2) -> list[str]:
    """The Procfile ``web`` command, run with this interpreter."""
    return [sys.executable, "-m", "uvicorn", "--factory", ASGI_FACTORY, "--host", host, "--port", str(port),
            "--workers", str(workers), "--limit-concurrency", str(MAX_CONNECTIONS), "--no-access-log"]


def open_store(settings: Settings):
    """The store the settings select: PostgreSQL when DATABASE_URL is set, else the SQLite file
    at SOCBOT_DB. A store that cannot be opened is a SettingsError naming the setting."""
    if settings.database_url:
        try:
            from bot.slack.pgstore import PostgresStore

            return PostgresStore(settings.database_url, settings.retention_days)
        except ImportError:
            raise SettingsError("setting DATABASE_URL needs psycopg: pip install 'socbot[postgres]'") from None
        except Exception as err:  # psycopg's errors: the server refused, or is not there
            # The message may hold the URL's password: name the error only.
            raise SettingsError(f"setting DATABASE_URL: cannot connect ({type(err).__name__})") from None
    import sqlite3

    from bot.slack.store import SQLiteStore

    try:
        return SQLiteStore(settings.db_path, settings.retention_days)
    except (sqlite3.Error, OSError) as err:
        raise SettingsError(f"setting SOCBOT_DB: cannot open {settings.db_path}: {err}") from None


def open_tool_store(db: str | None = None):
    """The store for a command-line tool (``socbot report``, ``socbot learned``): the SQLite file
    ``db`` when given, else what the bot uses (DATABASE_URL, else SOCBOT_DB). No Slack token is
    needed, and nothing is pruned. A store that is not there is a SettingsError."""
    from pathlib import Path

    from bot import config

    url = None if db else config.database_url()
    db = db or config.db_path()
    if not url and not Path(db).is_file():
        raise SettingsError(f"no store at {db}: set SOCBOT_DB to the file the bot writes (or DATABASE_URL)")
    settings = Settings(bot_token="", db_path=db, database_url=url, retention_days=0)  # 0: no pruning
    return open_store(settings)


def run_socket_mode(settings, answerer) -> int:
    """Connect over Socket Mode and serve until SIGTERM or SIGINT."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError

    from bot.slack.app import build_client, create_app

    client = build_client(settings)
    try:
        store = open_store(settings)
        app = create_app(settings, answerer, store, client=client)  # calls auth.test
        # apps.connections.open is called with the app-level token on the same base URL.
        handler = SocketModeHandler(app, app_token=settings.app_token, web_client=client)
        handler.connect()
    except SettingsError as err:
        print(f"socbot: {err}", file=sys.stderr)
        return 2
    except (BoltError, SlackApiError) as err:
        # e.g. invalid_auth: a wrong or revoked token. The message never contains the token.
        print(f"socbot: Slack refused to connect: {_slack_error(err)} (check SLACK_BOT_TOKEN and SLACK_APP_TOKEN)",
              file=sys.stderr)
        return 1
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    handler.close()
    return 0


def _slack_error(err: Exception) -> str:
    response = getattr(err, "response", None)
    if response is not None:
        try:
            return str(response.get("error") or response.status_code)
        except Exception:
            pass
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def serve(http: bool = False) -> int:
    """Check every setting, load the knowledge, then serve: Socket Mode when SLACK_APP_TOKEN is
    set (and ``http`` is not asked for), else HTTP under uvicorn."""
    from bot.config import Settings, web_concurrency
    from bot.slack.app import configure_logging, load_answerer

    try:  # every setting is checked before any knowledge work: a mistake is one line, exit 2
        settings = Settings.from_env(mode="http" if http else None)
        open_store(settings).close()
        workers = 0 if settings.socket_mode else web_concurrency()
    except SettingsError as err:
        print(f"socbot: {err}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        # Load the knowledge now so a broken file is one clear line, not a worker boot loop.
        answerer = load_answerer(settings.knowledge)
    except SocbotError as err:  # a broken knowledge file (1) or a reload setting (2)
        print(f"socbot: {err}", file=sys.stderr)
        return err.exit_status
    if settings.socket_mode:
        return run_socket_mode(settings, answerer)
    command = web_command(settings.host, settings.port, workers)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)
    return 0  # not reached
