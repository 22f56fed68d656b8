"""Introductions on demand: /whoknows, /meet, and /introduce with both members' acceptance."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
    User,
)

from bot.chat_settings import ChatPrefs
from bot.deeplinks import start_link
from bot.intro_rounds import history
from bot.introductions import (
    MEET_EVERY,
    callback,
    candidate,
    cut_note,
    intro_argument,
    reason_record,
)
from bot.matching import Candidate, Reason, best_partners, reason, who_knows
from bot.tags import TagError, parse_tags
from handlers.common import chat_prefs, is_group, member_info, user_language
from handlers.context import ReteContext
from handlers.delivery import dm, reply
from handlers.guards import group_command
from handlers.intros.common import (
    _alert,
    _button,
    _edit,
    _language_of,
    _lock,
    _person,
    _plain_name,
    _t,
    _title,
)
from handlers.intros.delivery import _rounds
from storage import Member
from storage.intro_records import NewIntro

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
    rows = await context.db.intros.listed(message.chat_id)
    pool = [candidate(r.member_id, r.tags, r.never) for r in rows]
    user = update.effective_user
    asker: Candidate | None = None
    if user is not None:
        mine = next((c for c in pool if c.member_id == user.id), None)
        if mine is None:
            asker = candidate(
                user.id,
                await context.db.intros.tags(user.id),
                await context.db.intros.never(user.id),
            )
        else:
            asker = mine
    found = who_knows(tag, pool, asker=asker, limit=10)
    if not found:
        await reply(context, message, _t(context, language, "intros-whoknows-none", tag=tag))
        return
    by_id = {c.member_id: c for c in pool}
    lines = [_t(context, language, "intros-whoknows-header", tag=tag)]
    for member_id in found:
        member = await context.db.members.get(member_id)
        how = "offer" if tag in by_id[member_id].offers else "interest"
        lines.append(
            _t(context, language, f"intros-whoknows-{how}", name=_plain_name(member, member_id))
        )
    lines.append(_t(context, language, "intros-whoknows-footer"))
    await reply(context, message, "\n".join(lines))


# ---- /meet ---------------------------------------------------------------------------------


async def meet_command(update: Update, context: ReteContext) -> None:
    """/meet in private: an introduction now, to the best available match (once a week)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or user.is_bot:
        return
    language = user_language(context, user)
    if is_group(message.chat):
        await reply(context, message, _t(context, language, "intros-meet-private"))
        return
    store = context.db.intros
    now = context.now()
    last = await store.last_meet(user.id)
    if last is not None and now - last < MEET_EVERY:
        await reply(
            context,
            message,
            _t(
                context,
                language,
                "intros-meet-too-soon",
                date=(last + MEET_EVERY).date().isoformat(),
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
        await reply(context, message, _t(context, language, "intros-meet-no-tags"))
        return
    best: tuple[float, int, int, Reason, ChatPrefs] | None = None
    for chat_id, prefs in groups:
        others = [
            candidate(r.member_id, r.tags, r.never)
            for r in await store.candidates(chat_id, now)
            if r.member_id != user.id
        ]
        past = await history(store, chat_id, prefs)
        found = await asyncio.to_thread(best_partners, me, others, past, limit=1)
        if found and (best is None or found[0][1] > best[0]):
            other_id, score, why = found[0]
            best = (score, chat_id, other_id, why, prefs)
    if best is None:
        await reply(context, message, _t(context, language, "intros-meet-nobody"))
        return
    score, chat_id, other_id, why, prefs = best
    rows = {r.member_id: r for r in await store.candidates(chat_id, now)}
    other = candidate(other_id, rows[other_id].tags, rows[other_id].never)
    reasons = {
        user.id: {other_id: reason_record(why)},
        other_id: {user.id: reason_record(reason(other, me))},
    }
    async with _lock(context):
        [intro_id] = await store.add_intros(
            chat_id,
            now,
            [NewIntro((other_id, user.id), score, reasons)],
            kind="meet",
            follow_up_at=now + timedelta(days=prefs.intros_follow_up_days),
            initiator_id=user.id,
        )
        for member_id in (other_id, user.id):
            await _rounds(context).deliver_one(intro_id, member_id)


# ---- /introduce ----------------------------------------------------------------------------


async def _mentioned(context: ReteContext, message: Message) -> tuple[list[Any], str]:
    """Return the people a message names (users, or '@name' not known) and the rest: the note."""
    found: list[Any] = []
    text = message.text or ""
    pieces: list[tuple[int, int]] = []
    entities = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    for entity, value in entities.items():
        pieces.append((entity.offset, entity.offset + entity.length))
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            found.append(entity.user)
        else:
            member = await context.db.members.find_by_username(value)
            found.append(member if member is not None else value)
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
    """/introduce (admins): reply to one member and mention another, or mention both."""
    admin = update.effective_user
    checked = await group_command(update, context, not_admin="intros-not-admin")
    if checked is None or admin is None:
        return
    message, language = checked
    if message.sender_chat is not None:  # an anonymous admin: nobody to name as introducer
        await reply(context, message, _t(context, language, "intros-introduce-anonymous"))
        return
    people: list[Any] = []
    target = message.reply_to_message
    if (
        target is not None
        and target.forum_topic_created is None
        and not (message.is_topic_message and target.message_id == message.message_thread_id)
    ):
        if target.sender_chat is not None or target.from_user is None:
            await reply(context, message, _t(context, language, "intros-introduce-not-person"))
            return
        people.append(target.from_user)
    mentioned, note = await _mentioned(context, message)
    people += mentioned
    for person in people:
        if isinstance(person, str):
            await reply(
                context, message, _t(context, language, "intros-unknown-username", name=person)
            )
            return
        if getattr(person, "is_bot", False):
            await reply(context, message, _t(context, language, "intros-introduce-bot"))
            return
    ids = [p.id for p in people]
    if len(ids) == 2 and ids[0] == ids[1]:
        await reply(context, message, _t(context, language, "intros-introduce-same"))
        return
    if len(ids) != 2:
        await reply(context, message, _t(context, language, "intros-introduce-usage"))
        return
    store = context.db.intros
    for person in people:
        if isinstance(person, User):
            await context.db.members.seen(member_info(person))
    if await store.blocked_between(ids[0], ids[1]):
        await reply(context, message, _t(context, language, "intros-introduce-cannot"))
        return
    a = candidate(ids[0], await store.tags(ids[0]), ())
    b = candidate(ids[1], await store.tags(ids[1]), ())
    reasons = {
        ids[0]: {ids[1]: reason_record(reason(a, b))},
        ids[1]: {ids[0]: reason_record(reason(b, a))},
    }
    now = context.now()
    [intro_id] = await store.add_intros(
        message.chat_id,
        now,
        [NewIntro((ids[0], ids[1]), None, reasons)],
        kind="manual",
        status="pending",
        initiator_id=admin.id,
        note=cut_note(note),
    )
    waiting: list[Member] = []
    for member_id in ids:
        if not await _ask_acceptance(context, intro_id, member_id):
            member = await context.db.members.get(member_id)
            if member is not None:
                waiting.append(member)
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
    names = ", ".join(f"@{m.username}" if m.username else m.full_name for m in waiting)
    await reply(
        context,
        message,
        _t(context, language, "intros-introduce-open-private", names=names),
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
        person=_person(other, other_id),
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
    context: ReteContext, query: CallbackQuery, user: User, language: str, intro_id: int, yes: bool
) -> None:
    store = context.db.intros
    intro = await store.intro(intro_id)
    prefs = await chat_prefs(context, intro.chat_id) if intro else None
    now = context.now()
    status = (
        await store.accept(
            intro_id, user.id, yes, now, now + timedelta(days=prefs.intros_follow_up_days)
        )
        if intro is not None and prefs is not None
        else None
    )
    if status is None or intro is None:
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
    async with _lock(context):
        for member_id in [m.member_id for m in intro.members]:
            await _rounds(context).deliver_one(intro_id, member_id)
