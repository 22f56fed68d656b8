"""The help ledger in the group: /thanks, thank-you words, reactions, and the views on them."""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from telegram import Message, MessageEntity, ReactionTypeEmoji, Update, User
from telegram.constants import ReactionEmoji
from telegram.error import TelegramError

from bot import dates
from bot.chat_settings import ChatPrefs
from bot.i18n import Html
from bot.ledger import PERIODS, QUOTA, cut_reason, normalize_emoji, parse_period, rank
from bot.thanks import is_thanks
from handlers.common import (
    chat_prefs,
    human_sender,
    is_group,
    member_info,
    user_language,
)
from handlers.context import ReteContext
from handlers.delivery import dm, reply, send_document
from handlers.guards import group_command
from handlers.start import open_private_button
from storage import Member, MemberInfo, Membership
from storage.ledger import CreditRequest, Kind

log = logging.getLogger(__name__)

ACK = ReactionEmoji.HANDSHAKE
QUOTA_NOTICE_SECONDS = 60
# Offered thanks are written together this long after the first of them; the 🤝 follows.
CREDIT_BATCH_SECONDS = 0.1
CREDIT_RETRY_SECONDS = 1.0
# At most this many 🤝 per group in any minute; the rest wait for the minute to pass.
ACKS_PER_MINUTE = 8
ACK_WINDOW = timedelta(minutes=1)
# A 🤝 waits at most this many minutes' worth of acknowledgements (a flood of thanks):
# beyond that it is not sent (the thanks is recorded all the same).
ACKS_WAITING_MINUTES = 10
# How often the 🤝 that waited for the minute to pass are sent (a JobQueue job).
ACK_CHECK_SECONDS = 5
ACK_JOB_NAME = "ledger-acks"
_ACKS = "ledger_acks"
PERIOD_WORDS = {"7d": "week", "30d": "month", "all": "all"}
_MENTIONS = (MessageEntity.MENTION, MessageEntity.TEXT_MENTION)


def real_reply(message: Message) -> Message | None:
    """Return the message replied to, unless it is a forum topic's fake reply."""
    target = message.reply_to_message
    if target is None or target.forum_topic_created is not None:
        return None
    # In a topic every message "replies" to the topic's first message; that is no reply.
    if message.is_topic_message and target.message_id == message.message_thread_id:
        return None
    return target


def may_thank_someone(message: Message) -> bool:
    """True if the message could thank someone in words: text that replies or mentions."""
    if not (message.text or message.caption):
        return False
    if real_reply(message) is not None:
        return True
    entities = message.entities or message.caption_entities
    return any(e.type in _MENTIONS for e in entities)


def _display(member: MemberInfo) -> str:
    return f"{member.first_name} {member.last_name}" if member.last_name else member.first_name


class Acknowledgements:
    """The 🤝 owed in each group: ACKS_PER_MINUTE go out in any minute, the rest wait.

    The rate limiter counts every request with a chat id against the group's 20 per minute;
    acknowledgements are a courtesy and must never crowd out the group's real messages.
    Kept in memory: a 🤝 still waiting when Rete stops is not sent (never twice: a thanks
    delivered again after a restart is already written, and owes nothing).
    """

    def __init__(self) -> None:
        self._sent: dict[int, deque[datetime]] = {}
        self._waiting: dict[int, deque[int]] = {}

    def owe(self, chat_id: int, message_id: int) -> bool:
        """Owe a 🤝 on a thanks message; False when too many already wait in that group.

        One message thanking several people owes one 🤝, not one per credit.
        """
        waiting = self._waiting.setdefault(chat_id, deque())
        if message_id in waiting:
            return True
        if len(waiting) >= ACKS_PER_MINUTE * ACKS_WAITING_MINUTES:
            return False
        waiting.append(message_id)
        return True

    def due(self, now: datetime) -> list[tuple[int, int]]:
        """Return the (chat, message) 🤝 that may go out at ``now``, oldest first, as sent."""
        out: list[tuple[int, int]] = []
        for chat_id, waiting in list(self._waiting.items()):
            sent = self._sent.setdefault(chat_id, deque())
            while sent and now - sent[0] >= ACK_WINDOW:
                sent.popleft()
            while waiting and len(sent) < ACKS_PER_MINUTE:
                out.append((chat_id, waiting.popleft()))
                sent.append(now)
            if not waiting:
                del self._waiting[chat_id]
        # Forget groups whose last 🤝 is over a minute old: only recent ones are kept.
        for chat_id, sent in list(self._sent.items()):
            if not sent or now - sent[-1] >= ACK_WINDOW:
                del self._sent[chat_id]
        return out

    def waiting(self) -> int:
        """How many 🤝 wait for their minute."""
        return sum(len(waiting) for waiting in self._waiting.values())


