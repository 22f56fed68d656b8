"""Abuse suite: every entry point, attacked by every kind of outsider, refuses and changes nothing.

The bot trusts nothing Telegram hands it as a *claim* (README, "Who may act on what"):
callback data, deep-link payloads, group ids, @usernames. Each attack below is sent by one
actor through the real Application (fake Bot API server, one Rete per test, started on a copy
of a world made once per session by a real Rete: two groups, their people, tags, opt-ins,
introductions, suggestions, a thanks) and must

- get a clear refusal (a catalog refusal text, in either language), or the documented
  silence, and never an answer carrying other members' data;
- change nothing in the database: every table (sqlite_master) is dumped before and after,
  minus the few columns any contact legitimately refreshes (``LEGIT`` below);
- send nothing to anyone else: no DM to a victim, no post in a group other than the one the
  actor wrote in;
- not crash (an exception reaching ``handlers.errors`` is a failure: the button spins, the
  person gets no answer).

Actors: a stranger who never was in the group; a member of another group (and that group's
admin); a member who left; a banned member; a demoted admin (Rete still has them cached as
admin, Telegram no longer lists them); an anonymous admin of another group; a channel.

Attacks that succeed on today's code are kept asserting the correct behaviour and marked
``xfail(strict=True)`` with the exact defect, so the mark comes off when the fix is merged.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram.ext import CallbackQueryHandler

from bot import app as app_module
from bot.app import build_application
from bot.i18n import LANGUAGES, Catalog
from bot.policy import Actor as PolicyActor
from bot.ratelimit import ReteRateLimiter
from bot.settings import Settings
from handlers.routing import CommandRouter
from handlers.start import DEEP_LINKS as ROUTED_LINKS
from storage import MemberInfo
from storage.intro_records import NewIntro
from tests import factories as f
from tests.conftest import Rete
from tests.fake_telegram import FakeTelegram, parse_html

# ---- the world -------------------------------------------------------------------------------

X = f.group(-1001, "Makers")  # the victims' group
Y = f.group(-1002, "Yonder")  # another group, with its own people
CHANNEL = f.group(-1009900, "Loud News", type="channel")

ANNA = f.user(100, "Anna", username="anna")  # admin of X
DARIO = f.user(101, "Dario", username="dario")  # admin of X, demoted by the test
BRUNO = f.user(200, "Bruno", username="bruno")
CARLA = f.user(201, "Carla", username="carla")
HEDY = f.user(202, "Hedy", username="hedy")  # hidden from lists (/privacy)
LEO = f.user(210, "Leo", username="leo")  # left X (Rete saw it)
KEN = f.user(211, "Ken", username="ken")  # banned from X (Rete saw it)
GINO = f.user(212, "Gino", username="gino")  # left X, Rete never saw it
UGO = f.user(213, "Ugo", username="ugo")  # banned from X, Rete never saw it
BEA = f.user(300, "Bea", username="bea")  # admin of Y
YARA = f.user(301, "Yara", username="yara")  # member of Y only
YURI = f.user(302, "Yuri", username="yuri")  # member of Y only
SAM = f.user(400, "Sam", username="sam")  # never in any group

PEOPLE = (ANNA, DARIO, BRUNO, CARLA, HEDY, LEO, KEN, GINO, UGO, BEA, YARA, YURI, SAM)
IN_X = (ANNA, DARIO, BRUNO, CARLA, HEDY)
IN_Y = (BEA, YARA, YURI)
TAGS = {
    BRUNO["id"]: ["python, kayak", "offer woodturning"],
    CARLA["id"]: ["python", "seek sailmate"],
    HEDY["id"]: ["python, secretgarden"],
    LEO["id"]: ["python"],
    KEN["id"]: ["python"],
    YARA["id"]: ["python, yarnart"],
    SAM["id"]: ["python"],
}
# What an outsider must never read in an answer: X's people, its title, its members' tags.
X_SECRETS = ("Makers", "Anna", "Bruno", "Carla", "Hedy", "kayak", "woodturning", "sailmate")
# What nobody but the member must read: a hidden member's tags, another member's needs.
PRIVATE_TAGS = ("secretgarden", "sailmate")


class Telegram(FakeTelegram):
    """The fake Bot API, answering getChatMember as Telegram does: who is in which group now.

    The shared fake (when this was written) says "member" for anyone; Telegram says "left"
    for someone who never was in the group, and "kicked" for a banned one.
    """

    def __init__(self) -> None:
        super().__init__()
        self.statuses: dict[tuple[int, int], str] = {}

    def _get_chat_member(self, call):
        chat_id, user_id = self._chat_id(call.params), call.params.get("user_id")
        listed = any(a["user"]["id"] == user_id for a in self.chat_admins.get(chat_id, []))
        if listed or user_id == self.bot_id or not isinstance(user_id, int):
            return super()._get_chat_member(call)
        person = self.known_users.get(user_id, {"id": user_id, "is_bot": False, "first_name": "?"})
        return f.member_status(person, self.statuses.get((chat_id, user_id), "left"))


NO_FLOOD_WAITS = functools.partial(ReteRateLimiter, overall_max_rate=0, group_max_rate=0)


@pytest.fixture(autouse=True)
def no_flood_waits(monkeypatch):
    """Flood control off: a suite answering ~100 attacks in one group would wait, in real
    time, for Telegram's 20 messages a minute per group (PTB's limiter, not Rete's logic)."""
    monkeypatch.setattr(app_module, "ReteRateLimiter", NO_FLOOD_WAITS)


@pytest.fixture
async def telegram():
    fake = Telegram()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture(scope="session")
def world_file(tmp_path_factory):
    """The world's database, made once through a real Rete; each test starts from a copy.

    Building it costs ~50 updates; copying it costs nothing. Returns (file, World, the id
    the next update gets: the bot's update ids go on from there, as Telegram's would).
    """
    path = tmp_path_factory.mktemp("abuse-world") / "world.sqlite3"

    async def make() -> tuple[World, int]:
        fake = Telegram()
        await fake.start()
        settings = Settings(
            bot_token=fake.token,
            api_base_url=fake.base_url,
            database=path,
            default_language="en",
            default_timezone="Europe/Rome",
            admin_cache_seconds=300,
        )
        harness = Rete(fake, settings)
        try:
            await harness.start()
            return await build_world(harness), fake.next_update_id
        finally:
            await harness.stop()
            await fake.stop()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app_module, "ReteRateLimiter", NO_FLOOD_WAITS)
        world, next_update_id = asyncio.run(make())
    return path, world, next_update_id


@pytest.fixture
def settings(telegram, tmp_path, world_file):
    """conftest's settings, on a copy of the world's database."""
    database = tmp_path / "rete.sqlite3"
    shutil.copyfile(world_file[0], database)
    # The world's updates were handled (their ids claimed): new ones come after them.
    telegram.number_updates_from(world_file[2])
    return Settings(
        bot_token=telegram.token,
        api_base_url=telegram.base_url,
        database=database,
        default_language="en",
        default_timezone="Europe/Rome",
        admin_cache_seconds=300,
    )


@pytest.fixture
async def world(rete, world_file):
    """The world, with Telegram's side restored and the clock an hour after it was made."""
    telegram_world(rete.telegram, gone=True)
    # Attacks come later than the world was made: a timestamp written now would differ.
    rete.clock.set(f.START + timedelta(hours=1))
    return world_file[1]


