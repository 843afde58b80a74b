"""Ask an expert: the hand-off button, the "Save as answer" message shortcut and its Undo.

Registered only when an expert channel is set; the logic is in bot.slack.experts."""
from __future__ import annotations

from slack_bolt import App

from bot.slack.buttons import ACTION_ASK_EXPERT, ACTION_UNDO_LEARNED, SHORTCUT_SAVE_ANSWER
from bot.slack.experts import handle_ask_expert, handle_save_answer, handle_undo
from bot.slack.replies import Deps

__all__ = ["register"]


def register(app: App, deps: Deps) -> None:
    if deps.experts is None:
        return

    @app.action(ACTION_ASK_EXPERT)
    def _ask_expert(ack, body, action, client, respond):
        handle_ask_expert(deps, ack=ack, body=body, action=action, client=client, respond=respond)

    @app.shortcut(SHORTCUT_SAVE_ANSWER)
    def _save_answer(ack, shortcut, client, respond):
        handle_save_answer(deps, ack=ack, shortcut=shortcut, client=client, respond=respond)

    @app.action(ACTION_UNDO_LEARNED)
    def _undo(ack, body, action, respond):
        handle_undo(deps, ack=ack, body=body, action=action, respond=respond)
