"""Judging comparisons against labels, and fitting the comparison model (``scripts/fit_comparison.py``).

Labels (``tests/data/corpus/<name>.comparison.yaml``) were written by helpers who saw only the
document: per aspect and per report (or type), short phrases of the document that describe that
one. A stated cell is judged by the phrases it holds:

- **right**: it holds a phrase of its own column at least as often as phrases of other columns
  only (a phrase labelled under both counts as its own);
- **wrong**: it holds more phrases of other columns;
- **unjudged**: it holds no labelled phrase at all (reported, neither right nor wrong).

A judged cell is also **off its aspect** when the phrases it holds are all labelled under other
aspects than its row's (a "Report types" row quoting a sentence about who reads the report).

The model's four numbers are chosen on the tuning split by a grid search of the cost
``wrong × WRONG_COST − right + MISSING_COST × (comparing documents without a table)``, and its
leave-one-document-out estimate is reported beside the held-out split's figures.
"""
from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.answers.comparison import MIN_ASPECTS, MODEL_FILE, ComparisonModel
from bot.answers.evaluation import CHECKOUT, CORPUS, build_alone, load_corpus
from bot.files import load_yaml
from bot.reports import TYPES

__all__ = ["judge_rows", "Tally", "comparison_cases", "main"]

WRONG_COST = 19.0  # a misattributed cell costs 19 right ones: the break-even precision is the 95% target
# A cell quoting a sentence about another aspect is no lie, but it is no answer either.
OFF_ASPECT_COST = 1.0
MISSING_COST = 2 * WRONG_COST  # a comparing document without a table fails the goal outright
GRID = {
    "min_focus": (0.4, 0.5, 0.6, 0.8, 1.0),
    "shared_weight": (0.25, 0.5, 1.0),
    "context_weight": (0.25, 0.5, 1.0),
    "min_score": (0.5, 1.0, 1.5, 2.0, 3.0),
}
# What is asked of each document, by what its labels say it compares.
QUESTIONS = {("SOC 1", "SOC 2"): "What's the difference between SOC 1 and SOC 2?",
             ("SOC 2", "SOC 3"): "How is SOC 3 different from SOC 2?",
             TYPES: "Type 1 vs Type 2?"}


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0
    unjudged: int = 0
    off_aspect: int = 0  # judged cells whose phrases all belong to other aspects
    tables: int = 0  # comparisons asked for whose table addresses at least MIN_ASPECTS aspects
    asked: int = 0
    rows: int = 0
    mistakes: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("right", "wrong", "unjudged", "off_aspect", "tables", "asked", "rows"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.mistakes += other.mistakes

    def cost(self) -> float:
        return (WRONG_COST * self.wrong + OFF_ASPECT_COST * self.off_aspect - self.right
                + MISSING_COST * (self.asked - self.tables))

    def summary(self) -> str:
        judged = self.right + self.wrong
        share = f"{self.right / judged:.1%}" if judged else "-"
        return (f"tables {self.tables}/{self.asked}, rows {self.rows}; cells right {self.right}, wrong {self.wrong}"
                f" ({share} of judged), unjudged {self.unjudged}; off their aspect {self.off_aspect}")


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def judge_rows(rows, columns: tuple[str, ...], labels: dict) -> Tally:
    """One comparison's rows ([(aspect, [Found | None, …])]) judged against a document's labels
    for reports or for types."""
    phrases: dict[str, set[str]] = {}
    by_aspect: dict[str, set[str]] = {}
    for aspect, cells in (labels.get("aspects") or {}).items():
        for column, listed in (cells or {}).items():
            folded = {_folded(str(p)) for p in listed or ()}
            phrases.setdefault(str(column), set()).update(folded)
            by_aspect.setdefault(str(aspect).casefold(), set()).update(folded)
    addressed = sum(1 for _, found in rows if any(found))
    tally = Tally(asked=1, tables=int(addressed >= MIN_ASPECTS), rows=addressed)
    for aspect, found in rows:
        for column, cell in zip(columns, found):
            if cell is None:
                continue
            text = _folded(cell.text)
            mine = phrases.get(column, set())
            own = sum(p in text for p in mine)
            other = sum(p in text for col, ps in phrases.items() if col != column for p in ps - mine)
            if own == other == 0:
                tally.unjudged += 1
                continue
            if own >= other and own:
                tally.right += 1
            else:
                tally.wrong += 1
                tally.mistakes.append(f"{column} / {aspect}: {cell.text[:140]}")
            held = {p for ps in phrases.values() for p in ps if p in text}
            if held and not held & by_aspect.get(aspect.casefold(), set()):
                tally.off_aspect += 1
    return tally


@dataclass
class Case:
    """One comparison asked of one document: its candidates, computed once for every model."""

    document: str
    split: str
    columns: tuple[str, ...]
    labels: dict
    reader: object
    candidates: list

    def judge(self, model: ComparisonModel) -> Tally:
        tally = judge_rows(self.reader.select(self.columns, self.candidates, model), self.columns, self.labels)
        tally.mistakes = [f"{self.document}: {m}" for m in tally.mistakes]
        return tally


def comparison_cases(corpus, build) -> list[Case]:
    """Every labelled comparison of the corpus: per document, the pairs its labels compare."""
    cases = []
    for doc in corpus.documents:
        path = corpus.root / f"{doc.name}.comparison.yaml"
        if not path.is_file():
            continue
        labels = load_yaml(path)
        answerer = build(doc.path) if doc.path.is_dir() else build_alone(doc.path, build)
        reader = answerer.comparisons
        compared = set((labels.get("reports") or {}).get("compares") or ())
        for columns in QUESTIONS:
            if columns == TYPES:
                section = labels.get("types") or {}
                if not section.get("compares"):
                    continue
            else:
                section = labels.get("reports") or {}
                if not set(columns) <= compared:
                    continue
            cases.append(Case(doc.name, doc.split, columns, section, reader, reader.candidates(columns)))
    return cases


def tally_of(cases: list[Case], model: ComparisonModel) -> Tally:
    total = Tally()
    for case in cases:
        total.add(case.judge(model))
    return total


def fit(cases: list[Case], base: ComparisonModel | None = None) -> ComparisonModel:
    """The grid's model of least cost on ``cases`` (ties: the earlier grid point)."""
    base = base or ComparisonModel()
    best, best_cost = base, None
    for values in itertools.product(*GRID.values()):
        model = replace(base, **dict(zip(GRID, values)))
        cost = tally_of(cases, model).cost()
        if best_cost is None or cost < best_cost:
            best, best_cost = model, cost
    return best


def cross_validated(cases: list[Case]) -> Tally:
    """Leave one document out: fit on the others, judge it."""
    total = Tally()
    for name in sorted({c.document for c in cases}):
        model = fit([c for c in cases if c.document != name])
        total.add(tally_of([c for c in cases if c.document == name], model))
    return total


def main(argv: list[str] | None = None) -> int:
    from bot.answers.answerer import Answerer  # imported here: the module stays light for tests
    from bot.answers.params import PARAMS

    parser = argparse.ArgumentParser(prog="fit_comparison.py", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only report the shipped model on both splits")
    parser.add_argument("--mistakes", action="store_true",
                        help="list the cells judged wrong, on the tuning split only (the held-out split is "
                             "for reporting, never for reading its mistakes)")
    args = parser.parse_args(argv)
    corpus = load_corpus(CORPUS, CHECKOUT)
    cases = comparison_cases(corpus, Answerer.from_directory)
    tuning = [c for c in cases if c.split == "tuning"]
    model = ComparisonModel.load()
    if not args.check:
        cv = cross_validated(tuning)
        model = fit(tuning)
        # Cells are read at the answer model's clause focus weights, and min_focus is a threshold
        # on them: a refit of those weights calls for a refit of this model (a test checks).
        model = replace(model, notes={"fitted_on": "tuning split", "cases": len(tuning),
                                      "focus_weights": PARAMS.focus,
                                      "tuning": tally_of(tuning, model).summary(),
                                      "leave_one_document_out": cv.summary()})
        Path(MODEL_FILE).write_text(model.to_json(), encoding="utf-8")
        print(f"wrote {MODEL_FILE}")
        print(f"leave-one-document-out (tuning): {cv.summary()}")
    for split in ("tuning", "heldout", "external"):
        chosen = [c for c in cases if c.split == split]
        if chosen:
            tally = tally_of(chosen, model)
            print(f"{split}: {tally.summary()}")
            for columns in QUESTIONS:
                each = tally_of([c for c in chosen if c.columns == columns], model)
                print(f"  {' vs '.join(columns)}: {each.summary()}")
            for line in tally.mistakes if args.mistakes and split == "tuning" else ():
                print(f"  - {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
