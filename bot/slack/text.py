"""Text in and out of Slack: decode what users type, escape whatever we echo back.

Slack sends message text with ``&``, ``<`` and ``>`` entity-encoded and with mentions and links
as ``<…>`` tokens. Questions are decoded to plain text before they reach the core; anything we
post is escaped again, so no user text can become ``<!channel>``, ``<!here>`` or a user group.
"""
from __future__ import annotations

import re

from bot.types import MAX_QUESTION_CHARS

__all__ = ["MAX_QUESTION_CHARS", "QUESTION_SUBTYPES", "escape", "cut", "question_from_slack", "plain_from_slack",
           "mentions"]

# Message subtypes that still carry a person's question: a thread reply also sent to the channel,
# and a message with a file attached (a question with a screenshot). Every other subtype (edits,
# deletions, joins, bot messages) is not a question.
QUESTION_SUBTYPES = frozenset({"thread_broadcast", "file_share"})

_TOKEN = re.compile(r"<([^<>\n]{1,2000})>")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


# "@channel", "@here", "@everyone" typed as plain words: a word joiner after the "@" keeps Slack
# from ever reading them as a broadcast, whatever parsing a client or setting applies.
_BROADCAST = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup, so echoed text stays inert."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@\u2060", text)


def cut(text: str, limit: int) -> str:
    """``text`` at most ``limit`` characters long, ending with an ellipsis when shortened."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"


def mentions(text: str, user_id: str | None) -> bool:
    """True when ``text`` (as Slack sends it) mentions ``user_id``."""
    return bool(user_id) and (f"<@{user_id}>" in text or f"<@{user_id}|" in text)


def _plain(token: str, bot_user_id: str | None) -> str:
    target, _, label = token.partition("|")
    if target.startswith("@"):
        if bot_user_id and target[1:] == bot_user_id:
            return " "  # the mention that summoned us is not part of the question
        return "@" + (label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        name = target[1:]
        if name in _SPECIAL:
            return _SPECIAL[name]
        if name.startswith("subteam^"):
            return label or "@group"
        return label or name
    return label or target  # links: keep what the user saw


def plain_from_slack(text: str | None, bot_user_id: str | None = None, limit: int = 100_000) -> str:
    """Plain text from Slack message text, line breaks kept: the bot's mention removed, other
    mentions as "@name", links as what the user saw, entities decoded. At most ``limit``
    characters are read (the work stays bounded; a caller that refuses long text checks first)."""
    if not text:
        return ""
    text = _TOKEN.sub(lambda m: _plain(m.group(1), bot_user_id), text[:limit])
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


def question_from_slack(text: str | None, bot_user_id: str | None = None) -> str:
    """Plain-text question from Slack message text: mention of the bot removed, markup decoded,
    whitespace collapsed, cut to MAX_QUESTION_CHARS."""
    # Bound the work on absurd inputs before any regex runs over them.
    text = plain_from_slack(text, bot_user_id, MAX_QUESTION_CHARS * 4)
    return cut(" ".join(text.split()), MAX_QUESTION_CHARS)
