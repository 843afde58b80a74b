"""The knowledge base: passages loaded and validated from one directory.

Formats: YAML passage files (the project's own), YAML in any other shape (read as an article),
Markdown, plain-text, AsciiDoc and HTML articles. Every problem is a :class:`~bot.errors.KnowledgeError`
naming the file and, where known, the line. Files of other types are skipped, and said to be:
``KnowledgeBase.skipped`` lists them, the loader logs them, and ``--check`` prints them.
"""
from __future__ import annotations

import importlib.util
import logging
import os
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from bot.config import knowledge_setting
from bot.errors import KnowledgeError
from bot.files import load_yaml, read_text
from bot.knowledge.asciidoc import read_asciidoc
from bot.knowledge.latex import read_latex
from bot.knowledge.markdown import read_html, read_markdown
from bot.knowledge.org import read_org
from bot.knowledge.passage import Passage, slug
from bot.knowledge.text import read_text_article
from bot.knowledge.yaml_articles import is_own_format, read_yaml_article
from bot.knowledge.yaml_passages import read_yaml_passages
from bot.reports import REPORTS
from bot.types import KnowledgeStats

log = logging.getLogger(__name__)

__all__ = [
    "KnowledgeBase", "Passage", "REPORTS", "DEFAULT_KNOWLEDGE", "VOCABULARY_FILENAME", "knowledge_dir", "load_knowledge",
    "knowledge_files", "RESERVED_FILES",
]



def _bundled_knowledge() -> Path:
    """The knowledge shipped in the wheel (package data of ``bot.bundled``, found by the import
    system), else, in a checkout run without installing or installed in editable mode, the
    repository's ``knowledge/``."""
    # bot.bundled is a directory of data with no __init__.py (a namespace package): its one
    # location on disk is the directory itself.
    spec = importlib.util.find_spec("bot.bundled")
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(__file__).resolve().parents[2] / "knowledge"


DEFAULT_KNOWLEDGE = _bundled_knowledge()

# Files at the top of a knowledge directory that configure it rather than hold passages.
# A knowledge directory may extend the bundled vocabulary with a file of this name
# (bot.search.vocabulary) and offer its own example questions: neither is knowledge.
VOCABULARY_FILENAME = "vocabulary.yaml"
RESERVED_FILES = frozenset({VOCABULARY_FILENAME, "examples.txt"})

_YAML_SUFFIXES = frozenset({".yaml", ".yml"})
_READERS = {  # articles: their passage ids are made from the file's path and headings
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".mdx": read_markdown,  # Docusaurus and other MDX docs: Markdown with components
    ".txt": read_text_article,
    ".text": read_text_article,
    ".html": read_html,
    ".htm": read_html,
    ".adoc": read_asciidoc,
    ".asciidoc": read_asciidoc,
    ".org": read_org,
    ".tex": read_latex,
}


@dataclass(frozen=True)
class KnowledgeBase:
    directory: Path
    passages: tuple[Passage, ...]
    documents: int
    skipped: tuple[str, ...] = ()  # "x.pdf: unsupported type", one per file left out

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
    chosen = directory or knowledge_setting() or DEFAULT_KNOWLEDGE
    return Path(chosen).expanduser()


def knowledge_files(directory: Path, skipped: list[Path] | None = None) -> list[Path]:
    """The files that make up a knowledge base, in a stable order (hidden ones skipped).

    Files of a type no reader knows are appended to ``skipped`` when it is given.
    """
    if not directory.is_dir():
        raise KnowledgeError(directory, None, "knowledge directory not found")
    files = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(names):
            path = Path(root) / name
            if name.startswith(".") or (name in RESERVED_FILES and Path(root) == directory):
                continue
            if path.suffix.lower() not in _READERS and path.suffix.lower() not in _YAML_SUFFIXES:
                if skipped is not None:
                    skipped.append(path)
                continue
            files.append(path)
    return files


def _read(path: Path, id_prefix: str) -> tuple[list[Passage], bool]:
    """A file's passages, and whether their ids were made for them (not written by people).

    A YAML file is parsed once: in socbot's passage format it is checked strictly (a repeated
    id is an error), in any other shape it is read as an article.
    """
    suffix = path.suffix.lower()
    if suffix not in _YAML_SUFFIXES:
        return _READERS[suffix](path, id_prefix), True
    text = read_text(path)
    data = load_yaml(path, text)
    if data is None or is_own_format(data) or not isinstance(data, (dict, list)):
        return read_yaml_passages(path, text, data), False
    return read_yaml_article(path, id_prefix, text), True


def load_knowledge(directory: str | os.PathLike | None = None) -> KnowledgeBase:
    """Load and validate every knowledge file under ``directory``."""
    root = knowledge_dir(directory)
    passages: list[Passage] = []
    seen: dict[str, Passage] = {}
    documents = 0
    unsupported: list[Path] = []
    for path in knowledge_files(root, unsupported):
        # Article ids come from the path below the knowledge directory, so they are unique.
        found, generated = _read(path, slug(path.relative_to(root).with_suffix("").as_posix(), 80))
        documents += bool(found)
        for passage in found:
            first = seen.get(passage.id)
            if first is not None and generated:
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
    skipped = tuple(f"skipped {p.relative_to(root).as_posix()}: unsupported type" for p in unsupported)
    for line in skipped:
        log.warning("%s (readable types: %s)", line, ", ".join(sorted({*_READERS, *_YAML_SUFFIXES})))
    if not passages:
        raise KnowledgeError(root, None, "no passages found (add .yaml, .md, .mdx, .txt, .adoc, .org, .tex or .html files)")
    return KnowledgeBase(root, tuple(passages), documents, skipped)
