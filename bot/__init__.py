"""socbot: answers questions about SOC reports from a cited knowledge base.

Stages, each a sub-package: ``bot.knowledge`` (loading, formats) → ``bot.search`` (analysis,
index, restart cache) → ``bot.answers`` (question, evidence, verdict, decline, composing) →
``bot.slack`` (app, listeners, store, blocks). The core never imports Slack.

The public API is re-exported here (imported on first use, so ``import bot.config`` stays light)::

    from bot import answer, Answerer
    answer("Which report covers availability?").reports   # ('SOC 2',)
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["answer", "Answerer", "load_knowledge", "Answer", "Citation", "__version__"]

_EXPORTS = {
    "answer": "bot.answers.answerer",
    "Answerer": "bot.answers.answerer",
    "load_knowledge": "bot.knowledge",
    "Answer": "bot.types",
    "Citation": "bot.types",
}

if TYPE_CHECKING:
    from bot.answers.answerer import Answerer, answer
    from bot.knowledge import load_knowledge
    from bot.types import Answer, Citation


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
