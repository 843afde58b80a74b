"""Slash command ``/soc``: an answer only the asker sees, with a button to share it."""
from __future__ import annotations

import uuid
from typing import Any, Callable, Mapping

from slack_bolt import Ack, App, Respond

from bot.reports import DEFAULT_COMPARISON
from bot.slack.blocks import answer_message, help_message
from bot.slack.replies import Deps, ask, respond_with_fallback
from bot.slack.text import question_from_slack

__all__ = ["COMMAND", "register", "handle_soc"]

COMMAND = "/soc"
_HELP_WORDS = {"", "help", "?", "-h", "--help", "usage"}


def handle_soc(deps: Deps, *, ack: Ack | Callable[..., Any], command: Mapping[str, Any],
               respond: Respond | Callable[..., Any]) -> str:
    user = command.get("user_id")
    tag = f"command {COMMAND} from {user} (trigger {command.get('trigger_id') or '?'})"
    question = question_from_slack(command.get("text"))
    if question.lower() in _HELP_WORDS:
        # Usage goes straight back in the acknowledgement: no Web API call needed.
        ack(**help_message(deps.answerer.examples, command=command.get("command") or COMMAND))
        deps.logger.info("%s: usage shown", tag)
        return "helped"
    if question.lower() == "compare":  # "/soc compare" alone: the comparison people ask for most
        question = f"Compare {' and '.join(DEFAULT_COMPARISON)}"
    # Acknowledge first (Slack allows 3 s), then answer through the response URL.
    ack()
    answer_id = "cmd-" + uuid.uuid4().hex[:16]
    answer = ask(deps, question, answer_id=answer_id, user=user, channel=command.get("channel_id"), tag=tag,
                 keep=True)
    message = answer_message(answer, answer_id, share=True, expert_thread=deps.expert_thread(None))
    try:
        respond_with_fallback(deps, respond, tag, message, response_type="ephemeral", replace_original=False,
                              unfurl_links=False, unfurl_media=False)
    except Exception as err:
        deps.logger.error("%s: posting the answer to the response URL failed: %s: %s", tag, type(err).__name__, err)
        return "failed"
    outcome = "answered" if answer.answered else "declined"
    deps.logger.info("%s: %s %s (question %d chars)", tag, outcome, answer_id, len(question))
    return outcome


def register(app: App, deps: Deps) -> None:
    @app.command(COMMAND)
    def _soc(ack, command, respond):
        handle_soc(deps, ack=ack, command=command, respond=respond)
