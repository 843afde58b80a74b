"""Errors meant for the user, kept apart from bugs.

Anything raised as a ``SocbotError`` is a problem with input or setup that the user can fix; its
message is printed as is. Any other exception is a bug.
"""
from __future__ import annotations


class SocbotError(Exception):
    """Base class of every error whose message is meant for the user.

    ``exit_status``: what a command ends with when this error stops it (1: the data is at
    fault; 2: the way it was called or configured).
    """

    exit_status = 1


class KnowledgeError(SocbotError):
    """A knowledge file cannot be used: names the file and, where known, the line."""

    def __init__(self, path: object, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class UsageError(SocbotError):
    """The command or question itself is unusable (for example, an empty question)."""

    exit_status = 2


class SettingsError(SocbotError):
    """A required setting is missing or invalid."""

    exit_status = 2
