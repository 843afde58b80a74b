"""The knowledge base spec: YAML passages, Markdown and plain-text articles, reserved files,
vocabulary extension, errors with file:line, and the bundled base itself."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.answers.answerer import Answerer
from bot.errors import KnowledgeError
from bot.knowledge import DEFAULT_KNOWLEDGE, knowledge_files, load_knowledge
from bot.knowledge.passage import MAX_PASSAGE_WORDS
from bot.reports import REPORTS
from bot.search.analysis import Analyzer
from bot.search.vocabulary import load_vocabulary


def load_error(directory: Path) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(directory)
    return info.value


def by_id(kb) -> dict:
    return {p.id: p for p in kb.passages}


# ------------------------------------------------------------------------------------------
# YAML passage files
# ------------------------------------------------------------------------------------------
DOC = """\
title: Availability guide
source: Our own notes
url: https://example.com/guide
passages:
  - id: inherits
    text: >-
      SOC 2 covers   availability
      and uptime.
  - id: overrides
    title: Own title
    section: Own section
    source: Own source
    url: https://example.com/own
    reports: [SOC 1]
    text: A SOC 1 report covers financial reporting.
"""


def test_yaml_passage_fields_and_inheritance(write_files):
    kb = load_knowledge(write_files({"guide.yaml": DOC}))
    p = by_id(kb)
    assert [x.id for x in kb.passages] == ["inherits", "overrides"]

    inherits = p["inherits"]
    assert inherits.title == "Availability guide"
    assert inherits.source == "Our own notes"
    assert inherits.url == "https://example.com/guide"
    assert inherits.section == ""
    assert inherits.reports == ()
    assert inherits.text == "SOC 2 covers availability and uptime."  # whitespace folded
    assert inherits.line == 5

    own = p["overrides"]
    assert (own.title, own.section, own.source, own.url) == (
        "Own title", "Own section", "Own source", "https://example.com/own")
    assert own.reports == ("SOC 1",)
    assert own.line == 9
    assert own.path.endswith("guide.yaml")


def test_yaml_title_defaults_to_file_stem(write_files):
    kb = load_knowledge(write_files({"bridge-letters.yaml": "passages:\n  - id: a\n    text: Hi.\n"}))
    (p,) = kb.passages
    assert p.title == "bridge-letters"
    assert p.url is None and p.source is None


@pytest.mark.parametrize("spelling, expected", [
    ("soc2", ("SOC 2",)),
    ("SOC-2", ("SOC 2",)),
    ("soc 2", ("SOC 2",)),
    ("Soc_1", ("SOC 1",)),
    ("SOC3", ("SOC 3",)),
    ("[soc1, SOC 1, soc-1]", ("SOC 1",)),  # duplicates collapse
    ("[SOC 3, soc1]", ("SOC 3", "SOC 1")),  # order kept
    ("SOC 2", ("SOC 2",)),  # a single name need not be a list
])
def test_yaml_report_names_are_normalized(write_files, spelling, expected):
    text = f"passages:\n  - id: a\n    text: Hi.\n    reports: {spelling}\n"
    (p,) = load_knowledge(write_files({"a.yaml": text})).passages
    assert p.reports == expected


# (file text, line of the error, words the message must hold)
YAML_ERRORS = {
    "unparseable YAML (bad indent)": ("""\
title: x
passages:
  - id: a
    text: ok
   bad: indent
""", 5, "not valid YAML"),
    "unparseable YAML (tab)": ("title: x\npassages:\n\t- id: a\n", 3, "not valid YAML"),
    "passage without text": ("""\
title: x
passages:
  - id: a
    text: ok
  - id: b
    section: no text here
""", 5, "passage 'b' has no text"),
    "passage with empty text": ("""\
title: x
passages:
  - id: a
    text: ok
  - id: b
    text: '   '
""", 5, "passage 'b' has no text"),
    "passage with null text": ("""\
title: x
passages:
  - id: a
    text: ok
  - id: b
    text:
""", 5, "passage 'b' has no text"),
    "unknown passage field": ("""\
title: x
passages:
  - id: a
    text: ok
  - id: b
    text: ok
    tags: [availability]
""", 7, "unknown passage field 'tags'"),
    "unknown document field": ("""\
title: x
author: somebody
passages:
  - id: a
    text: ok
""", 2, "unknown document field 'author'"),
    "unknown report name": ("""\
