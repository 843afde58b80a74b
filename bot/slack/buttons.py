"""The buttons under the bot's messages, and their action ids (each defined here once)."""
from __future__ import annotations

__all__ = ["ACTION_VOTE_UP", "ACTION_VOTE_DOWN", "ACTION_SHARE", "ACTION_ASK_EXPERT", "ACTION_UNDO_LEARNED",
           "SHORTCUT_SAVE_ANSWER", "answer_buttons", "ask_expert_button", "handoff_value", "undo_button"]

ACTION_VOTE_UP = "vote_up"
ACTION_VOTE_DOWN = "vote_down"
ACTION_SHARE = "share_answer"
ACTION_ASK_EXPERT = "ask_expert"
ACTION_UNDO_LEARNED = "undo_learned"
SHORTCUT_SAVE_ANSWER = "save_answer"  # the message shortcut "Save as answer" (manifest.yml)
_SEP = "|"  # an ask_expert value: "<answer id>|<the asker's thread ts>"


def _button(action_id: str, value: str, text: str, **extra) -> dict:
    return {"type": "button", "action_id": action_id, "value": value,
            "text": {"type": "plain_text", "text": text, "emoji": True}, **extra}


def ask_expert_button(answer_id: str, thread_ts: str | None) -> dict:
    return _button(ACTION_ASK_EXPERT, f"{answer_id}{_SEP}{thread_ts or ''}", "Ask an expert")


def handoff_value(value: str) -> tuple[str, str | None]:
    """(answer id, thread ts) from an ask_expert button's value."""
    answer_id, _, thread_ts = value.partition(_SEP)
    return answer_id, thread_ts or None


def undo_button(passage_id: str) -> dict:
    return {"type": "actions", "elements": [_button(ACTION_UNDO_LEARNED, passage_id, "Undo")]}


def answer_buttons(answer_id: str, share: bool, expert_thread: str | None = None) -> dict:
    """👍 / 👎, "Share in channel" when asked for, "Ask an expert" when ``expert_thread`` is given
    (the asker's thread ts, "" for none)."""
    elements = [_button(ACTION_VOTE_UP, answer_id, "👍 Helpful"), _button(ACTION_VOTE_DOWN, answer_id, "👎 Not helpful")]
    if share:
        elements.append(_button(ACTION_SHARE, answer_id, "Share in channel", style="primary"))
    if expert_thread is not None:
        elements.append(ask_expert_button(answer_id, expert_thread))
    return {"type": "actions", "block_id": "answer_actions", "elements": elements}
