#!/usr/bin/env python3
"""Ask socbot a question from the command line. See `python scripts/ask.py --help`."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