def _acks(context: ReteContext) -> Acknowledgements:
    acks = context.bot_data.get(_ACKS)
    if acks is None:
        acks = context.bot_data[_ACKS] = Acknowledgements()
    return acks


@dataclass(frozen=True)
class _Feedback:
    """What the quiet feedback needs once the ledger has written a thanks."""

    prefs: ChatPrefs
    chat_title: str
    giver: User
    thanks_message: Message | None


async def credit(
    context: ReteContext,
    prefs: ChatPrefs,
    *,
    chat_id: int,
    chat_title: str,
    giver: User,
    receiver: MemberInfo | None,
    message_id: int,
    kind: Kind,
    at: datetime,
    thanks_message: Message | None = None,
    reason: str | None = None,
) -> None:
    """Offer one thanks to the ledger; its quiet feedback follows once it is written."""
    request = CreditRequest(
        chat_id=chat_id,
        giver=member_info(giver),
        receiver=receiver,
        message_id=message_id,
        kind=kind,
        at=at,
        local_day=at.astimezone(prefs.zone).date().isoformat(),
        reason=reason,
        thanks_message_id=thanks_message.message_id if thanks_message else None,
    )
    feedback = _Feedback(prefs, chat_title, giver, thanks_message)
    # Written in a batch with the other thanks of the next CREDIT_BATCH_SECONDS: a commit
    # per thanks would cost more than parsing the update.
    if await context.db.ledger.offer(request, prefs.rules.judge, feedback) and context.job_queue:
        context.job_queue.run_once(write_credits, CREDIT_BATCH_SECONDS, name="write-credits")


async def write_credits(context: ReteContext) -> None:
    """Write the offered thanks, then give their feedback: 🤝 when scored, quota notice."""
    ledger = context.db.ledger
    try:
        await ledger.flush()
    except Exception:
        # The thanks are kept (and not acknowledged): try again, not too eagerly.
        if context.job_queue is not None:
            context.job_queue.run_once(write_credits, CREDIT_RETRY_SECONDS, name="write-credits")
        raise
    # Everything committed so far, also by reads that flushed the batch before this job.
    acks = _acks(context)
    for written in ledger.committed():
        if not context.application.running:
            return  # stopping: the thanks are written, the courtesy is skipped
        feedback: _Feedback = written.note
        request, outcome = written.request, written.outcome
        thanks_message = feedback.thanks_message
        if (
            outcome.new
            and outcome.counted
            and thanks_message is not None
            and not acks.owe(thanks_message.chat_id, thanks_message.message_id)
        ):
            log.debug("No 🤝 in chat %s: too many waiting", thanks_message.chat_id)
        over_quota = outcome.new and outcome.not_counted_why == QUOTA
        if (
            over_quota
            and await ledger.first_quota_notice(
                request.chat_id, feedback.giver.id, request.local_day
            )
            and context.application.running
        ):
            context.application.create_task(
                _tell_quota(
                    context,
                    feedback.prefs,
                    feedback.giver,
                    feedback.chat_title,
                    feedback.thanks_message,
                )
            )
    send_acknowledgements(context)


def send_acknowledgements(context: ReteContext) -> None:
    """Send the 🤝 whose turn has come (at most ACKS_PER_MINUTE per group and minute)."""
    if not context.application.running:
        return
    handshakes = _acks(context).due(context.now())
    if handshakes:
        # Not awaited here: network round trips must not hold up the next batch.
        context.application.create_task(_acknowledge(context, handshakes))


async def acknowledge_job(context: ReteContext) -> None:
    """Send the 🤝 that waited for their minute (a job, every ACK_CHECK_SECONDS)."""
    send_acknowledgements(context)


async def credit_from(
    context: ReteContext,
    prefs: ChatPrefs,
    message: Message,
    giver: User,
    receiver: MemberInfo,
    *,
    for_message_id: int,
    kind: Kind,
    reason: str | None = None,
) -> None:
    """Offer a thanks carried by ``message`` (a command or words) for ``for_message_id``."""
    await credit(
        context,
        prefs,
        chat_id=message.chat_id,
        chat_title=message.chat.title or "",
        giver=giver,
        receiver=receiver,
        message_id=for_message_id,
        kind=kind,
        at=message.date.astimezone(UTC),
        thanks_message=message,
        reason=reason,
    )


