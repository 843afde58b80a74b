"""Settings: each read and checked in bot/config.py, with a clear error naming a bad one."""
from pathlib import Path

import pytest

from bot import config
from bot.errors import SettingsError


def test_defaults_when_unset(tmp_path):
    env = {"HOME": str(tmp_path)}
    assert config.top_k(env) == 3
    assert config.reload_seconds(env) == 10
    assert config.knowledge_setting(env) is None
    assert config.db_path(env) == "socbot.db"
    assert config.web_concurrency(env) == 2


@pytest.mark.parametrize("reader, name, good, value", [
    (config.top_k, "SOCBOT_TOP_K", "5", 5),
    (config.reload_seconds, "SOCBOT_RELOAD_SECONDS", "2.5", 2.5),
    (config.reload_seconds, "SOCBOT_RELOAD_SECONDS", "0", 0),
    (config.web_concurrency, "WEB_CONCURRENCY", "4", 4),
])
def test_good_values_are_read(reader, name, good, value):
    assert reader({name: good}) == value


@pytest.mark.parametrize("reader, name, bad", [
    (config.top_k, "SOCBOT_TOP_K", "lots"),
    (config.top_k, "SOCBOT_TOP_K", "0"),
    (config.top_k, "SOCBOT_TOP_K", "21"),
    (config.reload_seconds, "SOCBOT_RELOAD_SECONDS", "soon"),
    (config.reload_seconds, "SOCBOT_RELOAD_SECONDS", "-1"),
    (config.reload_seconds, "SOCBOT_RELOAD_SECONDS", "nan"),
    (config.web_concurrency, "WEB_CONCURRENCY", "0"),
    (config.db_path, "SOCBOT_DB", ":memory:"),
])
def test_a_bad_value_is_an_error_naming_the_setting(reader, name, bad):
    with pytest.raises(SettingsError, match=name):
        reader({name: bad})


def test_cache_location(tmp_path):
    assert config.cache_dir({"SOCBOT_CACHE_DIR": str(tmp_path / "c")}) == tmp_path / "c"
    assert config.cache_dir({"SOCBOT_CACHE_DIR": "off"}) is None
    assert config.cache_dir({"XDG_CACHE_HOME": str(tmp_path / "xdg")}) == tmp_path / "xdg" / "socbot"


def test_settings_are_read_in_one_module():
    # Every environment read of the package is in bot/config.py.
    package = Path(config.__file__).parent
    readers = sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                     if "os.environ" in p.read_text(encoding="utf-8") or "getenv(" in p.read_text(encoding="utf-8"))
    assert readers == ["config.py"]


def test_expert_settings_are_off_by_default_and_checked():
    assert config.expert_settings({}) == (None, ())
    env = {"SOCBOT_EXPERT_CHANNEL": "C0EXPERTS", "SOCBOT_EXPERTS": " U0AAA1, S0GRP1 ,W0BBB2"}
    assert config.expert_settings(env) == ("C0EXPERTS", ("U0AAA1", "S0GRP1", "W0BBB2"))
    for bad, name in [({"SOCBOT_EXPERT_CHANNEL": "#experts"}, "SOCBOT_EXPERT_CHANNEL"),
                      ({"SOCBOT_EXPERT_CHANNEL": "C0EXPERTS", "SOCBOT_EXPERTS": "<!channel>"}, "SOCBOT_EXPERTS"),
                      ({"SOCBOT_EXPERTS": "U0AAA1"}, "SOCBOT_EXPERT_CHANNEL")]:
        with pytest.raises(SettingsError, match=name):
            config.expert_settings(bad)
