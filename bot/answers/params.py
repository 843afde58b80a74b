"""Fitted parameters of the answer engine, read from ``bot/data/answer_model.json``.

They are data, written by ``scripts/fit_answer_model.py`` (bot/answers/fitting.py) from the labelled questions of the
corpus's tuning split (and the bundled base's labelled set), never set by hand. See that script
for how each is chosen and cross-validated.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from bot.files import DATA

__all__ = ["PARAMS", "AnswerModel", "MODEL_FILE"]

MODEL_FILE = DATA / "answer_model.json"


@dataclass(frozen=True)
class AnswerModel:
    # Verdict: a clause votes when it matches at least this share of its passage's best clause;
    # a second report joins the verdict with at least this share of the first's support.
    clause_share: float = 0.6
    both_ratio: float = 0.8
    both_ratio_plural: float = 0.6  # the same when the question asks "which reports …"
    # How passages combine: "sum" of their votes or the strongest ("max"); a passage's vote
    # scales with (its score / the best score) ** sharpness.
    aggregate: str = "sum"
    sharpness: float = 2.0
    # Clause focus: how much a clause is about a report it does not name as its subject
    # (bot.answers.clauses.FocusWeights field -> weight); empty: the defaults.
    focus: dict = field(default_factory=dict)
    # Decline: logistic regression over named features (see bot.answers.decline), standardized.
    features: tuple[str, ...] = ()
    means: tuple[float, ...] = ()
    scales: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()
    bias: float = 0.0
    threshold: float = 0.5
    notes: dict = field(default_factory=dict, compare=False)

    def answerable(self, values: dict[str, float]) -> bool:
        """Whether to answer: the fitted probability reaches the threshold, and the question
        does not ask for a kind of value that no top passage holds (``answer_type`` 0: "which
        CPA firm does our audit?" against passages that name none). That gate is measured, not
        assumed: with it, leave-one-document-out answers fewer out-of-scope questions and
        declines no more answerable ones (scripts/fit_answer_model.py)."""
        return values.get("answer_type", 1.0) >= 0.5 and self.probability(values) >= self.threshold

    def probability(self, values: dict[str, float]) -> float:
        """The fitted probability that a question with these feature values is answerable."""
        z = self.bias
        for name, mean, scale, weight in zip(self.features, self.means, self.scales, self.weights):
            z += weight * (values[name] - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "AnswerModel":
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        known = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items()
                 if k in cls.__dataclass_fields__}
        return cls(**known)

    def to_json(self) -> str:
        data = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}
        return json.dumps(data, indent=2) + "\n"


PARAMS = AnswerModel.load()
