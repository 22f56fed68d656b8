"""Introductions on demand: /whoknows, /meet, and /introduce with both members' acceptance."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
    User,
)

from bot import dates
from bot.chat_settings import ChatPrefs
from bot.deeplinks import start_link
from bot.intro_rounds import history
from bot.introductions import (
    HAND_INTROS_PER_DAY,
    HAND_INTROS_WINDOW,
    MEET_CHOICES,
    MEET_EVERY,
    SEARCH_WINDOW,
    SEARCHES,
    MeetChoice,
    callback,
    candidate,
    cut_name,
    cut_note,
    intro_argument,
    meet_choices,
    rank_knowers,
    reason_record,
)
from bot.matching import Candidate, reason
from bot.policy import Refused
from bot.tags import TagError, parse_tags
from handlers.common import KeyedLocks, chat_prefs, is_group, together, user_language
from handlers.context import ReteContext
from handlers.delivery import dm, reply
from handlers.guards import answer_refusal, group_command
from handlers.intros.common import (
    _alert,
    _button,
    _edit,
    _language_of,
    _lock,
    _named,
    _own_intro,
    _plain_name,
    _proposed,
    _t,
    _title,
)
from handlers.intros.delivery import _rounds
from handlers.trust import actor_of
from storage.intro_records import NewIntro, TagHolders

# A search's ranking over at most this many holders runs on the event loop: over 50,000
# (the most a 50,000-member group gives) it takes 1.5-4 ms of CPU (python -m bench.search).
# In a worker thread the same ranking took 3-14 ms of wall time amid a busy stream, each of
# numpy's releases of the GIL waiting up to the switch interval to get it back from the
# loop (as the holder index's own array work: storage.holders._compute). More holders (a
# bigger group) go to a thread, where the loop is never held for longer.
LOOP_HOLDERS = 50_000

_R = TypeVar("_R")

log = logging.getLogger(__name__)


async def _ranked(holders: TagHolders, work: Callable[..., _R], *args: Any, **kwargs: Any) -> _R:
    """Run a ranking over ``holders`` on the loop when they are few enough, else off it."""
    if len(holders.rows) <= LOOP_HOLDERS:
        return work(*args, **kwargs)
    return await asyncio.to_thread(work, *args, **kwargs)


# ---- /whoknows -----------------------------------------------------------------------------


async def whoknows_command(update: Update, context: ReteContext) -> None:
    """/whoknows <tag>: opted-in members who offer or care about it, best matches first."""
    checked = await group_command(update, context)
    if checked is None:
        return
    message, language = checked
    raw = " ".join(context.args or [])
    try:
        tags = parse_tags(raw)
    except TagError as error:
        key = "intros-whoknows-usage" if error.key == "intros-tags-empty" else error.key
        await reply(context, message, _t(context, language, key, **error.args_))
        return
    if len(tags) != 1:
        await reply(context, message, _t(context, language, "intros-whoknows-usage"))
        return
    tag = tags[0]
    actor = actor_of(update)
    try:
        # A search over the whole group: any member may repeat it, so not too often.
        context.policy.ensure_allowed(
            "whoknows",
            actor.person if actor.person is not None else ("chat", message.chat_id),
            limit=SEARCHES,
            per=SEARCH_WINDOW,
        )
    except Refused as refused:
        await answer_refusal(context, update, refused, language)
        return
    # What is on record, beside the writes, with the group's buffered rows written first
    # (not every group's: amid a busy stream, writing the whole buffer was a third of the
    # search's time). It reads no credits: the offered thanks are not written first.
    async with context.db.reading(chats=[message.chat_id], thanks=False):
        await _whoknows_now(update, context, message, language, tag)


async def _whoknows_now(
    update: Update, context: ReteContext, message: Message, language: str, tag: str
) -> None:
    """The rest of /whoknows: the asker's profile, the search, the ten named."""
    actor = actor_of(update)
    store = context.db.intros
    asker: Candidate | None = None
    if actor.person is not None:
        asker = candidate(
            actor.person, await store.tags(actor.person), await store.never(actor.person)
        )
    # Only those who hold the tag or one of the asker's tags, as bit masks over those tags
    # (all the asker's fit reads), and how many are listed: never every member's profile.
    holders = await store.listed_holders(
        message.chat_id, sorted({tag, *(asker.tags if asker else ())})
    )
    avoided = await store.avoided_by(asker.member_id) if asker is not None else []
    found = await _ranked(holders, rank_knowers, tag, holders, asker, avoided, limit=10)
    if not found:
        await reply(context, message, _t(context, language, "intros-whoknows-none", tag=tag))
        return
    lines = [_t(context, language, "intros-whoknows-header", tag=tag)]
    # One query for the ten, not ten: each read first writes what is buffered.
    members = await context.db.members.get_many([member_id for member_id, _ in found])
    for member_id, offers in found:
        member = members.get(member_id)
        how = "offer" if offers else "interest"
        lines.append(
            _t(context, language, f"intros-whoknows-{how}", name=_named(context, language, member))
        )
    lines.append(_t(context, language, "intros-whoknows-footer"))
    await reply(context, message, "\n".join(lines))


