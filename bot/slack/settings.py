"""Settings for the Slack app, read from the environment only (tokens never come from files)."""
from __future__ import annotations

from urllib.parse import urlsplit

import os
from dataclasses import dataclass, field
from typing import Mapping

from bot.errors import SettingsError

__all__ = ["Settings", "DEFAULT_API_URL", "DEFAULT_DB", "DEFAULT_PORT"]

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DB = "socbot.db"
DEFAULT_PORT = 3000

# What each required setting is, so the one-line error tells the operator where to find it.
_WHERE = {
    "SLACK_BOT_TOKEN": "the bot token (xoxb-…) from OAuth & Permissions after installing the app",
    "SLACK_SIGNING_SECRET": "the signing secret from Basic Information › App Credentials (HTTP mode)",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write (Socket Mode)",
}


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
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

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, mode: str | None = None) -> "Settings":
        """Read settings; ``mode`` is "socket", "http" or None (socket when SLACK_APP_TOKEN is set).

        Raises SettingsError naming the first missing or invalid setting (never its value).
        """
        env = os.environ if env is None else env
        app_token = env.get("SLACK_APP_TOKEN", "").strip() or None
        if mode is None:
            mode = "socket" if app_token else "http"
        if mode not in ("socket", "http"):
            raise ValueError(f"unknown mode {mode!r}")

        bot_token = _required(env, "SLACK_BOT_TOKEN")
        if not bot_token.startswith("xoxb-"):
            raise SettingsError("setting SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
        signing_secret = env.get("SLACK_SIGNING_SECRET", "").strip() or None
        if mode == "socket":
            app_token = _required(env, "SLACK_APP_TOKEN")
            if not app_token.startswith("xapp-"):
                raise SettingsError("setting SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        else:
            signing_secret = _required(env, "SLACK_SIGNING_SECRET")
            app_token = None  # HTTP mode was asked for explicitly: do not open a socket as well

        port_text = env.get("PORT", "").strip() or str(DEFAULT_PORT)
        try:
            port = int(port_text)
        except ValueError:
            port = -1
        if not 0 < port < 65536:
            raise SettingsError(f"setting PORT must be a port number (1-65535), got {port_text!r}")

        api_url = env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
        if not api_url.startswith(("http://", "https://")):
            raise SettingsError(f"setting SLACK_API_URL must be an http(s) URL, got {api_url!r}")
        if not api_url.endswith("/"):
            api_url += "/"  # slack_sdk joins method names onto it
        host = urlsplit(api_url).hostname or ""
        if api_url.startswith("http://") and host not in ("127.0.0.1", "localhost", "::1"):
            # The bot token travels with every call: plain HTTP only to a stand-in on this machine.
            raise SettingsError(f"setting SLACK_API_URL must use https (http only for 127.0.0.1), got {api_url!r}")
        db_path = env.get("SOCBOT_DB", "").strip() or DEFAULT_DB
        if db_path == ":memory:" or db_path.startswith("file::memory:"):
            # Each connection would get its own database: no duplicate protection at all.
            raise SettingsError("setting SOCBOT_DB must be a file path that all workers share, not :memory:")

        log_level = (env.get("SOCBOT_LOG_LEVEL", "").strip() or "INFO").upper()
        if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise SettingsError(f"setting SOCBOT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")

        return cls(
            bot_token=bot_token,
            signing_secret=signing_secret,
            app_token=app_token,
            port=port,
            host=env.get("HOST", "").strip() or "0.0.0.0",
            api_url=api_url,
            knowledge=env.get("SOCBOT_KNOWLEDGE", "").strip() or None,
            db_path=db_path,
            log_level=log_level,
        )
