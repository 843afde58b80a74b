"""Events API: ``message`` — direct messages, and the ``message`` twin of a channel mention.

Every message event is taken here (an unhandled event would get a 404 and be retried); only
a person's messages are questions (plain, a thread reply also sent to the channel, or one with a
file attached): edits, deletions and other subtypes are not.
"""
from __future__ import annotations

from typing import Any, Mapping

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.replies import Deps, event_tag, reply_to_message
from bot.slack.text import QUESTION_SUBTYPES, mentions

__all__ = ["register", "handle_message"]


def handle_message(deps: Deps, *, event: Mapping[str, Any], body: Mapping[str, Any], client: WebClient,
                   context: BoltContext, request: Any = None) -> str:
    tag = event_tag(body, request)
    subtype = event.get("subtype")
    if subtype and subtype not in QUESTION_SUBTYPES:
        deps.logger.info("%s: ignored (message subtype %s)", tag, subtype)
        return "ignored"
    user = event.get("user")
    if event.get("bot_id") or not user or user == context.bot_user_id:
        deps.logger.info("%s: ignored (message from a bot)", tag)
        return "ignored"
    if event.get("channel_type") == "im":
        return reply_to_message(deps, client, event, tag=tag, event_id=body.get("event_id"),
                                bot_user_id=context.bot_user_id, in_dm=True)
    if mentions(event.get("text") or "", context.bot_user_id):
        # Same channel+ts as the app_mention event: whichever arrives second finds the claim.
        return reply_to_message(deps, client, event, tag=tag, event_id=body.get("event_id"),
                                bot_user_id=context.bot_user_id, in_dm=False)
    deps.logger.info("%s: ignored (channel message not addressed to the bot)", tag)
    return "ignored"


def register(app: App, deps: Deps) -> None:
    @app.event("message")
    def _message(event, body, client, context, request):
        handle_message(deps, event=event, body=body, client=client, context=context, request=request)
