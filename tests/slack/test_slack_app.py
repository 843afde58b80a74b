"""The Bolt app in process, fed requests signed like Slack's; listeners run before dispatch
returns, so "nothing was posted" is checked without waiting."""
import json
import logging
import sqlite3
import time

import pytest
from slack_bolt.request import BoltRequest
from slack_helpers import (
    BOT_ID,
    BOT_USER,
    SECRET,
    BrokenAnswerer,
    action_payload,
    all_text,
    deliver,
    dm_event,
    mention_event,
    new_id,
    new_ts,
)
from support.harness import action_body, command_body, event_body, sign

from bot.slack.blocks import ACTION_SHARE, ACTION_VOTE_DOWN, ACTION_VOTE_UP
from bot.slack.text import MAX_QUESTION_CHARS

FORM = "application/x-www-form-urlencoded"


def _mention(app, channel, ts, text="<@UBOT0001> which report covers uptime?", *, event_id=None, headers=None,
             **kw):
    body = event_body(mention_event(channel, ts, text, **kw), event_id=event_id or new_id("Ev"))
    return deliver(app, body, headers=headers)


def test_mention_answers_in_a_thread_under_the_question(make_app, standin):
    app, channel, ts = make_app(), new_id("C"), new_ts()
    assert _mention(app, channel, ts).status == 200
    (post,) = standin.calls("chat.postMessage", channel=channel)
    assert post.params["thread_ts"] == ts
    assert post.params["unfurl_links"] is False and post.params["unfurl_media"] is False
    assert "availability" in post.params["text"]
    assert post.headers.get("Authorization", "").startswith("Bearer xoxb-")


def test_mention_inside_a_thread_answers_in_that_thread(make_app, standin):
    app, channel, parent = make_app(), new_id("C"), new_ts()
    _mention(app, channel, new_ts(), thread_ts=parent)
    (post,) = standin.calls("chat.postMessage", channel=channel)
    assert post.params["thread_ts"] == parent


def test_dm_answers_in_the_dm_and_in_its_thread(make_app, standin):
    app, channel = make_app(), new_id("D")
    deliver(app, event_body(dm_event(channel, new_ts(), "which report covers uptime?"), event_id=new_id("Ev")))
    (post,) = standin.calls("chat.postMessage", channel=channel)
    assert "thread_ts" not in post.params or post.params["thread_ts"] is None
    parent = new_ts()
    deliver(app, event_body(dm_event(channel, new_ts(), "and SOC 1?", thread_ts=parent), event_id=new_id("Ev")))
    assert standin.calls("chat.postMessage", channel=channel)[-1].params["thread_ts"] == parent


def test_app_mention_and_message_twins_answer_once(make_app, standin, fake_answerer):
    app, channel, ts = make_app(fake_answerer), new_id("C"), new_ts()
    text = "<@UBOT0001> which report covers uptime?"
    _mention(app, channel, ts, text)
    _mention(app, channel, ts, text, kind="message")
    assert len(standin.calls("chat.postMessage", channel=channel)) == 1
    assert len(fake_answerer.questions) == 1


def test_retry_of_a_handled_event_posts_nothing_more(make_app, standin):
    app, channel, ts, event_id = make_app(), new_id("C"), new_ts(), new_id("Ev")
    _mention(app, channel, ts, event_id=event_id)
    for n in ("1", "2"):
        resp = _mention(app, channel, ts, event_id=event_id,
                        headers={"x-slack-retry-num": n, "x-slack-retry-reason": "http_timeout"})
        assert resp.status == 200
    assert len(standin.calls("chat.postMessage", channel=channel)) == 1


def test_retry_of_an_event_never_handled_is_answered(make_app, standin):
    app, channel = make_app(), new_id("C")
    _mention(app, channel, new_ts(), headers={"x-slack-retry-num": "1", "x-slack-retry-reason": "connection_failed"})
    assert len(standin.calls("chat.postMessage", channel=channel)) == 1


