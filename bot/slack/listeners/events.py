"""Events API: ``app_mention`` — a question asked by mentioning the bot in a channel."""
from __future__ import annotations

from typing import Any, Mapping

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.replies import Deps, event_tag, reply_to_message
from bot.slack.text import QUESTION_SUBTYPES

__all__ = ["register", "handle_app_mention"]


def handle_app_mention(deps: Deps, *, event: Mapping[str, Any], body: Mapping[str, Any], client: WebClient,
                       context: BoltContext, request: Any = None) -> str:
    """Answer in a thread under the question (or in the thread it was asked in)."""
    tag = event_tag(body, request)
    if event.get("bot_id") or event.get("subtype", None) not in (None, *QUESTION_SUBTYPES):
        # Another bot mentioning us must not start a bot-to-bot conversation.
        deps.logger.info("%s: ignored (app_mention from a bot or with subtype %s)", tag, event.get("subtype"))
        return "ignored"
    return reply_to_message(deps, client, event, tag=tag, event_id=body.get("event_id"),
                            bot_user_id=context.bot_user_id, in_dm=event.get("channel_type") == "im")


def register(app: App, deps: Deps) -> None:
    @app.event("app_mention")
    def _app_mention(event, body, client, context, request):
        handle_app_mention(deps, event=event, body=body, client=client, context=context, request=request)
