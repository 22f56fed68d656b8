"""The commands Rete offers, where, to whom, and what each is called in each language.

One list for the menus (setMyCommands), /help, the router (every spelling of every
command works for everyone) and the catalog: a message names a command through the
Fluent term ``-cmd-<command>`` (``/{ -cmd-thanks }``), which each language's rete.ftl
defines as that language's menu name; tests check the terms agree with this list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Place = Literal["private", "group"]

# What Telegram accepts as a command name (setMyCommands refuses anything else).
COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


@dataclass(frozen=True)
class Command:
    """A bot command; its description is catalog message ``cmd-<name>``.

    ``spellings`` maps a language to that language's names: the first is the one its menus,
    /help and messages show; the others also work (so do every other language's).
    """

    name: str
    places: frozenset[Place]
    spellings: Mapping[str, tuple[str, ...]]
    admin_only: bool = False

    def __post_init__(self) -> None:
        for names in self.spellings.values():
            for spelling in names:
                if not COMMAND_NAME.fullmatch(spelling):
                    raise ValueError(f"{spelling!r} cannot be a Telegram command name")

    @property
    def description_key(self) -> str:
        """The catalog id of the one-line description."""
        return f"cmd-{self.name}"

    @property
    def term(self) -> str:
        """The catalog term that holds the name a language shows (``-cmd-<name>``)."""
        return f"-cmd-{self.name}"

    def name_in(self, language: str) -> str:
        """The name menus, /help and messages show to people who read ``language``."""
        names = self.spellings.get(language)
        return names[0] if names else self.name

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every spelling that runs the command, in any language, without repeats."""
        names = [self.name]
        for spellings in self.spellings.values():
            names += spellings
        return tuple(dict.fromkeys(names))


def _command(
    name: str,
    places: frozenset[Place],
    *,
    it: str | None = None,
    en_also: tuple[str, ...] = (),
    admin_only: bool = False,
) -> Command:
    # English names are the canonical ones; Italian has its own where it reads better.
    spellings = {"en": (name, *en_also), "it": (it or name,)}
    return Command(name, places, spellings, admin_only)


GROUP: frozenset[Place] = frozenset({"group"})
PRIVATE: frozenset[Place] = frozenset({"private"})
EVERYWHERE: frozenset[Place] = frozenset({"private", "group"})

COMMANDS: tuple[Command, ...] = (
    _command("start", PRIVATE),
    _command("help", EVERYWHERE, it="aiuto"),
    _command("thanks", GROUP, it="grazie", en_also=("ty",)),
    _command("helpers", GROUP, it="classifica"),
    _command("profile", GROUP, it="profilo"),
    _command("recap", GROUP, it="riepilogo"),
    _command("privacy", EVERYWHERE),
    _command("settings", GROUP, it="impostazioni", admin_only=True),
    _command("ledger", GROUP, it="registro", admin_only=True),
    _command("unthank", GROUP, it="annullagrazie", admin_only=True),
    _command("suggest", GROUP, it="suggerisci"),
    _command("prompts", GROUP, it="spunti", admin_only=True),
    _command("interests", EVERYWHERE, it="interessi"),
    _command("intros", EVERYWHERE, it="presentazioni"),
    _command("meet", PRIVATE, it="incontra"),
    _command("whoknows", GROUP, it="chisa"),
    _command("introduce", GROUP, it="presenta", admin_only=True),
    _command("ask", GROUP, it="chiedo"),
    _command("asks", EVERYWHERE, it="richieste"),
    _command("network", PRIVATE, it="contatti"),
)

BY_NAME: dict[str, Command] = {command.name: command for command in COMMANDS}


def commands_for(place: Place, *, admin: bool = False) -> list[Command]:
    """Return the commands a person can use in ``place`` (admins see admin commands too)."""
    return [c for c in COMMANDS if place in c.places and (admin or not c.admin_only)]


def names(command: str) -> list[str]:
    """Every spelling of ``command`` (by its English name), for the router."""
    return list(BY_NAME[command].all_names)


def spellings_in(language: str) -> set[str]:
    """Every command name a message in ``language`` may show: its menus' and its aliases."""
    return {spelling for c in COMMANDS for spelling in c.spellings.get(language, (c.name,))}