@pytest.mark.parametrize("extra", [
    {"subtype": "message_changed", "message": {"text": "edited", "user": "UASKER01", "ts": "1.0"}},
    {"subtype": "message_deleted", "previous_message": {"text": "x"}},
    {"subtype": "bot_message", "bot_id": "BOTHER01"},
    {"subtype": "channel_join"},
    {"bot_id": "BOTHER01"},  # another bot, no subtype
    {"user": BOT_USER},  # our own message
    {"user": BOT_USER, "bot_id": BOT_ID},
], ids=["changed", "deleted", "bot_message", "join", "other-bot", "own-user", "own-bot"])
def test_edits_deletions_bots_and_own_messages_are_not_questions(make_app, standin, fake_answerer, extra):
    app, channel = make_app(fake_answerer), new_id("D")
    resp = deliver(app, event_body(dm_event(channel, new_ts(), "which report covers uptime?", **extra),
                                   event_id=new_id("Ev")))
    assert resp.status == 200  # acknowledged, so Slack does not retry
    assert standin.calls(channel=channel) == [] and fake_answerer.questions == []


def test_channel_messages_without_a_mention_are_ignored(make_app, standin, fake_answerer):
    app, channel = make_app(fake_answerer), new_id("C")
    _mention(app, channel, new_ts(), "which report covers uptime?", kind="message")
    assert standin.calls(channel=channel) == [] and fake_answerer.questions == []


def test_bare_mention_gets_usage(make_app, standin):
    app, channel = make_app(), new_id("C")
    _mention(app, channel, new_ts(), "<@UBOT0001>")
    (post,) = standin.calls("chat.postMessage", channel=channel)
    assert "/soc" in all_text(post)


def test_declined_question_gets_a_friendly_reply_with_examples(make_app, standin, store):
    app, channel = make_app(), new_id("C")
    _mention(app, channel, new_ts(), "<@UBOT0001> what's the weather in Paris?")
    (post,) = standin.calls("chat.postMessage", channel=channel)
    assert "couldn't answer" in post.params["text"] and "What is a SOC 2 report?" in all_text(post)
    assert [r.question for r in store.declined()] == ["what's the weather in Paris?"]


def test_group_mentions_in_the_question_are_never_echoed_raw(make_app, standin):
    app, channel = make_app(), new_id("C")
    _mention(app, channel, new_ts(),
             "<@UBOT0001> <!channel> <!here> <!everyone> <!subteam^S0614TZR7|@ops> &lt;!here&gt; weather?")
    (post,) = standin.calls("chat.postMessage", channel=channel)
    shown = all_text(post)
    for raw in ("<!channel>", "<!here", "<!everyone>", "<!subteam", "<@"):
        assert raw not in shown
    # Inert (a word joiner after each broadcast "@"), still readable.
    assert "@\u2060channel @\u2060here @\u2060everyone @ops &lt;!here&gt; weather?" in shown
    assert "@channel" not in shown and "@here" not in shown


def test_a_40000_character_question(make_app, standin, fake_answerer):
    app, channel = make_app(fake_answerer), new_id("C")
    assert _mention(app, channel, new_ts(), "<@UBOT0001> " + "uptime " * 5715).status == 200
    (post,) = standin.calls("chat.postMessage", channel=channel)
    assert len(fake_answerer.questions[0]) <= MAX_QUESTION_CHARS
    assert len(json.dumps(post.blocks())) < 12000


def test_forged_or_stale_requests_get_401_and_post_nothing(make_app, standin, fake_answerer):
    app, channel = make_app(fake_answerer), new_id("C")
    body = event_body(mention_event(channel, new_ts(), "<@UBOT0001> uptime?"), event_id=new_id("Ev"))
    assert deliver(app, body, secret="not-the-secret").status == 401
    assert deliver(app, body, timestamp=int(time.time()) - 301).status == 401
    # Signed correctly, then altered in transit.
    signed = sign(SECRET, body)
    altered = body.decode().replace("uptime", "pwned")
    assert app.dispatch(BoltRequest(body=altered, headers={"content-type": "application/json", **signed})).status == 401
    assert standin.calls(channel=channel) == [] and fake_answerer.questions == []


def test_rate_limited_post_is_retried_after_retry_after(make_app, standin):
    app, channel = make_app(), new_id("C")
    standin.fail("chat.postMessage", channel=channel, status=429, retry_after=1)
    _mention(app, channel, new_ts())
    posts = standin.calls("chat.postMessage", channel=channel)
    assert [p.status for p in posts] == [429, 200]