async def _acknowledge(context: ReteContext, messages: list[tuple[int, int]]) -> None:
    # One after the other: sent all at once, each would open its own connection, and the
    # HTTP pool checks every open connection on every request (a batch of 40 took ~3 ms
    # of CPU per 🤝 that way).
    for chat_id, message_id in messages:
        try:
            await context.bot.set_message_reaction(chat_id, message_id, ACK)
        except TelegramError as error:
            # Reactions may be restricted in this group: then Rete stays silent.
            log.debug("No 🤝 in chat %s: %s", chat_id, error)


async def _tell_quota(
    context: ReteContext,
    prefs: ChatPrefs,
    giver: User,
    title: str,
    thanks_message: Message | None,
) -> None:
    member = await context.db.members.get(giver.id)
    text = context.i18n.text(
        user_language(context, giver), "ledger-quota-reached", quota=prefs.daily_quota, title=title
    )
    if context.policy.consents(member) and await dm(context, giver.id, text):
        return
    if thanks_message is None:
        return
    group_text = context.i18n.text(
        prefs.language, "ledger-quota-reached", quota=prefs.daily_quota, title=title
    )
    sent = await reply(context, thanks_message, group_text)
    if sent is not None and context.job_queue is not None:
        context.job_queue.run_once(
            _delete_later, QUOTA_NOTICE_SECONDS, data=(sent.chat_id, sent.message_id)
        )


async def _delete_later(context: ReteContext) -> None:
    assert context.job is not None
    chat_id, message_id = context.job.data  # type: ignore[misc]
    try:
        await context.bot.delete_message(chat_id, message_id)
    except TelegramError as error:
        log.debug("Could not delete quota notice in %s: %s", chat_id, error)


def _receiver_problem(giver: User, target: Message) -> str | None:
    if target.sender_chat is not None or target.from_user is None:
        return "ledger-not-a-person"
    if target.from_user.is_bot:
        return "ledger-thanks-bot"
    if target.from_user.id == giver.id:
        return "ledger-thanks-self"
    return None


async def thanks_command(update: Update, context: ReteContext) -> None:
    """/thanks [reason] (/grazie, /ty), replying to the helper's message."""
    checked = await group_command(update, context)
    if checked is None:
        return
    message, language = checked
    i18n = context.i18n
    prefs = await chat_prefs(context, message.chat_id)
    if not prefs.ledger:
        await reply(context, message, i18n.text(language, "ledger-off"))
        return
    giver = human_sender(message)
    if giver is None:
        await reply(context, message, i18n.text(language, "ledger-anonymous"))
        return
    target = real_reply(message)
    if target is None:
        await reply(context, message, i18n.text(language, "ledger-thanks-no-reply"))
        return
    problem = _receiver_problem(giver, target)
    if problem is not None:
        await reply(context, message, i18n.text(language, problem))
        return
    assert target.from_user is not None
    await credit_from(
        context,
        prefs,
        message,
        giver,
        member_info(target.from_user),
        for_message_id=target.message_id,
        kind="command",
        reason=cut_reason(" ".join(context.args or [])),
    )


async def _mentioned(context: ReteContext, message: Message) -> list[MemberInfo]:
    found: list[MemberInfo] = []
    kinds = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    entities = (
        message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    )
    for entity, text in entities.items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            if not entity.user.is_bot:
                found.append(member_info(entity.user))
        elif entity.type == MessageEntity.MENTION:
            member = await context.db.members.find_by_username(text)
            if member is not None:
                found.append(
                    MemberInfo(
                        member.id,
                        member.first_name,
                        member.last_name,
                        member.username,
                        member.language_code,
                    )
                )
    return found


async def thanks_words(update: Update, context: ReteContext) -> None:
    """Credit thank-you words in a reply to someone, or next to a mention of them."""
    message = update.message
    if message is None or not is_group(message.chat):
        return
    text = message.text or message.caption
    # Words only credit someone replied to or mentioned: other messages skip the phrase scan.
    entities = message.entities or message.caption_entities
    mentions = any(e.type in _MENTIONS for e in entities)
    target = real_reply(message)
    if not text or not (mentions or target):
        return
    # Words that thank only the one replied to ("mitico!") credit no one mentioned.
    if target is not None:
        if not is_thanks(text, in_reply=True):
            return
        to_mentioned = mentions and is_thanks(text)
    elif is_thanks(text):
        to_mentioned = True
    else:
        return
    giver = human_sender(message)
    if giver is None:
        return
    prefs = await chat_prefs(context, message.chat_id)
    if not prefs.ledger:
        return
    credited: set[int] = set()
    if target is not None and _receiver_problem(giver, target) is None:
        assert target.from_user is not None
        await credit_from(
            context,
            prefs,
            message,
            giver,
            member_info(target.from_user),
            for_message_id=target.message_id,
            kind="words",
        )
        credited.add(target.from_user.id)
    for receiver in await _mentioned(context, message) if to_mentioned else ():
        if receiver.id in credited or receiver.id == giver.id:
            continue
        credited.add(receiver.id)
        await credit_from(
            context,
            prefs,
            message,
            giver,
            receiver,
            for_message_id=message.message_id,
            kind="words",
        )


