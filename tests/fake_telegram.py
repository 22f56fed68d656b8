"""A fake Telegram Bot API server: a real aiohttp server that PTB talks to over HTTP.

Point a real ``Application``/``Bot`` at it with ``base_url=fake.base_url`` and
``base_file_url=fake.base_file_url``. It records every call, answers with JSON PTB can parse,
keeps a little world state (who started the bot, who blocked it, admins, migrated groups, the
bot's own membership) to fail the way Telegram does, parses HTML like Telegram, serves
updates through ``getUpdates`` long polling, and can be scripted to fail on demand.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import inspect
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .factories import member_status, next_message_id, now, seen_message_id

__all__ = [
    "ApiCall",
    "ApiError",
    "FakeTelegram",
    "HtmlParseError",
    "UploadedFile",
    "parse_html",
    "utf16_len",
]

# Fields PTB sends as raw strings (RequestParameter.json_value): never JSON-decode them.
STRING_FIELDS = frozenset(
    {
        "action",
        "address",
        "animation",
        "audio",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "currency",
        "custom_emoji_id",
        "custom_title",
        "description",
        "document",
        "emoji",
        "explanation",
        "explanation_parse_mode",
        "file_id",
        "filename",
        "first_name",
        "gift_id",
        "inline_message_id",
        "invite_link",
        "ip_address",
        "language_code",
        "last_name",
        "message_effect_id",
        "name",
        "next_offset",
        "parse_mode",
        "payload",
        "phone_number",
        "photo",
        "provider_token",
        "query",
        "question",
        "question_parse_mode",
        "result_id",
        "secret_token",
        "short_description",
        "start_parameter",
        "sticker",
        "text",
        "text_parse_mode",
        "thumbnail",
        "title",
        "url",
        "vcard",
        "video",
        "video_note",
        "voice",
    }
)

UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
# What Telegram delivers when allowed_updates was never given (or given as []).
DEFAULT_UPDATE_TYPES = UPDATE_TYPES - {"chat_member", "message_reaction", "message_reaction_count"}

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
ALERT_LIMIT = 200
_CHAT_TYPES = frozenset({"private", "group", "supergroup", "channel"})
_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


# --------------------------------------------------------------------------------------------
# HTML parsing, after tdlib's parse_html (td/telegram/MessageEntity.cpp)
# --------------------------------------------------------------------------------------------


class HtmlParseError(ValueError):
    """HTML Telegram refuses; ``detail`` is what follows "can't parse entities: "."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def utf16_len(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units, as Telegram measures."""
    return len(text.encode("utf-16-le")) // 2


_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_SIMPLE_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_ENTITIES = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}
_SPACES = frozenset(b" \t\r\n\v\f")
_LT, _GT, _AMP, _SLASH, _EQUAL = (ord(c) for c in "<>&/=")
# tdlib's sort order for entities starting at the same offset with the same length.
_ENTITY_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
_USER_LINK = re.compile(r"tg://user\?id=(\d{1,19})", re.IGNORECASE)


@dataclass
class _OpenTag:
    tag: str
    argument: str
    offset: int  # UTF-16 offset in the plain text
    position: int  # byte position in the plain text


def _is_alnum(byte: int) -> bool:
    return 48 <= byte <= 57 or 65 <= byte <= 90 or 97 <= byte <= 122


def _decode_entity(data: bytes, pos: int) -> tuple[int, int]:
    """Decode the character reference at ``data[pos] == '&'``: (code point, end) or (0, pos)."""
    n = len(data)
    end = pos + 1
    code = 0
    if end < n and data[end] == ord("#"):
        end += 1
        if end < n and data[end] == ord("x"):
            end += 1
            while end < n and chr(data[end]) in "0123456789abcdefABCDEF":
                code = code * 16 + int(chr(data[end]), 16)
                end += 1
                if code >= 0x10FFFF:
                    return 0, pos
        else:
            while end < n and 48 <= data[end] <= 57:
                code = code * 10 + data[end] - 48
                end += 1
                if code >= 0x10FFFF:
                    return 0, pos
        if code == 0 or end - pos >= 10 or 0xD800 <= code <= 0xDFFF:
            return 0, pos
    else:
        while end < n and (65 <= data[end] <= 90 or 97 <= data[end] <= 122):
            end += 1
        code = _NAMED_ENTITIES.get(data[pos + 1 : end], 0)
        if not code:
            return 0, pos
    if end < n and data[end] == ord(";"):
        end += 1
    return code, end


def _check_link(url: str) -> str | None:
    """Return the URL Telegram would store for a text_link, None if it drops the link."""
    url = url.strip()
    if not url or any(char.isspace() for char in url):
        return None
    if url.lower().startswith(("tg:", "ton:", "tonsite:")):
        return url
    if "://" in url:
        scheme, rest = url.split("://", 1)
        scheme = scheme.lower()
        if scheme not in ("http", "https"):
            return None
    else:
        scheme, rest = "http", url
    host_end = min((index for index in map(rest.find, "/?#") if index >= 0), default=len(rest))
    host, tail = rest[:host_end], rest[host_end:]
    if not host or ("://" not in url and "." not in host):
        return None
    if not tail.startswith("/"):
        tail = "/" + tail
    return f"{scheme}://{host}{tail}"


