"""The log never shows what members write, at any level, whatever a library logs."""

import logging

import aiohttp
import pytest

from bot.app import ALLOWED_UPDATES, build_application
from bot.logs import LIBRARY_FLOORS, configure_logging
from tests import factories as f
from tests.conftest import ADMIN, MEMBER, Rete, free_port

# Lower case and without spaces: it survives tag normalisation and the thanks parser.
MARKER = "zqxsegreto7731"
GROUP = f.group(-1012, "Makers")
CARLA = f.user(300, f"Carla{MARKER}", username="carla", language_code="it")


class Records(logging.Handler):
    """Keeps every record the root logger sees, as it looks after formatting."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.texts: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.texts.append(self.format(record))

    def leaks(self, marker: str = MARKER) -> list[str]:
        return [text for text in self.texts if marker in text.casefold()]


@pytest.fixture
def debug_log(telegram):
    """Logging as `rete run` sets it up at log_level = "DEBUG", plus a record keeper."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_factory = logging.getLogRecordFactory()
    libraries = {name: logging.getLogger(name).level for name in LIBRARY_FLOORS}
    configure_logging("DEBUG", [telegram.token])
    records = Records()
    root.addHandler(records)
    try:
        yield records
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        logging.setLogRecordFactory(saved_factory)
        for name, level in libraries.items():
            logging.getLogger(name).setLevel(level)


async def say(rete, sender, text, **kw):
    update = f.message_update(f.message(GROUP, sender, text, **kw))
    await rete.send(update)
    return update["message"]


async def test_no_member_text_reaches_the_log_at_debug(debug_log, telegram, settings, capfd):
    rete = Rete(telegram, settings)
    await rete.start()
    try:
        telegram.set_admins(GROUP["id"], ADMIN)
        for person in (ADMIN, MEMBER, CARLA):
            telegram.started_users.add(person["id"])
            await rete.send(f.command(f.private_chat(person), person, "/start"))
        await rete.send(f.my_chat_member(GROUP, ADMIN, telegram.bot_user, "left", "member"))
        await say(rete, ADMIN, "/prompts on")

        helpful = await say(rete, MEMBER, f"an ordinary message {MARKER}")
        await say(rete, CARLA, f"/thanks for {MARKER}", reply_to=helpful)
        await say(rete, ADMIN, f"grazie mille {MARKER}", reply_to=helpful)
        edited = f.message(GROUP, MEMBER, f"edited {MARKER}")
        await rete.send(f.message_update(edited), f.message_update(edited, edited=True))
        await say(rete, CARLA, f"/suggest what is {MARKER}?")
        await say(rete, ADMIN, f"/prompts add who knows {MARKER}?")
        await rete.send(
            f.command(f.private_chat(MEMBER), MEMBER, f"/interests {MARKER}, offer {MARKER}x")
        )
        await rete.send(f.command(f.private_chat(MEMBER), MEMBER, "/privacy"))
        await rete.send(f.command(GROUP, ADMIN, "/ledger export"))
        await rete.send(f.command(GROUP, ADMIN, "/helpers"))
        await rete.db.flush()
    finally:
        await rete.stop()

    # The bot did see and use the texts: the thanks reason, the tag and the suggestion.
    rows = await _reasons(settings.database)
    assert any(MARKER in (reason or "") for reason in rows)
    assert any(MARKER in call.params.get("text", "") for call in telegram.calls_to("sendMessage"))
    assert logging.getLogger("handlers.ledger").isEnabledFor(logging.DEBUG)
    assert any(r.name.startswith("telegram") for r in debug_log.records)
    assert debug_log.leaks() == []
    assert MARKER not in capfd.readouterr().err.casefold()


async def _reasons(database) -> list[str | None]:
    from storage import open_store

    store = await open_store(database)
    try:
        return [row[0] for row in await store.fetchall("SELECT reason FROM credits")]
    finally:
        await store.close()


async def test_an_update_ptb_cannot_parse_is_not_logged_in_full(debug_log, telegram, settings):
    """PTB logs a webhook body it cannot parse at CRITICAL, "Received data was: {...}"."""
    port = free_port()
    app = build_application(settings)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="telegram",
        webhook_url="https://bot.example.org/telegram",
        secret_token="s3cret",
        allowed_updates=ALLOWED_UPDATES,
    )
    await app.start()
    try:
        broken = {"update_id": 1, "message": {"text": f"broken {MARKER}", "date": "never"}}
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"http://127.0.0.1:{port}/telegram", json=broken, headers=headers) as r,
        ):
            assert r.status == 400
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
    critical = [r for r in debug_log.records if r.levelno == logging.CRITICAL]
    assert critical, "PTB logged the broken update"
    assert "withheld" in critical[0].getMessage()
    assert debug_log.leaks() == []


@pytest.mark.parametrize(
    ("logger", "template", "args"),
    [
        # telegram/_bot.py get_updates, when an update does not parse.
        ("telegram.Bot", "Error while parsing updates! Received data was %r", ([MARKER],)),
        # telegram/ext/_utils/webhookhandler.py, a webhook body that does not parse.
        ("telegram.ext.Updater", "Received data was: %r", ({"text": MARKER},)),
        # telegram/request/_baserequest.py, an answer that is not JSON.
        ("telegram.request.BaseRequest", 'Can not load invalid JSON data: "%s"', ('{"' + MARKER,)),
        # telegram/ext/_application.py, an update whose context cannot be built.
        ("telegram.ext.Application", "for update %s. Not processed.", (f.user(1, MARKER),)),
    ],
)
def test_payloads_in_ptb_errors_are_withheld(debug_log, logger, template, args):
    logging.getLogger(logger).critical(template, *args)
    assert debug_log.records, "the record itself is kept"
    assert debug_log.leaks() == []


def test_ptb_errors_keep_what_helps_an_operator(debug_log):
    logging.getLogger("telegram.ext.AIORateLimiter").info(
        "Rate limit hit. Retrying after %f seconds", 3.5
    )
    logging.getLogger("telegram.ext.Updater").error("Polling %s failed %d times", "Updates", 3)
    assert debug_log.texts[-2:] == [
        "INFO telegram.ext.AIORateLimiter: Rate limit hit. Retrying after 3.500000 seconds",
        "ERROR telegram.ext.Updater: Polling Updates failed 3 times",
    ]


@pytest.mark.parametrize("level", ["WARNING", "ERROR"])
def test_libraries_are_never_more_verbose_than_the_app(debug_log, level, telegram):
    configure_logging(level, [telegram.token])
    for name in LIBRARY_FLOORS:
        assert not logging.getLogger(name).isEnabledFor(logging.getLevelName(level) - 1)


def test_library_debug_is_off_even_at_debug(debug_log):
    for name in ("telegram.Bot", "telegram.ext.Application", "aiosqlite", "httpcore"):
        assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
    assert logging.getLogger("rete").isEnabledFor(logging.DEBUG)
