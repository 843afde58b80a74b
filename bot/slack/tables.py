"""A comparison (``Answer.comparison``) as Slack content: a ``table`` block, section fields where a
workspace refuses table blocks, and plain lines for the notification fallback.

Cell text comes from the knowledge base: in the table it is ``raw_text`` (shown as is, never
parsed for mentions); in fields and lines it is escaped like every other text.
"""
from __future__ import annotations

from bot.slack.text import cut, escape
from bot.types import NOT_STATED, Comparison, ComparisonCell

__all__ = ["table_blocks", "field_blocks", "comparison_lines", "NOT_STATED", "MAX_TABLE_ROWS"]

MAX_TABLE_ROWS = 100  # Block Kit: a table holds at most 100 rows (the header is one) of 20 cells
MAX_TABLE_COLUMNS = 20
CELL_CHARS = 250  # a cell's share of the message budget: long clauses are cut, with "…"
MAX_FIELDS = 10
MAX_FIELD_ROWS = 20  # as sections, one block per aspect: bounded well inside a message's 50 blocks
TABLE_CHARS = 4500  # the table's share of the message's text budget (bot.slack.blocks.TOTAL_BUDGET)


def _cell(cell: ComparisonCell) -> str:
    return f"{cut(cell.text, CELL_CHARS)} [{cell.citation}]" if cell.stated else NOT_STATED


def _rows(comparison: Comparison, limit: int = MAX_TABLE_ROWS - 1) -> list[tuple[str, list[str]]]:
    """The rows that fit: at most ``limit``, and within TABLE_CHARS of text."""
    keep = MAX_TABLE_COLUMNS - 1
    rows, size = [], sum(len(c) for c in comparison.columns)
    for row in comparison.rows[:limit]:
        aspect, cells = cut(row.aspect, 100), [_cell(c) for c in row.cells[:keep]]
        size += len(aspect) + sum(len(c) for c in cells)
        if size > TABLE_CHARS:
            break
        rows.append((aspect, cells))
    return rows


def _left_out(shown: int, comparison: Comparison) -> list[dict]:
    left = len(comparison.rows) - shown
    return [] if left <= 0 else [{"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"_{left} more aspects left out to fit Slack's limits._"}]}]


def table_blocks(comparison: Comparison) -> list[dict]:
    """The comparison as one Block Kit ``table`` (a header row, then a row per aspect), and a
    note if aspects were left out to fit."""
    columns = [cut(c, 100) for c in comparison.columns[:MAX_TABLE_COLUMNS - 1]]

    def raw(text: str) -> dict:
        # raw_text is shown as is; angle brackets are swapped for look-alikes all the same, so
        # that no "<!channel>" in a dropped-in document can ever become a mention.
        text = cut(text, CELL_CHARS + 10).replace("<", "\u2039").replace(">", "\u203a")
        return {"type": "raw_text", "text": text or NOT_STATED}

    shown = _rows(comparison)
    rows = [[raw("Aspect"), *(raw(c) for c in columns)]]
    rows += [[raw(aspect), *(raw(t) for t in cells)] for aspect, cells in shown]
    table = {"type": "table", "block_id": "comparison",
             "column_settings": [{"is_wrapped": True} for _ in range(len(columns) + 1)], "rows": rows}
    return [table, *_left_out(len(shown), comparison)]


def field_blocks(comparison: Comparison) -> list[dict]:
    """The comparison as sections: one per aspect, a field per compared thing."""
    columns = comparison.columns[:MAX_FIELDS]
    out = []
    rows = _rows(comparison, MAX_FIELD_ROWS)
    for aspect, cells in rows:
        # Cells are cut before escaping (at most CELL_CHARS, so at most 5 × that escaped).
        fields = [{"type": "mrkdwn", "text": f"*{escape(cut(col, 100))}*\n{escape(text)}"}
                  for col, text in zip(columns, cells)]
        out.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape(aspect)}*"}, "fields": fields})
    return out + _left_out(len(rows), comparison)


def comparison_lines(comparison: Comparison) -> str:
    """One line per aspect ("Focus — SOC 1: … [2] | SOC 2: … [3]"), unescaped."""
    return "\n".join(f"{aspect} — " + " | ".join(f"{col}: {text}" for col, text in zip(comparison.columns, cells))
                     for aspect, cells in _rows(comparison))
