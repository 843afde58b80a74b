"""Ask an expert, end to end against the stand-in: a declined question is handed to the experts
once, an expert's reply is saved with the message shortcut, the next asker gets it cited, and
Undo takes it back. Off unless an expert channel is set."""
from __future__ import annotations

import json
import time

import pytest
from slack_helpers import BOT_TOKEN, SECRET, action_payload, deliver, mention_event, new_id, new_ts
from support.harness import action_body, event_body

from bot.answers.live import LiveAnswerer
from bot.config import Settings
from bot.slack.app import create_app
from bot.slack.buttons import ACTION_ASK_EXPERT, ACTION_UNDO_LEARNED, SHORTCUT_SAVE_ANSWER
from bot.slack.store import SQLiteStore

FORM = "application/x-www-form-urlencoded"
EXPERT, GROUP, ASKER, OTHER = "UEXPERT1", "SEXPERTS1", "UASKER01", "UOTHER01"
EXPERT_CHANNEL = "CEXPERTS1"
QUESTION = "How long should we keep badge access logs for the SOC 2 audit?"
REPLY = "Keep badge access logs for at least one year: our SOC 2 auditor samples them across the review period."
KNOWLEDGE = """\
# SOC reports in brief

## SOC 1
A SOC 1 report covers controls relevant to customers' financial reporting. It is read by user auditors.

## SOC 2
A SOC 2 report covers security, availability and confidentiality under the Trust Services Criteria.
Customers read it under an NDA.
"""


@pytest.fixture
def live(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "soc.md").write_text(KNOWLEDGE, encoding="utf-8")
    answerer = LiveAnswerer(kb, interval=1, cache_dir=None)  # as with SOCBOT_RELOAD_SECONDS=1
    yield answerer
    answerer.stop()


@pytest.fixture
def expert_app(standin, tmp_path, live):
    settings = Settings(bot_token=BOT_TOKEN, signing_secret=SECRET, api_url=standin.api_url,
                        expert_channel=EXPERT_CHANNEL, experts=(EXPERT, GROUP))
    store = SQLiteStore(tmp_path / "socbot.db")
    return create_app(settings, live, store, process_before_response=True), store


def _ask(app, channel, ts, text=QUESTION, user=ASKER):
    deliver(app, event_body(mention_event(channel, ts, f"<@UBOT0001> {text}", user=user), event_id=new_id("Ev")))


def _buttons(call) -> dict:
    return {e["action_id"]: e["value"] for b in call.blocks() if b["type"] == "actions" for e in b["elements"]}


def _shortcut(app, standin, *, user, channel, thread_ts, text, name, author=None, reply_ts=None):
    reply_ts = reply_ts or new_ts()
    payload = {"type": "message_action", "callback_id": SHORTCUT_SAVE_ANSWER, "trigger_id": "t1",
               "team": {"id": "T0001"}, "user": {"id": user}, "channel": {"id": channel}, "token": "unused",
               "response_url": standin.response_url(name), "action_ts": "1700000003.1",
               "message": {"type": "message", "user": author or user, "ts": reply_ts, "thread_ts": thread_ts,
                           "text": text}}
    assert deliver(app, action_body(payload), content_type=FORM).status == 200
    return reply_ts, [c for c in standin.calls("response_url") if c.path.endswith(name)]


def _wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "not within the reload interval"
        time.sleep(0.1)


