"""Comparisons in Slack, end to end against the stand-in: a table block with its sources, section
fields where a workspace refuses table blocks, and "/soc compare"."""
import json
import logging
import re

import pytest
from slack_helpers import deliver, mention_event, new_id, new_ts
from support.harness import command_body, event_body

from bot.slack.blocks import MAX_BLOCKS, TOTAL_BUDGET, message_size

FORM = "application/x-www-form-urlencoded"
QUESTION = "<@UBOT0001> what's the difference between SOC 1 and SOC 2?"


@pytest.fixture
def tables_refused(standin):
    standin.refused_block_types = {"table"}
    yield standin
    standin.refused_block_types = set()


def _mention(app, channel, text=QUESTION):
    return deliver(app, event_body(mention_event(channel, new_ts(), text), event_id=new_id("Ev")))


def _cited_numbers(blocks) -> set[int]:
    """The numbers of the sources listed under the answer ("*3. Title* › Section")."""
    texts = [b["text"]["text"] for b in blocks if b.get("type") == "section" and "text" in b]
    return {int(m.group(1)) for t in texts for m in re.finditer(r"^\*(\d+)\. ", t, re.MULTILINE)}


def test_a_comparison_question_gets_a_table_block_with_its_sources(make_app, standin, bundled_answerer):
    app, channel = make_app(bundled_answerer), new_id("C")
    _mention(app, channel)
    (post,) = standin.calls("chat.postMessage", channel=channel)
    assert post.ok
    blocks = post.blocks()
    (table,) = [b for b in blocks if b["type"] == "table"]
    header, *rows = table["rows"]
    assert [c["text"] for c in header] == ["Aspect", "SOC 1", "SOC 2"]
    assert len(rows) >= 6 and all(len(r) == 3 for r in rows)
    assert all(c["type"] == "raw_text" and c["text"] for r in table["rows"] for c in r)
    # Every stated cell ends with a citation number, and every such number is listed as a source.
    cited = {int(m.group(1)) for r in rows for c in r[1:] for m in [re.search(r"\[(\d+)\]$", c["text"])] if m}
    assert cited and cited <= _cited_numbers(blocks)
    assert len(blocks) <= MAX_BLOCKS and message_size(blocks) <= TOTAL_BUDGET
    # The notification fallback carries the same rows as lines.
    assert "Focus — SOC 1:" in post.params["text"] and "| SOC 2:" in post.params["text"]


def test_a_refused_table_goes_out_as_section_fields_logged_once(make_app, tables_refused, bundled_answerer,
                                                                 caplog):
    standin = tables_refused
    app, channel = make_app(bundled_answerer), new_id("C")
    with caplog.at_level(logging.INFO):
        _mention(app, channel)
        _mention(app, channel, "<@UBOT0001> soc1 vs soc2")
    posts = standin.calls("chat.postMessage", channel=channel)
    assert [p.ok for p in posts] == [False, True, False, True]
    for refused, sent in zip(posts[::2], posts[1::2]):
        assert any(b["type"] == "table" for b in refused.blocks())
        blocks = sent.blocks()
        assert not any(b["type"] == "table" for b in blocks)
        rows = [b for b in blocks if b.get("fields")]
        assert len(rows) >= 6
        assert [f["text"].split("\n")[0] for f in rows[0]["fields"]] == ["*SOC 1*", "*SOC 2*"]
    refusals = [r for r in caplog.records if "refused the table block" in r.getMessage()]
    assert len(refusals) <= 1  # once per process: an earlier test in this process may have logged it


def test_soc_compare_alone_shows_the_soc_1_vs_soc_2_table(make_app, standin, bundled_answerer):
    app, channel = make_app(bundled_answerer), new_id("C")
    body = command_body("compare", user="UASKER01", channel=channel, response_url=standin.response_url(channel))
    assert deliver(app, body, content_type=FORM).status == 200
    (reply,) = [c for c in standin.calls("response_url") if c.path.endswith(channel)]
    (table,) = [b for b in reply.params["blocks"] if b["type"] == "table"]
    assert [c["text"] for c in table["rows"][0]] == ["Aspect", "SOC 1", "SOC 2"]


def test_a_response_url_refusing_the_table_gets_fields(make_app, tables_refused, bundled_answerer):
    standin = tables_refused
    app, channel = make_app(bundled_answerer), new_id("C")
    body = command_body("type 1 vs type 2", user="UASKER01", channel=channel,
                        response_url=standin.response_url(channel))
    deliver(app, body, content_type=FORM)
    refused, sent = [c for c in standin.calls("response_url") if c.path.endswith(channel)]
    assert refused.status == 400 and sent.status == 200
    fields = [f["text"] for b in sent.params["blocks"] for f in b.get("fields", ())]
    assert any(f.startswith("*Type 1*") for f in fields) and any(f.startswith("*Type 2*") for f in fields)


def test_table_cells_from_a_dropped_in_document_cannot_mention_anyone(make_app, standin, tmp_path):
    from bot.answers.answerer import Answerer

    (tmp_path / "notes.md").write_text(
        "# SOC notes\n\nSOC 1 covers financial reporting controls <!channel>. SOC 2 covers security "
        "<!here>.\n\nSOC 1 is read by user auditors. SOC 2 is read by customers.\n\n"
        "SOC 1 is restricted use. SOC 2 is shared under an NDA.\n", encoding="utf-8")
    app, channel = make_app(Answerer.from_directory(tmp_path)), new_id("C")
    _mention(app, channel)
    (post,) = standin.calls("chat.postMessage", channel=channel)
    raw = json.dumps(post.params)
    assert "<!channel>" not in raw and "<!here>" not in raw
    assert any(b["type"] == "table" for b in post.blocks())