# ---- /meet ---------------------------------------------------------------------------------

_MEET_LOCKS = "meet_locks"


async def meet_command(update: Update, context: ReteContext) -> None:
    """/meet in private: an introduction now, to the best available match (once a week)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or user.is_bot:
        return
    language = user_language(context, user)
    if is_group(message.chat):
        await reply(context, message, _t(context, language, "intros-meet-private"))
        return
    try:
        context.policy.ensure_allowed("meet", user.id, limit=SEARCHES, per=SEARCH_WINDOW)
    except Refused as refused:
        await answer_refusal(context, update, refused, language)
        return
    # /meet runs concurrently with other updates (block=False): a member's second /meet
    # waits for the first, so it sees the introduction the first made (once a week).
    # What is on record, beside the writes; each group searched has its buffered rows
    # written first (the rest of the buffer is not: see /whoknows). The offered thanks are
    # not written first: the one read of credits (the asker's ties, storage.intros
    # interacted) writes first those that may be the asker's.
    async with _meet_locks(context).hold(user.id), context.db.reading(thanks=False):
        await _meet_now(update, context, message, user, language)


def _meet_locks(context: ReteContext) -> KeyedLocks:
    locks = context.bot_data.get(_MEET_LOCKS)
    if locks is None:
        locks = context.bot_data[_MEET_LOCKS] = KeyedLocks()
    return locks


async def _meet_now(
    update: Update, context: ReteContext, message: Message, user: User, language: str
) -> None:
    """The rest of /meet, one at a time per member: the weekly check, the search, the DMs."""
    store = context.db.intros
    now = context.now()
    last = await store.last_meet(user.id)
    if last is not None and now - last < MEET_EVERY:
        # A DM belongs to no group: the day is the one the deployment's zone is in.
        zone = ZoneInfo(context.settings.default_timezone)
        await reply(
            context,
            message,
            _t(
                context,
                language,
                "intros-meet-too-soon",
                when=dates.from_day(
                    context.i18n,
                    language,
                    (last + MEET_EVERY).astimezone(zone).date(),
                    now.astimezone(zone).date(),
                ),
            ),
        )
        return
    groups = []
    for optin in await store.optins(user.id):
        prefs = await chat_prefs(context, optin.chat_id)
        if optin.active_at(now) and prefs.intros:
            groups.append((optin.chat_id, prefs))
    if not groups:
        await reply(context, message, _t(context, language, "intros-meet-not-joined"))
        return
    me = candidate(user.id, await store.tags(user.id), await store.never(user.id))
    if not (me.interests or me.offers or me.seeks):
        # Only in groups they are in now, as Telegram confirms (someone who left, or was
        # banned, is told so rather than asked for tags).
        if not await _in_groups(context, user.id, groups):
            await answer_refusal(context, update, Refused("not-member"), language)
        else:
            await reply(context, message, _t(context, language, "intros-meet-no-tags"))
        return
    # The groups' buffered rows, once, for the searches and the introduction's writes.
    async with context.db.reading(chats=[chat_id for chat_id, _ in groups], thanks=False):
        # Telegram's word on the asker runs beside the searches (a round trip each, that
        # the reply no longer waits for twice); a group they are not in now is dropped.
        present, choices = await together(
            _in_groups(context, user.id, groups), _choices(context, user, me, groups)
        )
        if not present:
            await answer_refusal(context, update, Refused("not-member"), language)
            return
        await _meet_best(
            context, message, user, language, [c for c in choices if c[1] in present], now
        )


async def _is_member(context: ReteContext, chat_id: int, member_id: int) -> bool:
    return await context.policy.is_member(chat_id, member_id, verify=True)


async def _in_groups(
    context: ReteContext, member_id: int, groups: list[tuple[int, ChatPrefs]]
) -> set[int]:
    """Return the groups of ``groups`` that Telegram says the member is in now."""
    return {chat_id for chat_id, _ in groups if await _is_member(context, chat_id, member_id)}


async def _choices(
    context: ReteContext, user: User, me: Candidate, groups: list[tuple[int, ChatPrefs]]
) -> list[tuple[MeetChoice, int, ChatPrefs]]:
    """The asker's best partners in each group, best first (on a tie, the group first)."""
    store = context.db.intros
    now = context.now()
    choices: list[tuple[MeetChoice, int, ChatPrefs]] = []
    avoided = await store.avoided_by(user.id)
    for chat_id, prefs in groups:
        # Only those who share a tag with the asker, as bit masks over the asker's tags
        # (all their fit reads), and how many candidates: never every candidate's profile.
        # Only the pairs the asker is in (their history): matching one member needs no
        # more. Read beside the search: neither waits for the other's round trips.
        holders, past = await together(
            store.candidate_holders(chat_id, now, sorted(me.tags)),
            history(store, chat_id, prefs, user.id),
        )
        found = await _ranked(
            holders, meet_choices, me, holders, past, avoided, limit=MEET_CHOICES
        )
        choices.extend((choice, chat_id, prefs) for choice in found)
    # Sorting is stable: on a tie, the group listed first.
    choices.sort(key=lambda entry: -entry[0].score)
    return choices