async def on_reaction(update: Update, context: ReteContext) -> None:
    """A reaction from the group's set credits the message's author; removing it withdraws."""
    change = update.message_reaction
    # Private chats send reactions too: they are no group, and credit nobody.
    if change is None or not is_group(change.chat):
        return
    if change.user is None or change.user.is_bot:
        return
    prefs = await chat_prefs(context, change.chat.id)
    if not prefs.ledger:
        return
    allowed = {normalize_emoji(emoji) for emoji in prefs.reactions}

    def counting(reactions: tuple[object, ...]) -> set[str]:
        return {
            normalize_emoji(r.emoji)
            for r in reactions
            if isinstance(r, ReactionTypeEmoji) and normalize_emoji(r.emoji) in allowed
        }

    before, after = counting(change.old_reaction), counting(change.new_reaction)
    if before and not after:
        await context.db.ledger.withdraw_reaction(
            change.chat.id, change.user.id, change.message_id
        )
        return
    if after and not before:
        # A recent message's author is known in memory; an older one's is looked up by the
        # ledger when it writes the thanks, so that the update never waits for the database.
        author = context.db.memberships.buffered_author(change.chat.id, change.message_id)
        if author is not None and author.id == change.user.id:
            return
        await credit(
            context,
            prefs,
            chat_id=change.chat.id,
            chat_title=change.chat.title or "",
            giver=change.user,
            receiver=author,
            message_id=change.message_id,
            kind="reaction",
            at=change.date.astimezone(UTC),
        )


async def helpers_command(update: Update, context: ReteContext) -> None:
    """/helpers [7d|30d|all]: the top 10 helpers, by breadth of help."""
    checked = await group_command(update, context)
    if checked is None:
        return
    message, language = checked
    i18n = context.i18n
    raw = context.args[0] if context.args else None
    period = parse_period(raw)
    if period is None:
        await reply(context, message, i18n.text(language, "ledger-helpers-bad-period", value=raw))
        return
    days = PERIODS[period]
    since = context.now() - timedelta(days=days) if days else None
    # Credits and names as on record, beside the writes (the thanks offered so far are
    # written first; the activity buffer, which the board does not count, is not).
    async with context.db.reading():
        board = rank(await context.db.ledger.pairs(message.chat_id, since))
        members = await context.db.members.get_many([h.member_id for h in board])
    # /helpers runs beside the stream: a member who hid (or deleted everything) after the
    # board was read is named by neither name nor number.
    board = [h for h in board if (m := members.get(h.member_id)) is not None and not m.hidden]
    word = PERIOD_WORDS[period]
    if not board:
        await reply(context, message, i18n.text(language, "ledger-helpers-empty", period=word))
        return
    lines = [i18n.text(language, "ledger-helpers-header", period=word)]
    for position, helper in enumerate(board, start=1):
        name = members[helper.member_id].full_name
        lines.append(
            i18n.text(
                language,
                "ledger-helpers-line",
                rank=position,
                name=name,
                people=helper.people,
                credits=helper.credits,
            )
        )
    await reply(context, message, "\n".join(lines))


async def profile_command(update: Update, context: ReteContext) -> None:
    """/profile: reply to someone, give an @username, or see your own."""
    user = update.effective_user
    checked = await group_command(update, context)
    if checked is None or user is None:
        return
    message, language = checked
    # What is on record, beside the writes: the activity buffer is written only if the
    # member's join, leave or first sighting is still in it (storage: reading()).
    async with context.db.reading():
        await _answer_profile(context, message, language, user)


