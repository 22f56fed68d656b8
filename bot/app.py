"""The composition root: the one page that shows the whole bot."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from telegram import LinkPreviewOptions, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageReactionHandler,
    TypeHandler,
    filters,
)

from bot.clock import Clock, SystemClock
from bot.commands import names
from bot.i18n import Catalog
from bot.policy import Policy
from bot.polling import PacedUpdates
from bot.ratelimit import ReteRateLimiter
from bot.settings import Settings
from handlers import (
    asks,
    intros,
    ledger,
    members,
    network,
    presence,
    privacy,
    prompts,
    recap,
    redelivery,
    scheduling,
    start,
)
from handlers import settings as settings_handlers
from handlers.context import CLOCK, DB, I18N, LEADERSHIP, POLICY, SETTINGS, ReteContext
from handlers.errors import on_error
from handlers.menus import set_command_menus, set_descriptions
from handlers.routing import CommandRouter, NewMessages, has_text
from handlers.trust import BotTelegram, StoreRecords
from storage import open_store
from storage.leadership import leadership_for
from storage.sqlite import SqlStore

log = logging.getLogger(__name__)

ALLOWED_UPDATES: list[str] = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.CHAT_MEMBER,
    Update.MY_CHAT_MEMBER,
    Update.MESSAGE_REACTION,
]

FLUSH_SECONDS = 1.0

# Handler groups: the claim on the update's id before anything (a copy of an update stops
# there), then observation (it must see every message), then commands, then
# thank-you words (a message can be both a command and counted activity, never both a
# command and words).
ONCE, OBSERVE, COMMANDS, WORDS = -2, -1, 0, 1
# Replies to the bot's prompts are counted in a group of their own (after thank-you words).
PROMPT_REPLIES = 2
# Tags typed in private after an "add" button under /interests.
INTRO_TAGS = 3
# A helper's one-line note typed in private after "I can help" (handlers/asks).
ASK_NOTES = 4
# Any other text in private: a hint and the menu (after the tags and notes, which stop it).
PRIVATE_HINTS = 5

ReteApplication = Application[Any, ReteContext, Any, Any, Any, Any]


def file_base_url(api_base_url: str) -> str:
    """Derive the file-download URL from the Bot API URL (``…/bot`` → ``…/file/bot``)."""
    if api_base_url.endswith("/bot"):
        return api_base_url[: -len("bot")] + "file/bot"
    return api_base_url.rstrip("/") + "/file/bot"


def freeze_startup() -> None:
    """Keep what start-up built (modules, PTB, the catalogs) out of the cyclic GC's scans.

    A full (generation 2) collection walks every tracked object and holds the GIL while it
    does, whichever thread triggers it: with the ≈ 110,000 objects of a started bot that
    took 60-70 ms each, several a minute while /whoknows and /meet read big groups, and
    the event loop stalled for as long (bench/README.md). After ``gc.freeze()`` only what
    is created later is scanned; objects are still freed when their last reference goes.
    Called once by ``rete run`` before serving (not in tests, which build many bots).
    """
    gc.collect()
    gc.freeze()


async def _post_init(application: ReteApplication) -> None:
    settings: Settings = application.bot_data[SETTINGS]
    clock: Clock = application.bot_data[CLOCK]
    # A PostgreSQL server still starting is waited for (one log line per attempt).
    store = await open_store(settings.database, clock=clock.now, wait=True)
    application.bot_data[DB] = store
    # Scheduled work runs on one instance: always this one on SQLite; on PostgreSQL the
    # one holding the leader's lock (the others try again every few seconds).
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    leadership = leadership_for(store, secret)
    if settings.mode == "webhook":
        # Another secret than the live leader's: refuse (rete run says so and stops)
        # before run_webhook sets the webhook, which would give Telegram this secret.
        await leadership.check_secret()
    await leadership.lead()
    application.bot_data[LEADERSHIP] = leadership
    application.bot_data[POLICY] = Policy(
        StoreRecords(store),
        BotTelegram(application.bot, store),
        clock.now,
        settings.admin_cache_seconds,
    )
    # What Telegram shows before anyone writes: menus, "What can this bot do?".
    i18n: Catalog = application.bot_data[I18N]
    await set_command_menus(application.bot, i18n, settings.default_language)
    await set_descriptions(application.bot, i18n, settings.default_language)
    # The big groups' search indexes (storage.holders), built in the background while
    # updates already flow: the first /whoknows or /meet there does not wait for it.
    application.bot_data[WARMING] = asyncio.create_task(
        _warm_searches(store), name="rete-warm-searches"
    )


WARMING = "rete_warming"


async def _warm_searches(store: SqlStore) -> None:
    try:
        built = await store.intros.index.warm()
    except Exception:  # a failed warm-up costs only speed: the searches build on demand
        log.exception("Building the search indexes at start-up failed")
        return
    if built:
        log.info("Search indexes built for %d groups", len(built))


async def _post_shutdown(application: ReteApplication) -> None:
    warming = application.bot_data.pop(WARMING, None)
    if warming is not None:
        warming.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await warming
    leadership = application.bot_data.pop(LEADERSHIP, None)
    if leadership is not None:
        await leadership.close()
    store = application.bot_data.pop(DB, None)
    if store is not None:
        await store.close()


def build_application(
    settings: Settings, i18n: Catalog | None = None, clock: Clock | None = None
) -> ReteApplication:
    """Build the PTB Application with every handler; the database opens in post_init.

    ``clock`` is where every "now" comes from (the real time unless a test sets one).
    """
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        tzinfo=ZoneInfo(settings.default_timezone),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    application: ReteApplication = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_base_url)
        .base_file_url(file_base_url(settings.api_base_url))
        # Polling asks for the next batch of updates poll_interval after each answer.
        .get_updates_request(PacedUpdates(settings.poll_interval))
        .defaults(defaults)
        # Waits out 429 retry_after and retries, so no message is dropped for flood control.
        .rate_limiter(ReteRateLimiter(max_retries=5))
        .context_types(ContextTypes(context=ReteContext))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data[SETTINGS] = settings
    # A running bot logs a catalog mistake and still answers; tests pass a strict catalog.
    application.bot_data[I18N] = i18n or Catalog(strict=False)
    application.bot_data[CLOCK] = clock or SystemClock()

    add = application.add_handler
    add(
        redelivery.HandledOnce(
            application.bot_data, lambda: application.handlers, frozenset({OBSERVE})
        ),
        group=ONCE,
    )
    add(TypeHandler(Update, members.observe), group=OBSERVE)
    add(ChatMemberHandler(presence.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    add(ChatMemberHandler(members.on_chat_member, ChatMemberHandler.CHAT_MEMBER))
    private = filters.ChatType.PRIVATE
    # Commands answer new messages only: an edited "/settings ..." must not act twice.
    new = filters.UpdateType.MESSAGE
    # Every command behind one router: an ordinary message pays one check, not one per
    # command (PTB tries each handler of a group in turn). Every spelling of a command, in
    # every language, works for everyone (bot/commands.py).
    commands = [
        CommandHandler("start", start.start, private & new),
        # In a group /start is /help.
        CommandHandler([*names("help"), "start"], start.help_command, new),
        CommandHandler(names("settings"), settings_handlers.settings_command, new),
        CommandHandler(names("privacy"), privacy.privacy_command, new),
        CommandHandler(names("thanks"), ledger.thanks_command, new),
        # Commands that only read run beside the stream, not in front of it: each waits
        # for the database a few times, and every update behind a blocking one waits too.
        CommandHandler(names("helpers"), ledger.helpers_command, new, block=False),
        CommandHandler(names("profile"), ledger.profile_command, new, block=False),
        CommandHandler(names("ledger"), ledger.ledger_command, new),
        CommandHandler(names("unthank"), ledger.unthank_command, new),
        CommandHandler(names("recap"), recap.recap_command, new),
        CommandHandler(names("prompts"), prompts.prompts_command, new),
        CommandHandler(names("suggest"), prompts.suggest_command, new),
        CommandHandler(names("interests"), intros.interests_command, new),
        CommandHandler(names("intros"), intros.intros_command, new),
        # The two searches over a whole group, likewise (/meet writes only its own
        # introduction, one at a time per member: see handlers/intros/ondemand.py).
        CommandHandler(names("meet"), intros.meet_command, new, block=False),
        CommandHandler(names("whoknows"), intros.whoknows_command, new, block=False),
        CommandHandler(names("introduce"), intros.introduce_command, new),
        CommandHandler(names("ask"), asks.ask_command, new),
        CommandHandler(names("asks"), asks.asks_command, new),
        CommandHandler(names("network"), network.network_command, new),
    ]
    add(CommandRouter(commands))
    add(CallbackQueryHandler(privacy.privacy_button, pattern=f"^{privacy.CALLBACK_PREFIX}"))
    add(
        CallbackQueryHandler(
            settings_handlers.panel_button, pattern=f"^{settings_handlers.CALLBACK_PREFIX}"
        )
    )
    add(CallbackQueryHandler(prompts.suggestion_button, pattern=f"^{prompts.CALLBACK_PREFIX}"))
    add(CallbackQueryHandler(intros.intros_button, pattern=f"^{intros.CALLBACK_PREFIX}"))
    add(CallbackQueryHandler(intros.tags_button, pattern=f"^{intros.TAG_CALLBACK_PREFIX}"))
    add(CallbackQueryHandler(start.menu_button, pattern=f"^{start.CALLBACK_PREFIX}"))
    add(CallbackQueryHandler(asks.asks_button, pattern=f"^{asks.CALLBACK_PREFIX}"))
    add(CallbackQueryHandler(network.network_button, pattern=f"^{network.CALLBACK_PREFIX}"))
    # The private menu's buttons run these commands for the presser (handlers/start.py).
    application.bot_data[start.MENU] = {
        "interests": intros.interests_command,
        "intros": intros.intros_command,
        "privacy": privacy.privacy_command,
    }
    add(
        MessageReactionHandler(
            ledger.on_reaction,
            message_reaction_types=MessageReactionHandler.MESSAGE_REACTION_UPDATED,
        )
    )
    # Plain checks instead of merged PTB filters: these two see every group message.
    add(NewMessages(ledger.thanks_words, ledger.may_thank_someone), group=WORDS)
    add(NewMessages(prompts.on_reply, prompts.replies_to_bot), group=PROMPT_REPLIES)
    # Tags typed in private after pressing an "add" button under /interests; a plain check
    # (private text, no command) in its own group, so it hides no other handler.
    add(NewMessages(intros.interests_text, has_text, chats=[ChatType.PRIVATE]), group=INTRO_TAGS)
    add(NewMessages(asks.note_text, has_text, chats=[ChatType.PRIVATE]), group=ASK_NOTES)
    add(NewMessages(start.private_text, has_text, chats=[ChatType.PRIVATE]), group=PRIVATE_HINTS)
    application.add_error_handler(on_error)

    jobs = application.job_queue
    assert jobs is not None, "python-telegram-bot[job-queue] is required"
    # A crash loses at most FLUSH_SECONDS of activity counters (see README).
    jobs.run_repeating(members.flush_activity, interval=FLUSH_SECONDS, name="flush-activity")
    jobs.run_daily(
        scheduling.leader_only(members.prune_message_authors),
        time=time(4, 0),
        name="prune-authors",
    )
    # Update ids are claimed for a day (storage/updates.py): forget older ones every hour.
    jobs.run_repeating(members.prune_updates, interval=3600, first=60, name="prune-updates")
    # The 🤝 past a group's ACKS_PER_MINUTE go out once their minute has passed.
    jobs.run_repeating(
        ledger.acknowledge_job, interval=ledger.ACK_CHECK_SECONDS, name=ledger.ACK_JOB_NAME
    )
    # Newcomers' welcomes, batched per group (bot/welcomes.py says when).
    jobs.run_repeating(
        scheduling.leader_only(members.welcome_newcomers),
        interval=members.WELCOME_SECONDS,
        first=members.WELCOME_SECONDS,
        name=members.WELCOME_JOB_NAME,
    )
    # Prompts, introductions and recaps: weekly slots in each group's time zone, run once,
    # on the leader only (so are the welcomes above and the sweep below): bulk sends spend
    # the bot's flood budget in one place.
    # Keep-in-touch reminders and the monthly note: a daily slot per group each
    # (handlers/network/).
    scheduling.install(
        application,
        [prompts.JOB, intros.JOB, recap.JOB, network.REMINDERS_JOB, network.NOTE_JOB],
    )
    # Introductions: DMs a crash left pending, and "did you meet?" follow-ups when due.
    jobs.run_repeating(
        scheduling.leader_only(intros.sweep_job),
        interval=intros.SWEEP_SECONDS,
        first=5,
        name=intros.SWEEP_JOB_NAME,
    )
    # Asks: expiry, asks solved by a thanks, notes that never came (handlers/asks).
    jobs.run_repeating(
        scheduling.leader_only(asks.sweep_job),
        interval=asks.SWEEP_SECONDS,
        first=asks.SWEEP_SECONDS,
        name=asks.SWEEP_JOB_NAME,
    )
    # Who leads: taken in post_init, kept or taken over every leader_retry_seconds; an
    # instance that takes over runs the leader's jobs at once (scheduling.lead_job).
    retry = settings.leader_retry_seconds
    jobs.run_repeating(scheduling.lead_job, interval=retry, first=retry, name="leadership")
    application.bot_data[scheduling.TAKEOVER_KEY] = (
        scheduling.TICK_JOB_NAME,
        members.WELCOME_JOB_NAME,
        intros.SWEEP_JOB_NAME,
        asks.SWEEP_JOB_NAME,
    )
    return application
