# Rete — English messages. Every message is Telegram HTML; arguments are escaped for you.

## Command names in English: menus, /help and every message show these. They are the same
## list as bot/commands.py (tests check that they agree). A message names a command as
## /{ -cmd-thanks }, never by writing the name out.

-cmd-start = start
-cmd-help = help
-cmd-thanks = thanks
-cmd-helpers = helpers
-cmd-profile = profile
-cmd-recap = recap
-cmd-privacy = privacy
-cmd-settings = settings
-cmd-ledger = ledger
-cmd-unthank = unthank
-cmd-suggest = suggest
-cmd-prompts = prompts
-cmd-interests = interests
-cmd-intros = intros
-cmd-meet = meet
-cmd-whoknows = whoknows
-cmd-introduce = introduce
-cmd-ask = ask
-cmd-asks = asks

## Command menu (setMyCommands) and /help

cmd-start = Start Rete and see what it does
cmd-help = What Rete can do, and its commands
cmd-privacy = What Rete keeps about you: see, export, delete
cmd-settings = Group settings for admins: language, time zone, topic
cmd-thanks = Reply to a message to thank its author
cmd-helpers = Who helps most here (7d, 30d or all)
cmd-profile = Someone's help record (reply, @username, or yours)
cmd-ledger = Export the help ledger as CSV (admins)
cmd-unthank = Void the thanks in the message you reply to (admins)

help-header-private = <b>What you can do here</b>
help-header-group = <b>Rete in this group</b>
help-line = /{ $command } — { $description }
help-footer-private = Add me to your community's group to turn it into a network.
help-footer-group = Settings are for admins; everyone can use /{ -cmd-privacy } in private.

## What Telegram shows before anyone writes (setMyDescription, setMyShortDescription): plain text, no HTML

bot-description = Rete helps a community group become a network: it notices who helps whom, introduces members with shared interests to each other in private (only those who agree), starts a conversation now and then and posts a weekly recap. Add it to your group, or press Start to see what it can do for you. It speaks English and Italian.
bot-short-description = Turns your community group into a network: thanks, introductions, conversation prompts, a weekly recap.

## Joining a group

group-welcome =
    👋 Hi everyone, I'm <b>Rete</b>! I help this group become a network: I notice who helps whom, introduce members with shared interests to each other in private, start conversations now and then, and post a weekly recap.

    <b>Two steps for the admins:</b>
    1. Let me read the group: in @BotFather send /setprivacy, choose @{ $bot } and pick <i>Disable</i> — or simply make me an admin here.
    2. Send /{ -cmd-settings } to choose my language, time zone and the topic I post in.

    Everyone: /{ -cmd-help } lists what I can do, /{ -cmd-privacy } shows what I keep about you.
group-privacy-warning =
    ⚠️ Right now I can only see commands and replies to me, so I will miss thanks and activity in this group.
    Admins, to fix it either make me an admin here, or in @BotFather send /setprivacy, choose @{ $bot }, pick <i>Disable</i>, then remove me from the group and add me again (Telegram applies the change only then).

## Private chat

start-welcome =
    👋 Hi { $name }, I'm <b>Rete</b>.
    In the groups I'm part of I help members turn a chat into a network: I keep track of who helps whom, introduce people with shared interests (only those who agree, here in private), start conversations and post a weekly recap.
    Now that you have opened this chat I can write to you here when there is something for you.

    /{ -cmd-help } — the commands
    /{ -cmd-privacy } — what I keep about you, and how to delete it

## /settings

