"""Decoding what users type and escaping what we echo."""
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.slack.text import MAX_QUESTION_CHARS, cut, escape, mentions, question_from_slack


def test_escape_makes_markup_inert():
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


@given(st.text())
def test_escaped_text_contains_no_markup(text):
    # escape() puts a word joiner after the "@" of a broadcast word ("@\u2060everyone"); a text
    # that already holds one could not be told apart from it afterwards.
    assume("\u2060" not in text)
    out = escape(text)
    assert "<" not in out and ">" not in out
    unjoined = out.replace("@\u2060", "@")
    assert unjoined.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text  # reversible


def test_question_strips_our_mention_and_decodes_markup():
    raw = "<@UBOT> is <@U123|ann> in <#C1|general> &amp; &lt;b&gt; <https://x.io|the site> <!here> <!subteam^S1|@ops>"
    assert question_from_slack(raw, "UBOT") == "is @ann in #general & <b> the site @here @ops"


def test_mentions():
    assert mentions("hi <@UBOT>", "UBOT") and mentions("<@UBOT|socbot> hi", "UBOT")
    assert not mentions("hi <@UOTHER>", "UBOT") and not mentions("hi <@UBOT>", None)


def test_long_questions_are_cut():
    q = question_from_slack("word " * 20000, "UBOT")
    assert len(q) <= MAX_QUESTION_CHARS and q.endswith("…")
    assert cut("abcdef", 4) == "abc…" and cut("abc", 4) == "abc"


@given(st.lists(st.sampled_from(list("<>@!#|&;^ abcU1lt") + ["&lt;", "&gt;", "&amp;", "<@U1>"]), max_size=300))
def test_question_decoding_never_fails(parts):
    q = question_from_slack("".join(parts), "U1")
    assert isinstance(q, str) and len(q) <= MAX_QUESTION_CHARS
