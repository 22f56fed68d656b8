"""End to end: /privacy shows, exports, hides and deletes what Rete keeps about a member."""

import json

from tests import factories as f
from tests.conftest import MEMBER

GROUP = f.group(-1008, "Makers & <Friends>")


async def open_privacy(rete):
    rete.telegram.started_users.add(MEMBER["id"])
    await rete.send(f.message_update(f.message(GROUP, MEMBER, "hello")))
    await rete.send(f.message_update(f.message(GROUP, MEMBER, "again")))
    await rete.send(f.command(f.private_chat(MEMBER), MEMBER, "/privacy"))
    return rete.telegram.sent(MEMBER["id"])[-1]


def buttons(call) -> dict[str, str]:
    keyboard = call.params["reply_markup"]["inline_keyboard"]
    return {button["text"]: button.get("callback_data") for row in keyboard for button in row}


async def press(rete, message_call, data):
    message = message_call.result
    await rete.send(f.callback_query(MEMBER, data, message))
    return rete.telegram.calls_to("editMessageText")[-1]


async def test_privacy_shows_summary_and_sends_export(rete):
    summary = await open_privacy(rete)
    text = summary.result["text"]
    assert text.startswith("What Rete keeps about you")
    assert "Username: @bruno" in text
    assert "• Makers & <Friends>: seen since" in text
    assert "2 messages counted" in text
    assert "never store the text" in text
    assert set(buttons(summary)) == {
        "🙈 Hide me from leaderboards and recaps",
        "🗑 Delete everything about me",
    }
    document = rete.telegram.sent(MEMBER["id"], method="sendDocument")[-1]
    upload = next(iter(document.files.values()))
    assert upload.filename == f"rete-data-{MEMBER['id']}.json"
    data = json.loads(upload.content)
    assert data["member"]["username"] == "bruno"
    assert data["memberships"][0]["chat_title"] == "Makers & <Friends>"
    assert sum(row["messages"] for row in data["activity_daily"]) == 2
    assert "hello" not in upload.content.decode()


async def test_hide_and_show_again(rete):
    summary = await open_privacy(rete)
    edit = await press(rete, summary, "privacy:hide")
    assert (await rete.db.members.get(MEMBER["id"])).hidden
    assert "🙈 Done: I won't name you" in edit.result["text"]
    assert "👀 Show me on leaderboards and recaps" in buttons(edit)
    await press(rete, summary, "privacy:show")
    assert not (await rete.db.members.get(MEMBER["id"])).hidden
    assert rete.telegram.calls_to("answerCallbackQuery")


async def test_delete_needs_confirmation_then_removes_everything(rete):
    summary = await open_privacy(rete)
    edit = await press(rete, summary, "privacy:delete")
    assert edit.result["text"].startswith("Are you sure?")
    assert (await rete.db.members.get(MEMBER["id"])) is not None

    edit = await press(rete, summary, "privacy:cancel")
    assert edit.result["text"] == "OK, nothing deleted."
    assert (await rete.db.members.get(MEMBER["id"])) is not None

    await press(rete, summary, "privacy:delete")
    edit = await press(rete, summary, "privacy:confirm")
    assert edit.result["text"].startswith("Done: I deleted everything")
    assert await rete.db.members.get(MEMBER["id"]) is None
    assert await rete.db.memberships.for_member(MEMBER["id"]) == []
    rows = await rete.db.fetchall(
        "SELECT count(*) FROM activity_daily WHERE member_id = ?", (MEMBER["id"],)
    )
    assert next(iter(rows))[0] == 0

    await rete.send(f.command(f.private_chat(MEMBER), MEMBER, "/privacy"))
    assert rete.last_text(MEMBER["id"]) == "I don't keep anything about you."


