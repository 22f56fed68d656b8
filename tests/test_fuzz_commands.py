"""Fuzz: every command Rete routes, in both languages, fed hostile arguments.

Long (2,000 "<"), escape-heavy, right-to-left, zero-width and non-ASCII-digit arguments go
to every command name the CommandRouter knows, in a group from an admin and from a member
and in private; then each kind on its own to every command and to every word that takes a
value (each /settings parser, the /prompts subcommands, /intros pause, …), where it is
parsed first. The bot must answer every time (or stay silent where that is what it
does) and log no error. Forged button data for every button prefix too.

An update costs the bot tens of milliseconds: the cases reach every parser once per kind
rather than every combination, and a few Retes do it all.
"""

import logging

import pytest

from bot.chat_settings import SETTINGS
from bot.commands import COMMANDS
from handlers import intros, privacy, prompts, settings
from handlers.routing import CommandRouter
from tests import factories as f
from tests.conftest import ADMIN, MEMBER

GROUP = f.group(-1013, "Fuzz & <Co>")
CARLA = f.user(300, "Carla", username="carla", language_code="it")

# One word each, so that a command reading one value (a number, a period, a name) gets it.
KINDS = {
    "long": "<" * 2000,
    "escapes": "&amp;<b>&",
    "rtl": "مرحبا\u202eשלום",
    "zero-width": "\u200b\u200d\ufeff",
    "digits": "²",
}
# All of them, and more, in one message: for commands that read free text.
EVERYTHING = " ".join(
    [*KINDS.values(), "&lt;/b> <i>&#x27;", "a\u200bb", "\u202bעברית\u202c", "٣ ３ ٣١/١٢ ٠٩:٣٠"]
)


def one_per_parser() -> list[str]:
    """A /settings name for each way a value is read (switch, number, clock, day, …)."""
    chosen: dict[str, str] = {}
    for name, setting in SETTINGS.items():
        chosen.setdefault(setting.parse.__qualname__, name)
    return sorted(chosen.values())


# Words that lead to a value, by command: the kind follows them. Group ones are sent by
# an admin, private ones by a member who joined the group's introductions.
IN_GROUP = {
    "settings": [*one_per_parser(), "topic"],
    "prompts": ["schedule", "quiet", "topic", "pin", "busy", "add", "list", "remove"],
    "ledger": ["export"],
    "recap": ["preview"],
}
IN_PRIVATE = {
    "intros": ["never", "never remove", "pause"],
    "interests": ["public", "remove", "offer"],
    "start": ["privacy", f"intros-j{-GROUP['id']}", "intros-a1"],
}
# /thanks in reply to someone answers with a 🤝 reaction once the thanks is written (and
# not at all for a repeat): the only command that says nothing in the chat.
QUIET = {("group", "thanks"), ("group", "grazie"), ("group", "ty")}
BUTTON_PREFIXES = (
    privacy.CALLBACK_PREFIX,
    prompts.CALLBACK_PREFIX,
    settings.CALLBACK_PREFIX,
    "in:",
    "tg:",
)
assert (intros.CALLBACK_PREFIX, intros.TAG_CALLBACK_PREFIX) == ("in:", "tg:")


def routed_commands(rete) -> list[str]:
    """Every command name the running bot routes, English and Italian."""
    handlers = [handler for group in rete.app.handlers.values() for handler in group]
    [router] = [handler for handler in handlers if isinstance(handler, CommandRouter)]
    return sorted(router.commands)


def problems(caplog) -> list[str]:
    return [
        f"{record.levelname} {record.name}: {record.getMessage()[:300]}"
        for record in caplog.records
        if record.levelno >= logging.ERROR or record.exc_info
    ]


