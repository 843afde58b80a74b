"""Block Kit rendering: an ``Answer`` in, a message (``text`` fallback + ``blocks``) out.

Everything taken from users or from the knowledge base is escaped. Messages stay within Slack's
limits (50 blocks, 3000 characters per section, a total budget well under the ~12k where
``msg_too_long`` starts): passages are shortened first, with a note, so Slack never rejects one.
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence
from urllib.parse import quote, urlparse

from bot.slack.buttons import ACTION_SHARE, ACTION_VOTE_DOWN, ACTION_VOTE_UP, answer_buttons
from bot.slack.tables import comparison_lines, field_blocks, table_blocks
from bot.slack.text import cut, escape
from bot.types import Answer, Citation, KnowledgeStats

__all__ = [
    "ACTION_VOTE_UP", "ACTION_VOTE_DOWN", "ACTION_SHARE", "MAX_BLOCKS", "SECTION_LIMIT", "TOTAL_BUDGET",
    "answer_message", "help_message", "section", "home_view", "vote_ack", "highlight", "safe_url", "message_size",
]


MAX_BLOCKS = 50
SECTION_LIMIT = 3000
TOTAL_BUDGET = 8000  # characters of text across blocks; Slack's practical ceiling is ~12k
MAX_SOURCES = 10
MAX_COMPARISON_SOURCES = 24  # a comparison cites a passage per cell: every cited one is listed
# Passage excerpt lengths tried in turn until the message fits the budget; at 0 a source is its
# title and link alone (a comparison's cells already quote its passages).
_PASSAGE_LIMITS = (700, 450, 250, 120, 0)
_FALLBACK_LIMIT = 3000
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")
_WORD = re.compile(r"\w")
_VERDICT = re.compile(r"^([^\s*—][^*—\n]{0,58}[^\s*—]) — ")
_PARTIAL_ENTITY = re.compile(r"&[#a-zA-Z0-9]{0,6}$")


def safe_url(url: str | None) -> str | None:
    """An http(s) URL made safe inside Slack's ``<url|label>`` syntax, or None."""
    if not url:
        return None
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 1000:
        return None
    # Percent-encode what would break out of <url|label>, then escape & as Slack asks.
    url = quote(url, safe=":/?#[]@!$&'()*+,;=%~")
    return url.replace("&", "&amp;")


def highlight(text: str, matches: Iterable[tuple[int, int]], limit: int) -> str:
    """``text`` cut to ``limit`` characters, escaped, with the matched spans in bold."""
    shown = text[:limit]
    spans = sorted((max(0, s), min(len(shown), e)) for s, e in matches if e > s)
    out: list[str] = []
    pos = 0
    for start, end in spans:
        start = max(start, pos)
        word = shown[start:end]
        # Bold only whole words: mrkdwn shows stray asterisks when * touches letters or spaces.
        if (not word or word != word.strip() or "*" in word or "\n" in word
                or (start > 0 and _WORD.match(shown[start - 1]))
                or (end < len(shown) and _WORD.match(shown[end]))):
            continue
        out.append(escape(shown[pos:start]))
        out.append(f"*{escape(word)}*")
        pos = end
    out.append(escape(shown[pos:]))
    result = "".join(out)
    if len(text) > limit:
        result = result.rstrip() + "…"
    return result


def _quote(mrkdwn: str) -> str:
    return "\n".join("> " + line for line in mrkdwn.split("\n"))


def _fit(mrkdwn: str, limit: int) -> str:
    """Cut escaped mrkdwn without leaving half an entity (``&am``) or half a link (``<http…``)."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    text = mrkdwn[: limit - 1]
    text = _PARTIAL_ENTITY.sub("", text)
    if text.rfind("<") > text.rfind(">"):
        text = text[: text.rfind("<")]
    return text.rstrip() + "…"


def section(text: str) -> dict:
    """A mrkdwn section of escaped text, cut within Slack's limit without breaking an entity."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": _fit(text, SECTION_LIMIT)}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _fit(text, SECTION_LIMIT)}]}


