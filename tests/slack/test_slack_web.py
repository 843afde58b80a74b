"""End to end over HTTP: the Procfile's web line (uvicorn, 2 workers) with the real answerer,
fed requests signed like Slack's, posting to the Web API stand-in.

"Nothing was posted" is checked after the app has logged its decision about that very event
(every event ends in one log line), so no test relies on timing.
"""
import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_helpers import BOT_TOKEN, SECRET, action_payload, all_text, dm_event, mention_event, new_id, new_ts
from support.harness import action_body, command_body, event_body, post_signed

from bot.slack.blocks import ACTION_SHARE, ACTION_VOTE_DOWN, ACTION_VOTE_UP

FORM = "application/x-www-form-urlencoded"
ANSWERED = "Which report covers availability and uptime?"
DECLINED = "What's the weather like in Paris tomorrow?"


def _post(web, body, **kw):
    return post_signed(web.url + "/slack/events", body, kw.pop("secret", SECRET), **kw)


def _event(web, event, *, event_id=None, headers=None, **kw):
    event_id = event_id or new_id("Ev")
    status, _ = _post(web, event_body(event, event_id=event_id), headers=headers, **kw)
    return status, event_id


def _mention(web, channel, ts, question=ANSWERED, **kw):
    return _event(web, mention_event(channel, ts, f"<@UBOT0001> {question}", **kw.pop("event", {})), **kw)


def test_health_check(web):
    with urllib.request.urlopen(web.url + "/healthz", timeout=5) as response:
        assert response.status == 200 and json.loads(response.read())["passages"] > 0


def test_mention_gets_a_cited_answer_in_a_thread(web, standin):
    channel, ts = new_id("C"), new_ts()
    status, event_id = _mention(web, channel, ts)
    assert status == 200
    (post,) = standin.wait_calls("chat.postMessage", channel=channel)
    assert post.params["thread_ts"] == ts and post.params["unfurl_links"] is False
    blocks = post.blocks()
    assert "SOC 2" in blocks[0]["text"]["text"][:40]  # the verdict leads
    assert any(b.get("text", {}).get("text", "").startswith("*1. ") for b in blocks)  # numbered sources
    assert "›" in all_text(post) and "\n> " in all_text(post)  # title › section, quoted passage
    assert blocks[-1]["type"] == "actions" and post.params["text"]
    web.wait_log(f"event {event_id}: answered")


def test_mention_inside_a_thread_answers_there(web, standin):
    channel, parent = new_id("C"), new_ts()
    _mention(web, channel, new_ts(), event={"thread_ts": parent})
    (post,) = standin.wait_calls("chat.postMessage", channel=channel)
    assert post.params["thread_ts"] == parent


def test_direct_messages_plain_and_threaded(web, standin):
    channel, parent = new_id("D"), new_ts()
    _event(web, dm_event(channel, new_ts(), ANSWERED))
    (post,) = standin.wait_calls("chat.postMessage", channel=channel)
    assert post.params.get("thread_ts") is None
    _event(web, dm_event(channel, new_ts(), ANSWERED, thread_ts=parent))
    posts = standin.wait_calls("chat.postMessage", 2, channel=channel)
    assert posts[1].params["thread_ts"] == parent


def test_declined_question_gets_examples(web, standin):
    channel = new_id("C")
    _mention(web, channel, new_ts(), DECLINED)
    (post,) = standin.wait_calls("chat.postMessage", channel=channel)
    assert "couldn't answer" in post.params["text"] and "for example" in all_text(post)