def test_a_failed_post_is_logged_with_the_event_id(make_app, standin, caplog):
    app, channel, event_id = make_app(), new_id("C"), new_id("Ev")
    standin.fail("chat.postMessage", channel=channel, error="channel_not_found")
    with caplog.at_level(logging.INFO, logger="bot.slack"):
        _mention(app, channel, new_ts(), event_id=event_id)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(event_id in m and "channel_not_found" in m for m in errors), errors


def test_a_broken_answer_engine_still_replies_and_logs(make_app, standin, caplog):
    app, channel, event_id = make_app(BrokenAnswerer()), new_id("C"), new_id("Ev")
    with caplog.at_level(logging.INFO, logger="bot.slack"):
        assert _mention(app, channel, new_ts(), event_id=event_id).status == 200
    (post,) = standin.calls("chat.postMessage", channel=channel)
    assert "went wrong" in all_text(post)
    assert any(event_id in r.getMessage() and r.exc_info for r in caplog.records)


def _command(app, standin, text, channel):
    body = command_body(text, user="UASKER01", channel=channel, response_url=standin.response_url(channel))
    return deliver(app, body, content_type=FORM)


def test_soc_answers_ephemerally_with_a_share_button_that_posts_publicly(make_app, standin, store):
    app, channel = make_app(), new_id("C")
    resp = _command(app, standin, "which report covers uptime?", channel)
    assert resp.status == 200 and resp.body == ""
    (reply,) = [c for c in standin.calls("response_url") if c.path.endswith(channel)]
    assert reply.params["response_type"] == "ephemeral" and reply.params["replace_original"] is False
    share = next(e for e in reply.params["blocks"][-1]["elements"] if e["action_id"] == ACTION_SHARE)
    answer_id = share["value"]
    assert store.question_for(answer_id) == "which report covers uptime?"

    payload = action_payload(ACTION_SHARE, answer_id, user="UASKER01", channel=channel, ephemeral=True,
                             response_url=standin.response_url(channel + "-share"))
    assert deliver(app, action_body(payload), content_type=FORM).status == 200
    public, delete = [c for c in standin.calls("response_url") if c.path.endswith(channel + "-share")]
    assert public.params["response_type"] == "in_channel" and "availability" in public.params["text"]
    assert "<@UASKER01> asked" in json.dumps(public.params["blocks"])
    assert not any(e["action_id"] == ACTION_SHARE for e in public.params["blocks"][-1]["elements"])
    assert delete.params["delete_original"] is True

    # A second click (double click, or a retried interaction) posts nothing more.
    assert deliver(app, action_body(payload), content_type=FORM).status == 200
    assert len([c for c in standin.calls("response_url") if c.path.endswith(channel + "-share")]) == 2


@pytest.mark.parametrize("text", ["", "help", "  HELP "])
def test_soc_help_shows_usage_and_examples(make_app, standin, text):
    app, channel = make_app(), new_id("C")
    resp = _command(app, standin, text, channel)
    body = json.loads(resp.body)
    assert body["response_type"] == "ephemeral" and "/soc" in body["text"]
    assert "What is a SOC 2 report?" in json.dumps(body["blocks"])
    assert [c for c in standin.calls("response_url") if c.path.endswith(channel)] == []


def test_votes_are_stored_changeable_and_acknowledged_to_the_voter_only(make_app, standin, store):
    app, channel, ts = make_app(), new_id("C"), new_ts()
    _mention(app, channel, ts)
    (post,) = standin.calls("chat.postMessage", channel=channel)
    votes = {e["action_id"]: e["value"] for e in post.blocks()[-1]["elements"]}
    assert set(votes) == {ACTION_VOTE_UP, ACTION_VOTE_DOWN}

    def click(action_id, user):
        payload = action_payload(action_id, votes[action_id], user=user, channel=channel, thread_ts=ts,
                                 response_url=standin.response_url(channel))
        assert deliver(app, action_body(payload), content_type=FORM).status == 200
        return standin.calls("chat.postEphemeral", channel=channel)[-1]

    ack = click(ACTION_VOTE_DOWN, "UVOTER01")
    assert ack.params["user"] == "UVOTER01" and ack.params["thread_ts"] == ts and "recorded" in ack.params["text"]
    assert store.voted_down()[0].count == 1
    ack = click(ACTION_VOTE_UP, "UVOTER01")
    assert "Changed your vote" in ack.params["text"] and store.voted_down() == []
    click(ACTION_VOTE_DOWN, "UVOTER02")
    click(ACTION_VOTE_DOWN, "UVOTER02")
    assert store.voted_down()[0].count == 1  # one vote per person per answer
    assert standin.calls("chat.postMessage", channel=channel) == [post]  # nothing public