@dataclass
class World:
    """The ids an attacker would forge, and the messages they would reply to."""

    meet_intro: int  # Bruno and Carla, active (from /meet)
    manual_intro: int  # Bruno and Hedy, proposed by Anna, waiting for both to accept
    suggestion_x: int  # Bruno's pending prompt suggestion in X
    suggestion_y: int  # Yara's pending prompt suggestion in Y
    carla_message: dict  # Carla's helpful message in X
    bruno_message: dict  # a message of Bruno in X
    thanks_message: dict  # Bruno's /thanks to Carla in X

    @property
    def thanks_message_id_in_y(self) -> dict:
        """A message in Y with the id of Bruno's thanks in X (ids restart in every chat)."""
        return {**self.thanks_message, "chat": Y, "from": YARA}


def private(user):
    return f.private_chat(user)


def text_message(chat, sender, text, **kw):
    """A message as Telegram delivers it: the /command and every @mention marked."""
    msg = f.message(chat, sender, text, **kw)
    entities = [] if f.command_entity(text) is None else [f.command_entity(text)]
    for match in re.finditer(r"(?<![\w@])@[A-Za-z0-9_]{3,32}", text):
        offset = f.utf16_len(text[: match.start()])
        entities.append({"type": "mention", "offset": offset, "length": f.utf16_len(match[0])})
    if entities:
        msg["entities"] = entities
    return msg


async def send_all(rete, updates):
    """Deliver many updates in one go and wait until the bot handled them all (in order)."""
    last = 0
    for update in updates:
        last = rete.telegram.add_update(update)
    await rete.telegram.wait_delivered(last, timeout=20)
    await rete.settle(within=20)


def info(user) -> MemberInfo:
    return MemberInfo(user["id"], user["first_name"], None, user.get("username"), "en")


def telegram_world(tg, *, gone: bool) -> None:
    """Telegram's side of the world: who administers and who is in which group now."""
    tg.set_admins(X["id"], ANNA, DARIO)
    tg.set_admins(Y["id"], BEA)
    for user in (*IN_X, LEO, KEN, GINO, UGO):
        tg.statuses[(X["id"], user["id"])] = "member"
    for user in IN_Y:
        tg.statuses[(Y["id"], user["id"])] = "member"
    for user in PEOPLE:
        tg.started_users.add(user["id"])
        tg.known_users[user["id"]] = user
    if gone:
        # Leo left, Ken was banned (Rete saw both); Gino left and Ugo was banned unseen.
        tg.statuses.update(
            {
                (X["id"], LEO["id"]): "left",
                (X["id"], KEN["id"]): "kicked",
                (X["id"], GINO["id"]): "left",
                (X["id"], UGO["id"]): "kicked",
            }
        )


async def build_world(rete) -> World:
    """Make the world through Rete, as its people would (once per session: see world_file)."""
    tg = rete.telegram
    telegram_world(tg, gone=False)
    carla_message = f.message(X, CARLA, "here is the link you asked for")
    bruno_message = f.message(X, BRUNO, "anyone into kayaking?")
    thanks_message = f.message(X, BRUNO, "/thanks for the link", reply_to=carla_message)
    updates = [
        f.my_chat_member(X, ANNA, tg.bot_user, "left", "member"),
        f.my_chat_member(Y, BEA, tg.bot_user, "left", "member"),
        f.command(X, ANNA, "/settings intros on"),
        f.command(X, ANNA, "/settings introsevery 1"),
        f.command(Y, BEA, "/settings intros on"),
        f.command(X, ANNA, "/prompts add Who is new here?"),
        *[f.command(private(user), user, "/start") for user in PEOPLE],
        *[f.message_update(f.message(X, user, "ciao")) for user in (*IN_X, LEO, KEN, GINO, UGO)],
        *[f.message_update(f.message(Y, user, "hello")) for user in IN_Y],
        f.message_update(carla_message),
        f.message_update(bruno_message),
        f.message_update(thanks_message),
        *[
            f.command(private(user), user, f"/interests {line}")
            for user in PEOPLE
            for line in TAGS.get(user["id"], [])
        ],
        f.command(X, BRUNO, "/suggest What did you learn this week?"),
        f.command(Y, YARA, "/suggest What are you reading?"),
    ]
    await send_all(rete, updates)
    db, now = rete.db, rete.now()
    for user in (BRUNO, CARLA, HEDY, LEO, KEN):
        await db.intros.join(X["id"], info(user), now)
    await db.intros.join(Y["id"], info(YARA), now)
    await db.members.set_hidden(HEDY["id"], True)
    [meet_intro] = await db.intros.add_intros(
        X["id"],
        now,
        [NewIntro((BRUNO["id"], CARLA["id"]), 1.0, {})],
        kind="meet",
        follow_up_at=now + timedelta(days=7),
        initiator_id=CARLA["id"],
    )
    [manual_intro] = await db.intros.add_intros(
        X["id"],
        now,
        [NewIntro((BRUNO["id"], HEDY["id"]), None, {})],
        kind="manual",
        status="pending",
        initiator_id=ANNA["id"],
    )
    # Leo leaves, Ken is banned (Rete sees both); Gino leaves and Ugo is banned unseen.
    await send_all(
        rete,
        [
            f.left_member(X, LEO, LEO),
            f.chat_member(X, ANNA, KEN, "member", "kicked"),
        ],
    )
    telegram_world(tg, gone=True)
    [suggestion_x] = [s.id for s in await db.prompts.pending(X["id"])]
    [suggestion_y] = [s.id for s in await db.prompts.pending(Y["id"])]
    assert len(await db.ledger.export(X["id"])) == 1, "Bruno's thanks to Carla is recorded"
    return World(
        meet_intro=meet_intro,
        manual_intro=manual_intro,
        suggestion_x=suggestion_x,
        suggestion_y=suggestion_y,
        carla_message=carla_message,
        bruno_message=bruno_message,
        thanks_message=thanks_message,
    )


# ---- what "nothing changed" means ----------------------------------------------------------

# What any contact legitimately refreshes, and nothing else (README: Rete counts messages and
# remembers the people and admins it sees). Per table, the columns that may change:
# - members, the actor's own row: updated_at, dm_started_at (they wrote, or sent /start);
# - memberships, the actor in a group they wrote in: last_seen;
# - activity_daily, the actor in a group they wrote in: messages (their own message counted);
# - message_authors: a row for each message the actor wrote in a group (ids only);
# - chats, a group the actor wrote in: last_message_id, updated_at (the message counted);
# - chat_admins: a group's rows may become Telegram's current admin list, seen_at refreshed
#   (an admin check that asked Telegram remembers its answer; compared on its own).
LEGIT = {
    "members": ("updated_at", "dm_started_at"),
    "memberships": ("last_seen",),
    "activity_daily": ("messages",),
    "chats": ("last_message_id", "updated_at"),
}