def test_soc_command_ephemeral_then_shared(web, standin):
    channel = new_id("C")
    body = command_body(ANSWERED, user="UASKER01", channel=channel, response_url=standin.response_url(channel))
    assert _post(web, body, content_type=FORM)[0] == 200
    (reply,) = standin.wait_for(lambda s: [c for c in s.calls("response_url") if c.path.endswith(channel)])
    assert reply.params["response_type"] == "ephemeral"
    share = next(e for e in reply.params["blocks"][-1]["elements"] if e["action_id"] == ACTION_SHARE)
    payload = action_payload(ACTION_SHARE, share["value"], user="UASKER01", channel=channel, ephemeral=True,
                             response_url=standin.response_url(channel + "-share"))
    assert _post(web, action_body(payload), content_type=FORM)[0] == 200
    calls = standin.wait_for(lambda s: (lambda c: c if len(c) == 2 else None)(
        [c for c in s.calls("response_url") if c.path.endswith(channel + "-share")]))
    public = next(c for c in calls if c.params.get("response_type") == "in_channel")
    assert "SOC 2" in public.params["text"]
    assert any(c.params.get("delete_original") for c in calls)


def test_soc_help(web):
    body = command_body("help", user="UASKER01", channel=new_id("C"), response_url="http://127.0.0.1:9/unused")
    status, response = _post(web, body, content_type=FORM)
    reply = json.loads(response)
    assert status == 200 and reply["response_type"] == "ephemeral" and "/soc" in reply["text"]
    assert "For example" in json.dumps(reply["blocks"])


def test_app_home(web, standin):
    user = new_id("U")
    _event(web, {"type": "app_home_opened", "user": user, "channel": new_id("D"), "tab": "home", "event_ts": "1.1"})
    (publish,) = standin.wait_calls("views.publish", user_id=user)
    view = json.loads(publish.params["view"]) if isinstance(publish.params["view"], str) else publish.params["view"]
    text = json.dumps(view)
    assert view["type"] == "home" and "*Passages*" in text and "SOC 2" in text and "Try asking" in text


def test_feedback_vote_change_and_private_ack(web, standin):
    channel, ts = new_id("C"), new_ts()
    _mention(web, channel, ts)
    (post,) = standin.wait_calls("chat.postMessage", channel=channel)
    value = post.blocks()[-1]["elements"][0]["value"]
    for n, action_id in enumerate((ACTION_VOTE_DOWN, ACTION_VOTE_UP), start=1):
        payload = action_payload(action_id, value, user="UVOTER01", channel=channel, thread_ts=ts,
                                 response_url=standin.response_url(channel))
        assert _post(web, action_body(payload), content_type=FORM)[0] == 200
        acks = standin.wait_calls("chat.postEphemeral", n, channel=channel)
    assert [a.params["user"] for a in acks] == ["UVOTER01", "UVOTER01"]
    assert "recorded" in acks[0].params["text"] and "Changed your vote" in acks[1].params["text"]