async def _meet_best(
    context: ReteContext,
    message: Message,
    user: User,
    language: str,
    choices: list[tuple[MeetChoice, int, ChatPrefs]],
    searched_at: datetime,
) -> None:
    """The rest of /meet: the best partner Telegram confirms, the introduction, two DMs.

    ``searched_at``: when the search began (its history was read after it)."""
    now = context.now()
    best = None
    for choice, chat_id, prefs in choices:
        # Rete's record may not know yet that the partner left: Telegram is asked.
        if await _is_member(context, chat_id, choice.member_id):
            best = (choice, chat_id, prefs)
            break
    if best is None:
        await reply(context, message, _t(context, language, "intros-meet-nobody"))
        return
    choice, chat_id, prefs = best
    other_id = choice.member_id
    reasons = {
        user.id: {other_id: reason_record(choice.mine)},
        other_id: {user.id: reason_record(choice.theirs)},
    }
    async with _lock(context, chat_id):
        if await context.db.intros.paired_since(chat_id, user.id, other_id, searched_at):
            # Introduced since the search read the asker's history, which would have left
            # the partner out: by the partner's own /meet at the same moment. The asker
            # has that introduction's DM, and no second one.
            log.info("/meet: %s and %s were introduced a moment ago", user.id, other_id)
            return
        # The partner first: an asker is never told of someone Rete cannot write to.
        await _rounds(context).introduce_pair(
            chat_id,
            NewIntro((other_id, user.id), choice.score, reasons),
            first=other_id,
            kind="meet",
            follow_up_at=now + timedelta(days=prefs.intros_follow_up_days),
            initiator_id=user.id,
        )


# ---- /introduce ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Named:
    """Someone an admin named: as they wrote it, and who that is (None: nobody Rete knows)."""

    typed: str  # cut at NAME_LENGTH: it is repeated back in a message
    member_id: int | None
    is_bot: bool = False


def _as_replied(user: User) -> _Named:
    """The author of the message an admin replied to, named as Telegram shows them."""
    label = f"@{user.username}" if user.username else user.first_name
    return _Named(cut_name(label), user.id, user.is_bot)


