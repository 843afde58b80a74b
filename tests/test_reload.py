"""Live reload: a good change is picked up, a broken one leaves the old base serving (and is
logged with file:line), and questions asked during a swap are answered by one base or the other."""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

import pytest

from bot.answers.live import LiveAnswerer
from bot.errors import KnowledgeError

QUESTION = "which report covers availability?"


def base(prefix: str, report: str) -> str:
    """A small base whose every passage id starts with ``prefix`` and whose verdict is ``report``."""
    return f"""\
title: Reports
passages:
  - id: {prefix}-availability
    section: Availability
    reports: ["{report}"]
    text: A {report} report covers availability, uptime and disaster recovery.
  - id: {prefix}-payroll
    section: Payroll
    reports: ["SOC 1"]
    text: A SOC 1 report covers payroll processing and financial reporting.
"""


def write(path: Path, text: str) -> None:
    """Write and move the modification time on, so the change is seen on any file system."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    root.mkdir()
    write(root / "reports.yaml", base("old", "SOC 2"))
    return root


@pytest.fixture
def live(kb, tmp_path):
    answerer = LiveAnswerer(kb, interval=0, cache_dir=tmp_path / "cache")
    yield answerer
    answerer.stop()


def cited(answer) -> str:
    """The best citation's id; every citation must come from one base (one id prefix)."""
    assert len({c.id.split("-")[0] for c in answer.citations}) == 1, answer.citations
    return answer.citations[0].id


def test_unchanged_files_keep_the_same_answerer(live):
    first = live.current
    assert not live.check_now()
    assert live.current is first and live.generation == 0


def test_a_good_change_is_swapped_in(live, kb):
    assert cited(live.answer(QUESTION)) == "old-availability"
    assert live.answer(QUESTION).reports[0] == "SOC 2"
    write(kb / "reports.yaml", base("new", "SOC 3"))
    assert live.check_now()
    assert live.generation == 1 and live.last_error is None
    answer = live.answer(QUESTION)
    assert cited(answer) == "new-availability" and answer.reports[0] == "SOC 3"
    assert live.stats.passages == 2 and {p.id for p in live.passages} == {"new-availability", "new-payroll"}


def test_a_new_file_and_a_vocabulary_change_are_changes(live, kb):
    write(kb / "more.yaml", "passages:\n  - id: extra\n    text: A SOC 2 report covers quokka welfare.\n")
    assert live.check_now() and "extra" in {p.id for p in live.passages}
    write(kb / "vocabulary.yaml", "expand:\n  marsupial: [quokka]\n")
    assert live.check_now()
    assert cited(live.answer("which report covers marsupial welfare?")) == "extra"


def test_a_broken_change_keeps_the_old_base_and_logs_file_and_line(live, kb, caplog):
    broken = base("new", "SOC 3").replace("    reports: [\"SOC 3\"]\n", "    reports: [\"SOC 3\"\n")
    with caplog.at_level(logging.ERROR, logger="bot.answers.live"):
        write(kb / "reports.yaml", broken)
        assert not live.check_now()
    assert cited(live.answer(QUESTION)) == "old-availability"
    assert isinstance(live.last_error, KnowledgeError)
    line = live.last_error.line
    assert line is not None and f"reports.yaml:{line}:" in caplog.text
    assert "still serving the previous version" in caplog.text
    # Reported once, not at every check while nothing changes.
    caplog.clear()
    assert not live.check_now() and caplog.text == ""
    # The next good change is picked up.
    write(kb / "reports.yaml", base("new", "SOC 3"))
    assert live.check_now()
    assert cited(live.answer(QUESTION)) == "new-availability" and live.last_error is None


def test_a_duplicate_id_across_files_is_refused_with_both_places(live, kb, caplog):
    with caplog.at_level(logging.ERROR, logger="bot.answers.live"):
        write(kb / "copy.yaml", base("old", "SOC 2"))
        assert not live.check_now()
    assert "duplicate passage id 'old-availability'" in caplog.text
    assert cited(live.answer(QUESTION)) == "old-availability"


def test_a_removed_directory_keeps_serving(live, kb, caplog):
    for path in kb.iterdir():
        path.unlink()
    kb.rmdir()
    with caplog.at_level(logging.ERROR, logger="bot.answers.live"):
        assert not live.check_now()
    assert "knowledge directory not found" in caplog.text
    assert live.answer(QUESTION).answered


def test_the_first_build_raises(tmp_path):
    (tmp_path / "bad.yaml").write_text("passages: [\n")
    with pytest.raises(KnowledgeError):
        LiveAnswerer(tmp_path, interval=0, cache_dir=None)


def test_questions_during_swaps_are_answered_by_one_base_or_the_other(live, kb):
    bases = {"old": base("old", "SOC 2"), "new": base("new", "SOC 3")}
    expected = {"old": ("old-availability", "SOC 2"), "new": ("new-availability", "SOC 3")}
    errors, seen = [], set()
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                answer = live.answer(QUESTION)
                best = cited(answer)
                prefix = best.split("-")[0]
                assert (best, answer.reports[0]) == expected[prefix], (best, answer.reports)
                seen.add(prefix)
            except Exception as err:  # noqa: BLE001 - any failure in a reader thread fails the test
                errors.append(err)

    readers = [threading.Thread(target=ask) for _ in range(4)]
    for t in readers:
        t.start()
    try:
        for i in range(8):
            write(kb / "reports.yaml", bases["new" if i % 2 == 0 else "old"])
            assert live.check_now()
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert not errors, errors[:3]
    assert live.generation == 8 and seen == {"old", "new"}


def test_a_requested_check_runs_in_its_own_thread(live, kb):
    write(kb / "reports.yaml", base("new", "SOC 3"))
    live.request_check().join(20)
    assert live.generation == 1 and cited(live.answer(QUESTION)) == "new-availability"


def test_the_background_thread_picks_up_a_change(kb, tmp_path):
    with LiveAnswerer(kb, interval=0.02, cache_dir=None) as live:
        write(kb / "reports.yaml", base("new", "SOC 3"))
        deadline = time.monotonic() + 20  # a bound for a slow machine, not a speed requirement
        while live.generation == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert cited(live.answer(QUESTION)) == "new-availability"
    assert live._thread is None


def test_a_question_in_flight_finishes_on_the_answerer_it_started_with(kb):
    class Slow:
        """Stands in for an Answerer; its answer waits until released."""

        def __init__(self, name):
            self.name, self.started, self.release = name, threading.Event(), threading.Event()
            self.passages = ()

        def answer(self, question, top_k=3):
            self.started.set()
            self.release.wait(10)
            return self.name

    built = iter([Slow("old"), Slow("new")])
    live = LiveAnswerer(kb, interval=0, build=lambda directory: next(built))
    old = live.current
    result = []
    asker = threading.Thread(target=lambda: result.append(live.answer(QUESTION)))
    asker.start()
    assert old.started.wait(10)
    write(kb / "reports.yaml", base("new", "SOC 3"))
    assert live.check_now() and live.current.name == "new"  # swapped while the question runs
    old.release.set()
    asker.join(10)
    assert result == ["old"]
