"""Shared fixtures for the core tests (knowledge, CLI, robustness). tests/slack has its own."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # plain `pytest` (not `python -m pytest`) without an install
    sys.path.insert(0, str(ROOT))

import atexit  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

from bot.answers.answerer import Answerer  # noqa: E402
from bot.knowledge import DEFAULT_KNOWLEDGE  # noqa: E402


def pytest_configure(config):
    # Tests, and the bots they start as subprocesses, keep the restart cache in a directory of
    # their own (never the user's ~/.cache) and reload only when a test asks.
    if "SOCBOT_CACHE_DIR" not in os.environ:
        cache = tempfile.mkdtemp(prefix="socbot-test-cache-")
        atexit.register(shutil.rmtree, cache, ignore_errors=True)
        os.environ["SOCBOT_CACHE_DIR"] = cache
    os.environ.setdefault("SOCBOT_RELOAD_SECONDS", "0")


@pytest.fixture(scope="session")
def bundled() -> Answerer:
    """The answerer for the bundled knowledge base, built once (never from $SOCBOT_KNOWLEDGE)."""
    return Answerer.from_directory(DEFAULT_KNOWLEDGE)


@pytest.fixture
def write_files(tmp_path: Path):
    """Write ``{relative name: text}`` under ``tmp_path/kb`` (text dedented) and return the dir.

    Text given as bytes is written as is (for encoding tests).
    """

    def write(files: dict[str, str | bytes], directory: Path | None = None) -> Path:
        root = directory or tmp_path / "kb"
        root.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return write
