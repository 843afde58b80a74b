"""Two machines: two web processes (the Procfile's web line, two ports) sharing one PostgreSQL
store, as two machines behind a load balancer would. Slack may deliver an event to either, and
retries land anywhere: every question is answered exactly once, and what an expert teaches
through one machine is answered by the other."""
from __future__ import annotations

import json
import time

import pytest
from slack_helpers import BOT_TOKEN, SECRET, mention_event, new_id, new_ts
from support.harness import WebProcess, action_body, event_body, free_port, post_signed, procfile_web_command

from bot.slack.buttons import ACTION_ASK_EXPERT, SHORTCUT_SAVE_ANSWER

EXPERT, ASKER, EXPERT_CHANNEL = "UEXPERT1", "UASKER01", "CEXPERTS2"
QUESTION = "How long should we keep badge access logs for the SOC 2 audit?"
REPLY = "Keep badge access logs for at least one year: our SOC 2 auditor samples them across the review period."
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def machines(standin, pg_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("machines")
    kb = tmp / "kb"
    kb.mkdir()
    (kb / "soc.md").write_text("# SOC reports\n\n## SOC 2\nA SOC 2 report covers security and availability "
                               "under the Trust Services Criteria.\n", encoding="utf-8")
    url = pg_url()
    started = []
    try:
        for name in ("a", "b"):
            port = free_port()
            env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": standin.api_url,
                   "DATABASE_URL": url, "PORT": str(port), "SOCBOT_KNOWLEDGE": str(kb),
                   "SOCBOT_RELOAD_SECONDS": "1", "SOCBOT_EXPERT_CHANNEL": EXPERT_CHANNEL, "SOCBOT_EXPERTS": EXPERT,
                   "SOCBOT_CACHE_DIR": str(tmp / f"cache-{name}")}
            process = WebProcess(procfile_web_command(port), env, port, tmp / f"web-{name}.log")
            process.env.pop("SLACK_APP_TOKEN", None)
            started.append(process.start())
        yield started
    finally:
        for process in started:
            process.stop()


def _send(process, body: bytes, content_type: str = "application/json") -> int:
    status, _ = post_signed(process.url + "/slack/events", body, SECRET, content_type=content_type)
    return status


def test_forty_mentions_delivered_to_both_machines_are_answered_once_each(machines, standin):
    a, b = machines
    channel = new_id("C")
    stamps = [new_ts() for _ in range(40)]
    for ts in stamps:
        body = event_body(mention_event(channel, ts, "<@UBOT0001> what does a SOC 2 report cover?"),
                          event_id=new_id("Ev"))
        assert _send(a, body) == 200 and _send(b, body) == 200
    standin.wait_calls("chat.postMessage", count=40, timeout=60, channel=channel)
    time.sleep(1.5)  # a second answer, were there one, would have landed by now
    threads = [c.params.get("thread_ts") for c in standin.calls("chat.postMessage", channel=channel)]
    assert sorted(threads) == sorted(stamps)


def test_an_answer_taught_through_one_machine_is_given_by_the_other(machines, standin):
    a, b = machines
    channel, ts = new_id("C"), new_ts()
    _send(a, event_body(mention_event(channel, ts, f"<@UBOT0001> {QUESTION}", user=ASKER), event_id=new_id("Ev")))
    (declined,) = standin.wait_calls("chat.postMessage", channel=channel)
    value = next(e["value"] for blk in declined.blocks() if blk["type"] == "actions" for e in blk["elements"]
                 if e["action_id"] == ACTION_ASK_EXPERT)
    click = {"type": "block_actions", "user": {"id": ASKER}, "channel": {"id": channel}, "team": {"id": "T0001"},
             "response_url": standin.response_url(channel), "trigger_id": "t", "token": "unused",
             "container": {"type": "message", "message_ts": new_ts(), "channel_id": channel},
             "message": {"type": "message", "ts": new_ts(), "thread_ts": ts, "text": "declined"},
             "actions": [{"action_id": ACTION_ASK_EXPERT, "value": value, "type": "button", "block_id": "x"}]}
    assert _send(a, action_body(click), FORM) == 200
    standin.wait_calls("chat.postMessage", channel=EXPERT_CHANNEL)
    reply_ts = new_ts()
    shortcut = {"type": "message_action", "callback_id": SHORTCUT_SAVE_ANSWER, "user": {"id": EXPERT},
                "channel": {"id": channel}, "team": {"id": "T0001"}, "token": "unused", "trigger_id": "t",
                "response_url": standin.response_url(channel + "-saved"),
                "message": {"type": "message", "user": EXPERT, "ts": reply_ts, "thread_ts": ts, "text": REPLY}}
    assert _send(a, action_body(shortcut), FORM) == 200
    standin.wait_for(lambda s: [c for c in s.calls("response_url") if c.path.endswith(channel + "-saved")])
    permalink = f"https://standin.example/archives/{channel}/p{reply_ts.replace('.', '')}"
    deadline = time.monotonic() + 20
    while True:  # machine b's workers merge the learned passage at their next reload (1 s)
        asked = new_id("C")
        _send(b, event_body(mention_event(asked, new_ts(), f"<@UBOT0001> {QUESTION}"), event_id=new_id("Ev")))
        (post,) = standin.wait_calls("chat.postMessage", channel=asked)
        if "at least one year" in post.params["text"]:
            break
        assert time.monotonic() < deadline, "machine b never answered from the learned passage"
        time.sleep(0.5)
    assert permalink in json.dumps(post.params["blocks"])