def test_retry_of_a_handled_event_posts_nothing_more(web, standin):
    channel, ts = new_id("C"), new_ts()
    _, event_id = _mention(web, channel, ts)
    web.wait_log(f"event {event_id}: answered")
    status, _ = _mention(web, channel, ts, event_id=event_id,
                         headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert status == 200
    web.wait_log(f"event {event_id} (retry 1): already handled")
    assert len(standin.calls("chat.postMessage", channel=channel)) == 1


def test_app_mention_and_message_twins_answer_once(web, standin):
    channel, ts = new_id("C"), new_ts()
    text = f"<@UBOT0001> {ANSWERED}"
    events = [(mention_event(channel, ts, text), new_id("Ev")),
              (mention_event(channel, ts, text, kind="message"), new_id("Ev"))]
    with ThreadPoolExecutor(2) as pool:  # both at once, likely on different workers
        list(pool.map(lambda e: _event(web, e[0], event_id=e[1]), events))
    for _, event_id in events:
        web.wait_log(f"event {event_id}: ")
    assert web.log().count(f"already handled {channel}:{ts}") == 1
    assert len(standin.calls("chat.postMessage", channel=channel)) == 1


@pytest.mark.parametrize("extra", [
    {"subtype": "message_changed", "message": {"type": "message", "user": "UASKER01", "text": ANSWERED, "ts": "1.0"}},
    {"subtype": "message_deleted", "previous_message": {"text": ANSWERED}},
    {"bot_id": "BOTHER01"},
], ids=["changed", "deleted", "other-bot"])
def test_edits_deletions_and_other_bots_are_ignored(web, standin, extra):
    channel = new_id("D")
    _, event_id = _event(web, dm_event(channel, new_ts(), ANSWERED, **extra))
    web.wait_log(f"event {event_id}: ignored")
    assert standin.calls(channel=channel) == []


def test_forged_signature_and_stale_timestamp_get_401(web, standin):
    channel = new_id("C")
    assert _mention(web, channel, new_ts(), secret="forged-secret")[0] == 401
    assert _mention(web, channel, new_ts(), timestamp=int(time.time()) - 6 * 60)[0] == 401
    # A valid request afterwards is handled, and only it posts.
    _, event_id = _mention(web, channel, new_ts())
    web.wait_log(f"event {event_id}: answered")
    assert len(standin.calls("chat.postMessage", channel=channel)) == 1


def test_a_40000_character_question(web, standin):
    channel = new_id("C")
    question = (ANSWERED + " ") * (40000 // (len(ANSWERED) + 1))
    assert len(question) > 39000
    assert _mention(web, channel, new_ts(), question)[0] == 200
    (post,) = standin.wait_calls("chat.postMessage", channel=channel)
    assert len(json.dumps(post.blocks())) < 12000 and len(post.blocks()) <= 50


def test_burst_of_40_concurrent_mentions_each_answered_once(web, standin):
    channel = new_id("C")
    stamps = [new_ts() for _ in range(40)]
    with ThreadPoolExecutor(40) as pool:
        statuses = list(pool.map(lambda ts: _mention(web, channel, ts)[0], stamps))
    assert statuses == [200] * 40
    posts = standin.wait_calls("chat.postMessage", 40, timeout=60, channel=channel)
    web.wait_log(f"in {channel} thread", count=40, timeout=60)
    posts = standin.calls("chat.postMessage", channel=channel)
    assert sorted(p.params["thread_ts"] for p in posts) == sorted(stamps)


def test_rate_limit_is_honoured_then_the_answer_posted(web, standin):
    channel = new_id("C")
    standin.fail("chat.postMessage", channel=channel, status=429, retry_after=1)
    _, event_id = _mention(web, channel, new_ts())
    web.wait_log(f"event {event_id}: answered")
    assert [c.status for c in standin.calls("chat.postMessage", channel=channel)] == [429, 200]


def test_failed_post_is_logged_with_the_event_id_and_tokens_never_are(web, standin):
    channel = new_id("C")
    standin.fail("chat.postMessage", channel=channel, error="not_in_channel")
    _, event_id = _mention(web, channel, new_ts())
    log = web.wait_log(f"event {event_id}: chat.postMessage to {channel} failed: not_in_channel")
    assert BOT_TOKEN not in log and SECRET not in log


def test_group_mentions_are_not_echoed_raw(web, standin):
    channel = new_id("C")
    _mention(web, channel, new_ts(), "<!channel> <!here> <!subteam^S0614TZR7|@ops> what is a bridge letter?")
    (post,) = standin.wait_calls("chat.postMessage", channel=channel)
    for raw in ("<!channel>", "<!here", "<!subteam"):
        assert raw not in all_text(post)


@pytest.mark.parametrize("env", [{"SOCBOT_RELOAD_SECONDS": "abc"}, {"SOCBOT_KNOWLEDGE": "/nonexistent/knowledge"}])
def test_web_line_stops_on_a_broken_setup_instead_of_rebooting_workers(tmp_path, env):
    # A worker that cannot start says why in one line, and the server stops instead of starting
    # the same broken worker again and again.
    import os
    import subprocess

    from support.harness import REPO

    from bot.slack.run import web_command

    run_env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET,
               "SLACK_API_URL": "http://127.0.0.1:9/api/", "SOCBOT_DB": str(tmp_path / "db"), **env}
    done = subprocess.run(web_command("127.0.0.1", 0, 2), cwd=REPO, env=run_env, capture_output=True, text=True,
                          timeout=60)
    output = done.stdout + done.stderr
    assert "failed to start" in output
    assert 1 <= output.count("socbot: ") <= 2 and "Traceback" not in output


def test_unsigned_requests_are_turned_away_cheaply_and_never_logged(web, standin):
    url = web.url + "/slack/events"
    forged = b'{"type":"event_callback"}\nINFO event Ev0FORGED: answered\n' + b"x" * 500_000

    def raw(body, headers):
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json", **headers})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code

    assert raw(forged, {}) == 401  # no signature at all
    assert raw(forged, {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=abc"}) == 401
    assert raw(forged, {"X-Slack-Request-Timestamp": "1" * 40, "X-Slack-Signature": "v0=abc"}) == 401
    assert raw(b"\xff\xfe not utf-8", {}) == 401
    # The bot still answers, and nothing of the forged bodies reached the log.
    channel = new_id("C")
    _, event_id = _mention(web, channel, new_ts())
    log = web.wait_log(f"event {event_id}: answered")
    assert "FORGED" not in log and "xxxxxxxx" not in log and "Traceback" not in log


def test_a_client_that_drips_an_unsigned_body_is_answered_without_waiting_for_it(web, standin):
    # Headers promise 60,000 bytes that never come: the 401 does not wait for them.
    import socket
    from urllib.parse import urlsplit

    host, port = urlsplit(web.url).hostname, urlsplit(web.url).port
    clients = []
    for _ in range(10):
        sock = socket.create_connection((host, port), timeout=10)
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 60000\r\n\r\n{")
        clients.append(sock)
    try:
        for sock in clients:
            assert sock.recv(64).startswith(b"HTTP/1.1 401")  # answered with the body still unsent
    finally:
        for sock in clients:
            sock.close()


def test_twenty_slow_clients_with_plausible_signatures_delay_nothing(web, standin):
    # A forged but plausible signature cannot be checked before the body is in, so these clients
    # are read to the end: one byte every 0.2 s. Meanwhile /healthz and a signed mention are
    # served within a second each, and the drippers end with a 4xx, never a 200.
    import socket
    import threading
    from urllib.parse import urlsplit

    host, port = urlsplit(web.url).hostname, urlsplit(web.url).port
    stop = threading.Event()
    head = (f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"X-Slack-Request-Timestamp: {int(time.time())}\r\nX-Slack-Signature: v0={'ab' * 32}\r\n"
            f"Content-Length: 60000\r\n\r\n").encode()
    clients = [socket.create_connection((host, port), timeout=15) for _ in range(20)]

    def drip():
        while not stop.wait(0.2):
            for sock in clients:
                try:
                    sock.sendall(b" ")
                except OSError:
                    pass

    for sock in clients:
        sock.sendall(head + b"{")
    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        time.sleep(0.5)  # all twenty are in, mid-body
        started = time.monotonic()
        with urllib.request.urlopen(web.url + "/healthz", timeout=5) as response:
            assert response.status == 200
        assert time.monotonic() - started <= 1.0
        channel = new_id("C")
        started = time.monotonic()
        status, _ = _mention(web, channel, new_ts())
        assert status == 200 and time.monotonic() - started <= 1.0
        standin.wait_calls("chat.postMessage", channel=channel)
    finally:
        stop.set()
        dripper.join(5)
    for sock in clients:  # they get their refusal (408 after BODY_SECONDS), or are cut off
        try:
            reply = sock.recv(64)
        except OSError:
            reply = b""
        sock.close()
        assert not reply.startswith(b"HTTP/1.1 200")
