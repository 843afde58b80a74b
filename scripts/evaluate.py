#!/usr/bin/env python3
"""Answer quality on a labelled question set (``socbot eval``). See `python scripts/evaluate.py --help`."""
import sys

from bot.answers.evaluation import main

if __name__ == "__main__":
    sys.exit(main())