class Fuzzer:
    """Sends commands where they belong and notes the ones the bot did not answer."""

    # The rate limiter holds a group to 20 requests a minute, as Telegram does, and an
    # admin command makes up to three (the admin list, the answer, a post): a fresh group
    # every few commands keeps the test from waiting for minutes.
    PER_GROUP = 6

    def __init__(self, rete, caplog) -> None:
        self.rete, self.caplog = rete, caplog
        self.sent_in_group = 0
        self.group = GROUP
        self.carla_says: dict | None = None
        self.tried = 0
        self.unanswered: list[str] = []

    async def _group(self) -> tuple[dict, dict]:
        if self.carla_says is None or self.sent_in_group == self.PER_GROUP:
            if self.carla_says is not None:
                chat_id = GROUP["id"] * 1000 - self.tried
                self.group = f.group(chat_id, GROUP["title"])
                self.rete.telegram.set_admins(chat_id, ADMIN)
            # Group commands reply to someone's message: /thanks, /profile, /introduce act.
            self.carla_says = f.message(self.group, CARLA, "Qualcuno sa usare Python?")
            await self.rete.send(f.message_update(self.carla_says))
            self.sent_in_group = 0
        self.sent_in_group += 1
        return self.group, self.carla_says

    def _answers(self, *chat_ids: int) -> int:
        methods = ("sendMessage", "sendDocument", "sendPhoto", "editMessageText")
        telegram = self.rete.telegram
        return sum(len(telegram.sent(chat, method)) for chat in chat_ids for method in methods)

    async def say(self, where: str, sender: dict, text: str) -> None:
        """Send ``text`` in a group ("group") or in the sender's private chat ("private")."""
        if where == "private":
            chat, reply_to = f.private_chat(sender), None
        else:
            chat, reply_to = await self._group()
        before = self._answers(chat["id"], sender["id"])
        await self.rete.send(f.command(chat, sender, text, reply_to=reply_to))
        self.tried += 1
        name = text.split()[0].removeprefix("/")
        if self._answers(chat["id"], sender["id"]) == before and (where, name) not in QUIET:
            self.unanswered.append(f"{where} {sender['first_name']}: {text[:40]!r}")
        if problems(self.caplog):
            pytest.fail(f"{where} {text[:60]!r}: {problems(self.caplog)}")

    async def done(self) -> None:
        await self.rete.db.ledger.flush()  # the thanks, with their reasons, are written
        assert problems(self.caplog) == []
        assert self.unanswered == [], "the bot said nothing"


@pytest.fixture
async def fuzzer(rete, caplog):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    rete.telegram.started_users.update({ADMIN["id"], MEMBER["id"], CARLA["id"]})
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.send(f.command(f.private_chat(ADMIN), ADMIN, "/start"))
    # Something to act on: introductions on, a member who joined them, a suggestion.
    await rete.send(f.command(GROUP, ADMIN, "/settings intros on"))
    await rete.send(f.command(f.private_chat(MEMBER), MEMBER, f"/start intros-j{-GROUP['id']}"))
    await rete.send(f.callback_query(MEMBER, f"in:j:{GROUP['id']}"))
    await rete.send(f.command(f.private_chat(MEMBER), MEMBER, "/interests python, hiking"))
    await rete.send(f.command(GROUP, CARLA, "/suggest Una domanda?"))
    rete.telegram.clear_calls()
    return Fuzzer(rete, caplog)


async def test_every_command_name_in_every_place_answers_every_kind_at_once(fuzzer):
    names = routed_commands(fuzzer.rete)
    assert {"settings", "impostazioni", "spunti", "chisa", "presenta"} <= set(names)
    for where, sender in (("group", ADMIN), ("group", MEMBER), ("private", MEMBER)):
        for name in names:
            await fuzzer.say(where, sender, f"/{name} {EVERYTHING}")
    await fuzzer.done()


@pytest.mark.parametrize("kind", list(KINDS))
async def test_every_command_and_value_word_answers_each_kind(fuzzer, kind):
    value = KINDS[kind]
    for command in COMMANDS:
        where = "private" if "private" in command.places else "group"
        sender = ADMIN if where == "group" else MEMBER
        await fuzzer.say(where, sender, f"/{command.name} {value}")
    for name, words in IN_GROUP.items():
        for word in words:
            await fuzzer.say("group", ADMIN, f"/{name} {word} {value}")
    for name, words in IN_PRIVATE.items():
        for word in words:
            await fuzzer.say("private", MEMBER, f"/{name} {word} {value}")
    await fuzzer.done()


async def test_forged_buttons_are_answered_without_an_error(fuzzer):
    rete = fuzzer.rete
    panel = f.message(f.private_chat(MEMBER), rete.telegram.bot_user, "an old panel")
    pressed = 0
    for value in [*KINDS.values(), "٣", "99999999999999999999", "-1"]:
        for prefix in BUTTON_PREFIXES:
            for suffix in (
                value,
                f"a:{value}",
                f"j:{value}",
                f"p:{value}:14",
                f"a:i:{value}",
                f"-1013:s:quota:{value}",
                f"{value}:h",
            ):
                # Telegram carries at most 64 bytes of callback data.
                data = (prefix + suffix).encode()[:64].decode(errors="ignore")
                await rete.send(f.callback_query(MEMBER, data, panel))
                pressed += 1
                if problems(fuzzer.caplog):
                    pytest.fail(f"{data!r}: {problems(fuzzer.caplog)}")
    # Every press is answered (with an alert, or quietly when it changes a panel).
    assert len(rete.telegram.calls_to("answerCallbackQuery")) == pressed
