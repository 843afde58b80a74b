#!/usr/bin/env python3
"""Ask socbot a question from the command line (``socbot ask``). See `python scripts/ask.py --help`."""
import sys

from bot.cli import ask_main

if __name__ == "__main__":
    sys.exit(ask_main())
