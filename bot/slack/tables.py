"""A comparison (``Answer.comparison``) as Slack content: a ``table`` block, section fields where a
workspace refuses table blocks, and plain lines for the notification fallback.

Cell text comes from the knowledge base: in the table it is ``raw_text`` (shown as is, never
parsed for mentions); in fields and lines it is escaped like every other text.
"""
from __future__ import annotations

from bot.slack.text import cut, escape
from bot.types import Comparison, ComparisonCell

__all__ = ["table_block", "field_blocks", "comparison_lines", "NOT_STATED", "MAX_TABLE_ROWS"]

NOT_STATED = "not stated"
MAX_TABLE_ROWS = 100  # Block Kit: a table holds at most 100 rows (the header is one) of 20 cells
MAX_TABLE_COLUMNS = 20
CELL_CHARS = 400  # a cell's share of the message budget: long clauses are cut, with "…"
FIELD_CHARS = 1900  # a section field holds at most 2000
MAX_FIELDS = 10


def _cell(cell: ComparisonCell) -> str:
    return f"{cut(cell.text, CELL_CHARS)} [{cell.citation}]" if cell.stated else NOT_STATED


def _rows(comparison: Comparison) -> list[tuple[str, list[str]]]:
    keep = MAX_TABLE_COLUMNS - 1
    rows = [(row.aspect, [_cell(c) for c in row.cells[:keep]]) for row in comparison.rows]
    return rows[:MAX_TABLE_ROWS - 1]


def table_block(comparison: Comparison) -> dict:
    """The comparison as one Block Kit ``table``: a header row, then one row per aspect."""
    columns = list(comparison.columns[:MAX_TABLE_COLUMNS - 1])

    def raw(text: str) -> dict:
        # raw_text is shown as is; angle brackets are swapped for look-alikes all the same, so
        # that no "<!channel>" in a dropped-in document can ever become a mention.
        text = cut(text, CELL_CHARS + 10).replace("<", "\u2039").replace(">", "\u203a")
        return {"type": "raw_text", "text": text or NOT_STATED}

    rows = [[raw("Aspect"), *(raw(c) for c in columns)]]
    rows += [[raw(aspect), *(raw(t) for t in cells)] for aspect, cells in _rows(comparison)]
    return {"type": "table", "block_id": "comparison",
            "column_settings": [{"is_wrapped": True} for _ in range(len(columns) + 1)], "rows": rows}


def field_blocks(comparison: Comparison) -> list[dict]:
    """The comparison as sections: one per aspect, a field per compared thing."""
    columns = comparison.columns[:MAX_FIELDS]
    out = []
    for aspect, cells in _rows(comparison):
        fields = [{"type": "mrkdwn", "text": cut(f"*{escape(col)}*\n{escape(text)}", FIELD_CHARS)}
                  for col, text in zip(columns, cells)]
        out.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape(aspect)}*"}, "fields": fields})
    return out


def comparison_lines(comparison: Comparison) -> str:
    """One line per aspect ("Focus — SOC 1: … [2] | SOC 2: … [3]"), unescaped."""
    return "\n".join(f"{aspect} — " + " | ".join(f"{col}: {text}" for col, text in zip(comparison.columns, cells))
                     for aspect, cells in _rows(comparison))
