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

from bot.knowledge.learned import LearnedError, learned_id, learned_passage
from bot.knowledge.passage import MAX_PASSAGE_CHARS
from bot.slack.blocks import section
from bot.slack.buttons import handoff_value, undo_button
from bot.slack.expert_store import Handoff
from bot.slack.expert_team import Experts
from bot.slack.replies import Deps, answer_as_given, post_message
from bot.slack.text import cut, escape, plain_from_slack

__all__ = ["handle_ask_expert", "handle_save_answer", "handle_undo", "handoff_message"]


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


def _question_ts(answer_id: str) -> str | None:
    """The ts of the question message an answer id names ("C123:1700000000.000100"), if any."""
    channel, sep, ts = answer_id.partition(":")
    return ts if sep and channel else None


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
    try:
        return _hand_off(deps, experts, client, respond, tag, user, answer_id, thread_ts,
                         (body.get("channel") or {}).get("id"))
    except Exception as err:  # a store outage: the asker hears of it, never silence
        deps.logger.exception("%s: failed: %s", tag, type(err).__name__)
        _ephemeral(respond, tag, deps, "I couldn't reach the experts just now; please try again.")
        return "failed"


def _hand_off(deps: Deps, experts: Experts, client, respond, tag, user, answer_id, thread_ts, clicked_in) -> str:
    question, asker = deps.store.question_for(answer_id), deps.store.asker_of(answer_id)
    if question is None or asker != user:
        # Only the asker hands their own question on: a crafted value cannot publish another's DM.
        _ephemeral(respond, tag, deps, "Only the person who asked can hand this question to the experts.")
        deps.logger.warning("%s: refused (unknown answer, or not the asker)", tag)
        return "refused"
    if deps.store.handoff(answer_id) is not None:  # a second click: nothing asked again, nothing posted
        _ephemeral(respond, tag, deps, "This question is already with the experts.")
        deps.logger.info("%s: already handed off, nothing posted", tag)
        return "duplicate"
    question_ts = _question_ts(answer_id)
    channel = answer_id.partition(":")[0] if question_ts else clicked_in
    given = answer_as_given(deps, answer_id, question, user, tag)
    handoff = Handoff(answer_id, question, asker, channel, thread_ts or question_ts,
                      given.answer if given.answered else "", created=time.time())
    if not deps.store.hand_off(handoff):  # another click won the race, on any machine
        _ephemeral(respond, tag, deps, "This question is already with the experts.")
        return "duplicate"
    permalink = _permalink(client, deps, tag, channel, question_ts or thread_ts)
    try:
        posted = client.chat_postMessage(channel=experts.channel, unfurl_links=False, unfurl_media=False,
                                         **handoff_message(experts, handoff, permalink))
    except Exception as err:
        deps.store.drop_handoff(answer_id)  # nothing reached the experts: a later click may try again
        deps.logger.error("%s: posting to the expert channel failed: %s: %s", tag, type(err).__name__, err)
        _ephemeral(respond, tag, deps, "I couldn't reach the experts just now; please try again.")
        return "failed"
    deps.store.handoff_posted(answer_id, experts.channel, posted.get("ts"), permalink)
    if handoff.thread_ts and channel and question_ts:
        note = f"I've passed this question to the experts in <#{experts.channel}>; their answer will come here."
        post_message(deps, client, tag=tag, channel=channel, thread_ts=handoff.thread_ts,
                     message={"text": note, "blocks": [section(note)]})
    else:  # asked privately with /soc: only the asker hears of it, and gets the answer by DM
        _ephemeral(respond, tag, deps, "I've passed this question to the experts; I'll send you their "
                                       "answer in a direct message.")
    deps.logger.info("%s: handed off to %s", tag, experts.channel)
    return "handed_off"


def handoff_message(experts: Experts, handoff: Handoff, permalink: str | None) -> dict:
    """The post in the expert channel. User text is cut, then escaped, in blocks of its own, so it
    can never ping anyone nor push the link and the instructions out of the message."""
    who = f"<@{handoff.asker}>" if handoff.asker else "someone"
    where = f" in <#{handoff.channel}>" if handoff.channel and handoff.channel[0] in "CG" else ""
    given = escape(cut(handoff.answer_text, 500)) if handoff.answer_text else "_(it declined: not in the knowledge base)_"
    if permalink:
        how = f"<{permalink}|Open the asker's thread> and reply there"
    else:
        how = "Asked privately: reply in this thread (I'll pass the answer on)"
    if experts.people:
        how += "; then use the message shortcut *Save as answer* on your reply to teach me."
    blocks = [section(f"{experts.mention()} a question needs an expert."),
              section(f"*Question* from {who}{where}:\n> {escape(cut(handoff.question, 500))}"),
              section(f"*I answered:* {given}"),
              section(how)]
    return {"text": f"A question needs an expert: {escape(cut(handoff.question, 300))}", "blocks": blocks}