async def dump(rete) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (buffered activity and thanks written first)."""
    await rete.db.flush()
    tables = await rete.db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    )
    snapshot = {}
    for (name,) in tables:
        rows = [dict(row) for row in await rete.db.fetchall(f'SELECT * FROM "{name}"')]
        snapshot[name] = sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, default=str))
    return snapshot


def _masked(snapshot, actor_id: int | None, wrote: set[tuple[int, int]]):
    """The snapshot as comparable lines, without what LEGIT lets the actor's contact change.

    ``wrote`` holds (chat, message id) of every message the actor sent in a group.
    """
    groups = {chat_id for chat_id, _ in wrote}
    out = {}
    for table, rows in snapshot.items():
        if table == "chat_admins":
            continue  # compared on its own: see _admins_changed
        if table == "handled_updates":
            continue  # every update's id is claimed, an attacker's too: delivery, not state
        kept = []
        for row in rows:
            row = dict(row)
            own = actor_id is not None and row.get("member_id") == actor_id
            if table == "message_authors" and own and (row["chat_id"], row["message_id"]) in wrote:
                continue
            if (
                (table == "members" and actor_id is not None and row["id"] == actor_id)
                or (
                    table in ("memberships", "activity_daily") and own and row["chat_id"] in groups
                )
                or (table == "chats" and row["id"] in groups)
            ):
                for column in LEGIT[table]:
                    row.pop(column, None)
            kept.append(json.dumps(row, sort_keys=True, default=str))
        out[table] = sorted(kept)
    return out


def _admin_sets(snapshot) -> dict[int, set[int]]:
    sets: dict[int, set[int]] = {}
    for row in snapshot.get("chat_admins", []):
        sets.setdefault(row["chat_id"], set()).add(row["member_id"])
    return sets


def _admins_changed(before, after, telegram) -> list[str]:
    problems = []
    was, now = _admin_sets(before), _admin_sets(after)
    for chat_id in set(was) | set(now):
        listed = {
            a["user"]["id"]
            for a in telegram.chat_admins.get(chat_id, [])
            if not a["user"]["is_bot"]
        }
        if now.get(chat_id, set()) not in (was.get(chat_id, set()), listed):
            problems.append(f"chat_admins of {chat_id}: {was.get(chat_id)} -> {now.get(chat_id)}")
    return problems


def db_changes(before, after, actor_id, wrote, telegram) -> list[str]:
    """What changed beyond LEGIT, as readable lines."""
    problems = _admins_changed(before, after, telegram)
    old, new = _masked(before, actor_id, wrote), _masked(after, actor_id, wrote)
    for table in sorted(set(old) | set(new)):
        gone = sorted(set(old.get(table, [])) - set(new.get(table, [])))
        added = sorted(set(new.get(table, [])) - set(old.get(table, [])))
        problems += [f"{table}: - {row}" for row in gone[:3]]
        problems += [f"{table}: + {row}" for row in added[:3]]
    return problems


# ---- what a refusal looks like -------------------------------------------------------------

# Catalog messages that refuse (trust policy, admin-only, wrong place, stale or forged data,
# bad input); a fix may add its own, so the families are matched, not a fixed list.
REFUSAL_IDS = re.compile(
    r"^trust-|not-admin$|not-member|not-allowed|refus|too-often|too-many|limit|enough|daily"
    r"|-cap$|-cap-|bound"
    r"|-group-only$|^settings-private$|^recap-private$|^intros-stats-in-group$"
    r"|^prompts-suggest-(private|usage|gone)$|^intros-meet-(private|not-joined)$"
    r"|^intros-(button-stale|join-unknown|join-off|introduce-cannot|introduce-not-person"
    r"|introduce-bot|unknown-username)$"
    r"|^intros-tags?-(empty|html|invalid|too-long|no-words|too-many|kind-full)$"
    r"|^asks-(button-stale|not-yours|closed|off)$"
    r"|anonymous$|^ledger-profile-unknown$|^privacy-nothing$|^settings-panel-(forged|stale)$"
    r"|^network-(reminder|tie)-gone$"
)
_HOLE = "\ue000"


def _catalog_pattern(catalog: Catalog, language: str, key: str) -> re.Pattern[str] | None:
    """The message as members read it (plain text), any argument matching anything."""
    args: dict[str, str] = {}
    for _ in range(12):
        try:
            text = catalog.text(language, key, **args)
        except ValueError as error:
            missing = re.search(r"Unknown external: (\w+)", str(error))
            if missing is None:
                return None
            args[missing[1]] = _HOLE
            continue
        plain = parse_html(text)[0]
        return re.compile(".*?".join(re.escape(part) for part in plain.split(_HOLE)), re.S)
    return None


CATALOG = Catalog()
REFUSALS = [
    pattern
    for language in LANGUAGES
    for key in sorted(CATALOG.ids(language))
    if REFUSAL_IDS.search(key)
    if (pattern := _catalog_pattern(CATALOG, language, key)) is not None
]
WELCOME = [_catalog_pattern(CATALOG, language, "start-welcome") for language in LANGUAGES]


def is_refusal(text: str) -> bool:
    return any(pattern.fullmatch(text.strip()) for pattern in REFUSALS)


# ---- actors and attacks --------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who attacks: a person (private chat, buttons, maybe a group) or a chat speaking."""

    key: str
    user: dict | None  # the person; None for a channel or an anonymous admin
    group: dict | None = None  # where their group messages go
    sender_chat: dict | None = None  # writing as a chat (anonymous admin, channel)
    demoted: bool = False  # Rete cached them as admin of X; Telegram no longer lists them
    secrets: tuple[str, ...] = X_SECRETS


STRANGER = Actor("stranger", SAM)
OTHER_MEMBER = Actor("other-group-member", YARA, group=Y)
OTHER_ADMIN = Actor("other-group-admin", BEA, group=Y)
# They were in X: its title and people are no secret to them, its members' tags are.
GONE_SECRETS = ("kayak", "woodturning", "sailmate", "secretgarden")
LEFT = Actor("left-member", LEO, secrets=GONE_SECRETS)
BANNED = Actor("banned-member", KEN, secrets=GONE_SECRETS)
DEMOTED = Actor("demoted-admin", DARIO, group=X, demoted=True, secrets=PRIVATE_TAGS)
# An anonymous admin of Y: as Y in Y (acting on X's people), and a forged "as Y" inside X.
ANON_OTHER = Actor("anonymous-admin-of-Y", None, group=Y, sender_chat=Y)
ANON_FORGED = Actor("anonymous-admin-of-Y-in-X", None, group=X, sender_chat=Y)
A_CHANNEL = Actor("channel", None, group=X, sender_chat=CHANNEL, secrets=PRIVATE_TAGS)
X_ADMIN = Actor("admin-of-X", ANNA, group=X, secrets=PRIVATE_TAGS)
MEMBER = Actor("member-of-X", BRUNO, group=X, secrets=PRIVATE_TAGS)
# Lists in X name members who are in it, joined introductions and are not hidden.
LISTS_READER = Actor("member-of-X", BRUNO, group=X, secrets=("Hedy", "Leo", "Ken"))


Make = Callable[[World, Actor], list[dict]]


@dataclass(frozen=True)
class Attack:
    """One thing the actor sends, and what they may get back.

    expect: "refusal" (every answer a refusal, at least one), "silence" (no answer with
    text), "welcome" (the /start welcome: a payload Rete does not know), "any" (an answer of
    the actor's own, e.g. their own data or public help; still nothing changes).
    """

    name: str
    make: Make
    expect: str = "refusal"


def privately(text: str, expect: str = "refusal") -> Attack:
    """The actor writes ``text`` in their private chat with Rete."""

    def make(world: World, actor: Actor) -> list[dict]:
        assert actor.user is not None
        return [f.message_update(text_message(private(actor.user), actor.user, text))]

    return Attack(f"private {text}", make, expect)


def start(payload: str, expect: str = "refusal") -> Attack:
    attack = privately(f"/start {payload}", expect)
    return Attack(f"deep link {payload}", attack.make, expect)


def in_group(
    text: str, expect: str = "refusal", *, reply_to: str | None = None, name: str | None = None
) -> Attack:
    """The actor writes ``text`` in their group (as themselves, or as their chat)."""

    def make(world: World, actor: Actor) -> list[dict]:
        assert actor.group is not None
        target = getattr(world, reply_to) if reply_to else None
        msg = text_message(
            actor.group, actor.user, text, sender_chat=actor.sender_chat, reply_to=target
        )
        return [f.message_update(msg)]

    label = name or (f"{text} (replying to {reply_to})" if reply_to else text)
    return Attack(label, make, expect)


