"""Speed at scale (issue 4): synthetic bases of N passages, each measure in its own process.

For each N: the base is written to a temporary directory (bot/bench/synthetic.py), then
- build: a process that loads, analyzes and indexes it (no cache): time and peak RSS;
- cold start: a process with an empty cache that builds, saves the cache and answers one question;
- restart: the same process again, now restoring from the cache;
- questions: one process restores the base and times, per question, our ``answer()``, our
  retrieval alone (``index.top`` on the analyzed terms), rank-bm25's ``get_scores`` over every
  document, and bm25s (``method="lucene"``) ``retrieve``, on the same analyzed terms, same run.
Run through ``scripts/bench.py --scale``.
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["run_scale", "child", "rank_bm25_reference", "busy_warning"]

QUESTION = "which report covers availability?"
# Issue 4, section 2 and 3, at the largest size measured.
TARGETS = {"median_vs_bm25s": 1.0, "p95_ms": 50.0, "build_s": 30.0, "peak_rss_mb": 500.0, "restart_s": 3.0}


def _rss_mb() -> float:
    """Resident memory now (Linux /proc), else the peak so far."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return _peak_mb()


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def _stats(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] if ordered else float("nan")
    return {"median_ms": statistics.median(ordered) * 1000 if ordered else float("nan"),
            "p95_ms": p95 * 1000, "n": len(ordered)}


# -- what runs in the measured processes --------------------------------------------------------
def child(kind: str, directory: str, cache: str, questions: int, ref_questions: int, skip_slow: bool) -> dict:
    start = time.perf_counter()
    from bot.answers.answerer import Answerer

    out = {"imports_s": time.perf_counter() - start, "rss_imports_mb": _rss_mb()}
    if kind == "build":
        t = time.perf_counter()
        answerer = Answerer.from_directory(directory)
        out.update(build_s=time.perf_counter() - t, rss_built_mb=_rss_mb(), passages=len(answerer.passages))
    elif kind == "start":
        t = time.perf_counter()
        answerer = Answerer.cached(directory, cache)
        out["load_s"] = time.perf_counter() - t
        t = time.perf_counter()
        answerer.answer(QUESTION)
        out["answer_s"] = time.perf_counter() - t
    else:
        out.update(_per_question(Answerer.cached(directory, cache), questions, ref_questions, skip_slow))
    out["peak_rss_mb"] = _peak_mb()
    return out


def _per_question(answerer, count: int, ref_count: int, skip_slow: bool) -> dict:
    from bot.answers.answerer import CANDIDATES, search_weights
    from bot.bench import synthetic as synthetic_kb

    questions = synthetic_kb.questions([p.text for p in answerer.passages], count)
    k = CANDIDATES  # what answer() asks the index for
    weighted = [list(search_weights(answerer._spelling.correct(answerer.analyzer.query_terms(q))).items())
                for q in questions]
    plain = [[t for t, _ in terms] or ["(none)"] for terms in weighted]
    retriever = _bm25s(answerer)
    for q in questions[:20]:  # warm-up, as in a running bot
        answerer.answer(q)
    times = {"answer": [], "retrieval": [], "bm25s": []}
    for q, terms, tokens in zip(questions, weighted, plain):
        t = time.perf_counter()
        answerer.answer(q)
        times["answer"].append(time.perf_counter() - t)
        t = time.perf_counter()
        answerer.index.top(terms, k)
        times["retrieval"].append(time.perf_counter() - t)
        if retriever is not None:
            t = time.perf_counter()
            retriever.retrieve([tokens], k=k, show_progress=False, n_threads=1)
            times["bm25s"].append(time.perf_counter() - t)
    out = {name: _stats(values) for name, values in times.items()}
    out["bm25s_installed"] = retriever is not None
    if not skip_slow:
        reference = rank_bm25_reference(answerer)
        values = []
        for tokens in plain[:ref_count]:
            t = time.perf_counter()
            reference.get_scores(tokens)
            values.append(time.perf_counter() - t)
        out["rank_bm25"] = _stats(values)
    return out