async def _mentioned(context: ReteContext, message: Message) -> tuple[list[_Named], str]:
    """Return the people a message names, as written, and the rest of it: the note."""
    found: list[_Named] = []
    text = message.text or ""
    pieces: list[tuple[int, int]] = []
    entities = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    for entity, value in entities.items():
        pieces.append((entity.offset, entity.offset + entity.length))
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            found.append(_Named(cut_name(value), entity.user.id, entity.user.is_bot))
        else:
            member = await context.db.members.find_by_username(value)
            found.append(_Named(cut_name(value), member.id if member is not None else None))
    # The note is what remains once the command and the mentions are taken out.
    utf16 = text.encode("utf-16-le")
    keep = bytearray()
    cuts = sorted(pieces)
    position = 0
    for start, end in cuts:
        keep += utf16[position * 2 : start * 2]
        position = end
    keep += utf16[position * 2 :]
    rest = keep.decode("utf-16-le").split(maxsplit=1)
    note = rest[1] if len(rest) > 1 and rest[0].startswith("/") else ""
    return found, note


async def introduce_command(update: Update, context: ReteContext) -> None:
    """/introduce (admins): reply to one member and mention another, or mention both.

    Both must be members of this group now (Telegram confirms), already known to Rete
    (it records nobody on someone else's word), and the group makes at most
    HAND_INTROS_PER_DAY hand introductions in 24 hours: each DMs two people under Rete's
    name with the admin's note.
    """
    admin = update.effective_user
    # group_command confirms the admin with Telegram (not the cache): a demoted admin stops.
    checked = await group_command(update, context, not_admin="intros-not-admin")
    if checked is None or admin is None:
        return
    message, language = checked
    if message.sender_chat is not None:  # an anonymous admin: nobody to name as introducer
        await reply(context, message, _t(context, language, "intros-introduce-anonymous"))
        return
    chat_id = message.chat_id
    # Someone who wrote a moment ago is on record only once the activity buffer is written.
    await context.db.flush()
    people: list[_Named] = []
    target = message.reply_to_message
    if (
        target is not None
        and target.forum_topic_created is None
        and not (message.is_topic_message and target.message_id == message.message_thread_id)
    ):
        if target.sender_chat is not None or target.from_user is None:
            await reply(context, message, _t(context, language, "intros-introduce-not-person"))
            return
        people.append(_as_replied(target.from_user))
    mentioned, note = await _mentioned(context, message)
    people += mentioned
    for person in people:
        if person.is_bot:
            await reply(context, message, _t(context, language, "intros-introduce-bot"))
            return
        if person.member_id is None:
            await reply(
                context,
                message,
                _t(context, language, "intros-unknown-username", name=person.typed),
            )
            return
    ids = [p.member_id for p in people if p.member_id is not None]
    if len(ids) == 2 and ids[0] == ids[1]:
        await reply(context, message, _t(context, language, "intros-introduce-same"))
        return
    if len(ids) != 2:
        await reply(context, message, _t(context, language, "intros-introduce-usage"))
        return
    for person, member_id in zip(people, ids, strict=True):
        # Never recorded, or deleted their data since: not re-recorded on an admin's word.
        if await context.db.members.get(member_id) is None:
            await reply(
                context,
                message,
                _t(context, language, "intros-unknown-username", name=person.typed),
            )
            return
    store = context.db.intros
    now = context.now()
    if await store.hand_intros_since(chat_id, now - HAND_INTROS_WINDOW) >= HAND_INTROS_PER_DAY:
        await reply(
            context,
            message,
            _t(context, language, "intros-introduce-limit", count=HAND_INTROS_PER_DAY),
        )
        return
    for person, member_id in zip(people, ids, strict=True):
        if not await context.policy.is_member(chat_id, member_id, verify=True):
            await reply(
                context,
                message,
                _t(context, language, "intros-introduce-not-member", name=person.typed),
            )
            return
    if await store.blocked_between(ids[0], ids[1]):
        await reply(context, message, _t(context, language, "intros-introduce-cannot"))
        return
    a = candidate(ids[0], await store.tags(ids[0]), ())
    b = candidate(ids[1], await store.tags(ids[1]), ())
    reasons = {
        ids[0]: {ids[1]: reason_record(reason(a, b))},
        ids[1]: {ids[0]: reason_record(reason(b, a))},
    }
    [intro_id] = await store.add_intros(
        chat_id,
        now,
        [NewIntro((ids[0], ids[1]), None, reasons)],
        kind="manual",
        status="pending",
        initiator_id=admin.id,
        note=cut_note(note),
    )
    waiting = [
        person.typed
        for person, member_id in zip(people, ids, strict=True)
        if not await _ask_acceptance(context, intro_id, member_id)
    ]
    if not waiting:
        await reply(context, message, _t(context, language, "intros-introduce-asked"))
        return
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    context.i18n.plain(language, "intros-open-private"),
                    url=start_link(context.bot.username, "intros", intro_argument(intro_id)),
                )
            ]
        ]
    )
    await reply(
        context,
        message,
        _t(
            context,
            language,
            "intros-introduce-open-private",
            names=", ".join(waiting),
            count=len(waiting),
        ),
        reply_markup=markup,
    )