def test_the_whole_path_from_decline_to_a_learned_cited_answer_and_back(expert_app, standin, live):
    app, store = expert_app
    channel, ts = new_id("C"), new_ts()
    # 1. Declined, with the button.
    _ask(app, channel, ts)
    (declined,) = standin.calls("chat.postMessage", channel=channel)
    assert "couldn't answer" in declined.params["text"]
    value = _buttons(declined)[ACTION_ASK_EXPERT]

    # 2. The asker's click posts to the expert channel once, with a permalink; the thread gets a line.
    before = len(standin.calls("chat.postMessage", channel=EXPERT_CHANNEL))
    click = action_payload(ACTION_ASK_EXPERT, value, user=ASKER, channel=channel, thread_ts=ts,
                           response_url=standin.response_url(channel + "-ask"))
    deliver(app, action_body(click), content_type=FORM)
    handoff = standin.calls("chat.postMessage", channel=EXPERT_CHANNEL)[before:]
    assert len(handoff) == 1
    posted = json.dumps(handoff[0].params)
    assert f"<@{EXPERT}>" in posted and f"<!subteam^{GROUP}>" in posted and f"<@{ASKER}>" in posted
    assert f"https://standin.example/archives/{channel}/p{ts.replace('.', '')}" in posted
    assert "badge access logs" in posted
    thread_line = [c for c in standin.calls("chat.postMessage", channel=channel) if c.params.get("thread_ts") == ts][1:]
    assert len(thread_line) == 1 and "experts" in thread_line[0].params["text"]
    deliver(app, action_body(click), content_type=FORM)  # a second click
    assert len(standin.calls("chat.postMessage", channel=EXPERT_CHANNEL)) == before + 1
    assert "already" in standin.calls("response_url")[-1].params["text"]

    # 3-4. A non-expert's shortcut is refused; an empty or a 40,000-character reply stores nothing.
    _, (refusal,) = _shortcut(app, standin, user=OTHER, channel=channel, thread_ts=ts, text=REPLY, name=new_id("r"))
    assert refusal.params["response_type"] == "ephemeral" and "Only the experts" in refusal.params["text"]
    for text in ("   ", "x " * 20_000):
        _, (said,) = _shortcut(app, standin, user=EXPERT, channel=channel, thread_ts=ts, text=text, name=new_id("r"))
        assert said.params["text"].startswith("Not saved:")
    assert store.learned_passages() == ()

    # 3. The expert's reply in the asker's thread is saved; the confirmation offers Undo.
    reply_ts, (saved,) = _shortcut(app, standin, user=EXPERT, channel=channel, thread_ts=ts, text=REPLY,
                                   name=new_id("r"))
    assert saved.params["response_type"] == "ephemeral" and "Saved" in saved.params["text"]
    undo = next(e for b in saved.params["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert undo["action_id"] == ACTION_UNDO_LEARNED
    (learned,) = store.learned_passages()
    assert learned.reports == ("SOC 2",) and learned.title == QUESTION

    # 5. Within the reload interval, the same question is answered from the expert's words, cited.
    _wait_until(lambda: live.answer(QUESTION).answered)
    again = new_id("C")
    _ask(app, again, new_ts(), user=OTHER)
    (answer,) = standin.calls("chat.postMessage", channel=again)
    shown = json.dumps(answer.params["blocks"])
    assert "at least one year" in answer.params["text"]
    assert f"https://standin.example/archives/{channel}/p{reply_ts.replace('.', '')}" in shown

    # 6. Undo takes it back: the question is declined again.
    undo_click = action_payload(ACTION_UNDO_LEARNED, undo["value"], user=EXPERT, channel=channel,
                                response_url=standin.response_url(channel + "-undo"))
    deliver(app, action_body(undo_click), content_type=FORM)
    assert store.learned_passages() == ()
    _wait_until(lambda: not live.answer(QUESTION).answered)


def test_only_the_asker_hands_off_and_broadcasts_in_the_question_stay_inert(expert_app, standin):
    app, store = expert_app
    channel, ts = new_id("C"), new_ts()
    _ask(app, channel, ts, text="<!channel> how long should we keep badge access logs? @here")
    (declined,) = standin.calls("chat.postMessage", channel=channel)
    value = _buttons(declined)[ACTION_ASK_EXPERT]
    before = len(standin.calls("chat.postMessage", channel=EXPERT_CHANNEL))
    other = action_payload(ACTION_ASK_EXPERT, value, user=OTHER, channel=channel, thread_ts=ts,
                           response_url=standin.response_url(channel + "-other"))
    deliver(app, action_body(other), content_type=FORM)
    assert len(standin.calls("chat.postMessage", channel=EXPERT_CHANNEL)) == before
    mine = action_payload(ACTION_ASK_EXPERT, value, user=ASKER, channel=channel, thread_ts=ts,
                          response_url=standin.response_url(channel + "-mine"))
    deliver(app, action_body(mine), content_type=FORM)
    (post,) = standin.calls("chat.postMessage", channel=EXPERT_CHANNEL)[before:]
    posted = json.dumps(post.params)
    assert "<!channel>" not in posted and "<!here>" not in posted and "@channel" not in posted.replace("@\\u2060", "")
    assert len(post.blocks()) <= 50 and all(len(b["text"]["text"]) <= 3000 for b in post.blocks() if "text" in b)


def test_a_thumbs_down_acknowledgement_offers_the_asker_an_expert(expert_app, standin):
    app, store = expert_app
    channel, ts = new_id("C"), new_ts()
    _ask(app, channel, ts, text="what does a SOC 2 report cover?")
    (answer,) = standin.calls("chat.postMessage", channel=channel)
    assert ACTION_ASK_EXPERT not in _buttons(answer)  # answered: the button comes with a 👎
    answer_id = _buttons(answer)["vote_down"]
    down = action_payload("vote_down", answer_id, user=ASKER, channel=channel, thread_ts=ts,
                          response_url=standin.response_url(channel + "-down"))
    deliver(app, action_body(down), content_type=FORM)
    (ack,) = standin.calls("chat.postEphemeral", channel=channel)
    assert ACTION_ASK_EXPERT in json.dumps(ack.params["blocks"])


def test_without_an_expert_channel_nothing_mentions_experts(make_app, standin):
    app, channel = make_app(), new_id("C")
    _ask(app, channel, new_ts(), text="what's the weather?")
    (declined,) = standin.calls("chat.postMessage", channel=channel)
    assert ACTION_ASK_EXPERT not in json.dumps(declined.params) and "expert" not in declined.params["text"].lower()


def _declined_and_handed_off(app, standin, channel, ts, text=QUESTION, thread_ts=None):
    deliver(app, event_body(mention_event(channel, ts, f"<@UBOT0001> {text}", thread_ts=thread_ts),
                            event_id=new_id("Ev")))
    declined = [c for c in standin.calls("chat.postMessage", channel=channel) if ACTION_ASK_EXPERT in _buttons(c)][-1]
    click = action_payload(ACTION_ASK_EXPERT, _buttons(declined)[ACTION_ASK_EXPERT], user=ASKER, channel=channel,
                           thread_ts=thread_ts or ts, response_url=standin.response_url(new_id("ask")))
    deliver(app, action_body(click), content_type=FORM)


def test_a_reply_answers_the_latest_question_asked_before_it_and_saving_twice_keeps_one(expert_app, standin):
    app, store = expert_app
    channel, parent = new_id("C"), new_ts()
    _declined_and_handed_off(app, standin, channel, parent)
    later = new_ts()
    _declined_and_handed_off(app, standin, channel, later, "who signs the visitor log for the badge systems?", parent)
    reply_ts = new_ts()
    for _ in range(2):
        _shortcut(app, standin, user=EXPERT, channel=channel, thread_ts=parent, text=REPLY, name=new_id("r"),
                  reply_ts=reply_ts)
    (learned,) = store.learned_passages()
    assert learned.title == "who signs the visitor log for the badge systems?"
    assert standin.calls("response_url")[-1].params["text"] == "That reply is saved already."


def test_only_an_experts_own_reply_can_be_saved(expert_app, standin):
    app, store = expert_app
    channel, ts = new_id("C"), new_ts()
    _declined_and_handed_off(app, standin, channel, ts)
    _, (said,) = _shortcut(app, standin, user=EXPERT, author=OTHER, channel=channel, thread_ts=ts, text=REPLY,
                           name=new_id("r"))
    assert "someone else's" in said.params["text"] and store.learned_passages() == ()


def test_a_private_question_is_answered_in_the_expert_thread_and_sent_to_the_asker(expert_app, standin):
    from support.harness import command_body

    app, store = expert_app
    channel = new_id("C")
    deliver(app, command_body(QUESTION, user=ASKER, channel=channel, response_url=standin.response_url(channel)),
            content_type=FORM)
    (reply,) = [c for c in standin.calls("response_url") if c.path.endswith(channel)]
    value = next(e["value"] for b in reply.params["blocks"] if b["type"] == "actions" for e in b["elements"]
                 if e["action_id"] == ACTION_ASK_EXPERT)
    before = len(standin.calls("chat.postMessage", channel=EXPERT_CHANNEL))
    click = action_payload(ACTION_ASK_EXPERT, value, user=ASKER, channel=channel, ephemeral=True,
                           response_url=standin.response_url(channel + "-ask"))
    deliver(app, action_body(click), content_type=FORM)
    (post,) = standin.calls("chat.postMessage", channel=EXPERT_CHANNEL)[before:]
    assert "Asked privately" in json.dumps(post.params["blocks"])
    assert "direct message" in standin.calls("response_url")[-1].params["text"]
    expert_thread = post.params.get("ts") or store.handoff(value.split("|")[0]).expert_ts
    _shortcut(app, standin, user=EXPERT, channel=EXPERT_CHANNEL, thread_ts=expert_thread, text=REPLY,
              name=new_id("r"))
    assert len(store.learned_passages()) == 1
    # (other tests on the shared stand-in may have written to this user too)
    dms = [c for c in standin.calls("chat.postMessage", channel=ASKER) if "at least one year" in c.params["text"]]
    assert len(dms) == 1 and "badge access logs" in dms[0].params["text"]
