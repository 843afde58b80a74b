"""Settings come from the environment; a missing one is one clear line and exit 2."""
import os
import subprocess
import sys

import pytest
from support.harness import REPO

from bot.config import DEFAULT_API_URL, Settings
from bot.errors import SettingsError

HTTP_ENV = {"SLACK_BOT_TOKEN": "xoxb-1-secret", "SLACK_SIGNING_SECRET": "shh"}


def test_http_settings_with_defaults():
    s = Settings.from_env(HTTP_ENV)
    assert not s.socket_mode and s.port == 3000 and s.api_url == DEFAULT_API_URL and s.db_path == "socbot.db"
    assert "xoxb" not in repr(s) and "shh" not in repr(s)


def test_socket_mode_when_app_token_set():
    s = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_API_URL": "http://127.0.0.1:1/api",
                           "SOCBOT_DB": "/tmp/x.db", "SOCBOT_KNOWLEDGE": "kb", "PORT": "8080"})
    assert s.socket_mode and s.signing_secret is None and s.api_url == "http://127.0.0.1:1/api/"
    assert (s.db_path, s.knowledge, s.port) == ("/tmp/x.db", "kb", 8080)


@pytest.mark.parametrize("env, named", [
    ({}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
    ({**HTTP_ENV, "PORT": "eighty"}, "PORT"),
    ({**HTTP_ENV, "SLACK_API_URL": "slack.com"}, "SLACK_API_URL"),
    ({"SLACK_BOT_TOKEN": "xapp-wrong", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
])
def test_bad_settings_name_the_setting(env, named):
    with pytest.raises(SettingsError, match=named) as err:
        Settings.from_env(env)
    assert "\n" not in str(err.value) and "xapp-wrong" not in str(err.value)


def test_socket_mode_requires_app_token():
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"}, mode="socket")


def _run_bot(env: dict, *args: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SOCBOT_"))}
    base["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "bot", *args], env={**base, **env}, cwd=REPO,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("env, named", [
    ({}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-secret-value"}, "SLACK_SIGNING_SECRET"),
    ({"SLACK_BOT_TOKEN": "xoxb-secret-value", "SLACK_APP_TOKEN": "not-an-app-token"}, "SLACK_APP_TOKEN"),
])
def test_python_m_bot_missing_setting_exits_2_with_one_line(env, named):
    result = _run_bot(env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "secret-value" not in result.stderr
    assert result.stdout == ""


def test_python_m_bot_usage():
    assert _run_bot({}, "--help").returncode == 0
    bad = _run_bot({}, "bogus")
    assert bad.returncode == 2 and "usage" in bad.stderr


def test_unusable_db_path_is_one_line_naming_socbot_db(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = _run_bot({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s",
                       "SOCBOT_DB": str(blocker / "sub" / "socbot.db")})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SOCBOT_DB" in lines[0]


@pytest.mark.parametrize("env,name", [
    ({"SLACK_API_URL": "http://slack.example.com/api/"}, "SLACK_API_URL"),  # token in cleartext
    ({"SOCBOT_DB": ":memory:"}, "SOCBOT_DB"),  # one database per connection: no duplicate safety
])
def test_unsafe_settings_are_refused(env, name):
    with pytest.raises(SettingsError) as err:
        Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", **env})
    assert name in str(err.value)


def test_signature_check_refuses_bad_input_without_raising():
    import time

    from slack_sdk.signature import SignatureVerifier
    from support.harness import sign

    from bot.slack.web import signed_by_slack

    verifier = SignatureVerifier("secret")
    body = b'{"ok": true}'
    good = sign("secret", body)
    ts, sig = good["X-Slack-Request-Timestamp"], good["X-Slack-Signature"]
    assert signed_by_slack(verifier, body, ts, sig)
    for bad_ts, bad_sig in [(None, sig), ("soon", sig), ("-5", sig), ("9" * 40, sig),
                            (str(int(time.time()) - 600), sig), (ts, None), (ts, "sha=abc"), (ts, "v0=" + "0" * 200),
                            (ts, sig[:-1] + ("0" if sig[-1] != "0" else "1"))]:
        assert not signed_by_slack(verifier, body, bad_ts, bad_sig), (bad_ts, bad_sig)


def test_retention_setting():
    from bot.errors import SettingsError

    base = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    assert Settings.from_env(base, mode="http").retention_days == 90
    assert Settings.from_env({**base, "SOCBOT_RETENTION_DAYS": "30"}, mode="http").retention_days == 30
    with pytest.raises(SettingsError, match="SOCBOT_RETENTION_DAYS"):
        Settings.from_env({**base, "SOCBOT_RETENTION_DAYS": "forever"}, mode="http")