def _parse_start_tag(data: bytes, begin: int) -> tuple[str, str, int]:
    """Parse the start tag at ``begin``: (tag name, its argument, index after '>')."""
    n = len(data)
    unclosed = HtmlParseError(f"Unclosed start tag at byte offset {begin}")
    i = begin + 1
    while i < n and data[i] not in _SPACES and data[i] != _GT:
        i += 1
    if i >= n:
        raise unclosed
    tag = data[begin + 1 : i].decode("utf-8", "replace").lower()
    if tag not in _HTML_TAGS:
        raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
    argument = ""
    while True:
        while i < n and data[i] in _SPACES:
            i += 1
        if i >= n:
            raise unclosed
        if data[i] == _GT:
            break
        name_begin = i
        while i < n and data[i] not in _SPACES and data[i] not in (_EQUAL, _GT):
            i += 1
        name = data[name_begin:i].decode("utf-8", "replace").lower()
        if not name:
            raise HtmlParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while i < n and data[i] in _SPACES:
            i += 1
        if i >= n:
            raise unclosed
        if data[i] != _EQUAL:
            if tag == "blockquote" and name == "expandable":
                argument = "expandable"
            continue
        i += 1
        while i < n and data[i] in _SPACES:
            i += 1
        if i >= n:
            raise unclosed
        if data[i] in (ord('"'), ord("'")):
            quote = data[i]
            i += 1
            raw = bytearray()
            while i < n and data[i] != quote:
                if data[i] == _AMP:
                    code, end = _decode_entity(data, i)
                    if code:
                        raw += chr(code).encode()
                        i = end
                        continue
                raw.append(data[i])
                i += 1
            if i >= n:
                raise unclosed
            i += 1
            value = raw.decode("utf-8", "replace")
        else:
            token_begin = i
            while i < n and (_is_alnum(data[i]) or data[i] in b".-"):
                i += 1
            if i >= n:
                raise unclosed
            if data[i] not in _SPACES and data[i] != _GT:
                raise HtmlParseError(f"Unexpected end of name token at byte offset {token_begin}")
            value = data[token_begin:i].decode().lower()
        if (tag == "a" and name == "href") or (tag == "tg-emoji" and name == "emoji-id"):
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "blockquote" and name == "expandable":
            argument = "expandable"
    if tag == "span" and argument != "spoiler":
        raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    return tag, argument, i + 1


def _entity_for(open_tag: _OpenTag, length: int, inner: str, entities: list[dict]) -> None:
    """Append the entity a closed tag makes (tdlib merges <pre><code class=...> into pre)."""
    tag, argument, offset = open_tag.tag, open_tag.argument, open_tag.offset
    entity: dict[str, Any] = {"offset": offset, "length": length}
    last = entities[-1] if entities else None
    same_span = last is not None and last["offset"] == offset and last["length"] == length
    if tag in _SIMPLE_ENTITIES:
        entity["type"] = _SIMPLE_ENTITIES[tag]
    elif tag == "blockquote":
        entity["type"] = "expandable_blockquote" if argument else "blockquote"
    elif tag == "tg-emoji":
        if not argument.isdigit() or int(argument) == 0 or int(argument) >= 2**63:
            raise HtmlParseError("Invalid custom emoji identifier specified")
        entity.update(type="custom_emoji", custom_emoji_id=argument)
    elif tag == "a":
        url = argument or inner
        user_link = _USER_LINK.fullmatch(url)
        if user_link:
            user = {"id": int(user_link.group(1)), "is_bot": False, "first_name": ""}
            entity.update(type="text_mention", user=user)
        else:
            checked = _check_link(url)
            if checked is None:
                return
            entity.update(type="text_link", url=checked)
    elif tag == "code":
        entity.update(type="code", _language=argument)
    elif last is not None and same_span and last["type"] == "code" and last["_language"]:
        last.update(type="pre", language=last.pop("_language"))
        return
    else:
        entity["type"] = "pre"
    entities.append(entity)


def _inside(entity: dict[str, Any], block: dict[str, Any]) -> bool:
    """Whether ``entity`` lies within the code/pre ``block`` and is dropped for it."""
    if entity is block:
        return False
    start, end = entity["offset"], entity["offset"] + entity["length"]
    if not block["offset"] <= start <= end <= block["offset"] + block["length"]:
        return False
    same_span = start == block["offset"] and end == block["offset"] + block["length"]
    return not (same_span and entity["type"] == "pre" and block["type"] == "code")


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into plain text and entities (UTF-16 offsets), like tdlib does."""
    data = text.encode("utf-8", "surrogatepass")
    n = len(data)
    out = bytearray()
    utf16 = 0
    entities: list[dict[str, Any]] = []
    stack: list[_OpenTag] = []
    i = 0
    while i < n:
        byte = data[i]
        if byte == _AMP:
            code, end = _decode_entity(data, i)
            if code:
                out += chr(code).encode()
                utf16 += 2 if code > 0xFFFF else 1
                i = end
                continue
        if byte != _LT:
            out.append(byte)
            if byte & 0xC0 != 0x80:
                utf16 += 2 if byte >= 0xF0 else 1
            i += 1
            continue
        begin = i
        if i + 1 < n and data[i + 1] == _SLASH:
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
            i += 2
            while i < n and data[i] not in _SPACES and data[i] != _GT:
                i += 1
            end_tag = data[begin + 2 : i].decode("utf-8", "replace").lower()
            while i < n and data[i] in _SPACES:
                i += 1
            if i >= n or data[i] != _GT:
                raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
            i += 1
            open_tag = stack[-1]
            if end_tag and end_tag != open_tag.tag:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {begin}, "
                    f'expected "</{open_tag.tag}>", found "</{end_tag}>"'
                )
            stack.pop()
            if utf16 > open_tag.offset:
                inner = out[open_tag.position :].decode("utf-8", "replace")
                _entity_for(open_tag, utf16 - open_tag.offset, inner, entities)
        else:
            tag, argument, i = _parse_start_tag(data, begin)
            stack.append(_OpenTag(tag, argument, utf16, len(out)))
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    for entity in entities:
        entity.pop("_language", None)
    # Nothing is formatted inside code and pre (pre wins over a code of the same span).
    blocks = [e for e in entities if e["type"] in ("code", "pre")]
    entities = [e for e in entities if not any(_inside(e, b) for b in blocks)]
    entities.sort(key=lambda e: (e["offset"], -e["length"], _ENTITY_PRIORITY.get(e["type"], 50)))
    return out.decode("utf-8", "surrogatepass"), entities


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip leading/trailing whitespace like Telegram, clipping entities to what remains."""
    stripped = text.strip(" \t\r\n\v\f")
    if stripped == text:
        return text, entities
    lead = len(text) - len(text.lstrip(" \t\r\n\v\f"))
    size = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


