"""The ask CLI contract: scripts/ask.py (run for real in a few tests) and bot.cli.main."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answers.answerer import load_examples
from bot.cli import ask_main as main
from bot.knowledge import DEFAULT_KNOWLEDGE
from bot.reports import REPORTS

ROOT = Path(__file__).resolve().parents[1]
ASK = ROOT / "scripts" / "ask.py"
ANSWER_KEYS = {"question", "answered", "reports", "answer", "citations"}
CITATION_KEYS = {"n", "id", "title", "section", "text", "score"}
DECLINE = re.compile(r"(not|n't)\s+(in|covered by)\s+the\s+knowledge\s+base", re.IGNORECASE)

TINY = """\
title: Tiny base
source: Test
passages:
  - id: tiny-widget
    section: Widget uptime
    reports: [SOC 2]
    url: https://example.com/widget
    text: The widget report covers uptime and availability of the widget service.
  - id: tiny-ledger
    section: Ledger controls
    reports: [SOC 1]
    text: The ledger report covers financial reporting controls over the ledger.
  - id: tiny-public
    section: Public summary
    reports: [SOC 3]
    text: A public summary report can be shared with anyone.
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("SOCBOT_KNOWLEDGE", raising=False)
    monkeypatch.delenv("SOCBOT_TOP_K", raising=False)


@pytest.fixture
def tiny(write_files) -> Path:
    return write_files({"tiny.yaml": TINY})


