"""The commands Rete offers, where, and to whom: one list for menus and /help."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Place = Literal["private", "group"]


@dataclass(frozen=True)
class Command:
    """A bot command; its description is catalog message ``cmd-<name>``."""

    name: str
    places: frozenset[Place]
    admin_only: bool = False

    @property
    def description_key(self) -> str:
        """The catalog id of the one-line description."""
        return f"cmd-{self.name}"


GROUP: frozenset[Place] = frozenset({"group"})

COMMANDS: tuple[Command, ...] = (
    Command("start", frozenset({"private"})),
    Command("help", frozenset({"private", "group"})),
    Command("thanks", GROUP),
    Command("helpers", GROUP),
    Command("profile", GROUP),
    Command("recap", GROUP),
    Command("privacy", frozenset({"private", "group"})),
    Command("settings", GROUP, admin_only=True),
    Command("ledger", GROUP, admin_only=True),
    Command("unthank", GROUP, admin_only=True),
    Command("suggest", GROUP),
    Command("prompts", GROUP, admin_only=True),
    Command("interests", frozenset({"private", "group"})),
    Command("intros", frozenset({"private", "group"})),
    Command("meet", frozenset({"private"})),
    Command("whoknows", GROUP),
    Command("introduce", GROUP, admin_only=True),
)


def commands_for(place: Place, *, admin: bool = False) -> list[Command]:
    """Return the commands a person can use in ``place`` (admins see admin commands too)."""
    return [c for c in COMMANDS if place in c.places and (admin or not c.admin_only)]