def _answered_handoff(candidates: list[Handoff], channel: str, reply_ts: str) -> Handoff | None:
    """The hand-off a reply answers: the one posted in this expert thread, else of the questions
    handed off from this thread the latest asked before the reply."""
    for h in candidates:
        if h.expert_channel == channel and h.expert_ts:
            return h
    earlier = [h for h in candidates if (_question_ts(h.answer_id) or "0") <= reply_ts]
    return max(earlier, key=lambda h: float(_question_ts(h.answer_id) or 0), default=None)


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
    author = message.get("user")
    if not experts.may_teach(author):
        _ephemeral(respond, tag, deps, "*Save as answer* saves an expert's own reply; this message is someone else's.")
        deps.logger.info("%s: refused (the message is not an expert's)", tag)
        return "refused"
    try:
        return _save(deps, experts, client, respond, tag, channel, message, author)
    except Exception as err:  # a store outage: the expert hears of it
        deps.logger.exception("%s: failed: %s", tag, type(err).__name__)
        _ephemeral(respond, tag, deps, "Not saved: the store is unavailable just now; please try again.")
        return "failed"


def _save(deps: Deps, experts: Experts, client, respond, tag, channel, message, author) -> str:
    thread_ts, reply_ts = message.get("thread_ts"), str(message.get("ts") or "")
    candidates = deps.store.handoffs_in_thread(channel, thread_ts) if channel and thread_ts else []
    handoff = _answered_handoff(candidates, channel, reply_ts) if reply_ts != thread_ts else None
    if handoff is None:
        _ephemeral(respond, tag, deps, "Use *Save as answer* on a reply in the thread of a question "
                                       "handed to the experts.")
        deps.logger.info("%s: refused (not a reply in a handed-off thread)", tag)
        return "refused"
    raw = message.get("text") or ""
    try:
        if len(raw) > MAX_PASSAGE_CHARS * 2:  # refused before any work on it
            raise LearnedError(f"the reply is {len(raw):,} characters; a passage holds at most {MAX_PASSAGE_CHARS:,}")
        url = _permalink(client, deps, tag, channel, reply_ts)
        passage = learned_passage(plain_from_slack(raw), handoff.question, expert=author, url=url, when=time.time(),
                                  passage_id=learned_id(f"{channel}:{reply_ts}"))
    except LearnedError as err:
        _ephemeral(respond, tag, deps, f"Not saved: {err}.")
        deps.logger.info("%s: refused (%s)", tag, err)
        return "invalid"
    if not deps.store.learn(passage, expert=author, answer_id=handoff.answer_id):
        _ephemeral(respond, tag, deps, "That reply is saved already.", [section("That reply is saved already."),
                                                                        undo_button(passage.id)])
        return "duplicate"
    text = (f"Saved as the answer to “{escape(cut(handoff.question, 200))}”. Askers get it within "
            f"{experts.reload_seconds:g} seconds, cited.")
    _ephemeral(respond, tag, deps, text, [section(text), undo_button(passage.id)])
    _pass_on(deps, client, tag, handoff, channel, passage.text)
    deps.logger.info("%s: learned %s for %s", tag, passage.id, handoff.answer_id)
    return "saved"


def _pass_on(deps: Deps, client, tag: str, handoff: Handoff, channel: str, text: str) -> None:
    """Bring the answer to an asker who cannot see where it was given: a private /soc question
    gets it by DM, a channel thread answered from the expert channel gets it in the thread."""
    note = f"The experts answered your question “{escape(cut(handoff.question, 200))}”:\n> {escape(cut(text, 2000))}"
    message = {"text": note, "blocks": [section(note)]}
    if not _question_ts(handoff.answer_id):
        if handoff.asker:
            post_message(deps, client, tag=tag, channel=handoff.asker, thread_ts=None, message=message)
    elif handoff.channel and channel != handoff.channel:
        post_message(deps, client, tag=tag, channel=handoff.channel, thread_ts=handoff.thread_ts, message=message)


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
