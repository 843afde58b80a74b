"""Live reload: an answerer that follows its knowledge directory while the bot runs.

:class:`LiveAnswerer` has the :class:`~bot.answers.answerer.Answerer` interface the Slack layer uses
(``answer``, ``stats``, ``examples``, ``knowledge``). A daemon thread checks the knowledge files'
sizes and modification times every ``interval`` seconds; when they change it builds a new
answerer in the background (through the restart cache, so the next start is quick too) and swaps
it in with one reference assignment. A question reads the current answerer once, so questions in
flight finish on the one they started with. A broken file leaves the running answerer in place
and logs the error with its file:line; the next change is tried again.

Named choices:

- **Polling, not inotify** — a stat of each knowledge file (about a millisecond for a few hundred
  files) works on every platform, in containers and on network mounts, with no dependency.
- **Interval** — ``$SOCBOT_RELOAD_SECONDS``, default 10; 0 turns the thread off (``check_now()``
  still reloads on demand, and ``request_check()`` from a signal handler such as SIGHUP's).
- **One build at a time** — a lock serialises checks; while a build runs, the old answerer
  serves. Memory peaks at two indexes during the build.
- **Per process** — create it after any fork (in each web worker): threads do not survive fork.
- **Learned passages** — answers experts saved in Slack live in the store, not in files, so that
  every process and machine sees them. :meth:`LiveAnswerer.learn_from` gives the answerer the
  store; each check asks it for a cheap ``learned_stamp()`` and, when that changed, builds the
  files' passages plus its ``learned_passages()`` (without the restart cache, which knows files
  only).
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Callable

from bot.config import reload_seconds
from bot.errors import SocbotError
from bot.knowledge import RESERVED_FILES, knowledge_dir, knowledge_files

__all__ = ["LiveAnswerer"]

log = logging.getLogger(__name__)

def _default_build(directory: Path, cache_dir, extra=()):
    from bot.answers.answerer import Answerer  # imported here: `import bot.answers.live` stays light

    if extra:
        from bot.search.built import build_base

        return Answerer(build_base(directory, tuple(extra)))
    return Answerer.cached(directory, cache_dir)


def _current_answerers(name: str) -> property:
    """The attribute ``name`` of the answerer serving now, read afresh each time."""
    return property(lambda self: getattr(self._current, name), doc=f"The current answerer's {name}.")


class LiveAnswerer:
    """An answerer that reloads its knowledge directory when files change (see the module notes).

    The first build happens here, and its errors (a broken file, a missing directory) are
    raised: a bot should not start on a broken base. Later errors are logged, never raised.
    """

    def __init__(self, directory: str | os.PathLike | None = None, *, interval: float | None = None,
                 cache_dir="env", build: Callable | None = None, start: bool = True) -> None:
        self.directory = knowledge_dir(directory)
        self.interval = reload_seconds() if interval is None else float(interval)
        self._build = build or (lambda d, extra=(): _default_build(d, cache_dir, extra))
        self._learned = None  # a store: learned_stamp(), learned_passages()
        self._learned_stamp: object = None
        self._learned_passages: tuple = ()  # what the current base holds
        self._check_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.generation = 0  # how many times a new base was swapped in
        self.last_error: SocbotError | None = None
        self._seen = self._snapshot()  # before the build: a change made during it is seen next
        self._current = self._build(self.directory)
        if start and self.interval > 0:
            self.start()

    # -- the Answerer interface, always on the current base ---------------------------------
    def answer(self, question: str, top_k: int = 3):
        return self._current.answer(question, top_k)  # one read: the whole question on one base

    @property
    def current(self):
        """The answerer serving now."""
        return self._current

    stats = _current_answerers("stats")
    examples = _current_answerers("examples")
    knowledge = _current_answerers("knowledge")
    passages = _current_answerers("passages")

    # -- reloading ---------------------------------------------------------------------------
    def learn_from(self, store) -> None:
        """Merge the passages experts taught into every build from now on: ``store`` has
        ``learned_stamp()``, which changes whenever they do, and ``learned_passages()``. The next
        check picks them up."""
        self._learned = store
        self._learned_stamp = object()  # differs from any stamp: the next check builds

    def check_now(self) -> bool:
        """Reload if the knowledge files changed since the last check; True if a new base is in.

        Runs in the caller's thread (tests, a signal handler); the background thread calls it too.
        """
        with self._check_lock:
            try:
                seen, problem = self._snapshot(), None
            except SocbotError as err:  # e.g. the directory was removed
                seen, problem = None, err
            stamp, learned = self._learned_now()
            if seen == self._seen and stamp == self._learned_stamp:
                return False
            self._seen = seen  # a broken state is reported once, not at every check
            if problem is not None:
                return self._failed(problem)
            try:
                fresh = self._build(self.directory, learned) if self._learned else self._build(self.directory)
            except SocbotError as err:
                return self._failed(err)
            except Exception:  # a bug: keep serving, but say so loudly
                log.exception("knowledge not reloaded (internal error); still serving the previous version")
                return False
            self._current = fresh  # the swap: a single reference assignment
            self._learned_stamp, self._learned_passages = stamp, tuple(learned)
            self.generation += 1
            self.last_error = None
            log.info("knowledge reloaded from %s: %d passages", self.directory, len(fresh.passages))
            return True

    def _learned_now(self) -> tuple[object, tuple]:
        if self._learned is None:
            return None, ()
        try:
            stamp = self._learned.learned_stamp()
            if stamp == self._learned_stamp:
                return stamp, self._learned_passages
            return stamp, self._learned.learned_passages()
        except Exception as err:  # a store outage: keep what is loaded, try again next time
            log.warning("learned passages not checked (store unavailable: %s: %s)", type(err).__name__, err)
            return self._learned_stamp, self._learned_passages

    def request_check(self) -> threading.Thread:
        """:meth:`check_now` in a new daemon thread: safe from a signal handler, which must not
        block for a whole build."""
        thread = threading.Thread(target=self.check_now, name="socbot-knowledge-check", daemon=True)
        thread.start()
        return thread

    def _failed(self, err: SocbotError) -> bool:
        self.last_error = err
        log.error("knowledge not reloaded, still serving the previous version: %s", err)
        return False

    def _snapshot(self) -> dict[str, tuple[int, int]]:
        """Size and modification time of every file the base is built from."""
        files = knowledge_files(self.directory)
        files += [self.directory / name for name in sorted(RESERVED_FILES)]
        out = {}
        for path in files:
            try:
                st = path.stat()
            except OSError:
                continue  # absent settings file, or a file removed since the listing
            out[str(path)] = (st.st_size, st.st_mtime_ns)
        return out

    # -- the background thread ---------------------------------------------------------------
    def start(self) -> None:
        """Start checking every ``interval`` seconds in a daemon thread (idempotent)."""
        if self._thread is not None and self._thread.is_alive():
            return
        if self.interval <= 0:
            raise ValueError("reload interval is 0: call check_now() instead")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="socbot-knowledge-reload", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop the background checks (a build in progress finishes first)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.check_now()

    def __enter__(self) -> "LiveAnswerer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
