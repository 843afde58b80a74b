"""Learned passages: an expert's answer checked like knowledge, exported as a knowledge file, and
managed with `socbot learned` (the store's own copy is what the bot answers from)."""
import io

import pytest

from bot.cli import main as cli_main
from bot.errors import KnowledgeError
from bot.knowledge import load_knowledge
from bot.knowledge.learned import LearnedError, export_yaml, learned_passage
from bot.knowledge.passage import MAX_PASSAGE_CHARS

QUESTION = "How long should we keep badge access logs?"


def test_a_learned_passage_takes_its_headings_from_the_question_and_reports_from_the_reply():
    p = learned_passage("One year.\nOur  SOC 2 and SOC-1 auditors sample them.", QUESTION, expert="U1",
                        url="https://x/p1", when=0)
    assert p.title == QUESTION and p.reports == ("SOC 1", "SOC 2")
    assert p.text == "One year.\nOur SOC 2 and SOC-1 auditors sample them."
    assert p.source == "Answered by U1 in Slack, 1970-01-01" and p.url == "https://x/p1"


@pytest.mark.parametrize("text", ["", "  \n ", "x" * (MAX_PASSAGE_CHARS + 1), "word " * 8000])
def test_empty_or_overlong_replies_are_refused(text):
    with pytest.raises(LearnedError):
        learned_passage(text, QUESTION, expert="U1", url=None, when=0)


def test_an_overlong_yaml_passage_is_refused_like_a_learned_one(write_files):
    kb = write_files({"long.yaml": f"passages:\n  - id: long\n    text: {'word ' * 1000}\n"})
    with pytest.raises(KnowledgeError, match="at most 4,000"):
        load_knowledge(kb)


def test_the_export_is_a_knowledge_file_that_loads_as_it_was(tmp_path):
    taught = [learned_passage(f"Answer {n}: SOC 3 may be posted publicly.", f"question {n}?", expert="U1",
                              url=f"https://x/p{n}", when=0) for n in range(2)]
    (tmp_path / "learned.yaml").write_text(export_yaml(taught), encoding="utf-8")
    loaded = load_knowledge(tmp_path).passages
    assert [(p.id, p.text, p.title, p.reports, p.url) for p in loaded] == \
        [(p.id, p.text, p.title, p.reports, p.url) for p in taught]


def test_socbot_learned_lists_exports_and_removes(tmp_path):
    from bot.slack.store import SQLiteStore

    db = tmp_path / "socbot.db"
    store = SQLiteStore(db)
    taught = learned_passage("Keep them one year for SOC 2.", QUESTION, expert="UEXPERT1", url="https://x/p", when=0)
    store.learn(taught, expert="UEXPERT1", answer_id=None)
    out = io.StringIO()
    assert cli_main(["learned", "--db", str(db), "list"]) == 0  # prints to stdout
    from bot.slack.learned_cli import main as learned_main

    assert learned_main(["--db", str(db), "list"], stdout=out) == 0
    assert taught.id in out.getvalue() and "UEXPERT1" in out.getvalue() and QUESTION in out.getvalue()
    export = tmp_path / "kb" / "learned.yaml"
    export.parent.mkdir()
    assert learned_main(["--db", str(db), "export", "--output", str(export)]) == 0
    assert load_knowledge(export.parent).passages[0].text == taught.text
    assert learned_main(["--db", str(db), "remove", taught.id], stdout=io.StringIO()) == 0
    assert store.learned_passages() == ()
    assert learned_main(["--db", str(db), "remove", taught.id]) == 2  # gone already: a usage error
    assert learned_main(["--db", str(tmp_path / "missing.db"), "list"]) == 2


def test_stored_text_cannot_drive_the_operators_terminal(tmp_path):
    from bot.slack.learned_cli import main as learned_main
    from bot.slack.store import SQLiteStore

    db = tmp_path / "socbot.db"
    taught = learned_passage("One year.", "does SOC 2 cover \x1b[2J\x1b]0;owned\x07 backups?", expert="U1", url=None,
                             when=0)
    SQLiteStore(db).learn(taught, expert="U1", answer_id=None)
    out = io.StringIO()
    assert learned_main(["--db", str(db), "list"], stdout=out) == 0
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue() and "backups?" in out.getvalue()
