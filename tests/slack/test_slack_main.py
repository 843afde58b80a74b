"""``python -m bot``: HTTP under uvicorn when there is no app-level token; ``ask`` goes to the CLI."""
import json
import os
import subprocess
import sys
import urllib.request

import pytest
from slack_helpers import BOT_TOKEN, SECRET, mention_event, new_id, new_ts
from support.harness import REPO, WebProcess, event_body, free_port, post_signed


def test_python_m_bot_serves_http_on_port_when_no_app_token(standin, tmp_path):
    pytest.importorskip("bot.answers.answerer")
    port = free_port()
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": standin.api_url,
           "SOCBOT_DB": str(tmp_path / "socbot.db"), "PORT": str(port), "HOST": "127.0.0.1",
           "WEB_CONCURRENCY": "1"}
    process = WebProcess([sys.executable, "-m", "bot"], env, port, tmp_path / "bot.log")
    process.env.pop("SLACK_APP_TOKEN", None)
    with process:
        with urllib.request.urlopen(process.url + "/healthz", timeout=5) as response:
            assert json.loads(response.read())["ok"] is True
        channel, ts = new_id("C"), new_ts()
        body = event_body(mention_event(channel, ts, "<@UBOT0001> What is a bridge letter?"), event_id=new_id("Ev"))
        assert post_signed(process.url + "/slack/events", body, SECRET)[0] == 200
        (post,) = standin.wait_calls("chat.postMessage", channel=channel)
        assert post.params["thread_ts"] == ts
        assert "Uvicorn running on" in process.log()


def test_python_m_bot_ask_delegates_to_the_cli():
    pytest.importorskip("bot.cli")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SOCBOT_"))}
    result = subprocess.run([sys.executable, "-m", "bot", "ask", "Which report covers availability?"],
                            env={**env, "PYTHONPATH": str(REPO)}, cwd=REPO, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "SOC 2" in result.stdout
