#!/usr/bin/env python3
"""Speed of the answer engine on the shipped knowledge base, with references from the same run.

Reports:
- cold: a new Python process that loads the base and answers one question, against a process
  that only imports nltk, numpy and yaml (the floor any such process pays);
- warm: per-question time of ``answer()`` over the labelled questions (median and p95), against
  rank-bm25's own ``get_scores`` for the same analyzed questions.

Examples:
  python scripts/bench.py
  python scripts/bench.py --cold-runs 10 --warm-rounds 20
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLD_ANSWER = "from bot.answering import answer; answer('Which report covers availability?')"
COLD_IMPORTS = "import nltk, numpy, yaml"


def _process_seconds(code: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return times


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _row(name: str, values: list[float], unit: float, ref: float | None = None, fmt: str = "{:.2f}") -> str:
    med, p95 = statistics.median(values) * unit, _percentile(values, 0.95) * unit
    ratio = f"{med / ref:.2f}x" if ref else "-"
    return f"| {name} | {fmt.format(med)} | {fmt.format(p95)} | {ratio} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--warm-rounds", type=int, default=10, help="passes over the question set")
    args = parser.parse_args(argv)

    from bot.answering import Answerer
    from bot.evaluation import load_question_set

    imports = _process_seconds(COLD_IMPORTS, args.cold_runs)
    cold = _process_seconds(COLD_ANSWER, args.cold_runs)

    answerer = Answerer.from_directory()
    questions = [c.question for c in load_question_set(ROOT / "tests/data/questions.yaml")]
    for q in questions:  # warm the caches once, as a running bot would be
        answerer.answer(q)
    warm, full = [], []
    analyzed = [[t.term for t in answerer.analyzer.query_terms(q)] for q in questions]
    for _ in range(args.warm_rounds):
        for q, terms in zip(questions, analyzed):
            start = time.perf_counter()
            answerer.answer(q)
            warm.append(time.perf_counter() - start)
            start = time.perf_counter()
            answerer.index.bm25.get_scores(terms)
            full.append(time.perf_counter() - start)

    n = answerer.stats.passages
    print(f"knowledge: {n} passages; {len(questions)} questions x {args.warm_rounds} rounds; "
          f"{args.cold_runs} cold runs; Python {sys.version.split()[0]}")
    print()
    print("| measure | median | p95 | ratio to reference |")
    print("|---|---|---|---|")
    ref = statistics.median(imports)
    print(_row("reference: process importing nltk, numpy, yaml (s)", imports, 1))
    print(_row("cold process: load base + answer one question (s)", cold, 1, ref))
    ref_ms = statistics.median(full) * 1000
    print(_row("reference: rank-bm25 get_scores alone (ms)", full, 1000, fmt="{:.3f}"))
    print(_row("warm answer() incl. analysis, retrieval, composition (ms)", warm, 1000, ref_ms, fmt="{:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
