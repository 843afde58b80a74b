"""``python -m bot``: the Slack app with no arguments (the Procfile's ``worker``), else the
``socbot`` command (``python -m bot ask "…"``)."""
from __future__ import annotations

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["serve"]))