async def test_privacy_in_group_points_to_private_chat(rete):
    await rete.send(f.command(GROUP, MEMBER, "/privacy"))
    call = rete.telegram.sent(GROUP["id"])[-1]
    assert call.result["text"] == (
        "Let's talk about your data in private, not in front of the whole group."
    )
    url = call.params["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert url == "https://t.me/rete_test_bot?start=privacy"
    assert rete.telegram.calls_to("sendDocument") == []


async def test_privacy_for_unknown_person(rete):
    stranger = f.user(777, "Nuovo", language_code="it")
    rete.telegram.started_users.add(777)
    old_message = f.message(f.private_chat(stranger), rete.telegram.bot_user, "old summary")
    await rete.send(f.callback_query(stranger, "privacy:hide", old_message))
    assert await rete.db.members.get(777) is None
    edit = rete.telegram.calls_to("editMessageText")[-1]
    assert edit.result["text"] == "Non conservo nulla su di te."


async def test_privacy_summary_shows_html_names_literally(rete):
    nasty = f.user(401, "<b>&\"'</b>", last_name="</i>", username="x_y", language_code="it")
    rete.telegram.started_users.add(401)
    await rete.send(f.message_update(f.message(GROUP, nasty, "ciao")))
    await rete.send(f.command(f.private_chat(nasty), nasty, "/privacy"))
    text = rete.last_text(401)
    assert text.startswith("Cosa conserva Rete su di te")
    assert "Nome: <b>&\"'</b> </i>" in text
    # The test clock starts on 2 December 2026; Babel writes the date, the catalog "dal".
    assert "• Makers & <Friends>: ti conosco dal 2 dicembre 2026, un messaggio contato" in text


async def test_privacy_export_keeps_what_members_typed_exactly(rete):
    """JSON is data, not a spreadsheet: no formula guard, the member's own text as typed."""
    hostile = f.user(402, '=HYPERLINK("https://evil.example","x")', last_name='"}, {"x": 1')
    rete.telegram.started_users.add(402)
    await rete.send(f.message_update(f.message(GROUP, hostile, "ciao")))
    await rete.send(f.command(f.private_chat(hostile), hostile, "/privacy"))
    document = rete.telegram.sent(402, method="sendDocument")[-1]
    upload = next(iter(document.files.values()))
    assert upload.filename == "rete-data-402.json"
    data = json.loads(upload.content)
    assert data["member"]["first_name"] == hostile["first_name"]
    assert data["member"]["last_name"] == hostile["last_name"]
    assert data["member_id"] == 402


async def test_a_member_of_many_groups_with_long_titles_sees_and_manages_their_data(rete):
    rete.telegram.started_users.add(MEMBER["id"])
    # Telegram allows titles of 128 characters; "&" takes five once escaped.
    groups = [f.group(-2000 - n, f"{n:02} " + "&" * 125) for n in range(40)]
    for group in groups:
        await rete.send(f.message_update(f.message(group, MEMBER, "hi")))
    await rete.send(f.command(f.private_chat(MEMBER), MEMBER, "/privacy"))
    summary = rete.telegram.sent(MEMBER["id"], method="sendMessage")[-1]
    text = summary.result["text"]
    assert text.startswith("What Rete keeps about you")
    assert "Groups where I've seen you: 40" in text
    listed = [g for g in groups if f"• {g['title']}: seen since" in text]
    assert 1 <= len(listed) < 40
    assert f"…and {40 - len(listed)} more groups: the file below lists them all." in text
    document = rete.telegram.sent(MEMBER["id"], method="sendDocument")[-1]
    export = json.loads(next(iter(document.files.values())).content)
    assert len(export["memberships"]) == 40
    # The buttons edit the summary in place: it fits one message.
    edit = await press(rete, summary, "privacy:hide")
    assert "🙈 Done: I won't name you" in edit.result["text"]
    await press(rete, summary, "privacy:delete")
    edit = await press(rete, summary, "privacy:confirm")
    assert edit.result["text"].startswith("Done: I deleted everything")
    assert await rete.db.members.get(MEMBER["id"]) is None