def test_vote_on_an_ephemeral_answer_is_acknowledged_through_its_response_url(make_app, standin, store):
    app, channel = make_app(), new_id("C")
    payload = action_payload(ACTION_VOTE_UP, "cmd-abc", user="UVOTER01", channel=channel, ephemeral=True,
                             response_url=standin.response_url(channel))
    deliver(app, action_body(payload), content_type=FORM)
    (ack,) = [c for c in standin.calls("response_url") if c.path.endswith(channel)]
    assert ack.params["response_type"] == "ephemeral" and "recorded" in ack.params["text"]


def test_app_home_shows_stats_how_to_ask_and_examples(make_app, standin):
    app, user = make_app(), new_id("U")
    event = {"type": "app_home_opened", "user": user, "channel": new_id("D"), "tab": "home", "event_ts": "1.2"}
    deliver(app, event_body(event, event_id=new_id("Ev")))
    (publish,) = standin.calls("views.publish", user_id=user)
    view = json.loads(publish.params["view"]) if isinstance(publish.params["view"], str) else publish.params["view"]
    text = json.dumps(view)
    assert view["type"] == "home"
    for needle in ("*Documents*\\n2", "*Passages*\\n10", "SOC 1", "/soc", "What is a SOC 2 report?"):
        assert needle in text
    deliver(app, event_body({**event, "tab": "messages"}, event_id=new_id("Ev")))
    assert len(standin.calls("views.publish", user_id=user)) == 1


def test_request_url_verification_challenge(make_app):
    body = json.dumps({"token": "unused", "challenge": "c-123", "type": "url_verification"}).encode()
    resp = deliver(make_app(), body)
    assert resp.status == 200 and "c-123" in resp.body


@pytest.mark.parametrize("subtype", ["file_share", "thread_broadcast"])
def test_a_question_with_a_file_or_sent_to_the_channel_too_is_answered(make_app, standin, fake_answerer, subtype):
    # A DM with a screenshot attached, and a thread reply also sent to the channel, are questions.
    app, channel = make_app(fake_answerer), new_id("D")
    deliver(app, event_body(dm_event(channel, new_ts(), "which report covers uptime?", subtype=subtype),
                            event_id=new_id("Ev")))
    assert fake_answerer.questions == ["which report covers uptime?"]
    assert len(standin.calls("chat.postMessage", channel=channel)) == 1
    app, channel = make_app(fake_answerer), new_id("C")
    event = mention_event(channel, new_ts(), "<@UBOT0001> which soc covers backups?")
    event["subtype"] = subtype
    deliver(app, event_body(event, event_id=new_id("Ev")))
    assert fake_answerer.questions[-1] == "which soc covers backups?"


def _asked_with_soc(app, standin, channel):
    _command(app, standin, "which report covers uptime?", channel)
    (reply,) = [c for c in standin.calls("response_url") if c.path.endswith(channel)]
    return next(e for e in reply.params["blocks"][-1]["elements"] if e["action_id"] == ACTION_SHARE)["value"]


def test_only_the_asker_can_share_an_answer(make_app, standin):
    app, channel = make_app(), new_id("C")
    answer_id = _asked_with_soc(app, standin, channel)
    payload = action_payload(ACTION_SHARE, answer_id, user="UOTHER01", channel=channel, ephemeral=True,
                             response_url=standin.response_url(channel + "-share"))
    assert deliver(app, action_body(payload), content_type=FORM).status == 200
    (refusal,) = [c for c in standin.calls("response_url") if c.path.endswith(channel + "-share")]
    assert refusal.params["response_type"] == "ephemeral" and "Only the person who asked" in refusal.params["text"]


