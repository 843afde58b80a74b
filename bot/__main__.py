"""``python -m bot`` and the ``socbot`` console script: see ``bot.slack.run``."""
from __future__ import annotations

import sys
from typing import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    from bot.slack.run import main as run_main

    return run_main(argv)


if __name__ == "__main__":
    sys.exit(main())