@dataclass
class UploadedFile:
    """A file part received in a multipart request."""

    filename: str
    content: bytes


@dataclass
class ApiCall:
    """One Bot API request the fake received, and how it was answered."""

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile] = field(default_factory=dict)
    ok: bool = False
    result: Any = None
    error: dict[str, Any] | None = None

    @property
    def done(self) -> bool:
        """Whether the call has been answered (a long poll may still be waiting)."""
        return self.ok or self.error is not None


class ApiError(Exception):
    """An error answer; raise it inside a method handler."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        """Return the JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class _Failure:
    method: str
    error: ApiError
    remaining: int
    when: Callable[[dict[str, Any]], bool] | None


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    upload: UploadedFile


def _decode_value(name: str, value: str) -> Any:
    """Undo PTB's encoding: every non-str value was json.dumps'ed, str values are raw."""
    if name in STRING_FIELDS:
        return value
    try:
        return json.loads(value, parse_constant=_reject_constant)
    except ValueError:
        return value


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _update_type(update: dict[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


class FakeTelegram:
    """A fake Bot API server on 127.0.0.1 for one test; use ``async with FakeTelegram()``."""

    def __init__(
        self,
        *,
        token: str = "123456:AAH-TEST-TOKEN-abcdefghijklmnopqrstuvw",
        bot_id: int = 123456,
        bot_username: str = "rete_test_bot",
        can_read_all_group_messages: bool = False,
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = "Rete"
        self.can_read_all_group_messages = can_read_all_group_messages

        self.calls: list[ApiCall] = []
        self.last_allowed_updates: list[str] | None = None
        # When True, undelivered update types are dropped like Telegram does.
        self.filter_allowed_updates = True

        self.started_users: set[int] = set()
        self.blocked_users: set[int] = set()
        self.chat_admins: dict[int, list[dict[str, Any]]] = {}
        # Who is in each group (chat -> user -> status), as getChatMember answers: learned
        # from updates (a message there, a join, a leave, a chat_member change) or set.
        self.chat_members: dict[int, dict[int, str]] = {}
        self.bot_status: dict[int, str] = {}
        self.migrated: dict[int, int] = {}
        self.known_chats: dict[int, dict[str, Any]] = {}
        self.known_users: dict[int, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # What "What can this bot do?" and the bot's profile show, per language_code
        # ("" is the default for every language without its own).
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.webhook_url = ""

        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._files: dict[str, _StoredFile] = {}
        self._file_paths: dict[str, _StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._failures: list[_Failure] = []

        self._queue: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._max_offset = 0
        self._allowed: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._undeliverable: dict[int, str] = {}
        self._poll_generation = 0
        self._changed = asyncio.Event()
        self._closing = False

        self._runner: web.AppRunner | None = None
        self.port = 0

        self._methods: dict[str, Callable[[ApiCall], Any]] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "setMyDescription": self._set_my_description,
            "getMyDescription": self._get_my_description,
            "setMyShortDescription": self._set_my_short_description,
            "getMyShortDescription": self._get_my_short_description,
            "setMyName": self._true,
            "setChatMenuButton": self._true,
            "answerCallbackQuery": self._answer_callback_query,
            "setMessageReaction": self._chat_write_true,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._chat_write_true,
            "pinChatMessage": self._chat_write_true,
            "unpinChatMessage": self._chat_write_true,
            "unpinAllChatMessages": self._chat_write_true,
            "sendChatAction": self._send_chat_action,
            "leaveChat": self._leave_chat,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "getChatAdministrators": self._get_chat_administrators,
            "getChatMember": self._get_chat_member,
            "getChatMemberCount": self._get_chat_member_count,
            "getChat": self._get_chat,
            "getFile": self._get_file,
        }
        self._method_names = {name.lower(): name for name in self._methods}

    # ---- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving on a free port of 127.0.0.1."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        self._closing = False
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Answer pending long polls and stop the server."""
        self._closing = True
        self._notify()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop the server."""
        await self.stop()

    @property
    def base_url(self) -> str:
        """The PTB ``base_url`` ("http://127.0.0.1:PORT/bot"; PTB appends the token)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """The PTB ``base_file_url`` ("http://127.0.0.1:PORT/file/bot")."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def bot_user(self) -> dict[str, Any]:
        """The bot's User, as it appears in ``from`` of its messages."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    # ---- inspecting calls --------------------------------------------------------------------

    def calls_to(self, method: str) -> list[ApiCall]:
        """Return every call of ``method`` (case-insensitive), in order."""
        method = method.lower()
        return [call for call in self.calls if call.method.lower() == method]

    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[ApiCall]:
        """Return the successful calls of ``method``, optionally only those to ``chat_id``."""
        return [
            call
            for call in self.calls_to(method)
            if call.ok and (chat_id is None or self._call_chat_id(call) == chat_id)
        ]

    @staticmethod
    def _call_chat_id(call: ApiCall) -> Any:
        if isinstance(call.result, dict) and isinstance(call.result.get("chat"), dict):
            return call.result["chat"]["id"]
        return call.params.get("chat_id")

    def clear_calls(self) -> None:
        """Forget the recorded calls."""
        self.calls.clear()

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """Return a message the server knows (sent by the bot or queued in an update)."""
        return self._messages.get((chat_id, message_id))

    def commands_for(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """Return the commands set for ``scope`` (default scope when None) and language."""
        return self.commands.get(self._commands_key(scope, language_code), [])

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5) -> None:  # noqa: ASYNC109
        """Wait until ``predicate()`` holds; it is re-checked after every call and update."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"condition not met within {timeout} s")
            await self._wait_change(remaining)

    async def wait_sent(
        self,
        chat_id: int | None = None,
        count: int = 1,
        method: str = "sendMessage",
        timeout: float = 5,  # noqa: ASYNC109
    ) -> list[ApiCall]:
        """Wait until at least ``count`` successful ``method`` calls (to ``chat_id``) exist."""
        try:
            await self.wait_for(lambda: len(self.sent(chat_id, method)) >= count, timeout)
        except TimeoutError:
            got = len(self.sent(chat_id, method))
            raise TimeoutError(
                f"expected {count} {method} to {chat_id}, got {got} in {timeout} s"
            ) from None
        return self.sent(chat_id, method)

    # ---- updates -----------------------------------------------------------------------------

    @property
    def next_update_id(self) -> int:
        """The id the next queued update gets (Telegram's ids grow for the bot's whole life)."""
        return self._next_update_id

    def number_updates_from(self, update_id: int) -> None:
        """Give the next updates ids from ``update_id`` on (the same bot, seen by a new server)."""
        self._next_update_id = max(self._next_update_id, update_id)

    def add_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates (assigning update_id if missing); return its id."""
        # The world follows the update as Telegram's would: a private message means the user
        # started the bot, my_chat_member sets the bot's status (or blocks, in a private
        # chat), migrate_to_chat_id migrates the chat; chats, users, messages are remembered.
        update = copy.deepcopy(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        self._observe(update)
        self._queue.append(update)
        self._queue.sort(key=lambda queued: queued["update_id"])
        self._notify()
        return update["update_id"]

    async def wait_delivered(self, update_id: int, timeout: float = 5) -> None:  # noqa: ASYNC109
        """Wait until PTB acknowledged ``update_id`` (a getUpdates with a higher offset)."""
        try:
            await self.wait_for(
                lambda: self._max_offset > update_id or update_id in self._undeliverable,
                timeout,
            )
        except TimeoutError:
            raise TimeoutError(f"update {update_id} not acknowledged in {timeout} s") from None
        if update_id in self._undeliverable:
            raise AssertionError(self._undeliverable[update_id])

    def _observe(self, update: dict[str, Any]) -> None:
        self._remember(update)
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            msg = update.get(key)
            if not isinstance(msg, dict):
                continue
            chat_id = msg["chat"]["id"]
            seen_message_id(chat_id, msg["message_id"])
            self._messages[(chat_id, msg["message_id"])] = msg
            if msg["chat"]["type"] == "private" and "from" in msg:
                self.started_users.add(msg["from"]["id"])
            elif msg["chat"]["type"] in ("group", "supergroup"):
                self._observe_members(chat_id, msg)
            if "migrate_to_chat_id" in msg and chat_id not in self.migrated:
                self.migrate_chat(chat_id, msg["migrate_to_chat_id"])
        member = update.get("my_chat_member")
        if isinstance(member, dict):
            chat_id = member["chat"]["id"]
            status = member["new_chat_member"]["status"]
            if member["chat"]["type"] == "private":
                if status == "kicked":
                    self.blocked_users.add(chat_id)
                else:
                    self.blocked_users.discard(chat_id)
                    self.started_users.add(chat_id)
            else:
                self.bot_status[chat_id] = status
        change = update.get("chat_member")
        if isinstance(change, dict):
            new = change["new_chat_member"]
            self.chat_members.setdefault(change["chat"]["id"], {})[new["user"]["id"]] = new[
                "status"
            ]

    def _observe_members(self, chat_id: int, msg: dict[str, Any]) -> None:
        # Only members can write in a group: a message proves its sender is in it.
        members = self.chat_members.setdefault(chat_id, {})
        sender = msg.get("from")
        if (
            isinstance(sender, dict)
            and "sender_chat" not in msg
            and members.get(sender["id"]) in (None, "left", "kicked")
        ):
            members[sender["id"]] = "member"
        for joined in msg.get("new_chat_members") or []:
            members[joined["id"]] = "member"
        gone = msg.get("left_chat_member")
        if isinstance(gone, dict):
            members[gone["id"]] = "left"

    def _remember(self, value: Any) -> None:
        # Learn every chat and user mentioned, to answer with their real names later.
        if isinstance(value, list):
            for item in value:
                self._remember(item)
        elif isinstance(value, dict):
            if isinstance(value.get("id"), int) and "is_bot" in value and "first_name" in value:
                self.known_users[value["id"]] = value
            elif isinstance(value.get("id"), int) and value.get("type") in _CHAT_TYPES:
                self.known_chats[value["id"]] = value
            for item in value.values():
                if isinstance(item, dict | list):
                    self._remember(item)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, seconds: float) -> None:
        changed = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), seconds)

    # ---- world state -------------------------------------------------------------------------

    def set_admins(
        self, chat_id: int, *users: dict[str, Any], creator: dict[str, Any] | None = None
    ) -> None:
        """Make ``users`` the administrators of ``chat_id`` (and ``creator`` its owner)."""
        admins = [member_status(creator, "creator")] if creator is not None else []
        admins += [member_status(u, "administrator") for u in users]
        self.chat_admins[chat_id] = admins

    def set_member(self, chat_id: int, user: dict[str, Any], status: str = "member") -> None:
        """Say what getChatMember answers for ``user`` in ``chat_id`` (``left``, ``kicked``…)."""
        self._remember(user)
        self.chat_members.setdefault(chat_id, {})[user["id"]] = status

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """Upgrade a group to a supergroup: calls with the old id now fail with ChatMigrated."""
        self.migrated[old_chat_id] = new_chat_id
        old = self.known_chats.get(old_chat_id, {"title": f"Group {old_chat_id}"})
        new = {k: v for k, v in old.items() if k != "all_members_are_administrators"}
        new.update(id=new_chat_id, type="supergroup")
        self.known_chats.setdefault(new_chat_id, new)
        if old_chat_id in self.bot_status:
            self.bot_status.setdefault(new_chat_id, self.bot_status[old_chat_id])
        if old_chat_id in self.chat_admins:
            self.chat_admins.setdefault(new_chat_id, self.chat_admins[old_chat_id])
        if old_chat_id in self.chat_members:
            self.chat_members.setdefault(new_chat_id, dict(self.chat_members[old_chat_id]))

    def fail(
        self,
        method: str,
        *,
        error_code: int = 400,
        description: str = "Bad Request",
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        times: int = 1,
        when: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` whose params satisfy ``when`` fail."""
        parameters: dict[str, Any] = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        error = ApiError(error_code, description, parameters or None)
        self._failures.append(_Failure(method.lower(), error, times, when))

    def fail_429(
        self,
        method: str,
        retry_after: int = 1,
        times: int = 1,
        when: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` hit flood control."""
        self.fail(
            method,
            error_code=429,
            description=f"Too Many Requests: retry after {retry_after}",
            retry_after=retry_after,
            times=times,
            when=when,
        )

    # ---- HTTP --------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        params, files = await self._decode(request)
        call = ApiCall(self._method_names.get(name.lower(), name), params, files)
        self.calls.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            handler = self._methods.get(call.method)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            self._scripted_failure(call)
            result = handler(call)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as error:
            call.error = error.body()
            self._notify()
            return web.json_response(call.error, status=error.error_code)
        call.ok = True
        call.result = result
        self._notify()
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        stored = self._file_paths.get(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored.upload.content)

    @staticmethod
    async def _decode(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        params: dict[str, Any] = {
            key: _decode_value(key, value) for key, value in request.query.items()
        }
        files: dict[str, UploadedFile] = {}
        if request.content_type == "application/json":
            body = await request.json() if request.can_read_body else {}
            for key, value in (body or {}).items():
                params[key] = _decode_value(key, value) if isinstance(value, str) else value
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = UploadedFile(value.filename, value.file.read())
                else:
                    params[key] = _decode_value(key, str(value))
        return params, files

    def _scripted_failure(self, call: ApiCall) -> None:
        for failure in self._failures:
            if failure.method != call.method.lower() or failure.remaining <= 0:
                continue
            if failure.when is not None and not failure.when(call.params):
                continue
            failure.remaining -= 1
            raise failure.error

    # ---- chats -------------------------------------------------------------------------------

    def _chat_id(self, params: dict[str, Any], key: str = "chat_id") -> int:
        """Resolve a chat_id parameter; a migrated group fails like Telegram does."""
        raw = params.get(key)
        if raw is None or raw == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            username = raw[1:].lower()
            for chat in self.known_chats.values():
                if str(chat.get("username", "")).lower() == username:
                    raw = chat["id"]
                    break
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ApiError(400, "Bad Request: chat not found")
        if raw in self.migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrated[raw]},
            )
        return raw

    def _chat_type(self, chat_id: int) -> str:
        known = self.known_chats.get(chat_id)
        if known is not None:
            return known["type"]
        if chat_id > 0:
            return "private"
        return "supergroup" if str(chat_id).startswith("-100") else "group"

    def _chat_dict(self, chat_id: int) -> dict[str, Any]:
        """The Chat as Telegram puts it in a Message."""
        chat_type = self._chat_type(chat_id)
        known = self.known_chats.get(chat_id, {})
        chat: dict[str, Any] = {"id": chat_id}
        if chat_type == "private":
            person = self.known_users.get(chat_id, known)
            chat["first_name"] = person.get("first_name", f"User {chat_id}")
            for key in ("last_name", "username"):
                if key in person:
                    chat[key] = person[key]
        else:
            chat["title"] = known.get("title", f"Group {chat_id}")
            if "username" in known:
                chat["username"] = known["username"]
            if known.get("is_forum"):
                chat["is_forum"] = True
        chat["type"] = chat_type
        return chat

    def _check_member(self, chat_id: int) -> None:
        """Fail like Telegram when the bot is no longer in a group."""
        if chat_id > 0:
            return
        status = self.bot_status.get(chat_id, "member")
        if status not in ("left", "kicked"):
            return
        kind = self._chat_type(chat_id)
        if status == "left" and kind != "group":
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind} chat")
        raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")

    def _check_can_send(self, chat_id: int) -> None:
        """Fail like Telegram when the bot cannot post in ``chat_id``."""
        self._check_member(chat_id)
        if chat_id > 0:
            if chat_id in self.blocked_users:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id not in self.started_users:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")

    # ---- message building --------------------------------------------------------------------

    @staticmethod
    def _format(
        raw: Any, parse_mode: Any, entities: Any, *, caption: bool
    ) -> tuple[str, list[dict[str, Any]]]:
        """Turn a text/caption parameter into (plain text, entities), failing like Telegram."""
        text = "" if raw is None else str(raw)
        found: list[dict[str, Any]] = []
        mode = str(parse_mode).lower() if parse_mode else ""
        if mode == "html":
            try:
                text, found = parse_html(text)
            except HtmlParseError as error:
                raise ApiError(400, f"Bad Request: can't parse entities: {error.detail}") from None
        elif mode in ("markdown", "markdownv2"):
            pass  # not parsed by the fake: the text is kept as sent
        elif mode:
            raise ApiError(400, "Bad Request: unsupported parse_mode")
        elif isinstance(entities, list):
            found = entities
        text, found = _trim(text, found)
        if not text and not caption:
            raise ApiError(400, "Bad Request: message text is empty")
        if caption and utf16_len(text) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        if not caption and utf16_len(text) > MESSAGE_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        return text, found

    def _fill_mentions(self, entities: list[dict[str, Any]]) -> None:
        for entity in entities:
            if entity["type"] == "text_mention":
                known = self.known_users.get(entity["user"]["id"])
                if known is not None:
                    entity["user"] = known

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        """Validate reply_markup; return it if Telegram would echo it (inline keyboards)."""
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None
        for row in markup["inline_keyboard"]:
            for button in row:
                if not _BUTTON_ACTIONS.intersection(button):
                    raise ApiError(
                        400,
                        "Bad Request: can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard",
                    )
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _new_message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": next_message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat_dict(chat_id),
            "date": now(),
        }
        thread_id = params.get("message_thread_id")
        if thread_id:
            msg["message_thread_id"] = thread_id
            if msg["chat"].get("is_forum"):
                msg["is_topic_message"] = True
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict) and params.get("reply_to_message_id"):
            reply = {"message_id": params["reply_to_message_id"]}
        if isinstance(reply, dict):
            target = self._messages.get((chat_id, reply.get("message_id")))
            if target is not None:
                msg["reply_to_message"] = {
                    k: v for k, v in target.items() if k != "reply_to_message"
                }
        markup = self._check_markup(params.get("reply_markup"))
        if markup is not None:
            msg["reply_markup"] = markup
        return msg

    def _store(self, msg: dict[str, Any]) -> dict[str, Any]:
        self._messages[(msg["chat"]["id"], msg["message_id"])] = msg
        return copy.deepcopy(msg)

    def _store_file(self, upload: UploadedFile, prefix: str, folder: str) -> _StoredFile:
        number = next(self._file_counter)
        extension = upload.filename.rpartition(".")[2] if "." in upload.filename else "bin"
        stored = _StoredFile(
            file_id=f"{prefix}{number:08d}-fake",
            file_unique_id=f"AgAD{number:08d}",
            file_path=f"{folder}/file_{number}.{extension}",
            upload=upload,
        )
        self._files[stored.file_id] = stored
        self._file_paths[stored.file_path] = stored
        return stored

    def _input_file(self, call: ApiCall, name: str, prefix: str, folder: str) -> _StoredFile:
        """The file sent as ``name``: uploaded, an attach:// part, a file_id or an URL."""
        value = call.params.get(name)
        if name in call.files:
            return self._store_file(call.files[name], prefix, folder)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = call.files.get(value[len("attach://") :])
            if upload is not None:
                return self._store_file(upload, prefix, folder)
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            filename = value.rstrip("/").rpartition("/")[2] or "file"
            return self._store_file(UploadedFile(filename, b""), prefix, folder)
        if not value:
            raise ApiError(400, f"Bad Request: there is no {name} in the request")
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _send_media(self, call: ApiCall, kind: str) -> dict[str, Any]:
        p = call.params
        chat_id = self._chat_id(p)
        self._check_can_send(chat_id)
        caption, entities = self._format(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        if kind == "document":
            stored = self._input_file(call, "document", "BQACAgIAAx", "documents")
            media: Any = {
                "file_name": stored.upload.filename,
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.upload.content),
            }
        else:
            stored = self._input_file(call, "photo", "AgACAgIAAx", "photos")
            base = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
            size = len(stored.upload.content)
            media = [
                {**base, "file_size": size, "width": 90, "height": 90},
                {**base, "file_size": size, "width": 800, "height": 600},
            ]
        msg = self._new_message(chat_id, p)
        msg[kind] = media
        if caption:
            msg["caption"] = caption
        if entities:
            self._fill_mentions(entities)
            msg["caption_entities"] = entities
        return self._store(msg)

    # ---- methods -----------------------------------------------------------------------------

    @staticmethod
    def _true(call: ApiCall) -> bool:
        return True

    @staticmethod
    def _answer_callback_query(call: ApiCall) -> bool:
        # The answer is plain text (no parse_mode), 0-200 characters.
        if utf16_len(str(call.params.get("text") or "")) > ALERT_LIMIT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _chat_write_true(self, call: ApiCall) -> bool:
        self._check_member(self._chat_id(call.params))
        return True

    def _get_me(self, call: ApiCall) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": self.can_read_all_group_messages,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _ack(self, offset: int) -> None:
        if offset < 0:
            keep = self._queue[offset:]
            dropped = self._queue[: len(self._queue) - len(keep)]
            if dropped:
                self._max_offset = max(self._max_offset, dropped[-1]["update_id"] + 1)
            self._queue = keep
        elif offset > 0:
            self._queue = [u for u in self._queue if u["update_id"] >= offset]
            self._max_offset = max(self._max_offset, offset)

    async def _get_updates(self, call: ApiCall) -> list[dict[str, Any]]:
        p = call.params
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(p.get("offset") or 0)
        limit = min(max(int(p.get("limit") or 100), 1), 100)
        timeout = max(float(p.get("timeout") or 0), 0.0)
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self.last_allowed_updates = list(allowed)
            self._allowed = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        self._ack(offset)
        if offset < 0:
            offset = self._queue[0]["update_id"] if self._queue else 0
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older long poll is terminated, as Telegram does
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._closing:
                return []
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            pending = self._deliverable(offset)
            remaining = deadline - loop.time()
            if pending or remaining <= 0:
                return copy.deepcopy(pending[:limit])
            await self._wait_change(remaining)

    def _deliverable(self, offset: int) -> list[dict[str, Any]]:
        pending = [u for u in self._queue if u["update_id"] >= offset]
        if not self.filter_allowed_updates:
            return pending
        filtered = [u for u in pending if _update_type(u) not in self._allowed]
        if not filtered:
            return pending
        for update in filtered:
            self._undeliverable[update["update_id"]] = (
                f"update {update['update_id']} ({_update_type(update)}) was not delivered: "
                f"not in allowed_updates {sorted(self._allowed)}"
            )
            self._queue.remove(update)
        self._notify()
        return [u for u in pending if _update_type(u) in self._allowed]

    def _set_webhook(self, call: ApiCall) -> bool:
        self.webhook_url = str(call.params.get("url") or "")
        if call.params.get("drop_pending_updates"):
            self._drop_pending("drop_pending_updates")
        return True

    def _delete_webhook(self, call: ApiCall) -> bool:
        self.webhook_url = ""
        if call.params.get("drop_pending_updates"):
            self._drop_pending("drop_pending_updates")
        return True

    def _drop_pending(self, reason: str) -> None:
        for update in self._queue:
            self._undeliverable[update["update_id"]] = (
                f"update {update['update_id']} was dropped by {reason}"
            )
        self._queue.clear()
        self._notify()

    def _get_webhook_info(self, call: ApiCall) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }

    @staticmethod
    def _commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
        scope = scope if isinstance(scope, dict) else {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(language_code or "")

    def _set_my_commands(self, call: ApiCall) -> bool:
        p = call.params
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, 'Bad Request: parameter "commands" is required')
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not _COMMAND_NAME.fullmatch(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(p.get("scope"), p.get("language_code"))
        if commands:
            self.commands[key] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        else:
            self.commands.pop(key, None)
        return True

    def _delete_my_commands(self, call: ApiCall) -> bool:
        p = call.params
        self.commands.pop(self._commands_key(p.get("scope"), p.get("language_code")), None)
        return True

    def _get_my_commands(self, call: ApiCall) -> list[dict[str, Any]]:
        p = call.params
        return copy.deepcopy(self.commands_for(p.get("scope"), p.get("language_code") or ""))

    @staticmethod
    def _set_text(store: dict[str, str], field: str, limit: int, call: ApiCall) -> bool:
        # Bot API: 0-{limit} characters; an empty text removes that language's own one.
        text = str(call.params.get(field) or "")
        if len(text) > limit:
            raise ApiError(400, f"Bad Request: {field} is too long ({len(text)} > {limit})")
        language = str(call.params.get("language_code") or "")
        if text:
            store[language] = text
        else:
            store.pop(language, None)
        return True

    @staticmethod
    def _get_text(store: dict[str, str], field: str, call: ApiCall) -> dict[str, str]:
        language = str(call.params.get("language_code") or "")
        # What was set for exactly this language_code, like getMyCommands.
        return {field: store.get(language, "")}

    def _set_my_description(self, call: ApiCall) -> bool:
        return self._set_text(self.descriptions, "description", 512, call)

    def _get_my_description(self, call: ApiCall) -> dict[str, str]:
        return self._get_text(self.descriptions, "description", call)

    def _set_my_short_description(self, call: ApiCall) -> bool:
        return self._set_text(self.short_descriptions, "short_description", 120, call)

    def _get_my_short_description(self, call: ApiCall) -> dict[str, str]:
        return self._get_text(self.short_descriptions, "short_description", call)

    def _delete_message(self, call: ApiCall) -> bool:
        chat_id = self._chat_id(call.params)
        self._check_member(chat_id)
        self._messages.pop((chat_id, call.params.get("message_id")), None)
        return True

    def _send_chat_action(self, call: ApiCall) -> bool:
        self._check_can_send(self._chat_id(call.params))
        return True

    def _leave_chat(self, call: ApiCall) -> bool:
        chat_id = self._chat_id(call.params)
        if chat_id > 0:
            raise ApiError(
                400, "Bad Request: chat member status can't be changed in private chats"
            )
        self.bot_status[chat_id] = "left"
        return True

    def _send_message(self, call: ApiCall) -> dict[str, Any]:
        p = call.params
        chat_id = self._chat_id(p)
        self._check_can_send(chat_id)
        text, entities = self._format(
            p.get("text"), p.get("parse_mode"), p.get("entities"), caption=False
        )
        msg = self._new_message(chat_id, p)
        msg["text"] = text
        if entities:
            self._fill_mentions(entities)
            msg["entities"] = entities
        return self._store(msg)

    def _send_document(self, call: ApiCall) -> dict[str, Any]:
        return self._send_media(call, "document")

    def _send_photo(self, call: ApiCall) -> dict[str, Any]:
        return self._send_media(call, "photo")

    def _editable(self, call: ApiCall) -> tuple[int, dict[str, Any]]:
        """The message an edit method targets (a fresh one if the fake never saw it)."""
        p = call.params
        chat_id = self._chat_id(p)
        self._check_member(chat_id)
        message_id = p.get("message_id")
        if not isinstance(message_id, int):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        current = self._messages.get((chat_id, message_id))
        if current is None:
            current = {
                "message_id": message_id,
                "from": self.bot_user,
                "chat": self._chat_dict(chat_id),
                "date": now(),
            }
        elif current.get("from", {}).get("id") != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return chat_id, current

    def _finish_edit(self, current: dict[str, Any], edited: dict[str, Any]) -> dict[str, Any]:
        if all(edited.get(k) == current.get(k) for k in ("text", "entities", "reply_markup")):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        edited["edit_date"] = now()
        return self._store(edited)

    def _edit_message_text(self, call: ApiCall) -> dict[str, Any] | bool:
        p = call.params
        text, entities = self._format(
            p.get("text"), p.get("parse_mode"), p.get("entities"), caption=False
        )
        markup = self._check_markup(p.get("reply_markup"))
        if p.get("inline_message_id"):
            return True
        _, current = self._editable(call)
        edited = {k: v for k, v in current.items() if k not in ("entities", "reply_markup")}
        edited["text"] = text
        if entities:
            self._fill_mentions(entities)
            edited["entities"] = entities
        if markup is not None:
            edited["reply_markup"] = markup
        return self._finish_edit(current, edited)

    def _edit_message_reply_markup(self, call: ApiCall) -> dict[str, Any] | bool:
        markup = self._check_markup(call.params.get("reply_markup"))
        if call.params.get("inline_message_id"):
            return True
        _, current = self._editable(call)
        edited = {k: v for k, v in current.items() if k != "reply_markup"}
        if markup is not None:
            edited["reply_markup"] = markup
        return self._finish_edit(current, edited)

    def _bot_member(self, chat_id: int) -> dict[str, Any]:
        status = self.bot_status.get(chat_id, "member")
        if status == "administrator":
            return member_status(self.bot_user, status, can_promote_members=False)
        return member_status(self.bot_user, status)

    def _get_chat_administrators(self, call: ApiCall) -> list[dict[str, Any]]:
        chat_id = self._chat_id(call.params)
        if chat_id > 0:
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        self._check_member(chat_id)
        admins = copy.deepcopy(self.chat_admins.get(chat_id, []))
        bot_listed = any(a["user"]["id"] == self.bot_id for a in admins)
        if self.bot_status.get(chat_id) == "administrator" and not bot_listed:
            admins.append(self._bot_member(chat_id))
        return admins

    def _get_chat_member(self, call: ApiCall) -> dict[str, Any]:
        chat_id = self._chat_id(call.params)
        user_id = call.params.get("user_id")
        if not isinstance(user_id, int):
            raise ApiError(400, "Bad Request: invalid user_id specified")
        for admin in self.chat_admins.get(chat_id, []):
            if admin["user"]["id"] == user_id:
                return copy.deepcopy(admin)
        if user_id == self.bot_id:
            return self._bot_member(chat_id)
        if chat_id < 0:
            self._check_member(chat_id)
            if not self._knows_chat(chat_id):
                raise ApiError(400, "Bad Request: chat not found")
        elif chat_id != user_id:
            raise ApiError(400, "Bad Request: member not found")
        person = self.known_users.get(user_id, {"id": user_id, "is_bot": False, "first_name": ""})
        # Someone never seen in the group (nor set there) is not in it: Telegram says "left".
        status = "member" if chat_id > 0 else self.chat_members.get(chat_id, {}).get(user_id)
        return member_status(copy.deepcopy(person), status or "left")

    def _knows_chat(self, chat_id: int) -> bool:
        """True if the group exists for this fake (seen in an update, or given admins)."""
        return any(
            chat_id in known
            for known in (self.known_chats, self.chat_admins, self.bot_status, self.chat_members)
        )

    def _get_chat_member_count(self, call: ApiCall) -> int:
        chat_id = self._chat_id(call.params)
        return 2 if chat_id > 0 else max(len(self.chat_admins.get(chat_id, [])) + 1, 2)

    def _get_chat(self, call: ApiCall) -> dict[str, Any]:
        chat_id = self._chat_id(call.params)
        self._check_member(chat_id)
        info = self._chat_dict(chat_id)
        info.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return info

    def _get_file(self, call: ApiCall) -> dict[str, Any]:
        stored = self._files.get(str(call.params.get("file_id", "")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.upload.content),
            "file_path": stored.file_path,
        }