def _documents(answerer):
    """The analyzed passages again, from the index's own term frequencies."""
    for freqs in answerer.index.bm25.doc_freqs:
        yield [t for t, n in freqs.items() for _ in range(n)]


def rank_bm25_reference(answerer):
    from bot.search.index import LuceneBM25  # rank-bm25 as shipped: a dict per document, a loop per query

    return LuceneBM25(list(_documents(answerer)), k1=answerer.index.k1, b=answerer.index.bm25.b)


def _bm25s(answerer):
    try:
        import bm25s
    except ImportError:
        return None
    retriever = bm25s.BM25(method="lucene", k1=answerer.index.k1, b=answerer.index.bm25.b)
    retriever.index(list(_documents(answerer)), show_progress=False)
    return retriever


# -- the orchestration --------------------------------------------------------------------------
def _run_child(args: list[str], timeout: float) -> tuple[dict, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot.bench.speed", "--child", *args],
                          capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"benchmark process failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def measure(n: int, questions: int, ref_questions: int, skip_slow: bool, timeout: float) -> dict:
    from bot.bench import synthetic as synthetic_kb

    with tempfile.TemporaryDirectory(prefix=f"socbot-bench-{n}-") as tmp:
        kb, cache = Path(tmp) / "kb", Path(tmp) / "cache"
        t = time.perf_counter()
        synthetic_kb.write_base(kb, n)
        result = {"n": n, "generate_s": time.perf_counter() - t}
        common = [str(kb), str(cache), str(questions), str(ref_questions), "1" if skip_slow else "0"]
        result["build"], _ = _run_child(["build", *common], timeout)
        result["cold"], result["cold_wall_s"] = _run_child(["start", *common], timeout)
        result["restart"], result["restart_wall_s"] = _run_child(["start", *common], timeout)
        result["questions"], _ = _run_child(["questions", *common], timeout)
    return result


# A 1-minute load average this high before the run means another process competes for the CPUs,
# and bm25s slows more than we do under contention: the ratios would flatter us.
BUSY_LOAD = 0.5


def busy_warning(load: float | None) -> str | None:
    """What to say about a run that started at this load average (None: unknown or idle)."""
    if load is None or load < BUSY_LOAD:
        return None
    return (f"the machine was busy when the run started (load average {load:.2f}): "
            "the per-question ratios are not reliable; run again when it is idle")


def _load() -> float | None:
    try:
        return os.getloadavg()[0]
    except (OSError, AttributeError):  # not every platform has one
        return None


def run_scale(sizes: list[int], questions: int, ref_questions: int, skip_slow: bool, timeout: float) -> int:
    warning = busy_warning(_load())
    if warning:
        print(f"warning: {warning}", file=sys.stderr, flush=True)
    results = []
    for n in sizes:
        print(f"measuring {n} passages…", file=sys.stderr, flush=True)
        results.append(measure(n, questions, ref_questions, skip_slow, timeout))
    print_tables(results, questions, ref_questions, skip_slow)
    if warning:
        print(f"\n**Warning:** {warning}.")
    return 0


# -- the report -------------------------------------------------------------------------------
def _pair(stats: dict | None) -> str:
    return "—" if not stats or not stats["n"] else f"{stats['median_ms']:.2f} / {stats['p95_ms']:.2f}"


def _ratio(a: dict | None, b: dict | None) -> str:
    if not a or not b or not a["n"] or not b["n"]:
        return "—"
    return f"{a['median_ms'] / b['median_ms']:.2f}x"


def print_tables(results: list[dict], questions: int, ref_questions: int, skip_slow: bool) -> None:
    head = "| measure | " + " | ".join(f"{r['n']:,} passages" for r in results) + " |"
    rule = "|---|" + "---|" * len(results)

    def row(name: str, cell) -> None:
        print(f"| {name} | " + " | ".join(cell(r) for r in results) + " |")

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; synthetic bases (bot/bench/synthetic.py); "
          f"{questions} questions a size, rank-bm25 on the first {ref_questions}.")
    print("\n**Build and start** (each in a new process)\n")
    print(head, rule, sep="\n")
    row("index build: load + analyze + index (s)", lambda r: f"{r['build']['build_s']:.2f}")
    row("peak RSS of the build process (MB)", lambda r: f"{r['build']['peak_rss_mb']:.0f}")
    row("memory held by the base, per 10k passages (MB)",
        lambda r: f"{(r['build']['rss_built_mb'] - r['build']['rss_imports_mb']) / (r['n'] / 10_000):.0f}")
    row("cold process: build, save cache, answer one question (s)", lambda r: f"{r['cold_wall_s']:.2f}")
    row("restart with the cache: restore, answer one question (s)", lambda r: f"{r['restart_wall_s']:.2f}")
    row("… of which restoring the base (s)", lambda r: f"{r['restart']['load_s']:.2f}")
    row("peak RSS of the restart (MB)", lambda r: f"{r['restart']['peak_rss_mb']:.0f}")
    print("\n**Per question**, median / p95 in ms, same process and same questions\n")
    print(head, rule, sep="\n")
    q = lambda r, name: r["questions"].get(name)  # noqa: E731
    row("our answer(): analysis, spelling, retrieval, composition", lambda r: _pair(q(r, "answer")))
    row("our retrieval alone (index.top, analyzed terms)", lambda r: _pair(q(r, "retrieval")))
    row("rank-bm25 get_scores, every document" + (" (skipped)" if skip_slow else ""),
        lambda r: _pair(q(r, "rank_bm25")))
    row("bm25s lucene retrieve", lambda r: _pair(q(r, "bm25s")) if q(r, "bm25s_installed") else "not installed")
    row("ratio: answer() / bm25s (medians)", lambda r: _ratio(q(r, "answer"), q(r, "bm25s")))
    row("ratio: our retrieval / bm25s (medians)", lambda r: _ratio(q(r, "retrieval"), q(r, "bm25s")))
    row("ratio: rank-bm25 / bm25s (medians)", lambda r: _ratio(q(r, "rank_bm25"), q(r, "bm25s")))
    _targets(results[-1])


