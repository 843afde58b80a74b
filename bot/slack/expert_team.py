"""Who the experts are and where they are asked (``SOCBOT_EXPERT_CHANNEL``, ``SOCBOT_EXPERTS``)."""
from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings

__all__ = ["Experts"]


@dataclass(frozen=True)
class Experts:
    """The hand-off channel and the experts' ids, as bot.config checked them."""

    channel: str
    people: tuple[str, ...] = ()  # users (U…, W…) who may teach; user groups (S…) are only tagged
    reload_seconds: float = 10.0  # how soon a saved answer reaches askers (told to the expert)

    @classmethod
    def from_settings(cls, settings: Settings, reload_seconds: float = 10.0) -> "Experts | None":
        """None when no expert channel is set: the features are off and no reply mentions them."""
        if not settings.expert_channel:
            return None
        return cls(settings.expert_channel, settings.experts, reload_seconds)

    def mention(self) -> str:
        """The tag on a hand-off: built from checked ids only, never from user text."""
        tags = [f"<!subteam^{p}>" if p.startswith("S") else f"<@{p}>" for p in self.people]
        return " ".join(tags) or "Experts:"

    def may_teach(self, user: str | None) -> bool:
        return bool(user) and user in self.people and not user.startswith("S")