async def _ask_acceptance(
    context: ReteContext, intro_id: int, member_id: int, *, reply_to: Message | None = None
) -> bool:
    """DM a member the proposed introduction with Accept / Decline; False if not delivered."""
    store = context.db.intros
    intro = await store.intro(intro_id)
    member = await context.db.members.get(member_id)
    language = _language_of(context, member)
    side = intro.member(member_id) if intro else None
    if intro is None or side is None or intro.status != "pending" or side.accepted is not None:
        if reply_to is not None:
            await reply(context, reply_to, _t(context, language, "intros-button-stale"))
        return reply_to is not None
    if member is None or (not member.dm_reachable and reply_to is None):
        return False
    [other_id] = intro.others(member_id)
    other = await context.db.members.get(other_id)
    admin = await context.db.members.get(intro.initiator_id) if intro.initiator_id else None
    text = _t(
        context,
        language,
        "intros-accept-ask",
        admin=_plain_name(admin, intro.initiator_id or 0),
        # Not their partner yet: a hidden member is named as the admin named them.
        person=_proposed(context, language, other, other_id),
        title=await _title(context, intro.chat_id),
        note=intro.note or "—",
    )
    markup = InlineKeyboardMarkup(
        [
            [
                _button(
                    _t(context, language, "intros-button-accept"), callback("a", intro_id, "y")
                ),
                _button(
                    _t(context, language, "intros-button-decline"), callback("a", intro_id, "n")
                ),
            ]
        ]
    )
    sent = await dm(context, member_id, text, reply_markup=markup)
    return sent is not None


async def _accept_button(
    context: ReteContext,
    update: Update,
    query: CallbackQuery,
    user: User,
    language: str,
    intro_id: int,
    yes: bool,
) -> None:
    store = context.db.intros
    intro = await _own_intro(context, update, query, language, intro_id)
    if intro is None:
        return
    if yes:
        # Being introduced reaches the other person: Telegram confirms they are still in.
        await context.policy.ensure_member(intro.chat_id, user.id, verify=True)
    prefs = await chat_prefs(context, intro.chat_id)
    now = context.now()
    status = await store.accept(
        intro_id, user.id, yes, now, now + timedelta(days=prefs.intros_follow_up_days)
    )
    if status is None:
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        return
    await query.answer()
    if status == "declined":
        await _edit(query, _t(context, language, "intros-declined"))
        for side in intro.members:
            if side.member_id != user.id and side.accepted:
                other = await context.db.members.get(side.member_id)
                await dm(
                    context,
                    side.member_id,
                    _t(context, _language_of(context, other), "intros-declined-other"),
                )
        return
    if status == "pending":
        await _edit(query, _t(context, language, "intros-accepted-waiting"))
        return
    await _edit(query, _t(context, language, "intros-accepted-both"))
    async with _lock(context, intro.chat_id):
        for member_id in [m.member_id for m in intro.members]:
            await _rounds(context).deliver_one(intro_id, member_id)