def _source(c: Citation, limit: int) -> str:
    head = f"*{c.n}. {escape(cut(c.title, 200))}* › {escape(cut(c.section, 200))}"
    url = safe_url(c.url)
    if url:
        head += f"  <{url}|Open source>"
    if limit == 0:
        return head
    # Offsets in c.matches refer to c.text as is, so the text is not reflowed.
    passage = highlight(c.text, c.matches, limit).strip() or "(empty passage)"
    return f"{head}\n{_quote(passage)}"


def message_size(blocks: Sequence[dict]) -> int:
    """Characters of text across blocks (what Slack counts towards msg_blocks_too_long)."""
    total = 0
    for block in blocks:
        if "text" in block:
            total += len(block["text"].get("text", ""))
        total += sum(len(f.get("text", "")) for f in block.get("fields", ()))
        total += sum(len(cell.get("text", "")) for row in block.get("rows", ()) for cell in row)
        for element in block.get("elements", ()):
            text = element.get("text")
            total += len(text["text"] if isinstance(text, dict) else text or "")
    return total


def _bold_verdict(text: str) -> str:
    # The core leads with the verdict ("SOC 2 — …"); make it stand out.
    match = _VERDICT.match(text)
    return f"*{match.group(1)}*{text[match.end(1):]}" if match else text


def _asked(answer: Answer, asked_by: str | None) -> str:
    who = f"<@{asked_by}> asked" if asked_by and _USER_ID.match(asked_by) else "Question"
    return f"{who}: {escape(cut(answer.question, 300))}"


def _examples(examples: Sequence[str], n: int = 5) -> str:
    return "\n".join(f"• {escape(cut(e, 200))}" for e in list(examples)[:n])


def answer_message(answer: Answer, answer_id: str, *, share: bool = False, asked_by: str | None = None,
                   shared_by: str | None = None, expert_thread: str | None = None) -> dict:
    """The message for an answer or a declined question: ``{"text": …, "blocks": […]}``.

    A comparison comes as a ``table`` block; the message then also holds ``blocks_without_table``
    (the table as section fields), for a workspace that refuses table blocks."""
    if not answer.answered:
        # expert_thread: with the experts on, a decline offers "Ask an expert" (the asker's
        # thread ts, "" when there is none); None leaves the button out.
        return _declined_message(answer, answer_id, share=share, asked_by=asked_by, expert_thread=expert_thread)
    message = _answer_message(answer, answer_id, share, asked_by, shared_by, table=True)
    if answer.comparison is not None:
        message["blocks_without_table"] = _answer_message(answer, answer_id, share, asked_by, shared_by,
                                                          table=False)["blocks"]
    return message


def _answer_message(answer: Answer, answer_id: str, share: bool, asked_by: str | None, shared_by: str | None,
                    table: bool) -> dict:
    most = MAX_COMPARISON_SOURCES if answer.comparison is not None else MAX_SOURCES
    sources = list(answer.citations)[:most]
    answer_text = _bold_verdict(escape(answer.answer.strip())) or "Here is what the knowledge base says."
    forced = len(answer_text) > SECTION_LIMIT or len(answer.citations) > most
    head = [section(answer_text)]
    about = _asked(answer, asked_by)
    if answer.reports:
        about += "  ·  Reports: " + escape(", ".join(answer.reports))
    if shared_by and _USER_ID.match(shared_by):
        about += f"  ·  shared by <@{shared_by}>"
    head.append(_context(about))
    if answer.comparison is not None:
        head += table_blocks(answer.comparison) if table else field_blocks(answer.comparison)

    for i, limit in enumerate(_PASSAGE_LIMITS):
        body = [section("*Sources*")] if sources else []
        body += [section(_source(c, limit)) for c in sources]
        if message_size(head + body) <= TOTAL_BUDGET - 300 or i == len(_PASSAGE_LIMITS) - 1:
            break
        forced = True
    blocks = head + body
    if message_size(blocks) > TOTAL_BUDGET - 300:
        # Still too big (huge titles?): keep as many sources as fit.
        while len(blocks) > 3 and message_size(blocks) > TOTAL_BUDGET - 300:
            blocks.pop()
        forced = True
    if forced:
        blocks.append(_context("_Shortened to fit Slack's message limits; "
                               "the full passages are in the knowledge base._"))
    blocks.append(answer_buttons(answer_id, share))

    fallback = answer.answer.strip() or "Here is what the knowledge base says."
    if answer.comparison is not None:
        fallback += "\n" + comparison_lines(answer.comparison)
    if sources:
        fallback += "\nSources: " + "; ".join(f"{c.n}. {c.title} › {c.section}" for c in sources)
    return {"text": _fit(escape(fallback), _FALLBACK_LIMIT), "blocks": blocks[:MAX_BLOCKS]}