def _targets(r: dict) -> None:
    answer, bm25s = r["questions"]["answer"], r["questions"].get("bm25s")
    checks = [
        ("answer() median ≤ bm25s median",
         f"{answer['median_ms']:.2f} vs {bm25s['median_ms']:.2f} ms" if bm25s and bm25s["n"] else "bm25s missing",
         bool(bm25s and bm25s["n"]) and answer["median_ms"] <= TARGETS["median_vs_bm25s"] * bm25s["median_ms"]),
        ("answer() p95 ≤ 50 ms", f"{answer['p95_ms']:.2f} ms", answer["p95_ms"] <= TARGETS["p95_ms"]),
        ("index build ≤ 30 s", f"{r['build']['build_s']:.1f} s", r["build"]["build_s"] <= TARGETS["build_s"]),
        ("peak RSS ≤ 500 MB (build; restart)", f"{r['build']['peak_rss_mb']:.0f}; {r['restart']['peak_rss_mb']:.0f} MB",
         max(r["build"]["peak_rss_mb"], r["restart"]["peak_rss_mb"]) <= TARGETS["peak_rss_mb"]),
        ("restart with the cache ≤ 3 s", f"{r['restart_wall_s']:.2f} s", r["restart_wall_s"] <= TARGETS["restart_s"]),
    ]
    print(f"\n**Targets at {r['n']:,} passages**\n")
    print("| target | measured | holds |\n|---|---|---|")
    for name, measured, ok in checks:
        print(f"| {name} | {measured} | {'yes' if ok else 'NO'} |")