def edited(text: str) -> Attack:
    """The actor edits a message of theirs into ``text``: commands act on new messages only."""

    def make(world: World, actor: Actor) -> list[dict]:
        assert actor.group is not None
        msg = text_message(actor.group, actor.user, text, sender_chat=actor.sender_chat)
        return [f.message_update(msg, edited=True)]

    return Attack(f"edited into {text}", make, "silence")


def press(
    data: str | Callable[[World], str],
    expect: str = "refusal",
    name: str = "",
    *,
    under: str | None = None,
) -> Attack:
    """The actor presses a button (forged data) under one of Rete's messages.

    The message is a DM to them, or (``under``) a message of Rete in that group, and it
    shows the button pressed: the strongest forgery, as if Rete had sent that button there.
    """

    def make(world: World, actor: Actor) -> list[dict]:
        assert actor.user is not None
        chat = {"X": X, "Y": Y}[under] if under else private(actor.user)
        message = {
            "message_id": f.next_message_id(chat["id"]),
            "from": {
                "id": 123456,
                "is_bot": True,
                "first_name": "Rete",
                "username": "rete_test_bot",
            },
            "chat": chat,
            "date": f.now(),
            "text": "…",
        }
        raw = data(world) if callable(data) else data
        message["reply_markup"] = {"inline_keyboard": [[{"text": "…", "callback_data": raw}]]}
        return [f.callback_query(actor.user, raw, message)]

    label = name or (f"button {data}" if isinstance(data, str) else "button")
    if under:
        label += f" (under a message in {under})"
    return Attack(label, make, expect)


def react(chat: str, emoji: str = "👍", expect: str = "silence") -> Attack:
    """The actor reacts to one of Rete's messages (in a group, or in their private chat)."""

    def make(world: World, actor: Actor) -> list[dict]:
        where = {"X": X, "Y": Y}.get(chat) or private(actor.user)
        update = {
            "message_reaction": {
                "chat": where,
                "message_id": world.carla_message["message_id"] if chat == "X" else 1,
                "date": f.now(),
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": emoji}],
            }
        }
        if actor.user is not None:
            update["message_reaction"]["user"] = actor.user
        else:
            update["message_reaction"]["actor_chat"] = actor.sender_chat
        return [update]

    return Attack(f"reaction {emoji} in {chat}", make, expect)


# Forged numbers: other group, other member, huge, negative, non-ASCII digits, missing, extra.
HUGE = "9" * 25
SUPERSCRIPT_TWO = "²"  # str.isdigit() is True, int() refuses it
ARABIC_X = "-١٠٠١"  # -1001 in Arabic-Indic digits: int() accepts it


def _digits(number: int, zero: str) -> str:
    """``number`` written with the digits that start at ``zero`` (Arabic-Indic, fullwidth...)."""
    return "".join(chr(ord(zero) + int(d)) for d in str(number))


def _meet(w):
    return w.meet_intro


def _manual(w):
    return w.manual_intro


PRIVATE_COMMANDS = [
    privately("/settings"),
    privately("/impostazioni lingua it"),
    privately("/prompts on"),
    privately("/spunti attiva"),
    privately("/ledger export"),
    privately("/unthank"),
    privately("/intros stats"),
    privately("/presentazioni statistiche"),
    privately("/recap"),
    privately("/riepilogo anteprima"),
    privately("/introduce @bruno @carla"),
    privately("/presenta @bruno @carla"),
    privately("/suggest Who wants to be hacked?"),
    privately("/suggerisci Chi vuole essere hackerato?"),
    privately("/whoknows python"),
    privately("/chisa python"),
    privately("/thanks"),
    privately("/grazie"),
    privately("/ty"),
    privately("/helpers"),
    privately("/classifica"),
    privately("/profile @bruno"),
    privately("/profilo @bruno"),
    privately("/registro esporta"),
    privately("/annullagrazie"),
    privately("/start", expect="any"),
    privately("/help", expect="any"),
    privately("/aiuto", expect="any"),
    privately("/privacy", expect="any"),
    privately("/intros", expect="any"),
    privately("/interests", expect="any"),
    privately("/interessi", expect="any"),
    # Their own network (none, or their own ties): about nobody else.
    privately("/network", expect="any"),
    privately("/contatti", expect="any"),
    # Free text in private: a hint and the menu, about nobody else.
    privately("hello, anyone there?", expect="any"),
]
MEET_NOT_JOINED = [privately("/meet"), privately("/incontra")]

DEEP_LINKS = [
    start("intros"),
    start("intros-j"),
    start("intros-jabc"),
    start("intros-j0"),
    start("intros-p1001"),
    start("intros-x1001"),
    start("intros-j-1001"),
    start("intros-a0"),
    start("intros-a999999999999999999"),
    start("privacy-200", expect="any"),
    start("interests-200", expect="any"),
    start("help-200", expect="any"),
    start("network", expect="any"),
    start("ledger-1001", expect="welcome"),
    start("settings-1001", expect="welcome"),
    start("prompts-1001", expect="welcome"),
    start("x" * 30, expect="welcome"),
    # The button under a group's welcome: only for that group's current members.
    start("welcome"),
    start("welcome-j"),
    start("welcome-jabc"),
    start("welcome-j0"),
    start("welcome-p1001"),
    start("welcome-j1001"),
    start("welcome-j" + "9" * 20),
]


def _intro_links():
    def link(which: str) -> Attack:
        def make(world: World, actor: Actor) -> list[dict]:
            intro_id = getattr(world, which)
            text = f"/start intros-a{intro_id}"
            assert actor.user is not None
            return [f.message_update(text_message(private(actor.user), actor.user, text))]

        return Attack(f"deep link intros-a<{which}>", make)

    return [link("meet_intro"), link("manual_intro")]