def _declined_message(answer: Answer, answer_id: str, *, share: bool, asked_by: str | None,
                      expert_thread: str | None) -> dict:
    reason = escape(cut(answer.answer.strip(), 1000)) or "That isn't covered by the knowledge base."
    text = f":mag: I couldn't answer that from the knowledge base.\n{reason}"
    blocks = [section(text), _context(_asked(answer, asked_by))]
    if answer.examples:
        blocks.append(section("*Questions I can answer, for example:*\n" + _examples(answer.examples)))
    blocks.append(answer_buttons(answer_id, share, expert_thread))
    fallback = "I couldn't answer that from the knowledge base."
    if answer.examples:
        fallback += " Try: " + " | ".join(cut(e, 200) for e in list(answer.examples)[:3])
    return {"text": _fit(escape(fallback), _FALLBACK_LIMIT), "blocks": blocks}


def help_message(examples: Sequence[str], *, command: str = "/soc") -> dict:
    """Usage of the slash command, with example questions."""
    command = escape(command)
    text = (f"*Ask about SOC reports:* `{command} your question` — the answer is shown only to you, "
            "with a button to share it in the channel.\n"
            "You can also mention me in a channel (I answer in a thread) or send me a direct message.")
    blocks = [section(text)]
    if examples:
        blocks.append(section("*For example:*\n" + _examples(examples)))
    return {"response_type": "ephemeral", "text": f"Usage: {command} your question", "blocks": blocks}


def home_view(stats: KnowledgeStats, examples: Sequence[str]) -> dict:
    """The App Home tab: what the bot knows, how to ask, example questions."""
    fields = [
        {"type": "mrkdwn", "text": f"*Documents*\n{stats.documents}"},
        {"type": "mrkdwn", "text": f"*Passages*\n{stats.passages}"},
    ]
    for report, count in sorted(stats.per_report.items())[:7]:
        fields.append({"type": "mrkdwn", "text": f"*{escape(cut(report, 60))}*\n{count} passages"})
    if stats.untagged:
        fields.append({"type": "mrkdwn", "text": f"*Not tied to one report*\n{stats.untagged} passages"})
    covered = ", ".join(escape(r) for r in sorted(stats.per_report)) or "none yet"
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "socbot: answers about SOC reports"}},
        section("I answer questions about SOC 1, SOC 2 and SOC 3 reports from a curated knowledge base "
                 "and cite the passages I used. If the knowledge base doesn't cover a question, I say so "
                 "instead of guessing."),
        {"type": "divider"},
        section(f"*What I know* — reports covered: {covered}"),
        {"type": "section", "fields": fields[:10]},
        {"type": "divider"},
        section("*How to ask*\n"
                 "• Mention me in a channel: `@socbot What does a SOC 2 Type II report cover?` — "
                 "I reply in a thread.\n"
                 "• Send me a direct message here in the Messages tab.\n"
                 "• Type `/soc your question` anywhere: only you see the answer, with a button to share it.\n"
                 "• 👍 / 👎 under an answer tells the knowledge owner what to improve."),
    ]
    if examples:
        blocks.append(section("*Try asking*\n" + _examples(examples, 8)))
    return {"type": "home", "blocks": blocks}


def vote_ack(value: int, previous: int | None) -> str:
    """What the voter alone is told after a click."""
    emoji = "👍" if value > 0 else "👎"
    if previous == value:
        return f"You already voted {emoji} on this answer."
    if previous is not None:
        return f"Changed your vote to {emoji}. Thanks!"
    if value > 0:
        return f"Thanks, your {emoji} is recorded."
    return f"Thanks, your {emoji} is recorded. The knowledge owner reviews answers voted down."