settings-current =
    <b>Rete settings for { $title }</b>
    Language: { $language }
    Time zone: { $timezone } (it's { $time } here now)
    Where I post: { $topic }
    I'm an admin here: { $admin }
    What I can read: { $reading }

    To change them:
    /{ -cmd-settings } language it or en
    /{ -cmd-settings } timezone Europe/Rome
    /{ -cmd-settings } topic — send it inside the topic I should post in (/{ -cmd-settings } topic off for the main chat)
settings-topic-main = the main chat
settings-topic-id = topic #{ $id }
settings-yes = yes
settings-no = no
settings-reading-all = every message
settings-reading-commands = only commands and replies to me (privacy mode is on: make me an admin or disable it in @BotFather with /setprivacy)
settings-language-set = ✅ From now on I'll speak English in this group.
settings-timezone-set = ✅ Time zone set to { $timezone }: it's { $time } here now.
settings-topic-set = ✅ From now on I'll post in this topic.
settings-topic-cleared = ✅ From now on I'll post in the main chat.
settings-topic-not-forum = This group has no topics, so I post in the main chat.
settings-topic-outside = Send /{ -cmd-settings } topic from inside the topic I should post in, or /{ -cmd-settings } topic off for the main chat.
settings-bad-language = “{ $value }” is not a language I speak. Use one of: { $allowed }.
settings-bad-timezone = “{ $value }” is not a time zone I know. Use a name in the Area/City form, such as Europe/Rome, Europe/London or America/New_York.
settings-missing-value = Add the value too, for example: /{ -cmd-settings } { $name } { $example }
settings-not-admin = Sorry, only the group's admins can change my settings.
settings-private = /{ -cmd-settings } works inside a group, and only for its admins: send it there.
settings-ledger-line = Help ledger: { $state ->
        [on] on — up to { $quota } scored thanks a day per person, the same two people at most { $paircap } a week; reactions that count: { $reactions }
       *[off] off
    }
settings-reactions-need-admin = Reactions count only while I'm an admin here.
settings-ledger-usage =
    /{ -cmd-settings } ledger on or off
    /{ -cmd-settings } reactions 🙏 👍 (or off)
    /{ -cmd-settings } quota 5 — scored thanks per person per day
    /{ -cmd-settings } paircap 3 — scored thanks between the same two people per week
settings-ledger-set = { $state ->
        [on] ✅ The help ledger is on: I'll notice thanks again.
       *[off] ✅ The help ledger is off: I won't record thanks in this group.
    }
settings-reactions-set = { $reactions ->
        [none] ✅ Reactions no longer give credit.
       *[other] ✅ These reactions now give credit: { $reactions }
    }
settings-quota-set = { $value ->
        [one] ✅ Only each person's first thanks a day will score.
       *[other] ✅ Each person's first { $value } thanks a day will score.
    }
settings-paircap-set = { $value ->
        [one] ✅ The same two people can score at most one thanks a week.
       *[other] ✅ The same two people can score at most { $value } thanks a week.
    }
settings-bad-switch = “{ $value }” is neither on nor off.
settings-bad-number = “{ $value }” is not a whole number from { $low } to { $high }.
settings-bad-reactions = “{ $value }” is not a list of up to 10 emoji, such as: 🙏 👍 🔥

## Help ledger

ledger-group-only = This works in a group: use it there.
ledger-off = The help ledger is off in this group (an admin can turn it on with /{ -cmd-settings } ledger on).
ledger-thanks-no-reply = Reply with /{ -cmd-thanks } to the message of the person you want to thank, adding why if you like.
ledger-thanks-self = You can't thank yourself — but thanks for trying 🙂
ledger-thanks-bot = Bots don't need thanks: thank the person who helped you.
ledger-not-a-person = That message was sent by a channel or an anonymous admin, not a person I can credit.
ledger-anonymous = You're writing as the group or a channel: thanks need to come from a person.
ledger-quota-reached = { $quota ->
        [one] You've already thanked someone today in { $title }: keep going, I record every thanks, but only the first one of the day counts on the leaderboard. See you tomorrow!
       *[other] You've already said thanks { $quota } times today in { $title }: keep going, I record every thanks, but only the first { $quota } count on the leaderboard. See you tomorrow!
    }
ledger-helpers-bad-period = “{ $value }” is not a period I know: use 7d, 30d or all.
ledger-helpers-empty = { $period ->
        [week] Nobody has been thanked here in the last 7 days.
        [month] Nobody has been thanked here in the last 30 days.
       *[all] Nobody has been thanked here yet.
    } Reply to a helpful message with /{ -cmd-thanks } to start!
ledger-helpers-header = <b>Top helpers { $period ->
        [week] of the last 7 days
        [month] of the last 30 days
       *[all] of all time
    }</b>
ledger-helpers-line = { $rank }. { $name } — helped { $people ->
        [one] one person
       *[other] { $people } people
    } ({ $credits ->
        [one] one thanks
       *[other] { $credits } thanks
    })
ledger-profile-unknown = I don't know { $name } in this group yet.
ledger-profile-hidden = { $name } prefers not to appear on leaderboards.
ledger-profile =
    <b>{ $name }</b>{ $since }
    People helped: { $people7 } in the last 7 days, { $people30 } in the last 30, { $peopleall } in all
    Thanks received: { $credits7 } in 7 days, { $credits30 } in 30, { $creditsall } in all
    { $helped }
    { $helpedby }
ledger-profile-since = , member { $since }
ledger-profile-helped = Thanked most by: { $names }
ledger-profile-helped-by = Gave most thanks to: { $names }
ledger-profile-nobody = nobody yet
ledger-usage = Use /{ -cmd-ledger } export: I'll send you every thanks of this group as a CSV file, in private.
ledger-not-admin = Only the group's admins can do that.
ledger-export-sent = 📄 I sent you the help ledger in private.
ledger-export-open-private = I can't write to you in private yet: open the chat with me, press Start, then send /{ -cmd-ledger } export here again.
ledger-export-caption = The help ledger of { $title }: every thanks, counted or not, voided ones included.
ledger-unthank-no-reply = Reply with /{ -cmd-unthank } to the message whose thanks you want to void.
ledger-unthank-done = { $count ->
        [one] ✅ Voided one thanks. It stays in the export, marked as voided.
       *[other] ✅ Voided { $count } thanks. They stay in the export, marked as voided.
    }
ledger-unthank-none = That message carries no thanks to void.

## /privacy

privacy-summary =
    <b>What Rete keeps about you</b>
    Name: { $name }
    Username: { $username }
    Language: { $language }
    I can write to you in private: { $reachable }
    Shown on leaderboards and recaps: { $shown }
    Groups where I've seen you: { $groups }
    { $group_lines }

    I never store the text of your messages, only how many you write each day.
    The file below holds everything, in JSON.
privacy-group-line = • { $title }: seen { $since }, { $messages ->
        [0] no messages counted
        [one] one message counted
       *[other] { $messages } messages counted
    }
privacy-groups-more = • …and { $count ->
        [one] one more group
       *[other] { $count } more groups
    }: the file below lists them all.
privacy-no-username = none
privacy-yes = yes
privacy-no = no
privacy-nothing = I don't keep anything about you.
privacy-export-caption = Everything Rete keeps about you.
privacy-button-hide = 🙈 Hide me from leaderboards and recaps
privacy-button-show = 👀 Show me on leaderboards and recaps
privacy-button-delete = 🗑 Delete everything about me
privacy-confirm-delete = Are you sure? I'll delete your profile, your activity counts in every group and everything else I keep about you. This cannot be undone.
privacy-button-confirm = Yes, delete everything
privacy-button-cancel = No, keep it
privacy-deleted = Done: I deleted everything I kept about you. If you write again in a group I'm in, I'll start counting from zero; /{ -cmd-privacy } shows what I keep at any time.
privacy-cancelled = OK, nothing deleted.
privacy-hidden-now = 🙈 Done: I won't name you on leaderboards or in recaps.
privacy-shown-now = 👀 Done: you can appear on leaderboards and in recaps again.
privacy-in-group = Let's talk about your data in private, not in front of the whole group.
privacy-open-button = Open the private chat

## Trust policy: who may act on what (a refusal changes nothing)

trust-not-member = Sorry, this is only for current members of that group.
trust-not-admin = Sorry, only the group's admins can do that.
trust-not-owner = Sorry, that belongs to someone else.
trust-no-consent = I can't write to that person in private: they haven't started a chat with me.
trust-not-a-person = Sorry, I need to know who you are for this: write from your own account, not as the group or a channel.
trust-too-often = You've asked that a lot in a short time: try again in a few minutes.
