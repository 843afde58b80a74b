"""The project's own format: a YAML document with a list of passages."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.errors import KnowledgeError
from bot.files import SafeLoader, load_yaml, read_text
from bot.knowledge.passage import MAX_PASSAGE_CHARS, Passage
from bot.reports import REPORTS

DOCUMENT_FIELDS = frozenset({"title", "source", "url", "passages"})
PASSAGE_FIELDS = frozenset({"id", "text", "title", "section", "reports", "url", "source"})
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
_ID_LINE = re.compile(r"^\s*-?\s*id:\s*(\S+)\s*$")
_REPORT_NAMES = {re.sub(r"[\s_-]", "", r.lower()): r for r in REPORTS}
_REPORT_NAMES.update({f"soc{'i' * n}": r for n, r in enumerate(REPORTS, 1)})  # SOC II


_UNREAD = object()


def read_yaml_passages(path: Path, text: str | None = None, data: object = _UNREAD) -> list[Passage]:
    """Passages of a file in socbot's format (``text`` and its parsed ``data``, when the caller
    has them already)."""
    text = read_text(path) if text is None else text
    data = load_yaml(path, text) if data is _UNREAD else data
    if data is None:
        return []
    lines = _Lines(path, text)
    if not isinstance(data, dict):
        raise KnowledgeError(path, 1, "expected a mapping with a 'passages:' list")
    for key in data:
        if key not in DOCUMENT_FIELDS:
            raise KnowledgeError(path, lines.key((), key), f"unknown document field '{key}'")
    doc = {k: _optional_str(path, lines, (), data, k) for k in ("title", "source", "url")}
    items = data.get("passages")
    if not isinstance(items, list) or not items:
        raise KnowledgeError(path, lines.key((), "passages"), "'passages' must be a non-empty list")
    seen: dict[str, int] = {}
    passages = []
    for i, item in enumerate(items):
        passage = _passage(path, lines, i, item, doc, seen)
        passages.append(passage)
    return passages


def _passage(path: Path, lines: "_Lines", i: int, item: object, doc: dict, seen: dict[str, int]) -> Passage:
    where = ("passages", i)
    if not isinstance(item, dict):
        raise KnowledgeError(path, lines.node(where), "each passage must be a mapping with 'id' and 'text'")
    for key in item:
        if key not in PASSAGE_FIELDS:
            raise KnowledgeError(path, lines.key(where, key), f"unknown passage field '{key}'")
    pid = item.get("id")
    if not isinstance(pid, str) or not _ID.match(pid):
        raise KnowledgeError(path, lines.node(where), "passage 'id' must be a word like 'soc2-availability'")
    occurrence = seen.get(pid, 0)
    seen[pid] = occurrence + 1
    body = item.get("text")
    if not isinstance(body, str) or not body.strip():
        raise KnowledgeError(path, lines.node(where), f"passage '{pid}' has no text")
    if len(body) > MAX_PASSAGE_CHARS:
        raise KnowledgeError(path, lines.node(where), f"passage '{pid}' is {len(body):,} characters; a passage "
                             f"holds at most {MAX_PASSAGE_CHARS:,} (split it, or make it an article)")
    return Passage(
        id=pid,
        text=" ".join(body.split()),
        title=_optional_str(path, lines, where, item, "title") or doc["title"] or path.stem,
        section=_optional_str(path, lines, where, item, "section") or "",
        reports=_reports(path, lines, where, item.get("reports")),
        url=_optional_str(path, lines, where, item, "url") or doc["url"],
        source=_optional_str(path, lines, where, item, "source") or doc["source"],
        path=str(path),
        line=lines.id_line(pid, occurrence) or lines.node(where),
    )


def _reports(path: Path, lines: "_Lines", where: tuple, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise KnowledgeError(path, lines.key(where, "reports"), f"'reports' must be a list such as [\"{REPORTS[1]}\"]")
    names = []
    for name in value:
        known = _REPORT_NAMES.get(re.sub(r"[\s_-]", "", str(name).lower()))
        if known is None:
            raise KnowledgeError(
                path, lines.key(where, "reports"),
                f"unknown report '{name}' (expected one of {', '.join(REPORTS)})",
            )
        if known not in names:
            names.append(known)
    return tuple(names)


def _optional_str(path: Path, lines: "_Lines", where: tuple, data: dict, key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, (str, int, float)):
        raise KnowledgeError(path, lines.key(where, key), f"'{key}' must be text")
    return " ".join(str(value).split())


class _Lines:
    """Line numbers for error messages. The node tree is built only when an error needs it."""

    def __init__(self, path: Path, text: str) -> None:
        self._text = text
        self._root = None
        self._ids: dict[str, list[int]] | None = None

    def id_line(self, pid: str, occurrence: int = 0) -> int | None:
        # A cheap scan for "- id: x" lines: a passage's line is kept for duplicate-id errors.
        if self._ids is None:
            self._ids = {}
            for n, line in enumerate(self._text.splitlines(), 1):
                m = _ID_LINE.match(line)
                if m:
                    self._ids.setdefault(m.group(1).strip("'\""), []).append(n)
        found = self._ids.get(pid, [])
        return found[occurrence] if occurrence < len(found) else None

    def _tree(self):
        if self._root is None:
            self._root = yaml.compose(self._text, Loader=SafeLoader)
        return self._root

    def node(self, where: tuple) -> int | None:
        node = self._tree()
        for step in where:
            node = _child(node, step)
            if node is None:
                return None
        return node.start_mark.line + 1

    def key(self, where: tuple, key: object) -> int | None:
        node = self._tree()
        for step in where:
            node = _child(node, step)
            if node is None:
                return None
        if isinstance(node, yaml.MappingNode):
            for k, _ in node.value:
                if k.value == str(key):
                    return k.start_mark.line + 1
        return node.start_mark.line + 1 if node is not None else None


def _child(node, step):
    if isinstance(node, yaml.MappingNode) and isinstance(step, str):
        return next((v for k, v in node.value if k.value == step), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]
    return None
