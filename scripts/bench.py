#!/usr/bin/env python3
"""Speed and memory, with references measured in the same run (``socbot bench``). See `python scripts/bench.py --help`."""
import sys

from bot.bench.speed import main

if __name__ == "__main__":
    sys.exit(main())
