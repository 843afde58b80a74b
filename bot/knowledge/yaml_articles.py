"""YAML in any other shape (a wiki or knowledge-tool export): read as an article.

A YAML file with a top-level ``passages:`` list is socbot's own format, checked strictly
(:mod:`._yaml_passages`). Any other YAML document is walked as nested sections: a mapping with
a heading key ("title", "question"…) opens a section under that heading, its body keys
("text", "answer"…) are its paragraphs, other keys with text values become "Key: value" lines,
lists of text become list items, and bookkeeping (ids, dates, owners, tags) is left out. The
key lists are data (``bot/data/yaml_articles.yaml``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.errors import KnowledgeError
from bot.files import DATA, SafeLoader, load_yaml, read_text
from bot.knowledge.markdown import HEADING_JOINER, plain
from bot.knowledge.passage import Passage, Section, article_passages

_RULES = DATA / "yaml_articles.yaml"
MAX_DEPTH = 50  # deeper nesting is not an article: refused rather than recursed into
# A scalar with no space that holds a digit, a dash or an underscore is an id, date or slug.
_TOKEN_LIKE = re.compile(r"^\S*[\d_\-/:]\S*$")


@lru_cache(maxsize=1)
def _rules() -> dict[str, frozenset[str] | tuple[str, ...]]:
    data = load_yaml(_RULES)
    return {"heading": tuple(data["heading_keys"]), "body": frozenset(data["body_keys"]),
            "meta": frozenset(data["metadata_keys"]), "suffixes": tuple(data["metadata_suffixes"]),
            "prefixes": tuple(data["metadata_prefixes"])}


def is_own_format(data: object) -> bool:
    """True for socbot's passage format: a mapping with ``passages``, or a bare list of
    ``{id, text}`` mappings (the format with its wrapper forgotten, reported as an error)."""
    if isinstance(data, dict):
        return "passages" in data
    return isinstance(data, list) and any(isinstance(i, dict) and "id" in i and "text" in i for i in data)


def read_yaml_article(path: Path, id_prefix: str | None = None, text: str | None = None) -> list[Passage]:
    text = read_text(path) if text is None else text
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:  # load_yaml has already reported syntax errors with lines
        raise KnowledgeError(path, None, f"not valid YAML: {exc}") from None
    title = None
    if isinstance(root, yaml.MappingNode):
        title = next((_scalar(v) for k, v in root.value if _key(k) == "title" and _scalar(v)), None)
    title = title or path.stem.replace("-", " ").replace("_", " ")
    sections = [Section(title, 1, [])]
    _walk(root, sections, [], title, top=True, path_for_errors=path)
    return article_passages(path, title, sections, id_prefix)


def _key(node) -> str:
    return re.sub(r"[\s\-]+", "_", str(node.value).strip().lower()) if isinstance(node, yaml.ScalarNode) else ""


def _scalar(node) -> str:
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str"):
        return " ".join(str(node.value).split())
    return ""


def _is_metadata(key: str) -> bool:
    rules = _rules()
    return key in rules["meta"] or key.endswith(rules["suffixes"]) or key.startswith(rules["prefixes"])


def _humanize(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def _walk(node, sections: list[Section], path: list[str], title: str, top: bool = False,
          depth: int = 0, path_for_errors: Path | None = None) -> None:
    """Add ``node``'s text to ``sections``; ``path``: the headings above it (nested sections
    keep them: "SOC 3 › Typical requesters")."""
    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise KnowledgeError(path_for_errors, line, f"nested more than {MAX_DEPTH} levels deep")
    more = {"depth": depth + 1, "path_for_errors": path_for_errors}
    if isinstance(node, yaml.ScalarNode):
        text = _scalar(node)
        if text and not _TOKEN_LIKE.match(text):
            sections[-1].paragraphs.append((line, plain(text)))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk(item, sections, path, title, **more)
    elif isinstance(node, yaml.MappingNode):
        keys = {_key(k): v for k, v in node.value}
        own = next((_scalar(keys[k]) for k in _rules()["heading"] if k in keys and _scalar(keys[k])), None)
        if own and not (top and own == title):
            path = [*path, plain(own)]
            sections.append(Section(HEADING_JOINER.join(path), line, []))
        for k, v in node.value:
            key = _key(k)
            if _is_metadata(key) or (key in _rules()["heading"] and _scalar(v)):
                continue
            text = _scalar(v)
            if text:
                if _TOKEN_LIKE.match(text):
                    continue
                unit = plain(text) if key in _rules()["body"] else f"{_humanize(key)}: {plain(text)}"
                sections[-1].paragraphs.append((v.start_mark.line + 1, unit))
            elif isinstance(v, (yaml.MappingNode, yaml.SequenceNode)):
                inner = path
                if key not in _rules()["body"] and not _has_heading(v):
                    inner = [*path, _humanize(key)]
                    sections.append(Section(HEADING_JOINER.join(inner), v.start_mark.line + 1, []))
                _walk(v, sections, inner, title, **more)
                if inner is not path and sections[-1].heading != HEADING_JOINER.join(path) and path:
                    # Text after a nested block belongs to the enclosing section again.
                    sections.append(Section(HEADING_JOINER.join(path), v.end_mark.line + 1, []))


def _has_heading(node) -> bool:
    """True when ``node`` (or each mapping in it) opens sections of its own."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    headings = _rules()["heading"]
    return any(isinstance(i, yaml.MappingNode) and any(_key(k) in headings and _scalar(v) for k, v in i.value)
               for i in items)
