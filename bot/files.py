"""Reading files: safe YAML with file:line errors (libyaml's C loader where installed), UTF-8
text, and the package's own data files (``DATA``: word lists, the fitted model)."""
from __future__ import annotations

from pathlib import Path

import yaml

from bot.errors import KnowledgeError

__all__ = ["load_yaml", "read_text", "SafeLoader", "DATA"]

DATA = Path(__file__).resolve().parent / "data"

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SafeLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader (libyaml's where installed) that also rejects a key given twice.

    PyYAML keeps the last of two equal keys, so a forgotten "- " that merges two passages
    would silently lose one passage's text.
    """

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' appears twice in one mapping", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def read_text(path: Path) -> str:
    """A knowledge file's text (UTF-8, with or without a byte-order mark) or a KnowledgeError."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise KnowledgeError(path, None, "not UTF-8 text") from None
    except OSError as exc:
        raise KnowledgeError(path, None, f"cannot be read: {exc.strerror or exc}") from None


def load_yaml(path: Path, text: str | None = None) -> object:
    """Parse ``path`` (or ``text`` read from it) with a safe loader; never constructs objects."""
    if text is None:
        text = read_text(path)
    try:
        return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader / CSafeLoader only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise KnowledgeError(path, line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(path, None, f"not valid YAML: {exc}") from None
