"""What the listeners share: the dependencies, asking the core, and posting a reply.

Every event ends in exactly one log line saying what was done with it (answered, duplicate,
ignored, failed), tagged with the event id, so an operator can follow any question.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any, Mapping, Protocol, Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import answer_message, help_message
from bot.slack.expert_team import Experts
from bot.slack.store import Store, message_key
from bot.slack.text import MAX_QUESTION_CHARS, cut, question_from_slack
from bot.types import Answer, KnowledgeStats

__all__ = ["AnswererLike", "Deps", "answer_as_given", "ask", "event_tag", "retry_num", "post_message", "reply_to_message",
           "respond_or_raise", "respond_with_fallback"]


class AnswererLike(Protocol):
    """The part of ``bot.answers.answerer.Answerer`` the Slack layer uses."""

    @property
    def stats(self) -> KnowledgeStats: ...

    @property
    def examples(self) -> Sequence[str]: ...

    def answer(self, question: str, top_k: int = 3) -> Answer: ...


@dataclass(frozen=True)
class Deps:
    """Handed to every listener module's ``register``."""

    answerer: AnswererLike
    store: Store
    logger: logging.Logger
    top_k: int = 3
    experts: Experts | None = None  # None: "Ask an expert" is off

    def expert_thread(self, thread_ts: str | None) -> str | None:
        """What answer_message needs to offer "Ask an expert" on a decline (None: no button)."""
        return None if self.experts is None else (thread_ts or "")


def retry_num(request: Any) -> str | None:
    """The X-Slack-Retry-Num of a Bolt request (Socket Mode's retry_attempt is mapped to it)."""
    headers: Mapping[str, Any] = getattr(request, "headers", None) or {}
    value = headers.get("x-slack-retry-num")
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return str(value) if value not in (None, "", "0") else None


def event_tag(body: Mapping[str, Any], request: Any = None) -> str:
    tag = f"event {body.get('event_id') or '?'}"
    retry = retry_num(request)
    return f"{tag} (retry {retry})" if retry else tag


def ask(deps: Deps, question: str, *, answer_id: str, user: str | None, channel: str | None,
        tag: str, record: bool = True, keep: bool = False) -> Answer:
    """Ask the core; record the answer for feedback and reports (``keep``: the answer itself
    too, to share it later exactly as given). Never raises."""
    question = cut(question, MAX_QUESTION_CHARS)
    try:
        answer = deps.answerer.answer(question, top_k=deps.top_k)
    except Exception:  # the core promises not to raise; a bug there must not silence the bot
        deps.logger.exception("%s: the answer engine failed", tag)
        return Answer(question=question, answered=False, reports=(),
                      answer="Something went wrong while looking that up; it has been logged.",
                      examples=tuple(_examples(deps)))
    if record:
        try:
            deps.store.record_answer(answer_id, answer.question or question, answer.answered,
                                     sources=",".join(c.id for c in answer.citations), user=user, channel=channel,
                                     answer=json.dumps(answer.to_dict(), ensure_ascii=False) if keep else None)
        except Exception:
            deps.logger.exception("%s: could not record the answer", tag)
    return answer


def answer_as_given(deps: Deps, answer_id: str, question: str, user: str | None, tag: str) -> Answer:
    """The answer the asker saw, as the store kept it (a reload since may have changed what the
    knowledge says); asked again only where none was kept."""
    stored = deps.store.stored_answer(answer_id)
    if stored:
        return Answer.from_dict(json.loads(stored))
    deps.logger.info("%s: no stored answer, asked again", tag)
    return ask(deps, question, answer_id=answer_id, user=user, channel=None, tag=tag, record=False)


def _examples(deps: Deps) -> Sequence[str]:
    try:
        return deps.answerer.examples
    except Exception:
        return ()


def respond_or_raise(respond, **params) -> Any:
    """Bolt's ``respond()``, with an HTTP error (an expired or unknown response URL answers 404,
    a refused message 4xx, an outage 5xx) raised instead of returned: Bolt returns those, and
    the caller would log a failure as a success."""
    response = respond(**params)
    status = getattr(response, "status_code", 200)
    if isinstance(status, int) and status >= 400:
        raise RuntimeError(f"the response URL answered {status}: {str(getattr(response, 'body', ''))[:100]}")
    return response


# Errors after which the same message cannot succeed as it is. The answer then goes out another
# way rather than being lost: as plain text, or to the asker directly.
_REJECTED_CONTENT = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long", "too_many_blocks"})
_UNREACHABLE_CHANNEL = frozenset({"channel_not_found", "not_in_channel", "is_archived", "restricted_action",
                                  "cannot_reply_to_message", "thread_not_found"})
FALLBACK_TEXT_CHARS = 3000


