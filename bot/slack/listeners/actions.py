"""Buttons under answers: 👍 / 👎 feedback and "Share in channel"."""
from __future__ import annotations

from typing import Any, Callable, Mapping

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.blocks import ACTION_SHARE, ACTION_VOTE_DOWN, ACTION_VOTE_UP, answer_message, section, vote_ack
from bot.slack.buttons import ask_expert_button
from bot.slack.replies import Deps, answer_as_given, respond_or_raise, respond_with_fallback

__all__ = ["register", "handle_vote", "handle_share"]


def _user(body: Mapping[str, Any]) -> str:
    return (body.get("user") or {}).get("id") or "?"


def handle_vote(deps: Deps, value: int, *, ack: Ack | Callable[..., Any], body: Mapping[str, Any],
                action: Mapping[str, Any], client: WebClient, respond: Respond | Callable[..., Any]) -> str:
    """Store one vote per person per answer (a new click replaces it); tell only the voter."""
    ack()
    user, answer_id = _user(body), str(action.get("value") or "")
    tag = f"vote {value:+d} by {user} on {answer_id}"
    if not answer_id or user == "?":
        deps.logger.info("%s: ignored (no answer id or user)", tag)
        return "ignored"
    previous = deps.store.vote(answer_id, user, value)
    text = vote_ack(value, previous)
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    thread_ts = (body.get("message") or {}).get("thread_ts") or container.get("thread_ts")
    extra = {}
    if value < 0 and deps.experts is not None and deps.store.asker_of(answer_id) == user:
        # The asker who found the answer wanting may hand the question to people.
        extra["blocks"] = [section(text),
                           {"type": "actions", "elements": [ask_expert_button(answer_id, thread_ts)]}]
    try:
        if container.get("is_ephemeral") or not channel:
            # An ephemeral answer (from /soc) can only be followed up through its response URL.
            respond_or_raise(respond, response_type="ephemeral", replace_original=False, text=text, **extra)
        else:
            client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts, **extra)
    except Exception as err:
        deps.logger.error("%s: acknowledging the vote failed: %s: %s", tag, type(err).__name__, err)
        return "failed"
    deps.logger.info("%s: recorded (previous %s)", tag, previous)
    return "recorded"


def handle_share(deps: Deps, *, ack: Ack | Callable[..., Any], body: Mapping[str, Any],
                 action: Mapping[str, Any], respond: Respond | Callable[..., Any]) -> str:
    """Post an ephemeral /soc answer publicly through the response URL (works in any channel,
    even ones the bot is not a member of), then remove the private copy."""
    ack()
    user, answer_id = _user(body), str(action.get("value") or "")
    tag = f"share by {user} of {answer_id}"
    question = deps.store.question_for(answer_id)
    asker = deps.store.asker_of(answer_id) if question is not None else None
    if asker and asker != user:
        # The button's value is not user-editable today; a crafted payload still must not
        # publish someone else's question (a DM's, say).
        respond(response_type="ephemeral", replace_original=False,
                text="Only the person who asked can share this answer.")
        deps.logger.warning("%s: refused, the answer belongs to another user", tag)
        return "refused"
    claim = f"share:{answer_id}"
    if question is not None and not deps.store.claim(claim):
        # A double click, or a retried interaction: the answer is already in the channel.
        deps.logger.info("%s: already shared, nothing posted", tag)
        return "duplicate"
    try:
        if question is None:
            respond(response_type="ephemeral", replace_original=False,
                    text="I can't find that answer any more; please ask again with /soc.")
            deps.logger.info("%s: unknown answer id", tag)
            return "unknown"
        message = answer_message(answer_as_given(deps, answer_id, question, user, tag), answer_id, asked_by=user)
        respond_with_fallback(deps, respond, tag, message, response_type="in_channel", replace_original=False,
                              unfurl_links=False, unfurl_media=False)
    except Exception as err:
        # Nothing went public: keep the private copy, and let a later click try again.
        deps.store.release(claim)
        deps.logger.error("%s: sharing failed: %s: %s", tag, type(err).__name__, err)
        try:
            respond(response_type="ephemeral", replace_original=False,
                    text="I couldn't share that answer in the channel; please try again.")
        except Exception as again:
            deps.logger.warning("%s: could not tell the user either: %s", tag, again)
        return "failed"
    try:
        respond(delete_original=True)
    except Exception as err:  # the public copy is out; a leftover private copy is harmless
        deps.logger.warning("%s: could not delete the private copy: %s", tag, err)
    deps.logger.info("%s: shared", tag)
    return "shared"


def register(app: App, deps: Deps) -> None:
    @app.action(ACTION_VOTE_UP)
    def _vote_up(ack, body, action, client, respond):
        handle_vote(deps, 1, ack=ack, body=body, action=action, client=client, respond=respond)

    @app.action(ACTION_VOTE_DOWN)
    def _vote_down(ack, body, action, client, respond):
        handle_vote(deps, -1, ack=ack, body=body, action=action, client=client, respond=respond)

    @app.action(ACTION_SHARE)
    def _share(ack, body, action, respond):
        handle_share(deps, ack=ack, body=body, action=action, respond=respond)
