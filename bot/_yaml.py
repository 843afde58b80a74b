"""Safe YAML loading with file:line errors. Uses libyaml's C loader where it is installed."""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import KnowledgeError

__all__ = ["load_yaml", "SafeLoader"]

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, text: str | None = None) -> object:
    """Parse ``path`` (or ``text`` read from it) with a safe loader; never constructs objects."""
    try:
        if text is None:
            text = Path(path).read_text(encoding="utf-8")
        return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader / CSafeLoader only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise KnowledgeError(path, line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(path, None, f"not valid YAML: {exc}") from None
    except UnicodeDecodeError:
        raise KnowledgeError(path, None, "not UTF-8 text") from None
    except OSError as exc:
        raise KnowledgeError(path, None, f"cannot be read: {exc.strerror or exc}") from None