def test_a_failed_public_post_keeps_the_private_copy_and_can_be_retried(make_app, standin):
    app, channel = make_app(), new_id("C")
    answer_id = _asked_with_soc(app, standin, channel)
    url = standin.response_url(channel + "-share")
    payload = action_payload(ACTION_SHARE, answer_id, user="UASKER01", channel=channel, ephemeral=True,
                             response_url=url)
    standin.fail("response_url", status=500, times=1)
    assert deliver(app, action_body(payload), content_type=FORM).status == 200
    calls = [c for c in standin.calls("response_url") if c.path.endswith(channel + "-share")]
    assert calls[0].status == 500
    assert not any(c.params.get("delete_original") for c in calls)  # the private copy stays
    assert "couldn't share" in calls[-1].params["text"]
    # The failed attempt released its claim: the next click shares.
    assert deliver(app, action_body(payload), content_type=FORM).status == 200
    calls = [c for c in standin.calls("response_url") if c.path.endswith(channel + "-share")]
    assert any(c.params.get("response_type") == "in_channel" and c.status == 200 for c in calls)
    assert calls[-1].params.get("delete_original") is True


def test_refused_blocks_are_sent_again_as_plain_text(make_app, standin):
    app, channel = make_app(), new_id("C")
    standin.fail("chat.postMessage", channel=channel, error="invalid_blocks")
    _mention(app, channel, new_ts(), "<@UBOT0001> which report covers uptime?")
    first, second = standin.calls("chat.postMessage", channel=channel)
    assert not first.ok and "blocks" in first.params
    assert second.ok and "blocks" not in second.params and "SOC 2" in second.params["text"]


def test_a_channel_the_bot_cannot_post_in_gets_the_answer_sent_to_the_asker(make_app, standin):
    app, channel = make_app(), new_id("C")
    standin.fail("chat.postMessage", channel=channel, error="not_in_channel")
    _mention(app, channel, new_ts(), "<@UBOT0001> which report covers uptime?")
    (direct,) = [c for c in standin.calls("chat.postMessage", channel="UASKER01")
                 if f"<#{channel}>" in c.params["text"]]
    assert direct.ok and "SOC 2" in direct.params["text"]


def test_a_store_outage_still_gets_the_asker_a_reply(make_app, standin, store, monkeypatch):
    app, channel = make_app(), new_id("C")

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "claim", broken)
    _mention(app, channel, new_ts(), "<@UBOT0001> which report covers uptime?")
    assert len(standin.calls("chat.postMessage", channel=channel)) == 1


def test_a_response_url_error_is_logged_as_a_failure_not_a_success(make_app, standin, caplog):
    app, channel = make_app(), new_id("C")
    standin.fail("response_url", status=404, times=1)
    with caplog.at_level(logging.INFO, logger="bot.slack"):
        _command(app, standin, "which report covers uptime?", channel)
    assert "posting the answer to the response URL failed" in caplog.text
    assert "answered cmd-" not in caplog.text


def test_share_posts_the_answer_as_given_even_after_the_knowledge_changed(make_app, standin, fake_answerer):
    app, channel = make_app(fake_answerer), new_id("C")
    _command(app, standin, "which report covers uptime?", channel)
    (reply,) = [c for c in standin.calls("response_url") if c.path.endswith(channel)]
    answer_id = next(e["value"] for e in reply.params["blocks"][-1]["elements"] if e["action_id"] == ACTION_SHARE)
    asked = len(fake_answerer.questions)
    fake_answerer.answer = lambda question, top_k=3: pytest.fail("a share must not ask again")  # a reload changed it
    payload = action_payload(ACTION_SHARE, answer_id, user="UASKER01", channel=channel, ephemeral=True,
                             response_url=standin.response_url(channel + "-given"))
    deliver(app, action_body(payload), content_type=FORM)
    public = [c for c in standin.calls("response_url") if c.path.endswith(channel + "-given")][0]
    assert public.params["response_type"] == "in_channel" and "availability" in public.params["text"]
    assert len(fake_answerer.questions) == asked
