"""Every setting socbot reads, read and checked here and nowhere else.

Settings come from the environment only (tokens never come from files). Each reader takes an
optional ``env`` mapping, so a test passes its own instead of patching ``os.environ``. A bad value
raises :class:`~bot.errors.SettingsError` naming the setting (never its value, which may be a
secret); an unset one gets its documented default.

==========================  =================================================================
``SOCBOT_KNOWLEDGE``        knowledge directory (default: the bundled knowledge)
``SOCBOT_TOP_K``            passages cited per answer by ``socbot ask`` (1-20, default 3)
``SOCBOT_CACHE_DIR``        restart cache directory; ``off`` turns it off (default:
                            ``$XDG_CACHE_HOME/socbot``, else ``~/.cache/socbot``)
``SOCBOT_RELOAD_SECONDS``   seconds between checks for edited knowledge; 0 turns them off (10)
``SOCBOT_DB``               the Slack store's SQLite file (default ``socbot.db``)
``DATABASE_URL``            a PostgreSQL URL: the store shared by several machines (instead)
``SOCBOT_LOG_LEVEL``        DEBUG, INFO, WARNING or ERROR (INFO)
``SOCBOT_RETENTION_DAYS``   days the store keeps questions, votes and handled events (1-3650, 90)
``SOCBOT_EXPERT_CHANNEL``   channel id where questions the bot cannot answer are handed to
                            people (unset: the "Ask an expert" features stay off)
``SOCBOT_EXPERTS``          comma-separated ids of the people (``U…``) who may save an answer
                            as knowledge; user groups (``S…``) are tagged on hand-offs too
``SLACK_BOT_TOKEN``         the bot token (``xoxb-…``)
``SLACK_SIGNING_SECRET``    the signing secret (HTTP mode)
``SLACK_APP_TOKEN``         an app-level token (``xapp-…``): Socket Mode
``SLACK_API_URL``           the Web API's base URL (https; http only to 127.0.0.1)
``PORT``, ``HOST``          where HTTP mode listens (3000, 0.0.0.0)
``WEB_CONCURRENCY``         uvicorn workers in HTTP mode (1-64, default 2)
==========================  =================================================================
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from bot.errors import SettingsError

__all__ = ["Settings", "knowledge_setting", "top_k", "cache_dir", "reload_seconds", "db_path", "database_url",
           "web_concurrency", "expert_settings", "DEFAULT_API_URL", "DEFAULT_DB", "DEFAULT_PORT", "DEFAULT_TOP_K",
           "DEFAULT_RELOAD_SECONDS", "ENV_KNOWLEDGE", "ENV_CACHE_DIR", "ENV_RELOAD_SECONDS"]

ENV_KNOWLEDGE = "SOCBOT_KNOWLEDGE"
ENV_CACHE_DIR = "SOCBOT_CACHE_DIR"
ENV_RELOAD_SECONDS = "SOCBOT_RELOAD_SECONDS"
DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DB = "socbot.db"
DEFAULT_PORT = 3000
DEFAULT_TOP_K = 3
DEFAULT_RELOAD_SECONDS = 10.0
MAX_TOP_K = 20

# What each required setting is, so the one-line error tells the operator where to find it.
_WHERE = {
    "SLACK_BOT_TOKEN": "the bot token (xoxb-…) from OAuth & Permissions after installing the app",
    "SLACK_SIGNING_SECRET": "the signing secret from Basic Information › App Credentials (HTTP mode)",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write (Socket Mode)",
}


def _get(env: Mapping[str, str] | None, name: str) -> str:
    return (os.environ if env is None else env).get(name, "").strip()


def _number(env, name: str, default, kind, low, high, what: str):
    raw = _get(env, name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise SettingsError(f"setting {name} must be {what}")
    return value


def knowledge_setting(env: Mapping[str, str] | None = None) -> str | None:
    """The knowledge directory asked for, or None for the bundled knowledge."""
    return _get(env, ENV_KNOWLEDGE) or None


def top_k(env: Mapping[str, str] | None = None) -> int:
    return _number(env, "SOCBOT_TOP_K", DEFAULT_TOP_K, int, 1, MAX_TOP_K,
                   f"a whole number of passages from 1 to {MAX_TOP_K}")


def cache_dir(env: Mapping[str, str] | None = None) -> Path | None:
    """The restart cache's directory, or None when the cache is off."""
    chosen = _get(env, ENV_CACHE_DIR)
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen).expanduser()
    base = _get(env, "XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "socbot"


def reload_seconds(env: Mapping[str, str] | None = None) -> float:
    """Seconds between checks for edited knowledge (0: no background checks)."""
    return _number(env, ENV_RELOAD_SECONDS, DEFAULT_RELOAD_SECONDS, float, 0, 86400,
                   "a number of seconds (0 turns reload off)")


def db_path(env: Mapping[str, str] | None = None) -> str:
    path = _get(env, "SOCBOT_DB") or DEFAULT_DB
    if path == ":memory:" or path.startswith("file::memory:"):
        # Each connection would get its own database: no duplicate protection at all.
        raise SettingsError("setting SOCBOT_DB must be a file path that all workers share, not :memory:")
    return path


def database_url(env: Mapping[str, str] | None = None) -> str | None:
    """A PostgreSQL URL for the shared store, or None for the SQLite file."""
    url = _get(env, "DATABASE_URL")
    if url and not url.startswith(("postgres://", "postgresql://")):
        raise SettingsError("setting DATABASE_URL must be a postgresql:// URL")
    return url or None


def web_concurrency(env: Mapping[str, str] | None = None) -> int:
    """uvicorn worker processes for HTTP mode."""
    return _number(env, "WEB_CONCURRENCY", 2, int, 1, 64, "a number of workers (1-64)")


_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,30}$")
_PERSON_ID = re.compile(r"^[UWS][A-Z0-9]{2,30}$")  # a user (U, W) or a user group (S)


