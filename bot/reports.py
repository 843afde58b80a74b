"""The SOC reports: their names and the analyzer terms for them, defined here once.

Spellings ("SOC 2", "soc-2", "SOC II", "SOC2") are data in ``bot/data/vocabulary.yaml``; each
becomes the term named here.
"""
from __future__ import annotations

__all__ = ["REPORTS", "REPORT_TERMS", "TERM_OF_REPORT", "TYPES", "TYPE_TERMS", "DEFAULT_COMPARISON"]

REPORTS = ("SOC 1", "SOC 2", "SOC 3")
REPORT_TERMS = {"soc1": "SOC 1", "soc2": "SOC 2", "soc3": "SOC 3"}
TERM_OF_REPORT = {report: term for term, report in REPORT_TERMS.items()}

# The two kinds of report (of SOC 1 and of SOC 2): design at a date, or design and operation over
# a period. Spellings ("Type II", "type one") are vocabulary data too.
TYPES = ("Type 1", "Type 2")
TYPE_TERMS = {"type1": "Type 1", "type2": "Type 2"}
# What "/soc compare" with nothing after it compares.
DEFAULT_COMPARISON = ("SOC 1", "SOC 2")
