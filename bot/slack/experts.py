"""Ask an expert: hand a question the bot could not answer to people, and learn from their reply.

- **Hand-off** (button ``ask_expert`` under a declined answer or a 👎 acknowledgement): the
  question, its asker, the answer given and a permalink to the asker's thread go to
  ``SOCBOT_EXPERT_CHANNEL``, tagging the experts with mentions built here from their checked ids.
  The asker's thread gets one line. A question is handed off once, whoever clicks how often.
- **Learning** (message shortcut ``save_answer`` on an expert's reply, in the asker's thread or in
  the hand-off's thread): the reply becomes a passage in the store, which every process merges
  into its index at its next reload. Only ``SOCBOT_EXPERTS`` may save; the confirmation offers
  **Undo** (``undo_learned``).
"""
from __future__ import annotations

import time
from typing import Any, Callable, Mapping

from bot.knowledge.learned import LearnedError, learned_passage
from bot.knowledge.passage import MAX_PASSAGE_CHARS
from bot.slack.buttons import handoff_value, undo_button
from bot.slack.expert_store import Handoff
from bot.slack.expert_team import Experts
from bot.slack.replies import Deps, ask, post_message
from bot.slack.text import cut, escape, plain_from_slack

__all__ = ["handle_ask_expert", "handle_save_answer", "handle_undo", "handoff_message"]


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, 2900)}}


def _ephemeral(respond, tag: str, deps: Deps, text: str, blocks: list | None = None) -> None:
    try:
        params = {"response_type": "ephemeral", "replace_original": False, "text": text}
        respond(**(params | ({"blocks": blocks} if blocks else {})))
    except Exception as err:
        deps.logger.warning("%s: could not tell the user: %s: %s", tag, type(err).__name__, err)


def _permalink(client, deps: Deps, tag: str, channel: str | None, ts: str | None) -> str | None:
    if not channel or not ts:
        return None
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except Exception as err:
        deps.logger.warning("%s: no permalink for %s %s: %s", tag, channel, ts, err)
        return None


def handle_ask_expert(deps: Deps, *, ack: Callable[..., Any], body: Mapping[str, Any], action: Mapping[str, Any],
                      client, respond) -> str:
    """Hand the question behind the button to the experts, once."""
    ack()
    user = (body.get("user") or {}).get("id")
    answer_id, thread_ts = handoff_value(str(action.get("value") or ""))
    tag = f"ask_expert by {user} on {answer_id}"
    experts = deps.experts
    if experts is None or not answer_id:
        deps.logger.info("%s: ignored (experts off, or no answer id)", tag)
        return "ignored"
    question, asker = deps.store.question_for(answer_id), deps.store.asker_of(answer_id)
    if question is None or asker != user:
        # Only the asker hands their own question on: a crafted value cannot publish another's DM.
        _ephemeral(respond, tag, deps, "Only the person who asked can hand this question to the experts.")
        deps.logger.warning("%s: refused (unknown answer, or not the asker)", tag)
        return "refused"
    channel, _, question_ts = answer_id.partition(":") if ":" in answer_id else (None, "", None)
    channel = channel or (body.get("channel") or {}).get("id")
    given = ask(deps, question, answer_id=answer_id, user=user, channel=channel, tag=tag, record=False)
    handoff = Handoff(answer_id, question, asker, channel, thread_ts or question_ts or None,
                      given.answer if given.answered else "", created=time.time())
    if not deps.store.hand_off(handoff):
        _ephemeral(respond, tag, deps, "This question is already with the experts.")
        deps.logger.info("%s: already handed off, nothing posted", tag)
        return "duplicate"
    permalink = _permalink(client, deps, tag, channel, question_ts or thread_ts)
    message = handoff_message(experts, handoff, permalink)
    try:
        posted = client.chat_postMessage(channel=experts.channel, unfurl_links=False, unfurl_media=False, **message)
    except Exception as err:
        deps.store.drop_handoff(answer_id)  # nothing reached the experts: a later click may try again
        deps.logger.error("%s: posting to the expert channel failed: %s: %s", tag, type(err).__name__, err)
        _ephemeral(respond, tag, deps, "I couldn't reach the experts just now; please try again.")
        return "failed"
    deps.store.handoff_posted(answer_id, experts.channel, posted.get("ts"), permalink)
    note = f"I've passed this question to the experts in <#{experts.channel}>; an answer will come here."
    if handoff.thread_ts and channel:
        post_message(deps, client, tag=tag, channel=channel, thread_ts=handoff.thread_ts,
                     message={"text": note, "blocks": [_section(note)]})
    else:  # asked privately with /soc: only the asker hears of it
        _ephemeral(respond, tag, deps, note)
    deps.logger.info("%s: handed off to %s", tag, experts.channel)
    return "handed_off"