def expert_settings(env: Mapping[str, str] | None = None) -> tuple[str | None, tuple[str, ...]]:
    """(SOCBOT_EXPERT_CHANNEL, SOCBOT_EXPERTS): the hand-off channel and the experts' ids. Ids
    only, checked here: the mentions the bot builds from them can never be anything else."""
    channel = _get(env, "SOCBOT_EXPERT_CHANNEL") or None
    people = tuple(p.strip() for p in _get(env, "SOCBOT_EXPERTS").split(",") if p.strip())
    if channel and not _CHANNEL_ID.match(channel):
        raise SettingsError("setting SOCBOT_EXPERT_CHANNEL must be a channel id such as C0123ABCD "
                            "(channel details › About, at the bottom)")
    for person in people:
        if not _PERSON_ID.match(person):
            raise SettingsError("setting SOCBOT_EXPERTS must be comma-separated ids of people (U0123ABCD) "
                                "or user groups (S0123ABCD)")
    if people and not channel:
        raise SettingsError("setting SOCBOT_EXPERTS needs SOCBOT_EXPERT_CHANNEL: the channel where "
                            "questions are handed to them")
    return channel, people


def _required(env: Mapping[str, str] | None, name: str) -> str:
    value = _get(env, name)
    if not value:
        raise SettingsError(f"missing setting {name}: {_WHERE[name]}")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything the Slack layer needs; secrets are kept out of repr so they never reach a log."""

    bot_token: str = field(repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    port: int = DEFAULT_PORT
    host: str = "0.0.0.0"
    api_url: str = DEFAULT_API_URL
    knowledge: str | None = None
    db_path: str = DEFAULT_DB
    log_level: str = "INFO"
    retention_days: int = 90
    database_url: str | None = field(default=None, repr=False)  # may hold a password
    expert_channel: str | None = None
    experts: tuple[str, ...] = ()

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, mode: str | None = None) -> "Settings":
        """Read settings; ``mode`` is "socket", "http" or None (socket when SLACK_APP_TOKEN is set).

        Raises SettingsError naming the first missing or invalid setting (never its value).
        """
        app_token = _get(env, "SLACK_APP_TOKEN") or None
        if mode is None:
            mode = "socket" if app_token else "http"
        if mode not in ("socket", "http"):
            raise ValueError(f"unknown mode {mode!r}")

        bot_token = _required(env, "SLACK_BOT_TOKEN")
        if not bot_token.startswith("xoxb-"):
            raise SettingsError("setting SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
        signing_secret = _get(env, "SLACK_SIGNING_SECRET") or None
        if mode == "socket":
            app_token = _required(env, "SLACK_APP_TOKEN")
            if not app_token.startswith("xapp-"):
                raise SettingsError("setting SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        else:
            signing_secret = _required(env, "SLACK_SIGNING_SECRET")
            app_token = None  # HTTP mode was asked for explicitly: do not open a socket as well

        port_text = _get(env, "PORT") or str(DEFAULT_PORT)
        try:
            port = int(port_text)
        except ValueError:
            port = -1
        if not 0 < port < 65536:
            raise SettingsError(f"setting PORT must be a port number (1-65535), got {port_text!r}")

        api_url = _get(env, "SLACK_API_URL") or DEFAULT_API_URL
        if not api_url.startswith(("http://", "https://")):
            raise SettingsError(f"setting SLACK_API_URL must be an http(s) URL, got {api_url!r}")
        if not api_url.endswith("/"):
            api_url += "/"  # slack_sdk joins method names onto it
        host = urlsplit(api_url).hostname or ""
        if api_url.startswith("http://") and host not in ("127.0.0.1", "localhost", "::1"):
            # The bot token travels with every call: plain HTTP only to a stand-in on this machine.
            raise SettingsError(f"setting SLACK_API_URL must use https (http only for 127.0.0.1), got {api_url!r}")

        log_level = (_get(env, "SOCBOT_LOG_LEVEL") or "INFO").upper()
        if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise SettingsError(f"setting SOCBOT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")

        expert_channel, experts = expert_settings(env)
        return cls(
            bot_token=bot_token,
            signing_secret=signing_secret,
            app_token=app_token,
            port=port,
            host=_get(env, "HOST") or "0.0.0.0",
            api_url=api_url,
            knowledge=knowledge_setting(env),
            db_path=db_path(env),
            log_level=log_level,
            retention_days=_number(env, "SOCBOT_RETENTION_DAYS", 90, int, 1, 3650, "a number of days (1-3650)"),
            database_url=database_url(env),
            expert_channel=expert_channel,
            experts=experts,
        )
