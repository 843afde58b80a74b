#!/usr/bin/env python3
"""Refit bot/data/answer_model.json from the labelled questions (bot/answers/fitting.py). See --help."""
import sys

from bot.answers.fitting import main

if __name__ == "__main__":
    sys.exit(main())
