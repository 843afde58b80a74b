"""The SOC reports: their names and the analyzer terms for them, defined here once.

Spellings ("SOC 2", "soc-2", "SOC II", "SOC2") are data in ``bot/data/vocabulary.yaml``; each
becomes the term named here.
"""
from __future__ import annotations

import re

__all__ = ["REPORTS", "REPORT_TERMS", "TERM_OF_REPORT", "TYPES", "TYPE_TERMS", "DEFAULT_COMPARISON",
           "REPORT_NUMBER", "reports_named"]

REPORTS = ("SOC 1", "SOC 2", "SOC 3")
REPORT_TERMS = {"soc1": "SOC 1", "soc2": "SOC 2", "soc3": "SOC 3"}
TERM_OF_REPORT = {report: term for term, report in REPORT_TERMS.items()}

# The two kinds of report (of SOC 1 and of SOC 2): design at a date, or design and operation over
# a period. Spellings ("Type II", "type one") are vocabulary data too.
TYPES = ("Type 1", "Type 2")
TYPE_TERMS = {"type1": "Type 1", "type2": "Type 2"}
# What "/soc compare" with nothing after it compares.
DEFAULT_COMPARISON = ("SOC 1", "SOC 2")

# A report's number as written after "SOC" or "Type": 2, II, two.
REPORT_NUMBER = r"(1|2|3|i{1,3}|one|two|three)"
_NUMBERS = {"1": 1, "i": 1, "one": 1, "2": 2, "ii": 2, "two": 2, "3": 3, "iii": 3, "three": 3}
_NAMED = re.compile(rf"\bsoc[\s-]*{REPORT_NUMBER}\b", re.IGNORECASE)


def number_of(text: str) -> int:
    """1, 2 or 3 for a REPORT_NUMBER match ("II" -> 2)."""
    return _NUMBERS[text.lower()]


def reports_named(text: str) -> tuple[str, ...]:
    """The reports a text names ("soc2", "SOC II", "SOC-1"), in REPORTS order."""
    found = {REPORTS[number_of(m.group(1)) - 1] for m in _NAMED.finditer(text)}
    return tuple(r for r in REPORTS if r in found)
