"""Answering: reading the question, evidence, clauses, the verdict, the decline model, composing
the answer, and live reload."""
from __future__ import annotations

from bot.answers.answerer import Answerer, answer, default_answerer
from bot.answers.live import LiveAnswerer
from bot.answers.params import AnswerModel

__all__ = ["Answerer", "answer", "default_answerer", "LiveAnswerer", "AnswerModel"]
