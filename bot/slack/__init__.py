"""The Slack layer: the only part of socbot that knows Slack exists.

Build an app with ``create_app(settings, answerer, store)``; run it with ``socbot serve``
(Socket Mode or HTTP) or under uvicorn with ``--factory bot.slack.web:create_asgi_app``.
"""
from __future__ import annotations

from bot.config import Settings
from bot.slack.app import build_client, create_app
from bot.slack.store import SQLiteStore, Store

__all__ = ["Settings", "Store", "SQLiteStore", "build_client", "create_app"]