def _post(deps: Deps, client: WebClient, tag: str, **params) -> str | None:
    """One chat.postMessage; None when it worked, else the error (logged)."""
    try:
        client.chat_postMessage(unfurl_links=False, unfurl_media=False, **params)
        return None
    except SlackApiError as err:
        error = str(err.response.get("error"))
    except Exception as err:  # connection errors that outlived the retry handlers
        error = f"{type(err).__name__}: {err}"
    deps.logger.error("%s: chat.postMessage to %s failed: %s", tag, params.get("channel"), error)
    return error


_table_refusal_logged = threading.Event()


def table_refused(deps: Deps, tag: str) -> None:
    """Note, once per process, that Slack refused a table block and section fields went instead."""
    if not _table_refusal_logged.is_set():
        _table_refusal_logged.set()
        deps.logger.warning("%s: Slack refused the table block; comparisons are sent as section fields "
                            "where that happens (logged once)", tag)


def respond_with_fallback(deps: Deps, respond, tag: str, message: Mapping[str, Any], **params) -> Any:
    """``respond_or_raise`` with the message's blocks, and again with its table as section
    fields if the response URL refuses them."""
    try:
        return respond_or_raise(respond, text=message["text"], blocks=message["blocks"], **params)
    except RuntimeError:
        if not message.get("blocks_without_table"):
            raise
    result = respond_or_raise(respond, text=message["text"], blocks=message["blocks_without_table"], **params)
    table_refused(deps, tag)
    return result


def post_message(deps: Deps, client: WebClient, *, tag: str, channel: str, thread_ts: str | None,
                 message: Mapping[str, Any], user: str | None = None) -> bool:
    """chat.postMessage with unfurls off; a failure is logged with the tag, never raised or silent.

    Refused content (blocks Slack rejects, a message too long) is sent again as plain text; a
    channel the bot cannot post in gets the answer sent to ``user`` directly instead."""
    error = _post(deps, client, tag, channel=channel, thread_ts=thread_ts, text=message["text"],
                  blocks=message["blocks"])
    if error is None:
        return True
    if error in _REJECTED_CONTENT and message.get("blocks_without_table"):
        error = _post(deps, client, tag, channel=channel, thread_ts=thread_ts, text=message["text"],
                      blocks=message["blocks_without_table"])
        if error is None:
            table_refused(deps, tag)
            return True
    if error in _REJECTED_CONTENT:
        error = _post(deps, client, tag, channel=channel, thread_ts=thread_ts,
                      text=cut(message["text"], FALLBACK_TEXT_CHARS))
        if error is None:
            deps.logger.info("%s: sent as plain text instead", tag)
            return True
    if error in _UNREACHABLE_CHANNEL and user:
        note = f"I couldn't reply in <#{channel}>, so here is my answer:\n\n"
        if _post(deps, client, tag, channel=user, text=note + cut(message["text"], FALLBACK_TEXT_CHARS)) is None:
            deps.logger.info("%s: sent to %s directly instead", tag, user)
            return True
    return False


def reply_to_message(deps: Deps, client: WebClient, event: Mapping[str, Any], *, tag: str,
                     event_id: str | None, bot_user_id: str | None, in_dm: bool) -> str:
    """Answer one user message (a mention or a DM) once; returns what was done."""
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts:
        deps.logger.info("%s: ignored (no channel or ts)", tag)
        return "ignored"
    key = message_key(channel, ts)
    # The claim comes first: a retry or a twin event arriving later, on any worker, stops here.
    try:
        claimed = deps.store.claim(key, event_id)
    except Exception:  # a store outage must not leave the asker without a reply
        deps.logger.exception("%s: the store could not claim %s; answering anyway", tag, key)
        claimed = True
    if not claimed:
        deps.logger.info("%s: already handled %s, nothing posted", tag, key)
        return "duplicate"
    # In a channel always answer in a thread; in a DM only when the question was in one.
    thread_ts = event.get("thread_ts") or (None if in_dm else ts)
    question = question_from_slack(event.get("text"), bot_user_id)
    if question:
        answer = ask(deps, question, answer_id=key, user=event.get("user"), channel=channel, tag=tag)
        message = answer_message(answer, key, expert_thread=deps.expert_thread(thread_ts))
        outcome = "answered" if answer.answered else "declined"
    else:  # a bare mention: say how to ask
        message = help_message(_examples(deps))
        outcome = "helped"
    if not post_message(deps, client, tag=tag, channel=channel, thread_ts=thread_ts, message=message,
                        user=event.get("user")):
        return "failed"
    deps.logger.info("%s: %s %s in %s thread %s (question %d chars)", tag, outcome, key, channel,
                     thread_ts or "-", len(question))
    return outcome
