"""Block Kit rendering of answers, within Slack's limits, with nothing left unescaped."""
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack.blocks import (
    ACTION_SHARE,
    ACTION_VOTE_DOWN,
    ACTION_VOTE_UP,
    MAX_BLOCKS,
    SECTION_LIMIT,
    TOTAL_BUDGET,
    answer_message,
    help_message,
    highlight,
    home_view,
    message_size,
    safe_url,
    vote_ack,
)
from bot.types import Answer, Citation, Comparison, ComparisonCell, ComparisonRow, KnowledgeStats

PING = re.compile(r"<[!@#]")  # what would notify someone or link a channel


def _citation(n=1, text="Availability covers uptime and capacity.", url=None, matches=((20, 26),), **kw):
    return Citation(n, f"id{n}", kw.get("title", "SOC 2 criteria"), kw.get("section", "Availability"), text,
                    1.0, url, matches)


def _answer(citations=None, text="SOC 2 — availability is covered.", question="What covers uptime?"):
    citations = (_citation(),) if citations is None else citations
    return Answer(question, True, ("SOC 2",), text, tuple(citations), ("Example?",))


def _all_text(message) -> str:
    return json.dumps(message, ensure_ascii=False)


def _sections(blocks):
    for b in blocks:
        if "text" in b and isinstance(b["text"], dict):
            yield b["text"]["text"]
        for e in b.get("elements", ()):
            if isinstance(e.get("text"), str):
                yield e["text"]
        for f in b.get("fields", ()):
            yield f["text"]


def test_answer_layout_verdict_sources_buttons():
    msg = answer_message(_answer([_citation(url="https://example.com/a?x=1&y=2")]), "C1:1.0")
    blocks = msg["blocks"]
    assert blocks[0]["text"]["text"].startswith("*SOC 2* — availability")  # verdict first, in bold
    source = next(b["text"]["text"] for b in blocks if b.get("text", {}).get("text", "").startswith("*1."))
    assert "*1. SOC 2 criteria* › Availability" in source
    assert "> Availability covers *uptime* and capacity." in source  # quoted, matched word bold
    assert "<https://example.com/a?x=1&amp;y=2|Open source>" in source
    actions = blocks[-1]
    assert [e["action_id"] for e in actions["elements"]] == [ACTION_VOTE_UP, ACTION_VOTE_DOWN]
    assert all(e["value"] == "C1:1.0" for e in actions["elements"])
    assert "SOC 2 — availability is covered." in msg["text"] and "1. SOC 2 criteria › Availability" in msg["text"]


def test_share_button_only_when_asked():
    elements = answer_message(_answer(), "x", share=True)["blocks"][-1]["elements"]
    assert elements[-1]["action_id"] == ACTION_SHARE


def test_declined_offers_examples_and_buttons():
    answer = Answer("weather?", False, (), "Not covered.", (), ("What is SOC 2?", "What is a <bridge> letter?"))
    msg = answer_message(answer, "id")
    text = _all_text(msg)
    assert "couldn't answer" in msg["text"] and "What is SOC 2?" in text
    assert "&lt;bridge&gt;" in text
    assert msg["blocks"][-1]["elements"][0]["action_id"] == ACTION_VOTE_UP


def test_user_text_is_escaped_everywhere():
    q = "<!channel> <!here> <!everyone> <!subteam^S1|@ops> <@U1> & more"
    answer = Answer(q, True, ("SOC 2",), "About <!here>", (_citation(title="<!channel>", text="<@U2> x"),), (q,))
    for msg in (answer_message(answer, "id", share=True), answer_message(
            Answer(q, False, (), q, (), (q,)), "id")):
        assert not PING.search(msg["text"])
        for text in _sections(msg["blocks"]):
            assert not PING.search(text), text
        assert "&lt;!channel&gt;" in _all_text(msg)


def test_asked_by_and_shared_by_only_accept_user_ids():
    ok = answer_message(_answer(), "id", asked_by="U123ABC", shared_by="U999")
    assert "<@U123ABC> asked" in _all_text(ok) and "shared by <@U999>" in _all_text(ok)
    bad = answer_message(_answer(), "id", asked_by="!channel", shared_by="<!here>")
    assert not PING.search(_all_text(bad))


def test_highlight_bolds_whole_words_only():
    assert highlight("SOC2 and SOC 2", [(0, 3), (9, 12)], 100) == "SOC2 and *SOC* 2"
    assert highlight("a < b", [(2, 3)], 100) == "a *&lt;* b"  # escaped inside the bold
    assert highlight("abcdef", [], 3) == "abc…"


def test_safe_url():
    assert safe_url("javascript:alert(1)") is None and safe_url("ftp://x") is None and safe_url(None) is None
    assert safe_url("https://x.io/a b|c>") == "https://x.io/a%20b%7Cc%3E"


