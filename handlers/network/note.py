"""The opt-in monthly note: a member's month in their network, on the 1st, in private.

Chosen with a button under /network. On the first day of each month, at ``NOTE_AT`` in
each group's time zone, the members of the group who chose it get one DM about the month
before: whom they helped and who helped them, the introductions they received or made,
ties they have not touched in a long time, and one suggestion: an open ask they could
answer (its tags are among their offers; not their own, not a hidden member's), else a
member who offers in public what they look for. Each member's note for a month is
claimed before it goes out (``network_note_months``), so a member in several groups, or a
restart, never gets two. Names are their own ties' (hidden or not: it is their history)
and, for the suggestion, only an asker or a member who shows their offers who is not hidden.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot import dates
from bot import ties as logic
from bot.chat_settings import ChatPrefs
from bot.i18n import Html
from bot.schedule import Weekly, local_slot
from handlers.common import chat_prefs
from handlers.context import ReteContext
from handlers.delivery import dm
from handlers.network.common import language_of, name_of, t, title_of
from handlers.scheduling import ScheduledJob

NOTE_AT = time(9, 0)
GRACE = timedelta(hours=12)
# How many names each line of the note shows.
NAMES = 5
# Ties not touched for this long are "a while".
QUIET = timedelta(days=180)


def note_schedule(prefs: ChatPrefs) -> Weekly | None:
    """Every day at ``NOTE_AT``; only the 1st of a month sends anything."""
    return Weekly(frozenset(range(7)), NOTE_AT)


def month_before(day: date) -> date:
    """The first day of the month before ``day``'s."""
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


async def run_note(context: ReteContext, chat_id: int, slot: datetime) -> datetime | None:
    """The scheduled run: on the 1st, send the group's readers their note of last month."""
    prefs = await chat_prefs(context, chat_id)
    today = slot.astimezone(prefs.zone).date()
    if today.day != 1:
        return None
    first = month_before(today)
    start = local_slot(first, time(0, 0), prefs.zone)
    end = local_slot(today, time(0, 0), prefs.zone)
    for member_id in await context.db.ties.note_readers(chat_id):
        if await context.db.ties.claim_note(member_id, first.strftime("%Y-%m"), context.now()):
            await send_note(context, member_id, chat_id, prefs, first, start, end)
    return None


def _names(people: dict, ids: list[int]) -> str:
    return ", ".join(name_of(people.get(i), i) for i in ids[:NAMES])


async def send_note(
    context: ReteContext,
    member_id: int,
    chat_id: int,
    prefs: ChatPrefs,
    first: date,
    start: datetime,
    end: datetime,
) -> bool:
    """Build and DM one member's note for the month [start, end)."""
    store = context.db
    member = await store.members.get(member_id)
    if member is None or not context.policy.consents(member):
        return False
    language = language_of(context, member, prefs.language)
    credits = await store.ties.month_credits(member_id, start, end)
    ties = await store.ties.of(member_id)
    introduced = sorted(
        {
            tie.other_id
            for tie in ties
            if tie.introduced_at is not None and start <= tie.introduced_at < end
        }
    )
    quiet = [
        tie.other_id
        for group in logic.ordered(ties)
        for tie in group.ties
        if tie.last_at < end - QUIET
    ]
    quiet = list(dict.fromkeys(quiet))
    seeks = [tag for kind, tag in await store.intros.tags(member_id) if kind == "seek"]
    # One suggestion: an open ask the member could answer comes first.
    answerable = await store.ties.answerable(member_id, chat_id, context.now())
    suggestion = None
    if answerable is None:
        known = {tie.other_id for tie in ties} | {member_id}
        suggestion = await store.ties.offering(chat_id, seeks, known)
    ids = {other for other, _, _ in credits} | set(introduced) | set(quiet[:NAMES])
    if suggestion is not None:
        ids.add(suggestion[0])
    if answerable is not None:
        ids.add(answerable[2])
    people = await store.members.get_many(sorted(ids))
    helped = [other for other, _, received in credits if received]
    helped_by = [other for other, gave, _ in credits if gave]
    lines = [t(context, language, "network-note-title", month=dates.month(first, language))]
    if helped:
        lines.append(t(context, language, "network-note-helped", names=_names(people, helped)))
    if helped_by:
        names = _names(people, helped_by)
        lines.append(t(context, language, "network-note-helped-by", names=names))
    if introduced:
        names = _names(people, introduced)
        lines.append(t(context, language, "network-note-introduced", names=names))
    connected = await store.ties.connected(member_id, start=start, end=end)
    if connected:
        lines.append(t(context, language, "network-note-connected", count=connected))
    if quiet:
        lines.append(t(context, language, "network-note-quiet", names=_names(people, quiet)))
    if answerable is not None:
        _, ask_chat, asker, tags = answerable
        lines.append(
            t(
                context,
                language,
                "network-note-ask",
                title=await title_of(context, ask_chat),
                name=name_of(people.get(asker), asker),
                tags=", ".join(f"#{tag}" for tag in tags),
            )
        )
    if suggestion is not None:
        other, tag = suggestion
        name = name_of(people.get(other), other)
        lines.append(t(context, language, "network-note-suggestion", name=name, tag=tag))
    if len(lines) == 1:
        lines.append(t(context, language, "network-note-nothing"))
    lines += ["", t(context, language, "network-note-footer")]
    return await dm(context, member_id, str(Html("\n".join(lines)))) is not None


JOB = ScheduledJob("ties-note", note_schedule, GRACE, run_note)
