"""The knowledge base: passages loaded and validated from one directory.

Formats: YAML passage files (the project's own), Markdown articles and plain-text articles.
Every problem is a :class:`~bot.errors.KnowledgeError` naming the file and, where known, the line.
"""
from __future__ import annotations

import os
from functools import cached_property
from dataclasses import dataclass, replace
from pathlib import Path

from ..answer import KnowledgeStats
from ..errors import KnowledgeError
from ..vocabulary import VOCABULARY_FILENAME
from ._passage import REPORTS, Passage, slug
from ._markdown import read_markdown
from ._text import read_text_article
from ._yaml_passages import read_yaml_passages

__all__ = [
    "KnowledgeBase", "Passage", "REPORTS", "DEFAULT_KNOWLEDGE", "knowledge_dir", "load_knowledge",
    "knowledge_files", "RESERVED_FILES",
]

DEFAULT_KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
ENV_KNOWLEDGE = "SOCBOT_KNOWLEDGE"

# Files at the top of a knowledge directory that configure it rather than hold passages.
RESERVED_FILES = frozenset({VOCABULARY_FILENAME, "examples.txt"})

_READERS = {
    ".yaml": read_yaml_passages,
    ".yml": read_yaml_passages,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_text_article,
}


@dataclass(frozen=True)
class KnowledgeBase:
    directory: Path
    passages: tuple[Passage, ...]
    documents: int

    def stats(self) -> KnowledgeStats:
        return self._stats

    @cached_property
    def _stats(self) -> KnowledgeStats:
        # Counted once: the App Home tab and health checks ask often, and the base never changes.
        per_report = {r: 0 for r in REPORTS}
        untagged = 0
        for p in self.passages:
            for r in p.reports:
                per_report[r] += 1
            untagged += not p.reports
        return KnowledgeStats(len(self.documents_list()), len(self.passages), per_report, untagged)

    def documents_list(self) -> list[str]:
        return sorted({p.path for p in self.passages})


def knowledge_dir(directory: str | os.PathLike | None = None) -> Path:
    """The directory to load: the argument, else ``$SOCBOT_KNOWLEDGE``, else the bundled one."""
    chosen = directory or os.environ.get(ENV_KNOWLEDGE) or DEFAULT_KNOWLEDGE
    return Path(chosen).expanduser()


def knowledge_files(directory: Path) -> list[Path]:
    """The files that make up a knowledge base, in a stable order (hidden ones skipped)."""
    if not directory.is_dir():
        raise KnowledgeError(directory, None, "knowledge directory not found")
    files = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(names):
            path = Path(root) / name
            if name.startswith(".") or path.suffix.lower() not in _READERS:
                continue
            if name in RESERVED_FILES and Path(root) == directory:
                continue
            files.append(path)
    return files


def load_knowledge(directory: str | os.PathLike | None = None) -> KnowledgeBase:
    """Load and validate every knowledge file under ``directory``."""
    root = knowledge_dir(directory)
    passages: list[Passage] = []
    seen: dict[str, Passage] = {}
    documents = 0
    for path in knowledge_files(root):
        reader = _READERS[path.suffix.lower()]
        if reader is read_yaml_passages:
            found = reader(path)
        else:  # articles: ids from the path below the knowledge directory, so they are unique
            found = reader(path, slug(path.relative_to(root).with_suffix("").as_posix(), 80))
        documents += bool(found)
        for passage in found:
            first = seen.get(passage.id)
            if first is not None and reader is not read_yaml_passages:
                # A generated id ("faq.md" and "faq.txt" both give "faq.…"): number it instead.
                n = 2
                while f"{passage.id}-{n}" in seen:
                    n += 1
                passage, first = replace(passage, id=f"{passage.id}-{n}"), None
            if first is not None:
                raise KnowledgeError(
                    passage.path, passage.line,
                    f"duplicate passage id '{passage.id}' (first at {first.path}:{first.line})",
                )
            seen[passage.id] = passage
            passages.append(passage)
    if not passages:
        raise KnowledgeError(root, None, "no passages found (add .yaml, .md or .txt files)")
    return KnowledgeBase(root, tuple(passages), documents)
