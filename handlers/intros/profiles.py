"""/interests: a member's tags (interests, offers, seeks), typed or picked with buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.ext import ApplicationHandlerStop

from bot.chat_settings import SettingError, parse_switch
from bot.deeplinks import start_link
from bot.i18n import Html
from bot.introductions import TAG_CALLBACK_PREFIX, callback, fits_callback, parse_callback
from bot.tags import (
    KIND_LETTERS,
    KIND_NAMED,
    KINDS,
    LETTER_KINDS,
    Kind,
    TagError,
    merge,
    normalize_tag,
    parse_kind,
    parse_tags,
    profile_from,
)
from handlers.common import chat_prefs, is_group, member_info, user_language
from handlers.context import ReteContext
from handlers.delivery import dm, reply
from handlers.intros.common import (
    AWAITING,
    REMOVE_WORDS,
    _alert,
    _button,
    _edit,
    _t,
    _tag_list,
)
from handlers.start import deep_link

# /interests public on|off: the weekly recap may show a newcomer's offers.
PUBLIC_WORDS = ("public", "pubblico", "pubbliche", "pubblica")
SUGGESTIONS = 8


async def _interests_panel(
    context: ReteContext, user: User, language: str, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    rows = await context.db.intros.tags(user.id)
    profile = profile_from(rows)
    none = _t(context, language, "intros-none")

    def shown(tags: frozenset[str]) -> Html | str:
        return _tag_list(sorted(tags)) if tags else none

    text = _t(
        context,
        language,
        "intros-interests",
        interests=shown(profile.interests),
        offers=shown(profile.offers),
        seeks=shown(profile.seeks),
    )
    public = await context.db.intros.offers_public(user.id)
    visibility = "intros-public-state-on" if public else "intros-public-state-off"
    text = f"{text}\n\n{_t(context, language, visibility)}"
    if note:
        text = f"{note}\n\n{text}"
    keyboard: list[list[InlineKeyboardButton]] = []
    suggestions = [
        (kind, tag)
        for kind, tag, _people in await context.db.intros.popular_tags(user.id, SUGGESTIONS * 2)
        if fits_callback("a", KIND_LETTERS[kind], tag, prefix=TAG_CALLBACK_PREFIX)
    ][:SUGGESTIONS]
    row: list[InlineKeyboardButton] = []
    for kind, tag in suggestions:
        label = _t(context, language, f"intros-suggest-{kind}", tag=tag)
        letter = KIND_LETTERS[kind]
        row.append(_button(label, callback("a", letter, tag, prefix=TAG_CALLBACK_PREFIX)))
        if len(row) == 2:
            keyboard.append(row)
            row = []
    if row:
        keyboard.append(row)
    keyboard.append(
        [
            _button(
                _t(context, language, f"intros-button-add-{kind}"),
                callback("t", KIND_LETTERS[kind], prefix=TAG_CALLBACK_PREFIX),
            )
            for kind in KINDS
        ]
    )
    if not profile.empty:
        keyboard.append(
            [
                _button(
                    _t(context, language, "intros-button-remove"),
                    callback("t", "r", prefix=TAG_CALLBACK_PREFIX),
                )
            ]
        )
    return text, InlineKeyboardMarkup(keyboard)


async def interests_command(update: Update, context: ReteContext) -> None:
    """/interests: in private, show and change your tags; in a group, point to private."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or user.is_bot:
        return
    if is_group(message.chat):
        language = (await chat_prefs(context, message.chat_id)).language
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        context.i18n.plain(language, "intros-open-private"),
                        url=start_link(context.bot.username, "interests"),
                    )
                ]
            ]
        )
        await reply(
            context,
            message,
            _t(context, language, "intros-interests-in-group"),
            reply_markup=markup,
        )
        return
    language = user_language(context, user)
    if context.user_data is not None:
        context.user_data.pop(AWAITING, None)
    args = context.args or []
    if not args:
        text, markup = await _interests_panel(context, user, language)
        await reply(context, message, text, reply_markup=markup)
        return
    first = args[0].casefold()
    if first in PUBLIC_WORDS:
        await _offers_visibility(context, message, user, language, " ".join(args[1:]))
        return
    if first in REMOVE_WORDS:
        await _change_tags(context, message, user, language, "remove", " ".join(args[1:]))
        return
    kind = parse_kind(first)
    raw = " ".join(args[1:]) if kind is not None else " ".join(args)
    await _change_tags(context, message, user, language, kind or "interest", raw)