title: x
passages:
  - id: a
    text: ok
  - id: b
    text: ok
    reports: [SOC 2, SOC 4]
""", 7, "unknown report 'SOC 4'"),
    "passages is a mapping": ("""\
title: x
passages:
  id: a
  text: ok
""", 2, "'passages' must be a non-empty list"),
    "passages is text": ("title: x\nsource: y\npassages: just words\n", 3,
                         "'passages' must be a non-empty list"),
    "passages is empty": ("title: x\n\npassages: []\n", 3, "'passages' must be a non-empty list"),
    "passage is not a mapping": ("""\
title: x
passages:
  - id: a
    text: ok
  - just a sentence
""", 5, "each passage must be a mapping"),
    "id is not a word": ("""\
title: x
passages:
  - id: a
    text: ok
  - id: has spaces in it
    text: ok
""", 5, "passage 'id' must be a word"),
    "reports is a mapping": ("""\
passages:
  - id: a
    text: ok
    reports: {SOC 2: yes}
""", 4, "'reports' must be a list"),
    "title is a list": ("title: [a, b]\npassages:\n  - id: a\n    text: ok\n", 1, "'title' must be text"),
    "document is a list": ("- id: a\n  text: ok\n", 1, "expected a mapping"),
}


@pytest.mark.parametrize("text, line, words", YAML_ERRORS.values(), ids=YAML_ERRORS.keys())
def test_yaml_errors_name_file_and_line(write_files, text, line, words):
    root = write_files({"00-good.yaml": "passages:\n  - id: good\n    text: Fine.\n", "broken.yaml": text})
    err = load_error(root)
    path = root / "broken.yaml"
    assert err.path == str(path)
    assert err.line == line
    assert str(err).startswith(f"{path}:{line}: ")
    assert words in str(err)


def test_duplicate_id_across_files_names_second_file_and_first_location(write_files):
    root = write_files({
        "a.yaml": "title: A\npassages:\n  - id: other\n    text: One.\n  - id: shared\n    text: Two.\n",
        "b.yaml": "title: B\nsource: s\npassages:\n  - id: b1\n    text: Three.\n  - id: shared\n    text: Four.\n",
    })
    err = load_error(root)
    a, b = root / "a.yaml", root / "b.yaml"
    assert (err.path, err.line) == (str(b), 6)
    assert str(err).startswith(f"{b}:6: ")
    assert "duplicate passage id 'shared'" in str(err)
    assert f"first at {a}:5" in str(err)


def test_generated_ids_never_collide(write_files):
    # guide.md's first section would get "guide.intro", which a YAML file already uses; the
    # same file name in two folders, or as .md and .txt, and repeated headings all load.
    root = write_files({
        "a.yaml": "passages:\n  - id: guide.intro\n    text: Taken.\n",
        "guide.md": "# Guide\n\n## Intro\n\nSOC 2 covers availability.\n",
        "x/faq.md": "# FAQ\n\n## Scope\n\nOne.\n\n## Scope\n\nTwo.\n\n## Scope 2\n\nThree.\n",
        "y/faq.md": "# FAQ\n\n## Scope\n\nFour.\n",
        "guide.txt": "Guide\n\nIntro\n\nFive.\n",
    })
    ids = {p.text: p.id for p in load_knowledge(root).passages}
    assert len(set(ids.values())) == len(ids) == 7
    assert ids["Taken."] == "guide.intro" and ids["SOC 2 covers availability."] == "guide.intro-2"
    assert ids["One."] == "x-faq.scope" and ids["Four."] == "y-faq.scope"
    assert {ids["Two."], ids["Three."]} == {"x-faq.scope-2", "x-faq.scope-2-2"}


def test_sections_without_text_are_not_passages(write_files):
    # An image alone, or emphasis marks alone, leave no text: no empty passage to crash on.
    root = write_files({"notes.md": "# Zebra widgets\n\n## Diagram\n\n![](diagram.png)\n\n"
                                    "## Marks\n\n**\n\n## Real\n\nZebra widgets hold escrow.\n"})
    assert [p.id for p in load_knowledge(root).passages] == ["notes.real"]


def test_duplicate_id_in_same_file_points_at_second_occurrence(write_files):
    """Regression: the line of the second occurrence, not the first one twice."""
    root = write_files({"a.yaml": """\
title: x
passages:
  - id: dup
    text: One.
  - id: other
    text: Two.
  - id: dup
    text: Three.
