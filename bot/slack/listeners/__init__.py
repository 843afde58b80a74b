"""Listeners, one module per kind of Slack request, each with ``register(app, deps)``."""
from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, experts, messages, views
from bot.slack.replies import Deps

__all__ = ["register_listeners"]


def register_listeners(app: App, deps: Deps) -> None:
    for module in (events, messages, commands, actions, views, experts):
        module.register(app, deps)