async def _offers_visibility(
    context: ReteContext, message: Message, user: User, language: str, raw: str
) -> None:
    """/interests public on|off: may the weekly recap that welcomes you show your offers?"""
    try:
        public = parse_switch(raw)
    except SettingError:
        await reply(context, message, _t(context, language, "intros-public-usage"))
        return
    await context.db.intros.set_offers_public(member_info(user), public, context.now())
    note = _t(context, language, "intros-public-on" if public else "intros-public-off")
    text, markup = await _interests_panel(context, user, language, note)
    await reply(context, message, text, reply_markup=markup)


async def _change_tags(
    context: ReteContext, message: Message, user: User, language: str, mode: str, raw: str
) -> None:
    """Add tags of a kind (mode = the kind) or remove tags (mode = "remove"); reply."""
    store = context.db.intros
    try:
        tags = parse_tags(raw)
        if mode == "remove":
            removed = await store.remove_tags(user.id, tags)
            note = _t(context, language, "intros-tags-removed", count=removed)
        else:
            profile = profile_from(await store.tags(user.id))
            new = merge(profile, KIND_NAMED[mode], tags)
            await store.add_tags(member_info(user), mode, new, context.now())
            note = _t(
                context,
                language,
                "intros-tags-added",
                count=len(new),
                kind=mode,
            )
    except TagError as error:
        # A kind goes to the catalog as its id (interest, offer, seek): each message
        # words it as its sentence needs.
        await reply(context, message, _t(context, language, error.key, **error.args_))
        return
    text, markup = await _interests_panel(context, user, language, note)
    await reply(context, message, text, reply_markup=markup)


async def interests_text(update: Update, context: ReteContext) -> None:
    """A plain message in private after pressing an "add"/"remove" button: the tags."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    user_data = context.user_data
    mode = user_data.pop(AWAITING, None) if user_data is not None else None
    if mode is None:
        return
    await _change_tags(context, message, user, user_language(context, user), mode, message.text)
    # Taken as tags: not "a message Rete cannot use" (handlers.start.private_text).
    raise ApplicationHandlerStop


async def tags_button(update: Update, context: ReteContext) -> None:
    """Buttons under /interests: add a suggested tag, or ask for tags to type."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    user = query.from_user
    language = user_language(context, user)
    parsed = parse_callback(query.data, TAG_CALLBACK_PREFIX)
    if parsed is None:
        return
    action, args = parsed
    if action == "t" and args and (args[0] in LETTER_KINDS or args[0] == "r"):
        mode = "remove" if args[0] == "r" else LETTER_KINDS[args[0]]
        if context.user_data is not None:
            context.user_data[AWAITING] = mode
        await query.answer()
        key = "intros-type-remove" if mode == "remove" else "intros-type-tags"
        await dm(context, user.id, _t(context, language, key, kind=mode))
        return
    if action == "a" and len(args) >= 2 and args[0] in LETTER_KINDS:
        kind: Kind = LETTER_KINDS[args[0]]
        tag = normalize_tag(":".join(args[1:]))
        try:
            tags = parse_tags(tag)
            new = merge(profile_from(await context.db.intros.tags(user.id)), kind, tags)
        except TagError as error:
            await query.answer(
                _alert(context, language, error.key, **error.args_),
                show_alert=True,
            )
            return
        await context.db.intros.add_tags(member_info(user), kind, new, context.now())
        await query.answer(
            _alert(
                context,
                language,
                "intros-tags-added",
                count=len(new),
                kind=kind,
            )
        )
        text, markup = await _interests_panel(context, user, language)
        await _edit(query, text, markup)
        return
    await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)


@deep_link("interests")
async def _interests_link(update: Update, context: ReteContext, argument: str) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    text, markup = await _interests_panel(context, user, user_language(context, user))
    await reply(context, message, text, reply_markup=markup)
