#!/usr/bin/env python3
"""Fit the comparison model to the corpus's labelled comparisons. See `python scripts/fit_comparison.py --help`."""
import sys

from bot.answers.comparison_fit import main

if __name__ == "__main__":
    sys.exit(main())