def test_huge_answer_is_shortened_with_a_note():
    long = "word " * 3000
    citations = [_citation(n, text=long, title="T" * 500, section="S" * 500, matches=((0, 4),)) for n in range(1, 15)]
    msg = answer_message(_answer(citations, text="verdict " * 1000), "id")
    assert len(msg["blocks"]) <= MAX_BLOCKS and message_size(msg["blocks"]) <= TOTAL_BUDGET
    assert any("Shortened to fit" in t for t in _sections(msg["blocks"]))
    assert all(len(t) <= SECTION_LIMIT for t in _sections(msg["blocks"]))
    assert msg["blocks"][-1]["type"] == "actions"


_texts = st.text(max_size=5000)


@settings(max_examples=60, deadline=None)
@given(answer_text=_texts, question=_texts, n=st.integers(0, 25), text=_texts, title=st.text(max_size=400),
       answered=st.booleans(), url=st.one_of(st.none(), st.text(max_size=50), st.just("https://a.b/<!here>")))
def test_any_answer_fits_slack_limits(answer_text, question, n, text, title, answered, url):
    citations = tuple(Citation(i + 1, f"id{i}", title, title, text, 1.0, url, ((0, len(text) // 2),))
                      for i in range(n))
    answer = Answer(question, answered, ("SOC 2",), answer_text, citations if answered else (), (question,) * 6)
    msg = answer_message(answer, "C1:1.0", share=True, asked_by="U1")
    assert 0 < len(msg["blocks"]) <= MAX_BLOCKS
    assert message_size(msg["blocks"]) <= TOTAL_BUDGET
    assert msg["text"] and len(msg["text"]) <= 3000
    for t in _sections(msg["blocks"]):
        assert len(t) <= SECTION_LIMIT
        assert not re.search(r"<[!#]", t) and "<@" not in t.replace("<@U1>", "")
    assert not PING.search(msg["text"])
    assert msg["blocks"][-1]["type"] == "actions"


def test_cutting_never_leaves_half_an_entity():
    msg = answer_message(_answer(text="&" * 5000), "id")
    for text in [msg["text"], *_sections(msg["blocks"])]:
        assert not re.search(r"&[a-z]{0,3}…$", text)
        assert re.fullmatch(r"(?:[^&]|&amp;|&lt;|&gt;)*", text.replace("…", "")), text[-20:]


def test_home_view_shows_what_it_knows_and_how_to_ask():
    view = home_view(KnowledgeStats(3, 63, {"SOC 1": 42, "SOC 2": 47}, untagged=2), ("What is <b>?",))
    text = _all_text(view)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    for needle in ("*Documents*\\n3", "*Passages*\\n63", "*SOC 2*\\n47 passages", "/soc", "What is &lt;b&gt;?"):
        assert needle in text


def test_help_message_and_vote_ack():
    msg = help_message(("What is SOC 2?",))
    assert msg["response_type"] == "ephemeral" and "/soc" in msg["text"] and "What is SOC 2?" in _all_text(msg)
    assert "recorded" in vote_ack(1, None) and "already" in vote_ack(-1, -1) and "Changed" in vote_ack(-1, 1)


@settings(max_examples=40, deadline=None)
@given(rows=st.integers(0, 150), columns=st.integers(2, 3), text=_texts, aspect=st.text(max_size=300),
       stated=st.booleans())
def test_any_comparison_fits_slack_limits_as_a_table_and_as_fields(rows, columns, text, aspect, stated):
    citations = tuple(_citation(n, text=text or "x") for n in range(1, 25))
    cell = ComparisonCell(text, 3) if stated else ComparisonCell()
    comparison = Comparison(tuple(f"SOC {n}" for n in range(1, columns + 1)),
                            tuple(ComparisonRow(aspect or "Focus", (cell,) * columns) for _ in range(rows)))
    answer = Answer("soc 1 vs soc 2?", True, ("SOC 1", "SOC 2"), text or "x", citations, (), comparison)
    msg = answer_message(answer, "C1:1.0", share=True, asked_by="U1")
    for blocks in (msg["blocks"], msg["blocks_without_table"]):
        assert 0 < len(blocks) <= MAX_BLOCKS and message_size(blocks) <= TOTAL_BUDGET
        assert blocks[-1]["type"] == "actions"
        for block in blocks:
            for field in block.get("fields", ()):
                assert len(field["text"]) <= 2000 and not PING.search(field["text"])
            assert len(block.get("fields", ())) <= 10
    (table,) = [b for b in msg["blocks"] if b["type"] == "table"]
    assert len(table["rows"]) <= 100 and {len(r) for r in table["rows"]} == {columns + 1}
    assert all(c["text"] and "<" not in c["text"] for r in table["rows"] for c in r)
    assert len(msg["text"]) <= 3000 and not PING.search(msg["text"])