INTRO_BUTTONS = [
    press("in:j:"),
    press("in:j:abc"),
    press("in:j:0"),
    press("in:p:-1001:9999"),
    press("in:p:-1001"),
    press(lambda w: f"in:w:{_meet(w)}", name="button in:w:<meet intro>"),
    press(lambda w: f"in:s:{_meet(w)}", name="button in:s:<meet intro>"),
    press(lambda w: f"in:n:{_meet(w)}", name="button in:n:<meet intro>"),
    press(lambda w: f"in:n:{_meet(w)}:200", name="button in:n:<meet intro>:200 (extra)"),
    press(lambda w: f"in:w:-{_meet(w)}", name="button in:w:-<meet intro>"),
    press(lambda w: f"in:f:{_meet(w)}:y", name="button in:f:<meet intro>:y"),
    press(lambda w: f"in:f:{_meet(w)}:z", name="button in:f:<meet intro>:z"),
    press(lambda w: f"in:f:{_meet(w)}", name="button in:f:<meet intro> (missing)"),
    press(lambda w: f"in:a:{_manual(w)}:y", name="button in:a:<manual intro>:y"),
    press(lambda w: f"in:a:{_manual(w)}:n", name="button in:a:<manual intro>:n"),
    press(lambda w: f"in:a:{_manual(w)}", name="button in:a:<manual intro> (missing)"),
    press("in:zz:1"),
    press("in:"),
]
# Pause, stop, restart in X: someone's own opt-in (a stranger has none; one who left has).
STATUS_BUTTONS_X = [press("in:p:-1001:14"), press("in:x:-1001"), press("in:r:-1001")]
TAG_BUTTONS = [
    press("tg:a:x:python"),
    press("tg:a:i:"),
    press("tg:a:i:<b>x</b>"),
    press("tg:a:i:" + "long" * 12),
    press("tg:a"),
    press("tg:t:z"),
    press("tg:zz"),
    press("tg:"),
]
SUGGESTION_BUTTONS = [
    press(lambda w: f"psg:a:{w.suggestion_x}", name="button psg:a:<X's suggestion>"),
    press(lambda w: f"psg:r:{w.suggestion_x}", name="button psg:r:<X's suggestion>"),
    press(lambda w: f"psg:a:{w.suggestion_x}:1", name="button psg:a:<X's suggestion>:1"),
    press(lambda w: f"psg:zz:{w.suggestion_x}", name="button psg:zz:<X's suggestion>"),
    press("psg:a:-1"),
    press("psg:a:"),
    press("psg:a"),
    press("psg:"),
]
SUGGESTION_Y = [
    press(lambda w: f"psg:a:{w.suggestion_y}", name="button psg:a:<Y's suggestion>"),
    press(lambda w: f"psg:r:{w.suggestion_y}", name="button psg:r:<Y's suggestion>"),
]
# The private menu (mn:): the presser's own panels; forged or misplaced data is refused.
MENU_BUTTONS = [
    press("mn:interests", expect="any"),
    press("mn:intros", expect="any"),
    press("mn:privacy", expect="any"),
    press("mn:"),
    press("mn:zz"),
    press("mn:intros:-1001"),
    press("mn:privacy", under="X"),
    press("mn:interests", under="Y"),
]
PRIVACY_BUTTONS = [
    press("privacy:", expect="silence"),
    press("privacy:bogus", expect="silence"),
    press("privacy:confirm:200", expect="silence"),
    press("privacy:hide:200", expect="silence"),
    press("privacy:delete:200", expect="silence"),
]
# /network's buttons (nw:): Bruno's and Carla's tie (his thanks), Hedy's, forged numbers.
NETWORK_BUTTONS = [
    press("nw:r:200:-1001:1"),
    press("nw:r:201:-1001:3"),
    press("nw:w:201:-1001"),
    press("nw:t:200:-1001:0"),
    press("nw:i:201:-1001"),
    press("nw:j:200:-1001:201"),
    press("nw:l:200"),
    press("nw:s:201"),
    press(f"nw:r:{SUPERSCRIPT_TWO}:-1001:1"),
    press(f"nw:t:201:{ARABIC_X}:0", name="button nw:t:201:<-1001 in Arabic-Indic digits>:0"),
    press(f"nw:w:{HUGE}:-1001"),
    press("nw:r:201:-1001:1:extra"),
    press("nw:zz"),
]
PRIVATE_ALL = [
    *PRIVATE_COMMANDS,
    *NETWORK_BUTTONS,
    *DEEP_LINKS,
    *_intro_links(),
    *INTRO_BUTTONS,
    *TAG_BUTTONS,
    *SUGGESTION_BUTTONS,
    *PRIVACY_BUTTONS,
    *MENU_BUTTONS,
]
# One who left X: everything but their own tags panel (see the tag-suggestions xfail).
PRIVATE_GONE = [a for a in PRIVATE_ALL if "interes" not in a.name]

# Every admin command and subcommand, English and Italian names.
ADMIN_COMMANDS = [
    in_group("/settings"),
    in_group("/impostazioni"),
    in_group("/settings language it"),
    in_group("/impostazioni lingua it"),
    in_group("/settings timezone Asia/Tokyo"),
    in_group("/settings fuso Asia/Tokyo"),
    in_group("/settings topic"),
    in_group("/settings argomento off"),
    in_group("/settings ledger off"),
    in_group("/settings registro off"),
    in_group("/settings reactions 💩"),
    in_group("/settings reazioni off"),
    in_group("/settings quota 50"),
    in_group("/settings paircap 20"),
    in_group("/settings coppia 20"),
    in_group("/settings prompts on"),
    in_group("/settings spunti on"),
    in_group("/settings promptschedule daily 12:00"),
    in_group("/settings orariospunti ogni giorno 12:00"),
    in_group("/settings quiethours off"),
    in_group("/settings silenzio off"),
    in_group("/settings promptpin on"),
    in_group("/settings fissaspunti on"),
    in_group("/settings promptbusy 500"),
    in_group("/settings sogliaspunti 1"),
    in_group("/settings recap off"),
    in_group("/settings riepilogo off"),
    in_group("/settings recapday sun"),
    in_group("/settings giornoriepilogo dom"),
    in_group("/settings recaptime 18:00"),
    in_group("/settings orariepilogo 18:00"),
    in_group("/settings recapimage off"),
    in_group("/settings immagineriepilogo off"),
    in_group("/settings intros off"),
    in_group("/settings presentazioni off"),
    in_group("/settings introsevery 4"),
    in_group("/settings presentazioniogni mensile"),
    in_group("/settings introsday sunday"),
    in_group("/settings presentazionigiorno domenica"),
    in_group("/settings introstime 23:00"),
    in_group("/settings presentazioniora 23:00"),
    in_group("/settings introsrepeat 52"),
    in_group("/settings presentazioniripeti 1"),
    in_group("/settings introsfollowup 30"),
    in_group("/settings presentazioniverifica 1"),
    in_group("/settings welcome off"),
    in_group("/impostazioni benvenuto off"),
    in_group("/prompts"),
    in_group("/spunti"),
    in_group("/prompts on"),
    in_group("/spunti attiva"),
    in_group("/prompts off"),
    in_group("/spunti spegni"),
    in_group("/prompts schedule daily 12:00"),
    in_group("/spunti orario ogni giorno 12:00 Asia/Tokyo"),
    in_group("/prompts quiet off"),
    in_group("/spunti silenzio 01:00-02:00"),
    in_group("/prompts topic"),
    in_group("/spunti argomento off"),
    in_group("/prompts pin on"),
    in_group("/spunti fissa on"),
    in_group("/prompts busy 500"),
    in_group("/spunti soglia 1"),
    in_group("/prompts add Pwned?"),
    in_group("/spunti aggiungi Pwned?"),
    in_group("/prompts list"),
    in_group("/spunti elenco 2"),
    in_group("/prompts remove 1"),
    in_group("/spunti rimuovi 1"),
    in_group("/spunti togli 33"),
    in_group("/prompts now"),
    in_group("/spunti adesso"),
    in_group("/prompts next"),
    in_group("/spunti prossimo"),
    in_group("/prompts suggestions"),
    in_group("/spunti proposte"),
    in_group("/ledger export"),
    in_group("/ledger esporta"),
    in_group("/unthank", reply_to="thanks_message"),
    in_group("/introduce @bruno @carla"),
    in_group("/presenta @carla @bruno a note"),
    in_group("/introduce @carla", reply_to="bruno_message"),
]
# Admin commands that check the cached admin list only (no fresh check): see the xfails.
ADMIN_STATS = [
    in_group("/intros stats"),
    in_group("/intros statistiche"),
    in_group("/presentazioni numeri"),
]
ADMIN_PREVIEW = [
    in_group("/recap preview"),
    in_group("/recap anteprima"),
    in_group("/riepilogo anteprima"),
]


# ---- the runner ----------------------------------------------------------------------------

SENDS = ("sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage")