async def _answer_profile(
    context: ReteContext, message: Message, language: str, user: User
) -> None:
    i18n = context.i18n
    target_id: int | None = user.id
    label = user.full_name
    target = real_reply(message)
    if context.args:
        label = context.args[0]
        found = await context.db.members.find_by_username(label.lstrip("@"))
        target_id = found.id if found else None
    elif target is not None and target.from_user is not None and not target.from_user.is_bot:
        target_id, label = target.from_user.id, target.from_user.full_name
    elif target is not None:
        target_id = None

    def refusal(found: Member | None) -> str | None:
        """The answer instead of a profile, if any. A hidden member is named only as the
        asker named them: their name is never shown."""
        if found is None:
            return "ledger-profile-unknown"
        return "ledger-profile-hidden" if found.hidden and found.id != user.id else None

    membership = (
        await context.db.memberships.get(message.chat_id, target_id) if target_id else None
    )
    member = await context.db.members.get(target_id) if target_id else None
    key = refusal(member) if membership is not None else "ledger-profile-unknown"
    if member is not None and membership is not None and key is None:
        text = await _profile_text(context, language, message, member, membership)
        # /profile runs beside the stream: the member may have hidden (or deleted
        # everything) while it read. Asked again now, just before the answer goes out.
        key = refusal(await context.db.members.get(member.id))
    if key is not None:
        text = i18n.text(language, key, name=label)
    await reply(context, message, text)


async def _profile_text(
    context: ReteContext,
    language: str,
    message: Message,
    member: Member,
    membership: Membership,
) -> str:
    i18n = context.i18n
    ledger = context.db.ledger
    now = context.now()
    member_id = member.id
    stats: dict[str, int] = {}
    windows = (("7", 7), ("30", 30), ("all", None))
    received = await ledger.received_since_each(
        message.chat_id,
        member_id,
        [now - timedelta(days=days) if days else None for _, days in windows],
    )
    for (key, _), (people, credits) in zip(windows, received, strict=True):
        stats[f"people{key}"], stats[f"credits{key}"] = people, credits
    nobody = i18n.text(language, "ledger-profile-nobody")

    def names(partners: list) -> str:
        return ", ".join(f"{p.name} ({p.credits})" for p in partners) or nobody

    thanked_by = await ledger.top_partners(message.chat_id, member_id, thanked_by=True)
    thanked = await ledger.top_partners(message.chat_id, member_id, thanked_by=False)
    joined = min(filter(None, (membership.joined_at, membership.first_seen)))
    zone = (await chat_prefs(context, message.chat_id)).zone
    since_text = i18n.text(
        language,
        "ledger-profile-since",
        since=dates.since(i18n, language, joined.astimezone(zone).date()),
    )
    text = i18n.text(
        language,
        "ledger-profile",
        name=member.full_name,
        since=Html(since_text),
        helped=Html(i18n.text(language, "ledger-profile-helped", names=names(thanked_by))),
        helpedby=Html(i18n.text(language, "ledger-profile-helped-by", names=names(thanked))),
        **stats,
    )
    # A connector: people they introduced to each other here, both having accepted.
    connected = await context.db.ties.connected(member_id, message.chat_id)
    if connected:
        text += "\n" + i18n.text(language, "network-profile-connected", count=connected)
    return text


async def ledger_command(update: Update, context: ReteContext) -> None:
    """/ledger export (admins): the whole ledger as CSV, in a private message."""
    user = update.effective_user
    checked = await group_command(update, context, not_admin="ledger-not-admin")
    if checked is None or user is None:
        return
    message, language = checked
    i18n = context.i18n
    if [a.lower() for a in context.args or []] not in (["export"], ["esporta"]):
        await reply(context, message, i18n.text(language, "ledger-usage"))
        return
    from bot.ledger import credits_csv

    rows = await context.db.ledger.export(message.chat_id)
    title = message.chat.title or str(message.chat_id)
    sent = await send_document(
        context,
        user.id,
        credits_csv(rows),
        filename=f"rete-ledger-{message.chat_id}.csv",
        caption=i18n.text(user_language(context, user), "ledger-export-caption", title=title),
    )
    if sent is None:
        button = open_private_button(context, i18n.plain(language, "privacy-open-button"), "help")
        await reply(
            context,
            message,
            i18n.text(language, "ledger-export-open-private"),
            reply_markup=button,
        )
        return
    await reply(context, message, i18n.text(language, "ledger-export-sent"))


async def unthank_command(update: Update, context: ReteContext) -> None:
    """/unthank (admins), replying to a thanking message: void its credits."""
    user = update.effective_user
    checked = await group_command(update, context, not_admin="ledger-not-admin")
    if checked is None or user is None:
        return
    message, language = checked
    i18n = context.i18n
    target = real_reply(message)
    if target is None:
        await reply(context, message, i18n.text(language, "ledger-unthank-no-reply"))
        return
    # An anonymous admin writes as the group: no person to record as having voided it.
    admin = human_sender(message)
    count = await context.db.ledger.void(
        message.chat_id, target.message_id, member_info(admin) if admin else None, context.now()
    )
    key = "ledger-unthank-done" if count else "ledger-unthank-none"
    await reply(context, message, i18n.text(language, key, count=count))
