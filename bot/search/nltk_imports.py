"""nltk's stemmer and sentence splitter, imported without the scientific stack.

``import nltk`` imports scipy.stats when scipy is installed (for collocation statistics we never
use), which costs about 0.6 s of start-up. Every such import in nltk is guarded by
``except ImportError``, so scipy is hidden while nltk loads and restored right after: other code
in the process still imports scipy normally.
"""
from __future__ import annotations

import sys

__all__ = ["SnowballStemmer"]

_hidden = "scipy" not in sys.modules
if _hidden:
    sys.modules["scipy"] = None  # type: ignore[assignment]  # "import scipy…" raises ImportError
try:
    from nltk.stem.snowball import SnowballStemmer
finally:
    if _hidden and sys.modules.get("scipy", 0) is None:
        del sys.modules["scipy"]