def _shown(call) -> str:
    """Everything a call shows: text or caption, and its buttons' labels, data and links."""
    parts = []
    result = call.result if isinstance(call.result, dict) else {}
    parts.append(result.get("text") or result.get("caption") or str(call.params.get("text", "")))
    markup = call.params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            parts += [str(value) for value in button.values()]
    # Text files too (a ledger CSV, a privacy export): what is in them is shown.
    for upload in call.files.values():
        try:
            parts.append(upload.content.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(f"<{upload.filename}>")  # a chart
    return "\n".join(part for part in parts if part)


async def prime_demoted(rete) -> None:
    """Rete caches Dario as an admin of X; then Telegram's list changes (he was demoted)."""
    policy = rete.app.bot_data["policy"]
    rete.telegram.set_admins(X["id"], ANNA, DARIO)
    await policy.admin_ids(X["id"], fresh=True)
    rete.telegram.set_admins(X["id"], ANNA)
    assert await policy.is_admin(X["id"], PolicyActor(DARIO["id"])), "Rete still believes"


async def attack(rete, world: World, actor: Actor, how: Attack, caplog) -> list[str]:
    """Run one attack; return what went wrong (empty: refused, nothing changed)."""
    if actor.demoted:
        await prime_demoted(rete)
    tg = rete.telegram
    before = await dump(rete)
    first_call, first_log = len(tg.calls), len(caplog.records)
    updates = how.make(world, actor)
    await rete.send(*updates)
    after = await dump(rete)
    calls = tg.calls[first_call:]
    label = f"[{actor.key}] {how.name}"
    wrote = {
        (u["message"]["chat"]["id"], u["message"]["message_id"])
        for u in updates
        if "message" in u and u["message"]["chat"]["type"] != "private"
    }
    wrote_in = {chat_id for chat_id, _ in wrote}
    pressed_in = {
        u["callback_query"]["message"]["chat"]["id"]
        for u in updates
        if "callback_query" in u and "message" in u["callback_query"]
    }
    person = actor.user["id"] if actor.user else None
    problems = [
        f"{label}: database changed: {line}"
        for line in db_changes(before, after, person, wrote, tg)
    ]
    problems += [
        f"{label}: crashed: {r.getMessage()[:160]}"
        for r in caplog.records[first_log:]
        if r.levelno >= logging.ERROR
    ]
    # (the text the actor reads, everything the answer shows: text, buttons, links)
    answers: list[tuple[str, str]] = []
    for call in calls:
        if call.method in SENDS or call.method.startswith("edit"):
            target = tg._call_chat_id(call)
            if target == person or target in wrote_in | pressed_in:
                result = call.result if isinstance(call.result, dict) else {}
                said = result.get("text") or result.get("caption") or f"<{call.method}>"
                answers.append((said, _shown(call)))
            else:
                kind = "a DM to" if isinstance(target, int) and target > 0 else "a post in"
                problems.append(f"{label}: {call.method} sent {kind} {target}: {_shown(call)!r}")
        elif call.method == "answerCallbackQuery" and call.params.get("text"):
            answers.append((str(call.params["text"]), str(call.params["text"])))
    for _said, shown in answers:
        leaked = [secret for secret in actor.secrets if secret in shown]
        if leaked:
            problems.append(f"{label}: the answer shows {leaked}: {shown[:200]!r}")
    if how.expect == "refusal":
        if not answers:
            problems.append(f"{label}: no answer at all (a refusal is answered)")
        problems += [
            f"{label}: answered, not refused: {shown[:200]!r}"
            for said, shown in answers
            if not is_refusal(said)
        ]
    elif how.expect == "silence" and answers:
        problems.append(f"{label}: expected silence, got {answers[0][1][:200]!r}")
    elif how.expect == "welcome":
        problems += [
            f"{label}: expected the welcome, got {said[:200]!r}"
            for said, _shown_all in answers
            if not any(p is not None and p.fullmatch(said) for p in WELCOME)
        ]
    return problems


def xfail(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


Leg = tuple[Actor, Sequence[Attack]]


def case(family: str, *legs: Leg, marks: Sequence[Any] = ()) -> Any:
    """One test: these actors, each sending these attacks (one Rete, one world)."""
    actors = "+".join(actor.key for actor, _ in legs)
    return pytest.param(list(legs), id=f"{family}[{actors}]", marks=list(marks))


# ---- the matrix ----------------------------------------------------------------------------

JOIN_X = [start("intros-j1001"), press("in:j:-1001")]
JOIN_Y = [start("intros-j1002"), press("in:j:-1002")]
JOIN_X_FORGED = [
    press(f"in:j:{ARABIC_X}", name="button in:j:<-1001 in Arabic-Indic digits>"),
    press("in:j:-1001:extra", name="button in:j:-1001:extra"),
    press("in:j:-1001:-1002", name="button in:j:-1001:-1002"),
]
CRASHY_NUMBERS = [
    press(f"in:j:{SUPERSCRIPT_TWO}"),
    press(f"in:j:{HUGE}"),
    press(f"in:j:-{HUGE}"),
    press(f"in:w:{HUGE}"),
    press(f"in:p:-1001:{SUPERSCRIPT_TWO}"),
    press(f"psg:a:{SUPERSCRIPT_TWO}"),
    press(f"psg:r:{HUGE}"),
    start("intros-j" + "9" * 20),
]
INTRODUCE_X_PEOPLE = [
    in_group("/introduce @bruno @carla"),
    in_group("/presenta @carla @bruno hello"),
    in_group("/introduce @yara @bruno"),
]
INTRODUCE_NON_MEMBERS_OF_X = [
    in_group("/introduce @yara @yuri"),
    in_group("/presenta @bruno @yara"),
    in_group("/introduce @leo @bruno"),
    in_group("/introduce @ken @carla"),
    in_group("/introduce @gino @bruno"),
    in_group("/introduce @sam @bruno"),
]
PSG_UNDER_GROUP_MESSAGE = [
    press(lambda w: f"psg:a:{w.suggestion_x}", name="button psg:a:<X's>", under="X"),
    press(lambda w: f"psg:r:{w.suggestion_x}", name="button psg:r:<X's>", under="X"),
    press(lambda w: f"psg:a:{w.suggestion_y}", name="button psg:a:<Y's>", under="X"),
]
# The /settings panel's buttons, under a message of Rete in X: every tap asks Telegram.
PANEL_X = [
    press("st:-1001:s:recap:off", under="X"),
    press("st:-1001:s:language:en", under="X"),
    press("st:-1001:s:intros:on", under="X"),
    press("st:-1001:p:recap", under="X"),
    press("st:-1001:t", under="X"),
    press("st:-1001:h", under="X"),
    press("st:-1001:x", under="X"),
]
# What no panel sends, pressed by an admin of X: another group's id, a DM, no such setting,
# a value no button offers, digits that are not ASCII, too long, no such action.
PANEL_FORGED = [
    press("st:-1002:s:recap:off", under="X"),
    press("st:-1001:s:recap:off"),
    press("st:-1001:s:colour:blue", under="X"),
    press("st:-1001:s:timezone:UTC", under="X"),
    press("st:-1001:s:quota:50", under="X"),
    press(f"st:-1001:s:quota:{SUPERSCRIPT_TWO}", under="X"),
    press(f"st:{ARABIC_X}:h", under="X", name="button st:<-1001 in Arabic-Indic digits>:h"),
    press("st:-1001:s:recaptime:" + "9" * 60, under="X", name="button st:-1001:<overlong>"),
    press("st:-1001:s:recap:off:extra", under="X"),
    press("st:-1001:zz", under="X"),
    press("st:", under="X"),
]
CHANNEL_IN_X = [
    *ADMIN_COMMANDS,
    *ADMIN_STATS,
    *ADMIN_PREVIEW,
    in_group("/thanks", reply_to="carla_message"),
    in_group("/grazie mille", reply_to="carla_message"),
    in_group("/ty", reply_to="carla_message"),
    in_group("thank you @carla", expect="silence", name="thank-you words to @carla"),
    in_group("/suggest Pwned?"),
    in_group("/suggerisci Pwned?"),
    in_group("/interests", expect="silence"),
    in_group("/meet", expect="silence"),
    in_group("/helpers", expect="any"),
    in_group("/profile", expect="any"),
    in_group("/whoknows python", expect="any"),
    in_group("/intros", expect="any"),
    in_group("/privacy", expect="any"),
    in_group("/help", expect="any"),
    in_group("/network", expect="silence"),
    react("X"),
]

# Asks (handlers/asks): forged buttons name asks that do not exist or are not the actor's;
# asks are off in X, so an ask there is refused before anything is recorded.
ASK_BUTTONS = [
    press("ak:h:1"),
    press("ak:y:1:201"),
    press("ak:d:1"),
    press("ak:w:1:201:1"),
    press("ak:p:1"),
    press(f"ak:h:{HUGE}"),
    press("ak:h:-1"),
    press("ak:o:0:7"),
]
ASK_COMMANDS = [
    in_group("/ask help with #python"),
    in_group("/chiedo aiuto con #python"),
    in_group("/asks", expect="any"),
    in_group("/richieste", expect="any"),
    in_group("/asks stats"),
]

MATRIX = [
    case(
        "asks",
        (
            STRANGER,
            [*ASK_BUTTONS, privately("/ask help #python"), privately("/asks", expect="any")],
        ),
        (MEMBER, [*ASK_COMMANDS, *ASK_BUTTONS]),
        (OTHER_MEMBER, [press("ak:h:1", under="X"), press("ak:t:1:0", under="X")]),
    ),
    # -- refused today: these must stay refused
    case(
        "private-entry-points",
        (
            STRANGER,
            [
                *PRIVATE_ALL,
                *STATUS_BUTTONS_X,
                *MEET_NOT_JOINED,
                *SUGGESTION_Y,
                press("in:r:-1002"),
                *CRASHY_NUMBERS,
                react("private"),
                react("private", "🙏"),
            ],
        ),
    ),
    case(
        "private-entry-points",
        (OTHER_MEMBER, [*PRIVATE_ALL, *STATUS_BUTTONS_X, privately("/meet", expect="any")]),
        (OTHER_ADMIN, [*PRIVATE_COMMANDS, *SUGGESTION_BUTTONS]),
    ),
    case("private-entry-points", (LEFT, PRIVATE_GONE), (BANNED, PRIVATE_GONE)),
    case(
        "group-Y-about-X",
        (
            OTHER_MEMBER,
            [
                in_group("/profile @bruno"),
                in_group("/whoknows python", expect="any"),
                in_group("/chisa python", expect="any"),
                in_group("/helpers all", expect="any"),
            ],
        ),
        (
            OTHER_ADMIN,
            [
                in_group("/unthank", expect="any", reply_to="thanks_message_id_in_y"),
                in_group("/ledger export", expect="any"),
                in_group("/intros stats", expect="any"),
                in_group("/prompts suggestions", expect="any"),
                in_group("/recap preview", expect="any"),
            ],
        ),
    ),
    case(
        "admin-commands",
        (
            DEMOTED,
            [
                *ADMIN_COMMANDS,
                in_group("/settings@rete_test_bot ledger off"),
                in_group("/settings@other_bot ledger off", expect="silence"),
                edited("/settings ledger off"),
                edited("/introduce @bruno @carla"),
                edited("/prompts now"),
            ],
        ),
    ),
    case(
        "suggestion-buttons",
        (DEMOTED, [*SUGGESTION_BUTTONS[:2], *PSG_UNDER_GROUP_MESSAGE[:2]]),
        (MEMBER, PSG_UNDER_GROUP_MESSAGE),
    ),
    case(
        "anonymous-admin-of-Y",
        (ANON_FORGED, [*ADMIN_COMMANDS, *ADMIN_STATS, *ADMIN_PREVIEW]),
        (ANON_OTHER, INTRODUCE_X_PEOPLE[:2]),
    ),
    case("group-commands", (A_CHANNEL, CHANNEL_IN_X)),
    case(
        "own-records-forged-digits",
        (
            MEMBER,
            [
                press(lambda w: f"in:w:{_digits(w.meet_intro, '٠')}", name="button in:w:<ar>"),
                press(
                    lambda w: f"in:f:{_digits(w.meet_intro, '０')}:y", name="button in:f:<fw>:y"
                ),
                press(lambda w: f"in:a:{_digits(w.manual_intro, '०')}:y", name="button in:a:<dv>"),
                press(lambda w: f"in:w:+{w.meet_intro}", name="button in:w:+<meet intro>"),
                press(lambda w: f"in:w:{w.meet_intro} ", name="button in:w:<meet intro><space>"),
            ],
        ),
        (
            X_ADMIN,
            [
                press(lambda w: f"psg:a:{_digits(w.suggestion_x, '٠')}", name="button psg:a:<ar>"),
                press(
                    lambda w: f"psg:r:{_digits(w.suggestion_x, '０')}", name="button psg:r:<fw>"
                ),
            ],
        ),
    ),
    case(
        "lists",
        (
            LISTS_READER,
            [
                in_group("/whoknows python", expect="any"),
                in_group("/chisa python", expect="any"),
                in_group("/helpers all", expect="any"),
            ],
        ),
    ),
    case(
        "settings-panel",
        (STRANGER, PANEL_X),
        (OTHER_MEMBER, PANEL_X),
        (OTHER_ADMIN, [*PANEL_X, press("st:-1002:s:recap:off", under="X")]),
        (LEFT, PANEL_X),
        (BANNED, PANEL_X),
        (DEMOTED, PANEL_X),
        (MEMBER, PANEL_X),
    ),
    case("settings-panel-forged", (X_ADMIN, PANEL_FORGED)),
    case(
        "network-buttons",
        (
            MEMBER,
            [
                # His own tie with Carla, but under a message in the group: not his view.
                press("nw:r:201:-1001:1", under="X"),
                press("nw:w:201:-1001", under="X"),
                # In his own chat: pairs he is not in, a group the tie is not in, a period
                # no button offers.
                press("nw:w:202:-1001"),
                press("nw:r:201:-1002:1"),
                press("nw:r:201:-1001:2"),
                press("nw:j:201:-1001:202"),
                in_group("/network", expect="any"),
                in_group("/contatti", expect="any"),
            ],
        ),
    ),
    # -- succeed today: the correct behaviour, marked with the defect
    case(
        "join-intros",
        (STRANGER, [*JOIN_X, *JOIN_Y, *JOIN_X_FORGED]),
        (OTHER_MEMBER, JOIN_X),
        (LEFT, JOIN_X),
        (BANNED, JOIN_X),
    ),
    case(
        "meet",
        (LEFT, MEET_NOT_JOINED),
        (BANNED, MEET_NOT_JOINED),
    ),
    case(
        "introduce-non-members",
        (OTHER_ADMIN, INTRODUCE_X_PEOPLE),
        (X_ADMIN, INTRODUCE_NON_MEMBERS_OF_X),
    ),
    case(
        "intros-stats",
        (DEMOTED, ADMIN_STATS),
    ),
    case("recap-preview", (DEMOTED, ADMIN_PREVIEW)),
    case(
        "tag-suggestions",
        (MEMBER, [privately("/interests", expect="any"), start("interests", expect="any")]),
    ),
    case(
        "welcome-link",
        (MEMBER, [start("welcome-j1001", expect="any"), start("welcome-j1002")]),
        (OTHER_MEMBER, [start("welcome-j1002", expect="any"), start("welcome-j1001")]),
    ),
    case(
        "tag-suggestions",
        (LEFT, [privately("/interests", expect="any")]),
        (BANNED, [privately("/interessi", expect="any")]),
    ),
]


@pytest.mark.parametrize("legs", MATRIX)
async def test_attack_is_refused_and_changes_nothing(rete, world, caplog, legs):
    problems: list[str] = []
    for actor, attacks in legs:
        for how in attacks:
            problems += await attack(rete, world, actor, how, caplog)
    assert not problems, "\n".join(problems)


# ---- scenarios the matrix cannot express ---------------------------------------------------

# Who left and who was banned: recorded by Rete (Leo, Ken), or missed (Gino, Ugo: Telegram
# says left / kicked). Either way they are introduced to nobody.
GONE = [
    pytest.param((LEO, KEN), id="recorded"),
    pytest.param((GINO, UGO), id="unseen"),
]


async def _make_gone_attractive(rete, gone) -> None:
    """The gone opted in before going; the first seeks what Bruno offers (his best match)."""
    first, second = gone
    await send_all(
        rete,
        [
            f.command(private(first), first, "/interests python, kayak"),
            f.command(private(first), first, "/interests seek woodturning"),
            f.command(private(second), second, "/interests python, kayak"),
        ],
    )
    for user in gone:
        if await rete.db.intros.optin(X["id"], user["id"]) is None:
            await rete.db.intros.join(X["id"], info(user), rete.now())
    rete.telegram.clear_calls()


async def _gone_introduced(rete, gone) -> list[str]:
    ids = [user["id"] for user in gone]
    rows = await rete.db.fetchall(
        # A member dropped from an introduction before its DMs went out stays on record
        # as dropped (dm_state 'failed'): nobody is introduced to them.
        "SELECT member_id FROM intro_members JOIN intros ON intros.id = intro_id "
        "WHERE status IN ('active', 'pending') AND dm_state != 'failed' "
        "AND member_id IN (?, ?)",
        ids,
    )
    problems = [f"member {row[0]} is in an introduction" for row in rows]
    for user in gone:
        problems += [f"a DM went to {user['first_name']}" for _ in rete.telegram.sent(user["id"])]
        problems += [
            f"a DM to {call.params.get('chat_id')} introduces {user['first_name']}"
            for call in rete.telegram.sent()
            if f"@{user['username']}" in call.result["text"]
        ]
    return problems


# X's first round: weekly (introsevery 1) on Monday at 10:00 in Rome, after the clock's start.
ROUND_SLOT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("gone", GONE)
async def test_a_round_never_introduces_who_is_gone(rete, world, gone):
    await _make_gone_attractive(rete, gone)
    await rete.tick(ROUND_SLOT + timedelta(minutes=1))
    assert rete.telegram.sent(BRUNO["id"]), "the round ran and introduced Bruno"
    assert await _gone_introduced(rete, gone) == []


@pytest.mark.parametrize("gone", GONE)
async def test_meet_never_pairs_with_who_is_gone(rete, world, gone):
    await _make_gone_attractive(rete, gone)
    await rete.send(f.command(private(BRUNO), BRUNO, "/meet"))
    assert await _gone_introduced(rete, gone) == []


HELPERS = [
    f.user(500 + n, f"Helper{n}", username=f"helper{n}", language_code="en") for n in range(10)
]


async def test_hand_introductions_have_a_daily_bound_per_group(rete, world):
    for user in HELPERS:
        rete.telegram.statuses[(X["id"], user["id"])] = "member"
    await send_all(
        rete,
        [f.command(private(user), user, "/start") for user in HELPERS]
        + [f.message_update(f.message(X, user, "ciao")) for user in HELPERS],
    )
    pairs = [(a, b) for i, a in enumerate(HELPERS) for b in HELPERS[i + 1 :]]
    made: list[int] = []
    refused_at: int | None = None
    for number, (a, b) in enumerate(pairs):
        rete.telegram.clear_calls()
        msg = text_message(X, ANNA, f"/introduce @{a['username']} @{b['username']}")
        await rete.send(f.message_update(msg))
        dms = [c for c in rete.telegram.sent() if c.params.get("chat_id") in (a["id"], b["id"])]
        if refused_at is None and not dms:
            refused_at = number
            assert is_refusal(rete.last_text(X["id"])), rete.last_text(X["id"])
        elif refused_at is not None:
            assert not dms, f"introduction {number} went out after the bound was reached"
        if dms:
            made.append(number)
    assert refused_at is not None, f"all {len(pairs)} hand introductions of one day went out"
    assert made, "the first hand introductions of the day go out"
    # The next day the bound starts again.
    rete.clock.advance(timedelta(days=1))
    rete.telegram.clear_calls()
    a, b = pairs[-1]
    msg = text_message(X, ANNA, f"/introduce @{b['username']} @{a['username']}")
    await rete.send(f.message_update(msg))
    assert rete.telegram.sent(a["id"])
    assert rete.telegram.sent(b["id"])


async def test_anonymous_admin_unthank_records_no_bot_as_member(rete, world):
    """An anonymous admin of X may void a thanks; GroupAnonymousBot is still no member."""
    msg = text_message(X, None, "/unthank", sender_chat=X, reply_to=world.thanks_message)
    await rete.send(f.message_update(msg))
    rows = await rete.db.fetchall(
        "SELECT id FROM members WHERE id = ?", (f.GROUP_ANONYMOUS_BOT["id"],)
    )
    assert list(rows) == []


# ---- the harness itself --------------------------------------------------------------------


async def test_the_harness_sees_changes_dms_and_answers(rete, world, caplog):
    """An admin of X acting for real: every check of the suite fires (it is not blind)."""
    admin = Actor("admin-of-X", ANNA, group=X, secrets=("Bruno",))
    changed = await attack(rete, world, admin, in_group("/settings ledger off"), caplog)
    assert any("database changed: chat_settings" in p for p in changed), changed
    assert any("answered, not refused" in p for p in changed), changed
    introduced = await attack(rete, world, admin, in_group("/introduce @bruno @carla"), caplog)
    assert any("sent a DM to 200" in p for p in introduced), introduced
    assert any("sent a DM to 201" in p for p in introduced), introduced
    assert any("database changed: intros: +" in p for p in introduced), introduced
    tapped = await attack(rete, world, admin, press("st:-1001:s:recap:off", under="X"), caplog)
    assert any("database changed: chat_settings" in p for p in tapped), tapped
    assert any("answered, not refused" in p for p in tapped), tapped
    exported = await attack(rete, world, admin, in_group("/ledger export"), caplog)
    assert any("the answer shows ['Bruno']" in p for p in exported), exported
    # And a refusal passes: Bruno is no admin.
    member = Actor("member-of-X", BRUNO, group=X)
    assert await attack(rete, world, member, in_group("/settings ledger off"), caplog) == []


def test_the_matrix_covers_every_entry_point(tmp_path):
    """Every command name, callback prefix and deep-link feature the bot routes is attacked."""
    settings = Settings(
        bot_token="123456:AAH-TEST-TOKEN-abcdefghijklmnopqrstuvw",
        api_base_url="http://127.0.0.1:9/bot",
        database=tmp_path / "unused.sqlite3",
    )
    application = build_application(settings)
    handlers = [h for group in application.handlers.values() for h in group]
    commands = {name for h in handlers if isinstance(h, CommandRouter) for name in h.commands}
    prefixes = {
        h.pattern.pattern.lstrip("^") for h in handlers if isinstance(h, CallbackQueryHandler)
    }
    names = [how.name for legs in MATRIX for _, attacks in legs.values[0] for how in attacks]
    said = "\n".join(names)
    missing = sorted(c for c in commands if not re.search(rf"/{c}(?![a-z])", said))
    assert not missing, f"commands no attack uses: {missing}"
    missing = sorted(p for p in prefixes if f"button {p}" not in said)
    assert not missing, f"callback prefixes no attack uses: {missing}"
    missing = sorted(k for k in ROUTED_LINKS if not re.search(rf"deep link {k}(?![a-z])", said))
    assert not missing, f"deep links no attack uses: {missing}"