"""})
    err = load_error(root)
    assert err.line == 7
    assert f"first at {root / 'a.yaml'}:3" in str(err)


def test_non_utf8_yaml_is_a_knowledge_error(write_files):
    """Regression: was a bare UnicodeDecodeError (file read outside the error handling)."""
    root = write_files({"latin1.yaml": "title: Caf\u00e9\npassages:\n  - id: a\n    text: ok\n".encode("latin-1")})
    err = load_error(root)
    assert err.path == str(root / "latin1.yaml")
    assert "UTF-8" in str(err)


def test_non_utf8_article_is_a_knowledge_error(write_files):
    root = write_files({"latin1.txt": "Caf\u00e9 notes\n\nSOC 2 text.\n".encode("latin-1")})
    err = load_error(root)
    assert err.path == str(root / "latin1.txt")
    assert "UTF-8" in str(err)


def test_duplicate_key_in_a_passage_is_an_error(write_files):
    """Regression: PyYAML keeps the last of two equal keys, so a forgotten "- " lost a passage."""
    root = write_files({"a.yaml": """\
title: x
passages:
  - id: a
    text: The first passage.
    id: b
    text: The second passage, merged by a forgotten dash.
"""})
    err = load_error(root)
    assert (err.path, err.line) == (str(root / "a.yaml"), 5)


# ------------------------------------------------------------------------------------------
# Markdown articles
# ------------------------------------------------------------------------------------------
GUIDE_MD = """\
# SOC Guide

