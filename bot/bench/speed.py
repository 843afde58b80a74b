"""Speed of the answer engine, with references measured in the same run.

Default (issue 2), on the shipped knowledge base:
- cold: a new Python process that loads the base and answers one question, against a process
  that only imports nltk, numpy and yaml (the floor any such process pays);
- warm: per-question time of ``answer()`` over the labelled questions (median and p95), against
  rank-bm25's own ``get_scores`` for the same analyzed questions.

``--scale`` (issue 4), on synthetic bases of 1k, 10k and 100k passages (bot/bench/scale.py):
index build time and peak RSS, a cold start, a restart from the cache, and per question our
``answer()``, our retrieval alone, rank-bm25's ``get_scores`` and bm25s's ``retrieve``, with the
ratios and the issue's targets. bm25s comes with the ``bench`` extra: pip install -e '.[bench]'.

Examples:
  socbot bench
  socbot bench --cold-runs 10 --warm-rounds 20
  socbot bench --scale                                 # 1k, 10k, 100k: a few minutes
  socbot bench --scale --sizes 1000,10000 --skip-slow  # no rank-bm25 reference
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COLD_ANSWER = "from bot.answers.answerer import answer; answer('Which report covers availability?')"
COLD_IMPORTS = "import nltk, numpy, yaml"


def _process_seconds(code: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return times


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _row(name: str, values: list[float], unit: float, ref: float | None = None, fmt: str = "{:.2f}") -> str:
    med, p95 = statistics.median(values) * unit, _percentile(values, 0.95) * unit
    ratio = f"{med / ref:.2f}x" if ref else "-"
    return f"| {name} | {fmt.format(med)} | {fmt.format(p95)} | {ratio} |"


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("sizes are numbers of passages, e.g. 1000,10000") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes are numbers of passages, e.g. 1000,10000")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="socbot bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--warm-rounds", type=int, default=10, help="passes over the question set")
    scale = parser.add_argument_group("scale (issue 4)")
    scale.add_argument("--scale", action="store_true", help="measure synthetic bases instead")
    scale.add_argument("--sizes", type=_sizes, default=None, help="passages, comma-separated (implies --scale; "
                       "default 1000,10000,100000)")
    scale.add_argument("--questions", type=int, default=300, help="questions timed per size")
    scale.add_argument("--ref-questions", type=int, default=50, help="of which timed with rank-bm25 get_scores")
    scale.add_argument("--skip-slow", action="store_true", help="skip rank-bm25 get_scores (73 ms a query at 100k)")
    scale.add_argument("--timeout", type=float, default=900, help="seconds allowed to each measured process")
    parser.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        import json

        from bot.bench.scale import child

        kind, directory, cache, questions, ref_questions, skip_slow = args.child
        print(json.dumps(child(kind, directory, cache, int(questions), int(ref_questions), skip_slow == "1")))
        return 0
    if args.scale or args.sizes:
        from bot.bench.scale import run_scale

        return run_scale(args.sizes or [1000, 10_000, 100_000], args.questions, args.ref_questions,
                         args.skip_slow, args.timeout)

    from bot.answers.answerer import Answerer, load_examples
    from bot.answers.evaluation import QUESTIONS, load_question_set

    imports = _process_seconds(COLD_IMPORTS, args.cold_runs)
    cold = _process_seconds(COLD_ANSWER, args.cold_runs)

    answerer = Answerer.from_directory()
    # The labelled questions of a checkout, else (an installed wheel) the example questions.
    questions = ([c.question for c in load_question_set(QUESTIONS)] if QUESTIONS.is_file()
                 else list(load_examples()))
    for q in questions:  # warm the caches once, as a running bot would be
        answerer.answer(q)
    warm, full = [], []
    analyzed = [[t.term for t in answerer.analyzer.query_terms(q)] for q in questions]
    from bot.bench.scale import rank_bm25_reference

    reference = rank_bm25_reference(answerer)  # rank-bm25 as shipped: a dict per passage, every passage scored
    for _ in range(args.warm_rounds):
        for q, terms in zip(questions, analyzed):
            start = time.perf_counter()
            answerer.answer(q)
            warm.append(time.perf_counter() - start)
            start = time.perf_counter()
            reference.get_scores(terms)
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
