#!/usr/bin/env python3
"""Declined questions and answers voted down (``socbot report``). See `python scripts/report.py --help`."""
import sys

from bot.slack.report import main

if __name__ == "__main__":
    sys.exit(main())