def handoff_message(experts: Experts, handoff: Handoff, permalink: str | None) -> dict:
    """The post in the expert channel. User text is escaped: it can never ping anyone."""
    question = escape(cut(handoff.question, 1500))
    who = f"<@{handoff.asker}>" if handoff.asker else "someone"
    where = f" in <#{handoff.channel}>" if handoff.channel and handoff.channel[0] in "CG" else ""
    given = escape(cut(handoff.answer_text, 1200)) if handoff.answer_text else "_(it declined: not in the knowledge base)_"
    link = f"\n<{permalink}|Open the asker's thread> and reply there" if permalink else \
        "\nAsked privately: reply in this thread"
    how = ("; then use the message shortcut *Save as answer* on your reply to teach me."
           if experts.people else ".")
    text = (f"{experts.mention()} a question needs an expert.\n*Question* from {who}{where}:\n> {question}\n"
            f"*I answered:* {given}{link}{how}")
    return {"text": f"A question needs an expert: {escape(cut(handoff.question, 300))}", "blocks": [_section(text)]}


def handle_save_answer(deps: Deps, *, ack: Callable[..., Any], shortcut: Mapping[str, Any], client, respond) -> str:
    """Save an expert's reply in a handed-off thread as a passage."""
    ack()
    user = (shortcut.get("user") or {}).get("id")
    channel = (shortcut.get("channel") or {}).get("id")
    message = shortcut.get("message") or {}
    tag = f"save_answer by {user} in {channel}"
    experts = deps.experts
    if experts is None or not experts.may_teach(user):
        _ephemeral(respond, tag, deps, "Only the experts named in SOCBOT_EXPERTS can save answers.")
        deps.logger.warning("%s: refused (not an expert)", tag)
        return "refused"
    thread_ts = message.get("thread_ts")
    handoff = deps.store.handoff_in_thread(channel, thread_ts) if channel and thread_ts else None
    if handoff is None or message.get("ts") == thread_ts:
        _ephemeral(respond, tag, deps, "Use *Save as answer* on a reply in the thread of a question "
                                       "handed to the experts.")
        deps.logger.info("%s: refused (not a reply in a handed-off thread)", tag)
        return "refused"
    raw = message.get("text") or ""
    try:
        if len(raw) > MAX_PASSAGE_CHARS * 2:  # refused before any work on it
            raise LearnedError(f"the reply is {len(raw):,} characters; a passage holds at most {MAX_PASSAGE_CHARS:,}")
        url = _permalink(client, deps, tag, channel, message.get("ts"))
        passage = learned_passage(plain_from_slack(raw), handoff.question, expert=user, url=url, when=time.time())
    except LearnedError as err:
        _ephemeral(respond, tag, deps, f"Not saved: {err}.")
        deps.logger.info("%s: refused (%s)", tag, err)
        return "invalid"
    deps.store.learn(passage, expert=user, answer_id=handoff.answer_id)
    text = (f"Saved as the answer to “{escape(cut(handoff.question, 200))}”. Askers get it within "
            f"{experts.reload_seconds:g} seconds, cited.")
    _ephemeral(respond, tag, deps, text, [_section(text), undo_button(passage.id)])
    deps.logger.info("%s: learned %s for %s", tag, passage.id, handoff.answer_id)
    return "saved"


def handle_undo(deps: Deps, *, ack: Callable[..., Any], body: Mapping[str, Any], action: Mapping[str, Any],
                respond) -> str:
    ack()
    user = (body.get("user") or {}).get("id")
    passage_id = str(action.get("value") or "")
    tag = f"undo_learned {passage_id} by {user}"
    if deps.experts is None or not deps.experts.may_teach(user):
        _ephemeral(respond, tag, deps, "Only the experts named in SOCBOT_EXPERTS can remove saved answers.")
        return "refused"
    removed = deps.store.unlearn(passage_id)
    text = "Removed: askers no longer get that answer." if removed else "That answer was already removed."
    try:
        respond(response_type="ephemeral", replace_original=True, text=text)
    except Exception as err:
        deps.logger.warning("%s: could not confirm: %s", tag, err)
    deps.logger.info("%s: %s", tag, "removed" if removed else "already gone")
    return "removed" if removed else "absent"