def run_script(*args: str, stdin: str | None = None, module: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCBOT_")}
    env["PYTHONIOENCODING"] = "utf-8"
    command = [sys.executable, "-m", "bot", "ask", *args] if module else [sys.executable, str(ASK), *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, encoding="utf-8",
                          cwd=ROOT, env=env, timeout=60)


def ask(*argv: str, stdin: str = "") -> tuple[int, str]:
    """bot.cli.main in-process: (exit status, stdout). stderr is left to capsys."""
    out = io.StringIO()
    code = main(list(argv), stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def check_answer_json(data: dict) -> None:
    assert set(data) == ANSWER_KEYS
    assert isinstance(data["question"], str)
    assert isinstance(data["answered"], bool)
    assert isinstance(data["reports"], list) and set(data["reports"]) <= set(REPORTS)
    assert isinstance(data["answer"], str) and data["answer"]
    assert [c["n"] for c in data["citations"]] == list(range(1, len(data["citations"]) + 1))
    for c in data["citations"]:
        assert CITATION_KEYS <= set(c) <= CITATION_KEYS | {"url"}
        assert isinstance(c["score"], float) and c["score"] > 0
        assert all(isinstance(c[k], str) for k in ("id", "title", "section", "text"))


# ------------------------------------------------------------------------------------------
# The real script
# ------------------------------------------------------------------------------------------
def test_script_answers_a_question():
    result = run_script("Which report covers availability?")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "SOC 2" in result.stdout
    assert re.search(r"^\s*\[1\] ", result.stdout, re.MULTILINE)
    assert "Reports: SOC 2" in result.stdout


def test_script_reads_questions_from_stdin_as_json_lines():
    questions = ["Which report covers availability?", "", "what is a bridge letter", "   ",
                 "what's the capital of France?", ""]
    result = run_script("--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    objects = [json.loads(line) for line in lines]
    assert [o["question"] for o in objects] == [q for q in questions if q.strip()]
    for o in objects:
        check_answer_json(o)
    assert [o["answered"] for o in objects] == [True, True, False]


def test_script_help_shows_examples():
    result = run_script("--help")
    assert result.returncode == 0
    assert "examples:" in result.stdout
    assert 'socbot-ask "Which report covers availability?"' in result.stdout
    assert "--json" in result.stdout and "--knowledge" in result.stdout and "--check" in result.stdout


def test_python_m_bot_ask():
    result = run_script("--json", "Which report covers availability?", module=True)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    check_answer_json(data)
    assert data["answered"] is True
    assert data["reports"][0] == "SOC 2"


# ------------------------------------------------------------------------------------------
# bot.cli.main in-process
# ------------------------------------------------------------------------------------------
def test_json_contract():
    code, out = ask("--json", "Which report covers availability?")
    assert code == 0
    assert out.count("\n") == 1
    data = json.loads(out)
    check_answer_json(data)
    assert data["question"] == "Which report covers availability?"
    assert data["answered"] is True
    assert data["reports"] == ["SOC 2"]
    assert "SOC 2" in data["answer"]
    assert len(data["citations"]) == 3
    # Every bundled passage has its source's url, and each citation carries it.
    assert all(c["url"].startswith(("https://", "http://")) for c in data["citations"])


def test_json_citation_url_only_where_known(tiny):
    code, out = ask("--json", "--knowledge", str(tiny), "what about the ledger and widget uptime availability")
    assert code == 0
    data = json.loads(out)
    check_answer_json(data)
    urls = {c["id"]: c.get("url") for c in data["citations"]}
    assert urls == {"tiny-widget": "https://example.com/widget", "tiny-ledger": None}
    ledger = next(c for c in data["citations"] if c["id"] == "tiny-ledger")
    assert "url" not in ledger


def test_question_may_be_several_words():
    _, quoted = ask("--json", "Which report covers availability?")
    _, words = ask("--json", "Which", "report", "covers", "availability?")
    assert json.loads(words) == json.loads(quoted)


@pytest.mark.parametrize("k", ["1", "2", "5"])
def test_top_k_limits_citations(k):
    code, out = ask("--json", "--top-k", k, "what is a bridge letter")
    assert code == 0
    citations = json.loads(out)["citations"]
    assert 1 <= len(citations) <= int(k)
    if k == "1":
        assert len(citations) == 1


def test_top_k_from_environment(monkeypatch):
    monkeypatch.setenv("SOCBOT_TOP_K", "1")
    code, out = ask("--json", "Which report covers availability?")
    assert code == 0
    assert len(json.loads(out)["citations"]) == 1


@pytest.mark.parametrize("k", ["0", "-1", "21"])
def test_top_k_out_of_range_is_a_usage_error(capsys, k):
    code, out = ask("--top-k", k, "Which report covers availability?")
    assert code == 2
    assert out == ""
    captured = capsys.readouterr()
    assert "--top-k" in captured.err
    assert captured.out == ""


@pytest.mark.parametrize("question", ["", "   ", "\t"])
def test_empty_question_is_a_usage_error(capsys, question):
    code, out = ask(question)
    assert code == 2
    assert out == ""
    captured = capsys.readouterr()
    assert "empty" in captured.err
    assert captured.out == ""


def test_empty_question_with_json_is_a_usage_error(capsys):
    code, out = ask("--json", "  ")
    assert (code, out) == (2, "")
    assert "empty" in capsys.readouterr().err


def test_declined_question_json():
    code, out = ask("--json", "what's the capital of France?")
    assert code == 0
    data = json.loads(out)
    check_answer_json(data)
    assert data["answered"] is False
    assert data["reports"] == [] and data["citations"] == []
    assert DECLINE.search(data["answer"])


def test_declined_question_human_lists_examples():
    code, out = ask("what's the capital of France?")
    assert code == 0
    assert DECLINE.search(" ".join(out.split()))
    examples = load_examples(DEFAULT_KNOWLEDGE)
    assert len(examples) >= 3
    for example in examples[:3]:
        assert example in out
    assert "[1]" not in out


def test_human_stdin_mode_skips_blank_lines():
    code, out = ask(stdin="Which report covers availability?\n\n   \nwhat is a bridge letter\n")
    assert code == 0
    assert out.count("Sources:") == 2
    assert out.count("[1] ") == 2


def test_knowledge_option_selects_another_base(tiny):
    code, out = ask("--json", "--knowledge", str(tiny), "ledger controls")
    assert code == 0
    data = json.loads(out)
    assert data["answered"] is True
    assert data["reports"] == ["SOC 1"]
    assert data["citations"][0]["id"] == "tiny-ledger"


def test_environment_selects_another_base(tiny, monkeypatch):
    monkeypatch.setenv("SOCBOT_KNOWLEDGE", str(tiny))
    code, out = ask("--json", "ledger controls")
    assert code == 0
    assert json.loads(out)["citations"][0]["id"] == "tiny-ledger"


def test_knowledge_option_beats_environment(tiny, tmp_path, monkeypatch):
    monkeypatch.setenv("SOCBOT_KNOWLEDGE", str(tmp_path / "does-not-exist"))
    code, out = ask("--check", "--knowledge", str(tiny))
    assert code == 0
    assert f"knowledge: {tiny}" in out


def parse_check(out: str) -> dict[str, int]:
    counts = {}
    for line in out.splitlines():
        m = re.match(r"^\s*(documents|passages|SOC \d|untagged):\s+(\d+)\s*$", line)
        if m:
            counts[m.group(1)] = int(m.group(2))
    return counts


def test_check_counts_bundled_base(bundled):
    code, out = ask("--check")
    assert code == 0
    stats = bundled.stats
    assert parse_check(out) == {"documents": stats.documents, "passages": stats.passages,
                                **stats.per_report, "untagged": stats.untagged}
    assert f"knowledge: {DEFAULT_KNOWLEDGE}" in out
    assert "ok" in out.splitlines()[-1]


def test_check_counts_one_passage_base(write_files, monkeypatch):
    root = write_files({"one.yaml": "title: One\npassages:\n  - id: only\n    reports: [soc2]\n    text: Hello.\n"})
    monkeypatch.setenv("SOCBOT_KNOWLEDGE", str(root))
    code, out = ask("--check")
    assert code == 0
    assert parse_check(out) == {"documents": 1, "passages": 1, "SOC 1": 0, "SOC 2": 1, "SOC 3": 0,
                                "untagged": 0}


@pytest.mark.parametrize("extra", [["--check"], ["Which report covers availability?"], ["--json"]])
def test_broken_knowledge_exits_1_with_file_and_line(write_files, capsys, extra):
    root = write_files({"bad.yaml": "title: x\npassages:\n  - id: a\n    text: ok\n    reports: [SOC 4]\n"})
    code, out = ask("--knowledge", str(root), *extra, stdin="what is soc 2\n")
    assert code == 1
    assert out == ""
    err = capsys.readouterr().err
    assert f"{root / 'bad.yaml'}:5:" in err
    assert "SOC 4" in err
    assert "Traceback" not in err


def test_missing_knowledge_directory_exits_1(tmp_path, capsys):
    code, out = ask("--check", "--knowledge", str(tmp_path / "nope"))
    assert (code, out) == (1, "")
    assert "knowledge directory not found" in capsys.readouterr().err


def test_one_passage_base_answers_from_its_passage(write_files):
    root = write_files({"one.yaml": """\
        title: Widget notes
        passages:
          - id: only
            section: Widget uptime
            reports: [SOC 2]
            text: The widget report covers uptime and availability of the widget service.
        """})
    code, out = ask("--json", "--knowledge", str(root), "Which report covers widget uptime?")
    assert code == 0
    data = json.loads(out)
    assert data["answered"] is True
    assert [c["id"] for c in data["citations"]] == ["only"]


def test_the_socbot_command_dispatches_its_subcommands(capsys, monkeypatch):
    from bot.cli import main as socbot

    monkeypatch.setenv("SOCBOT_CACHE_DIR", "off")
    out = io.StringIO()
    assert socbot(["ask", "Which report covers availability?"], stdout=out) == 0
    assert "Reports: SOC 2" in out.getvalue()
    out = io.StringIO()
    assert socbot(["check"], stdout=out) == 0 and "ok: every file is valid" in out.getvalue()
    out = io.StringIO()
    assert socbot([], stdout=out) == 0
    assert all(name in out.getvalue() for name in ("ask", "check", "serve", "eval", "report", "bench"))
    monkeypatch.setenv("SOCBOT_TOP_K", "lots")  # a bad setting is an error naming it, not ignored
    assert socbot(["ask", "Which report covers availability?"], stdout=io.StringIO()) == 2
    assert "SOCBOT_TOP_K" in capsys.readouterr().err