Opening paragraph with a [Trust Services Criteria](https://example.com/tsc) link.

## Availability

SOC 2 covers **availability** and `uptime`.

```
# not a heading
## nor this
```

## Bridge letters

A bridge letter covers the gap between two reports.

## Availability

A repeated heading gets its own id.
"""


def test_markdown_title_sections_ids_and_lines(write_files):
    kb = load_knowledge(write_files({"soc-guide.md": GUIDE_MD}))
    got = [(p.id, p.title, p.section, p.line) for p in kb.passages]
    assert got == [
        ("soc-guide.soc-guide", "SOC Guide", "", 3),
        ("soc-guide.availability", "SOC Guide", "Availability", 7),
        ("soc-guide.bridge-letters", "SOC Guide", "Bridge letters", 16),
        ("soc-guide.availability-2", "SOC Guide", "Availability", 20),
    ]
    assert all(p.reports == () and p.url is None for p in kb.passages)


def test_markdown_headings_in_code_fences_are_ignored(write_files):
    text = "```\n# Fake title\n```\n\n# Real title\n\n## Part\n\nBody.\n\n~~~\n## Fake section\n~~~\n"
    kb = load_knowledge(write_files({"fenced.md": GUIDE_MD, "other.md": text}))
    assert {p.title for p in kb.passages} == {"SOC Guide", "Real title"}
    sections = {p.section for p in kb.passages}
    assert sections == {"", "Availability", "Bridge letters", "Part"}


def test_markdown_links_keep_their_text_and_markup_goes(write_files):
    kb = by_id(load_knowledge(write_files({"soc-guide.md": GUIDE_MD})))
    opening = kb["soc-guide.soc-guide"].text
    assert opening == "Opening paragraph with a Trust Services Criteria link."
    assert kb["soc-guide.availability"].text.startswith("SOC 2 covers availability and uptime.")


def test_markdown_link_in_heading_keeps_its_text(write_files):
    text = "# Guide\n\n## See [SOC 3](https://example.com/soc3) **reports**\n\nPublic.\n"
    (p,) = load_knowledge(write_files({"g.md": text})).passages
    assert p.section == "See SOC 3 reports"
    assert p.id == "g.see-soc-3-reports"


def test_markdown_title_falls_back_to_file_stem(write_files):
    (p,) = load_knowledge(write_files({"bridge_letter-notes.md": "## Gap\n\nA bridge letter.\n"})).passages
    assert p.title == "bridge letter notes"
    assert p.section == "Gap"


def _words(n: int, tag: str) -> str:
    return " ".join(f"{tag}{i}" for i in range(n))


def test_markdown_long_section_is_split_at_paragraphs(write_files):
    n = MAX_PASSAGE_WORDS // 2 - 1  # two paragraphs fit in one passage, three do not
    paragraphs = [_words(n, tag) for tag in "abcde"]
    text = "# Long\n\n## Big section\n\n" + "\n\n".join(paragraphs) + "\n"
    kb = load_knowledge(write_files({"long.md": text}))
    assert [p.id for p in kb.passages] == ["long.big-section", "long.big-section~2", "long.big-section~3"]
    assert [p.text for p in kb.passages] == [
        f"{paragraphs[0]}\n{paragraphs[1]}", f"{paragraphs[2]}\n{paragraphs[3]}", paragraphs[4]]
    assert [p.line for p in kb.passages] == [5, 9, 13]  # each part starts at its first paragraph
    assert all(len(p.text.split()) <= MAX_PASSAGE_WORDS for p in kb.passages)
    assert {p.section for p in kb.passages} == {"Big section"}


def test_markdown_single_long_paragraph_is_not_cut(write_files):
    text = "# Long\n\n## One\n\n" + _words(MAX_PASSAGE_WORDS + 40, "w") + "\n"
    (p,) = load_knowledge(write_files({"long.md": text})).passages
    assert len(p.text.split()) == MAX_PASSAGE_WORDS + 40


def test_markdown_ids_are_stable_across_loads_and_text_edits(write_files, tmp_path):
    first = load_knowledge(write_files({"soc-guide.md": GUIDE_MD}, tmp_path / "one"))
    again = load_knowledge(tmp_path / "one")
    assert [p.id for p in first.passages] == [p.id for p in again.passages]

    edited_md = GUIDE_MD.replace(
        "A bridge letter covers the gap between two reports.",
        "A bridge letter, also called a gap letter, is issued by the service organization "
        "and covers the months between the end of one report period and the next report.",
    )
    edited = load_knowledge(write_files({"soc-guide.md": edited_md}, tmp_path / "two"))
    assert [p.id for p in edited.passages] == [p.id for p in first.passages]
    changed = [a.id for a, b in zip(first.passages, edited.passages) if a.text != b.text]
    assert changed == ["soc-guide.bridge-letters"]


def test_markdown_with_byte_order_mark_keeps_its_title(write_files):
    """Regression: a BOM hid the "# Title" heading and prefixed plain-text titles with U+FEFF."""
    root = write_files({"g.md": b"\xef\xbb\xbf# SOC Guide\n\nSOC 2 covers availability.\n",
                        "t.txt": b"\xef\xbb\xbfSOC Notes\n\nSOC 1 covers payroll.\n"})
    titles = {Path(p.path).name: p.title for p in load_knowledge(root).passages}
    assert titles == {"g.md": "SOC Guide", "t.txt": "SOC Notes"}


def test_markdown_hash_at_end_of_heading_word_is_kept(write_files):
    """Regression: a closing "#" run is dropped only after a space (CommonMark)."""
    (p,) = load_knowledge(write_files({"c.md": "# Guide\n\n## Reports for C#\n\nText.\n"})).passages
    assert p.section == "Reports for C#"


# ------------------------------------------------------------------------------------------
# Plain-text articles
# ------------------------------------------------------------------------------------------
ARTICLE_TXT = """\
SOC Reports Explained

SOC 1 reports cover controls over financial reporting.
They are read by user auditors.

What SOC 2 covers

SOC 2 covers security and availability.

This line is short.

Who needs SOC 3

SOC 3 is a public report that anyone may read.
Here is the list:
"""


def test_text_article_title_headings_and_paragraphs(write_files):
    kb = load_knowledge(write_files({"soc-article.txt": ARTICLE_TXT}))
    got = [(p.id, p.title, p.section, p.line, p.text) for p in kb.passages]
    assert got == [
        ("soc-article.soc-reports-explained", "SOC Reports Explained", "", 3,
         "SOC 1 reports cover controls over financial reporting. They are read by user auditors."),
        ("soc-article.what-soc-2-covers", "SOC Reports Explained", "What SOC 2 covers", 8,
         "SOC 2 covers security and availability.\nThis line is short."),
        ("soc-article.who-needs-soc-3", "SOC Reports Explained", "Who needs SOC 3", 14,
         "SOC 3 is a public report that anyone may read. Here is the list:"),
    ]


@pytest.mark.parametrize("line, heading", [
    ("What SOC 2 covers", True),
    ("This line is short.", False),  # a sentence: ends with a period
    ("Is SOC 3 public?", True),  # a question alone heads its answer (an FAQ, an interview)
    ("The criteria:", False),
    (" ".join(["word"] * 13), False),  # too many words for a heading
])
def test_text_article_heading_rule(write_files, line, heading):
    text = f"Title\n\nFirst paragraph.\n\n{line}\n\nLast paragraph.\n"
    kb = load_knowledge(write_files({"t.txt": text}))
    sections = [p.section for p in kb.passages]
    if heading:
        assert sections == ["", line]
    else:
        assert sections == [""]
        assert line in kb.passages[0].text


def test_text_article_with_title_and_body_in_one_block(write_files):
    (p,) = load_knowledge(write_files({"t.txt": "My Title\nBody right under the title.\nMore.\n"})).passages
    assert (p.title, p.section, p.line, p.text) == ("My Title", "", 2, "Body right under the title. More.")


def test_fixture_article_reads_as_expected():
    from bot.knowledge.text import read_text_article

    path = Path(__file__).parent / "fixtures" / "soc1-vs-soc2-article.txt"
    passages = read_text_article(path)
    assert {p.title for p in passages} == {"SOC 1 vs SOC 2: Which Report Does Your Business Actually Need?"}
    sections = [p.section for p in passages]
    for heading in ("What is a SOC 1 report", "Who needs SOC 1", "What is a SOC 2 report", "Where SOC 3 fits"):
        assert heading in sections
    assert len({p.id for p in passages}) == len(passages)
    lines = path.read_text(encoding="utf-8").splitlines()
    for p in passages:  # each passage (or part) starts at the first line of its paragraph
        assert lines[p.line - 1].strip() and p.text.startswith(" ".join(lines[p.line - 1].split()))


# ------------------------------------------------------------------------------------------
# The directory: reserved files, vocabulary, examples, empty or missing
# ------------------------------------------------------------------------------------------
ONE_PASSAGE = "title: T\npassages:\n  - id: only\n    text: SOC 2 covers availability.\n"


def test_reserved_files_at_top_are_not_passages(write_files):
    root = write_files({
        "a.yaml": ONE_PASSAGE,
        "vocabulary.yaml": "expand:\n  widget: [availability]\n",
        "examples.txt": "Which report covers widgets?\nWhat is a bridge letter?\n",
        ".hidden.yaml": "not: [valid",
        "_drafts/draft.yaml": "not: [valid",
        "notes.json": "{}",
        "sub/examples.txt": "Sub examples\n\nThis one is an article, not the reserved file.\n",
    })
    names = [p.relative_to(root).as_posix() for p in knowledge_files(root)]
    assert names == ["a.yaml", "sub/examples.txt"]
    kb = load_knowledge(root)
    assert [p.id for p in kb.passages] == ["only", "sub-examples.sub-examples"]


def test_examples_txt_supplies_example_questions(write_files):
    root = write_files({"a.yaml": ONE_PASSAGE,
                        "examples.txt": "# a comment\nWhich report covers widgets?\n\nWhat is a bridge letter?\n"})
    answerer = Answerer.from_directory(root)
    assert answerer.examples == ("Which report covers widgets?", "What is a bridge letter?")


def test_directory_vocabulary_extends_the_bundled_one(tmp_path):
    root = tmp_path / "kb"
    root.mkdir()
    for f in DEFAULT_KNOWLEDGE.glob("*.yaml"):
        shutil.copy(f, root)
    question = "what is a widget?"

    before = Answerer.from_directory(root).answer(question)
    assert not before.answered

    (root / "vocabulary.yaml").write_text("expand:\n  widget: [availability]\n", encoding="utf-8")
    after = Answerer.from_directory(root).answer(question)
    assert after.answered
    assert "SOC 2" in after.reports
    assert "availability" in after.citations[0].id
    # Extended, not replaced: the bundled entries still apply.
    vocab = load_vocabulary(root)
    assert vocab.expand["widget"] == ["availability"]
    assert vocab.expand["uptime"] == ["availability"]
    assert "the" in vocab.stopwords


@pytest.mark.parametrize("text, line", [
    ("expand:\n  widget: [availability\n", 3),
    ("expand: [widget, availability]\n", None),
    ("expand:\n  widget: availability\n", None),
    ("synonyms:\n  widget: [availability]\n", None),
    ("- widget\n- availability\n", 1),
])
def test_malformed_vocabulary_is_a_knowledge_error_naming_it(write_files, text, line):
    root = write_files({"a.yaml": ONE_PASSAGE, "vocabulary.yaml": text})
    with pytest.raises(KnowledgeError) as info:
        Answerer.from_directory(root)
    vocab = root / "vocabulary.yaml"
    assert info.value.path == str(vocab)
    assert str(info.value).startswith(str(vocab))
    assert info.value.line == line


def test_missing_directory(tmp_path):
    missing = tmp_path / "nowhere"
    err = load_error(missing)
    assert err.path == str(missing)
    assert "knowledge directory not found" in str(err)


def test_a_file_is_not_a_knowledge_directory(tmp_path):
    file = tmp_path / "a.yaml"
    file.write_text(ONE_PASSAGE, encoding="utf-8")
    assert "knowledge directory not found" in str(load_error(file))


@pytest.mark.parametrize("files", [
    {},
    {"vocabulary.yaml": "expand:\n  widget: [availability]\n", "examples.txt": "What is SOC 2?\n"},
    {"empty.yaml": "", "empty.md": "", "blank.txt": "\n\n", "headings-only.md": "# Title\n\n## Part\n"},
])
def test_directory_without_passages(tmp_path, write_files, files):
    root = write_files(files)
    err = load_error(root)
    assert err.path == str(root)
    assert "no passages found" in str(err)


def test_stats_of_a_mixed_directory(write_files):
    root = write_files({
        "a.yaml": """\
            passages:
              - id: a1
                text: One.
                reports: [SOC 1, SOC 2]
              - id: a2
                text: Two.
                reports: soc3
              - id: a3
                text: Three.
            """,
        "b.md": "# B\n\n## One\n\nText.\n\n## Two\n\nText.\n",
        "c.txt": "C\n\nText.\n",
        "empty.yaml": "",
    })
    kb = load_knowledge(root)
    stats = kb.stats()
    assert stats.documents == 3 == kb.documents
    assert stats.passages == 6
    assert stats.per_report == {"SOC 1": 1, "SOC 2": 1, "SOC 3": 1}
    assert stats.untagged == 4


# ------------------------------------------------------------------------------------------
# The bundled knowledge base
# ------------------------------------------------------------------------------------------
def _canonical(name: str) -> str:
    return {"soc1": "SOC 1", "soc2": "SOC 2", "soc3": "SOC 3"}[re.sub(r"[\s_-]", "", name.lower())]


@pytest.fixture(scope="module")
def raw_bundled() -> dict[Path, dict]:
    files = sorted(DEFAULT_KNOWLEDGE.rglob("*.y*ml"))
    files = [f for f in files if f.name != "vocabulary.yaml"]
    return {f: yaml.safe_load(f.read_text(encoding="utf-8")) for f in files}


def test_bundled_knowledge_loads_with_unique_ids(bundled):
    ids = [p.id for p in bundled.passages]
    assert len(ids) >= 20
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_bundled_passages_have_title_section_source(bundled):
    missing = [p.id for p in bundled.passages if not (p.title and p.section and p.source)]
    assert missing == []


def test_bundled_passages_have_one_to_four_sentences(bundled):
    analyzer: Analyzer = bundled.analyzer
    counts = {p.id: len(analyzer.sentences(p.text)) for p in bundled.passages}
    assert {i: n for i, n in counts.items() if not 1 <= n <= 4} == {}


def test_bundled_stats_match_the_files(bundled, raw_bundled):
    expected_passages = sum(len(doc["passages"]) for doc in raw_bundled.values())
    per_report = Counter()
    untagged = 0
    for doc in raw_bundled.values():
        for p in doc["passages"]:
            names = p.get("reports") or []
            names = [names] if isinstance(names, str) else names
            per_report.update({_canonical(n) for n in names})
            untagged += not names
    stats = bundled.stats
    assert stats.documents == len(raw_bundled)
    assert stats.passages == expected_passages == len(bundled.passages)
    assert stats.per_report == {r: per_report[r] for r in REPORTS}
    assert stats.untagged == untagged


def test_bundled_ids_match_the_files(bundled, raw_bundled):
    from_files = [p["id"] for doc in raw_bundled.values() for p in doc["passages"]]
    assert sorted(from_files) == sorted(p.id for p in bundled.passages)


def test_every_bundled_passage_names_its_source():
    kb = load_knowledge(DEFAULT_KNOWLEDGE)
    assert len(kb.passages) >= 130
    missing = [p.id for p in kb.passages if not (p.url or "").startswith(("https://", "http://"))]
    assert missing == []
    assert len({p.id for p in kb.passages}) == len(kb.passages)  # no duplicate ids
