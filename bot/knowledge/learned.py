"""Learned passages: an expert's answer, saved in Slack, as knowledge the next asker gets, cited.

A learned passage is checked like a passage of a knowledge file (text present, within
MAX_PASSAGE_CHARS), and exported as a file in socbot's own YAML format for review and commit.
"""
from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime, timezone

import yaml

from bot.errors import SocbotError
from bot.knowledge.passage import MAX_PASSAGE_CHARS, Passage
from bot.reports import reports_named

__all__ = ["LearnedError", "learned_passage", "learned_id", "export_yaml", "LEARNED_PATH", "MAX_PASSAGE_CHARS"]

MAX_HEADING_CHARS = 120
LEARNED_PATH = "(learned in Slack)"  # where a learned passage comes from, in place of a file path
_SPACE = re.compile(r"[ \t]+")


class LearnedError(SocbotError):
    """A saved answer that cannot become a passage; the message says why, for the expert."""


def learned_passage(text: str, question: str, *, expert: str, url: str | None, when: float,
                    passage_id: str | None = None) -> Passage:
    """The passage for an expert's ``text`` answering ``question``: its title and section come
    from the question, its reports from the reports the text names. ``passage_id``: stable for
    the same reply (saving it twice keeps one), else a new one. Raises LearnedError."""
    text = "\n".join(_SPACE.sub(" ", line).strip() for line in (text or "").strip().splitlines()).strip()
    if not text:
        raise LearnedError("the reply has no text to save")
    if len(text) > MAX_PASSAGE_CHARS:
        raise LearnedError(f"the reply is {len(text):,} characters; a passage holds at most "
                           f"{MAX_PASSAGE_CHARS:,}. Shorten it, or add it to the knowledge as a file")
    question = " ".join((question or "").split())
    if not question:
        raise LearnedError("the hand-off has no question to file the answer under")
    day = datetime.fromtimestamp(when, timezone.utc).strftime("%Y-%m-%d")
    return Passage(
        id=passage_id or f"learned-{uuid.uuid4().hex[:12]}",
        text=text,
        title=_heading(question),
        section="Answered by an expert",
        reports=reports_named(text),
        url=url,
        source=f"Answered by {expert} in Slack, {day}",
        path=LEARNED_PATH,
        line=None,
    )


def learned_id(source: str) -> str:
    """A passage id that is the same for the same source (a Slack message's channel and ts)."""
    return "learned-" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]


def _heading(question: str) -> str:
    if len(question) <= MAX_HEADING_CHARS:
        return question
    return question[:MAX_HEADING_CHARS - 1].rsplit(" ", 1)[0] + "\u2026"


def export_yaml(passages: list[Passage]) -> str:
    """Learned passages as a knowledge file in socbot's format (``passages:``), loadable as is."""
    items = []
    for p in passages:
        item = {"id": p.id, "title": p.title, "section": p.section, "text": p.text}
        if p.reports:
            item["reports"] = list(p.reports)
        if p.url:
            item["url"] = p.url
        if p.source:
            item["source"] = p.source
        items.append(item)
    header = ("# Answers experts gave in Slack (socbot learned export). Review each before committing:\n"
              "# the text is the expert's own, and its url is the Slack message it came from.\n")
    if not items:
        return header + "# (none yet)\n"
    return header + yaml.safe_dump({"passages": items}, sort_keys=False, allow_unicode=True, width=100)
