"""Pausing Python's cyclic garbage collector while a knowledge base is built or restored.

A build allocates millions of small objects (passages, term lists, dicts) and frees few of them.
CPython's generational collector runs every 700 allocations and, as the heap grows, rescans all
of them again and again: at 100k passages that was about 3.5 s of a 26 s build. The collector is
paused for the build and resumed after; reference counting still frees everything that is not
in a cycle, so only cyclic garbage made meanwhile (in any thread) waits for the next collection.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

__all__ = ["paused_gc"]

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Collector off inside the block; nested or concurrent blocks resume it after the last."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()  # if the application turned it off, leave it off
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
